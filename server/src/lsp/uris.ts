/**
 * Document URIs and the workspace model's file paths. `file:` URIs map to file-system
 * paths (what the manifest and the CLI use); any other scheme (`untitled:`) keeps its URI
 * as its path. URIs the client sent are remembered so diagnostics go back under the
 * exact spelling the client used.
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export class UriMap {
  private readonly uriByPath = new Map<string, string>();

  toPath(uri: string): string {
    if (!uri.startsWith('file:')) return uri;
    try {
      const p = fileURLToPath(uri);
      if (!this.uriByPath.has(p)) this.uriByPath.set(p, uri);
      return p;
    } catch {
      return uri;
    }
  }

  toUri(p: string): string {
    const known = this.uriByPath.get(p);
    if (known) return known;
    if (!path.isAbsolute(p)) return p;
    return plainFileUri(p) ?? pathToFileURL(p).href;
  }
}

/** Normalized POSIX paths of letters, digits, `_`, `.`, `-` and `/`: their URI needs no escaping. */
const PLAIN_POSIX_PATH = /^(\/[\w.-]+)+$/;

/**
 * `file://` + the path, for the common plain path (what `pathToFileURL` gives, at a fraction
 * of its cost: the server asks for a URI several times per file read); undefined otherwise.
 */
export function plainFileUri(p: string): string | undefined {
  if (path.sep !== '/' || !PLAIN_POSIX_PATH.test(p) || /\/\.\.?(\/|$)/.test(p)) return undefined;
  return `file://${p}`;
}

/** True when `p` is `dir` or below it. */
export function isUnder(p: string, dir: string): boolean {
  if (p === dir) return true;
  const d = dir.endsWith(path.sep) ? dir : dir + path.sep;
  return p.startsWith(d);
}
