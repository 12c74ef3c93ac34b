/**
 * Reading the workspace's JSON files from disk without ever holding the event loop for
 * long: folders are walked and files read synchronously in time slices of a few
 * milliseconds, yielding between them so requests are answered meanwhile.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SKIPPED_DIRS } from '../core/sourceFiles';
import { mayBeCdkManifest } from '../core/sources/cdkAssembly';
import { isSourceFileName, mayHoldPolicies as sourceMayHoldPolicies } from '../core/sources/registry';

export const MANIFEST_NAME = 'policy-handshake.json';

/** Resolves after pending I/O and timers have had their turn. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Long work in slices: `yieldIfDue()` gives the event loop a turn once the current slice
 * has run for `ms` milliseconds, so requests wait at most about that long, and thousands
 * of small steps do not each pay for a turn of the loop.
 */
export class TimeSlice {
  private start = performance.now();

  constructor(private readonly ms = 8) {}

  async yieldIfDue(): Promise<void> {
    if (performance.now() - this.start < this.ms) return;
    await yieldToEventLoop();
    this.start = performance.now();
  }
}

/**
 * Every file a source reads by its name (see sources/registry.ts) below `root`, skipping SKIPPED_DIRS and symlink loops. Folders are
 * read synchronously in time slices: an asynchronous `readdir` and `realpath` per folder
 * left the server idle, waiting on the I/O threads, for most of a second on a workspace
 * of 7,500 folders.
 */
export async function listJsonFiles(root: string, isCancelled: () => boolean = () => false): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  // Each folder with its real path: a folder reached without a symlink is its parent's real
  // path plus its name, so only the root and symlinked folders need a `realpath` call.
  const queue: { dir: string; real: string | undefined }[] = [{ dir: root, real: undefined }];
  const slice = new TimeSlice();
  for (let next = 0; next < queue.length && !isCancelled(); next++) {
    const { dir } = queue[next];
    let real = queue[next].real;
    if (real === undefined) {
      try { real = fs.realpathSync.native(dir); } catch { continue; }
    }
    if (seen.has(real)) continue;
    seen.add(real);
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { continue; }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) queue.push({ dir: p, real: path.join(real, e.name) });
      } else if (e.isSymbolicLink()) {
        const st = statOrUndefined(p);
        if (st?.isDirectory()) { if (!SKIPPED_DIRS.has(e.name)) queue.push({ dir: p, real: undefined }); }
        else if (st?.isFile() && isJsonName(e.name)) out.push(p);
      } else if (e.isFile() && isJsonName(e.name)) out.push(p);
    }
    await slice.yieldIfDue();
  }
  return out.sort();
}

function statOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

/**
 * The outermost folder above `folder` (not `folder` itself) that holds a `policy-handshake.json`,
 * as the CLI finds the manifest that governs the paths it is given: the nearest manifest binds
 * the files, and the outermost one's folder holds every manifest of the tree and the files they
 * bind. A few `stat` calls, one a folder up to the file-system root.
 */
export function manifestFolderAbove(folder: string): string | undefined {
  let found: string | undefined;
  for (let dir = path.dirname(folder); ; dir = path.dirname(dir)) {
    if (statOrUndefined(path.join(dir, MANIFEST_NAME))?.isFile()) found = dir;
    if (path.dirname(dir) === dir) return found;
  }
}

/** Whether a file is read from disk by its name (see SOURCE_FILE_EXTENSIONS in sources/registry.ts). */
export function isJsonName(name: string): boolean {
  return isSourceFileName(name);
}

/**
 * A cheap screen for files read from disk: a file whose source says its text cannot hold a
 * policy is not parsed at all (keeps `package-lock.json` and friends out of the model). The
 * manifest always passes, and so does a CDK cloud assembly manifest (it gives its stacks'
 * templates their accounts).
 */
export function mayHoldPolicies(file: string, text: string): boolean {
  return path.basename(file) === MANIFEST_NAME || mayBeCdkManifest(file, text) || sourceMayHoldPolicies(file, text);
}
