/**
 * The repository's examples in the test workspace: each file of `examples/<name>/` is
 * written at the same relative path under the workspace folder (so the example's
 * `policy-handshake.json` is the workspace manifest), and deleted by `cleanWorkspace`.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, writeWorkspaceFile } from './editor';

async function listFiles(dir: vscode.Uri, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for (const [name, type] of await vscode.workspace.fs.readDirectory(dir)) {
    const rel = prefix ? `${prefix}/${name}` : name;
    if (type === vscode.FileType.Directory) out.push(...await listFiles(vscode.Uri.joinPath(dir, name), rel));
    else if (type === vscode.FileType.File) out.push(rel);
  }
  return out;
}

/** The text of a file of `examples/<name>/`. */
export async function exampleText(name: string, relPath: string): Promise<string> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, 'examples', name, ...relPath.split('/')));
  return new TextDecoder().decode(bytes);
}

/** Copy `examples/<name>/` into the workspace folder; returns the relative paths written. */
export async function copyExample(name: string): Promise<string[]> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  const files = (await listFiles(vscode.Uri.joinPath(ext.extensionUri, 'examples', name), '')).sort();
  assert.ok(files.length, `examples/${name} has no files`);
  for (const f of files) await writeWorkspaceFile(f, await exampleText(name, f));
  return files;
}
