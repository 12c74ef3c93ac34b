/**
 * Reading the workspace's JSON files from disk, asynchronously and without ever holding
 * the event loop for long: folders are walked with `fs.promises`, and callers process the
 * files in small batches, yielding between them so requests are answered meanwhile.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SKIPPED_DIRS, stripBom } from '../core/sourceFiles';

export { SKIPPED_DIRS, stripBom };

export const MANIFEST_NAME = 'policy-handshake.json';

/** Resolves after pending I/O and timers have had their turn. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Every `*.json` file below `root`, skipping SKIPPED_DIRS and symlink loops. */
export async function listJsonFiles(root: string, isCancelled: () => boolean = () => false): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const queue = [root];
  let visited = 0;
  while (queue.length && !isCancelled()) {
    const dir = queue.shift()!;
    let real: string;
    try { real = await fs.realpath(dir); } catch { continue; }
    if (seen.has(real)) continue;
    seen.add(real);
    let entries: import('node:fs').Dirent[];
    try { entries = await fs.readdir(dir, { withFileTypes: true }); } catch { continue; }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) queue.push(p);
      } else if (e.isSymbolicLink()) {
        const st = await fs.stat(p).catch(() => undefined);
        if (st?.isDirectory()) { if (!SKIPPED_DIRS.has(e.name)) queue.push(p); }
        else if (st?.isFile() && isJsonName(e.name)) out.push(p);
      } else if (e.isFile() && isJsonName(e.name)) out.push(p);
    }
    if (++visited % 50 === 0) await yieldToEventLoop();
  }
  return out.sort();
}

export function isJsonName(name: string): boolean {
  return name.toLowerCase().endsWith('.json');
}

export type DiskRead =
  | { kind: 'text'; text: string }
  | { kind: 'too-large'; size: number }
  | { kind: 'missing' };

/**
 * A file's text: UTF-8 with a leading BOM removed; invalid bytes become U+FFFD. Files over
 * `maxBytes` are not read at all.
 */
export async function readDiskText(file: string, maxBytes: number): Promise<DiskRead> {
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) return { kind: 'missing' };
    if (st.size > maxBytes) return { kind: 'too-large', size: st.size };
    const text = await fs.readFile(file, 'utf8');
    return { kind: 'text', text: stripBom(text) };
  } catch {
    return { kind: 'missing' };
  }
}


const POLICY_MARKERS = /"(Statement|Policy|Policies|PolicyDocument|KeyPolicy|RoleDetailList|UserDetailList|GroupDetailList|Resources|AWSTemplateFormatVersion)"/;

/**
 * A cheap screen for files read from disk: a file whose text names none of the keys that
 * every source of policies has cannot hold a policy, so it is not parsed at all (keeps
 * `package-lock.json` and friends out of the model). The manifest always passes.
 */
export function mayHoldPolicies(file: string, text: string): boolean {
  return path.basename(file) === MANIFEST_NAME || POLICY_MARKERS.test(text);
}
