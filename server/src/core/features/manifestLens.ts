/**
 * Which manifest governs a policy file, as a code lens on its first line: "Manifest:
 * security/policy-handshake.json" or "No manifest: checked alone". Files without policy
 * documents, and manifests themselves, get none. Spans in file offsets.
 */
import { normalizePath, relativePath } from '../relativePaths';
import type { Workspace } from '../workspace/workspace';
import type { HandshakeLens } from './codeLens';

export const NO_MANIFEST_TITLE = 'No manifest: checked alone';

/**
 * `folder`: the workspace folder the file is in; the manifest is named relative to it:
 * `../policy-handshake.json` for one in a folder above it, its full path when it lies
 * elsewhere (as the CLI's `--manifest` may).
 */
export function manifestLens(ws: Workspace, path: string, folder?: string): HandshakeLens[] {
  if (ws.manifest(path) || !ws.discovered(path)?.documents.length) return [];
  const m = ws.manifestFor(path);
  const title = m ? `Manifest: ${folder !== undefined ? shownFrom(folder, m.path) : m.path}` : NO_MANIFEST_TITLE;
  return [{ span: { offset: 0, length: 0 }, title }];
}

/** A manifest's path as seen from the workspace folder: relative inside it, `../…` from a folder above it, else whole. */
function shownFrom(folder: string, file: string): string {
  const inside = relativePath(folder, file);
  if (inside !== undefined) return inside;
  const f = normalizePath(file);
  const d = normalizePath(folder).replace(/\/$/, '');
  const dir = f.slice(0, f.lastIndexOf('/'));
  if (!dir || !d.startsWith(dir + '/')) return file;
  return `${'../'.repeat(d.slice(dir.length + 1).split('/').length)}${f.slice(dir.length + 1)}`;
}
