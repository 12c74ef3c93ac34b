/**
 * The repository's examples in the test workspace: each file of `examples/<name>/` is
 * written at the same relative path under the workspace folder (so the example's
 * `policy-handshake.json` is the workspace manifest), and deleted by `cleanWorkspace`.
 *
 * Folders are created one level at a time, each after VS Code reported the one above: on
 * Linux, VS Code's file watcher (@parcel/watcher, inotify) does not watch a folder created
 * right after its parent, and then reports none of the files written into it, so the
 * language server would never hear of them (parcel-bundler/watcher#97, microsoft/vscode#142694).
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, WAIT_MS, workspaceUri, writeWorkspaceFile } from './editor';

async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(() => true, () => false);
}

/** Create a workspace folder level by level, each level once VS Code's watcher has seen it. */
export async function createWatchedFolder(relDir: string): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test run has no workspace folder');
  const parts = relDir.split('/').filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const rel = parts.slice(0, i).join('/');
    const uri = workspaceUri(rel);
    if (await exists(uri)) continue;
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, rel), false, true, true);
    try {
      const seen = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), WAIT_MS);
        watcher.onDidCreate((u) => {
          if (u.toString() !== uri.toString()) return;
          clearTimeout(timer);
          resolve(true);
        });
      });
      await vscode.workspace.fs.createDirectory(uri);
      assert.ok(await seen, `VS Code's file watcher did not report the new folder ${rel}`);
    } finally {
      watcher.dispose();
    }
  }
}

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

/**
 * Copy `examples/<name>/` into the workspace folder, but for the files in `except` (which the
 * test writes itself: a file written twice in a row may be read by VS Code in the middle of
 * the second write); returns the relative paths written.
 */
export async function copyExample(name: string, except: string[] = []): Promise<string[]> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  const all = (await listFiles(vscode.Uri.joinPath(ext.extensionUri, 'examples', name), '')).sort();
  for (const f of except) assert.ok(all.includes(f), `examples/${name}/${f} does not exist`);
  const files = all.filter((f) => !except.includes(f));
  for (const f of files) {
    if (f.includes('/')) await createWatchedFolder(f.slice(0, f.lastIndexOf('/')));
    await writeWorkspaceFile(f, await exampleText(name, f));
  }
  for (const f of except) if (f.includes('/')) await createWatchedFolder(f.slice(0, f.lastIndexOf('/')));
  return files;
}
