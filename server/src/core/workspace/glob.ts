/**
 * Manifest paths and globs, relative to the manifest's folder: `*` and `?` within one path
 * segment, `**` for any number of segments. Matching works segment by segment with
 * `matchesWildcard`; no regular expression is built from the pattern.
 */
import { normalizePath } from '../relativePaths';
import { matchesWildcard } from '../wildcard';

/** Why a manifest path cannot be used (it leaves the manifest's folder), or undefined. */
export function outsideProblem(pattern: string): string | undefined {
  const p = pattern.replace(/\\/g, '/');
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p) || p.startsWith('~')) return `"${pattern}" is an absolute path: manifest paths are relative to the manifest's folder.`;
  if (resolveDots(p) === undefined) return `"${pattern}" reaches outside the manifest's folder (..): a manifest governs its folder and below, and its paths stay inside it.`;
  if (p.trim() === '') return 'An empty path matches no file.';
  return undefined;
}

/**
 * A relative path or glob with its `.` and `..` segments resolved (`wl/../wl/p.json` is
 * `wl/p.json`); undefined when a `..` climbs above the start, or follows a `**` (which could
 * climb from anywhere).
 */
export function resolveDots(pattern: string): string | undefined {
  const out: string[] = [];
  for (const seg of pattern.replace(/\\/g, '/').split('/')) {
    if (seg === '.' || seg === '') continue;
    if (seg !== '..') { out.push(seg); continue; }
    const last = out.pop();
    if (last === undefined || last === '**') return undefined;
  }
  return out.join('/');
}

/** Whether a relative path matches a glob (case-sensitive). */
export function globMatches(pattern: string, relPath: string): boolean {
  return segmentsMatch(normalizePath(pattern).split('/'), relPath.split('/'));
}

/** Glob segments against path segments: `**` spans any number of segments. O(n·m), no backtracking. */
export function segmentsMatch(pat: string[], segs: string[]): boolean {
  const n = pat.length;
  const m = segs.length;
  // reach[j]: the first i pattern segments can match the first j path segments.
  let reach = new Uint8Array(m + 1);
  reach[0] = 1;
  for (let i = 0; i < n; i++) {
    const next = new Uint8Array(m + 1);
    const seg = pat[i];
    if (seg === '**') {
      let any = 0;
      for (let j = 0; j <= m; j++) {
        any |= reach[j];
        next[j] = any;
      }
    } else {
      for (let j = 0; j < m; j++) if (reach[j] && matchesWildcard(seg, segs[j])) next[j + 1] = 1;
    }
    reach = next;
  }
  return reach[m] === 1;
}
