/**
 * Which manifest governs a policy file, as a code lens on its first line: "Manifest:
 * security/policy-handshake.json" or "No manifest: checked alone". Files without policy
 * documents, and manifests themselves, get none. Spans in file offsets.
 */
import { relativePath } from '../relativePaths';
import type { Workspace } from '../workspace/workspace';
import type { HandshakeLens } from './codeLens';

export const NO_MANIFEST_TITLE = 'No manifest: checked alone';

/**
 * `folder`: the workspace folder the file is in; the manifest is named relative to it
 * (its full path when it lies outside, as the CLI's `--manifest` may).
 */
export function manifestLens(ws: Workspace, path: string, folder?: string): HandshakeLens[] {
  if (ws.manifest(path) || !ws.discovered(path)?.documents.length) return [];
  const m = ws.manifestFor(path);
  const title = m ? `Manifest: ${(folder !== undefined ? relativePath(folder, m.path) : undefined) ?? m.path}` : NO_MANIFEST_TITLE;
  return [{ span: { offset: 0, length: 0 }, title }];
}
