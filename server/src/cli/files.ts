/**
 * Expands CLI path arguments to the files to check (a folder: its policy files by extension; a
 * file: whatever its name), and lists the files read with them as context: those of the folder
 * of each manifest that governs a given path, so that bindings and the handshake see what
 * `check <that folder>` sees (see `collectFiles`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { SKIPPED_DIRS } from '../core/sourceFiles';
import { isSourceFileName } from '../core/sources/fileNames';
import { compareNames } from '../core/strings';
import { readFileLimited } from '../runtime/readFile';

/**
 * The manifest's file name (core/workspace/manifest.ts's MANIFEST_NAME, which this module does
 * not import: the CLI's entry lists the files before it loads the core, see early.ts).
 */
export const MANIFEST_FILE_NAME = 'policy-handshake.json';

export interface Listing {
  /** The files to check and report: the files given, and the files under the folders given. */
  files: string[];
  /** Arguments that name nothing. */
  missing: string[];
  /**
   * Files read only as context, never reported: the other files of the folder of each manifest
   * that governs a given path (the outermost manifest in that path's folder or above it, which
   * holds the nested ones), or with `--manifest`, of that manifest's folder.
   */
  context: string[];
  /** With `--manifest`: the `policy-handshake.json` files given or under the folders given, left out (not manifests then, nor policies). */
  unused: string[];
}

/**
 * The files to check (`args`, relative to `cwd`; none: the working folder) and their context.
 * `manifest`: the explicit manifest (`--manifest`): its folder's files are the context, and the
 * `policy-handshake.json` files found are left out (they are not manifests then, and never
 * policies). Without it, the context is found by looking, in each given path's folder and every
 * folder above it, for a `policy-handshake.json` only: a path that no manifest governs costs a
 * few file-system look-ups, and only a governing manifest's folder is listed.
 */
export function collectFiles(args: string[], cwd: string, manifest?: string): Listing {
  const files = new Set<string>();
  const missing: string[] = [];
  const seenDirs = new Set<string>();
  const visit = (dir: string, into: Set<string>) => {
    let real: string;
    try { real = fs.realpathSync.native(dir); } catch { return; }
    if (seenDirs.has(real)) return; // symlink loops, and given folders inside a context folder
    seenDirs.add(real);
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
    const eList = entries.sort((a, b) => compareNames(a.name, b.name));
    for (let i = 0; i < eList.length; i++) {
      const e = eList[i];
      const p = path.join(dir, e.name);
      if (e.isDirectory() || (e.isSymbolicLink() && isDir(p))) {
        if (!SKIPPED_DIRS.has(e.name)) visit(p, into);
      } else if (isSourceFileName(e.name)) into.add(p);
    }
  };
  const aList = args.length ? args : ['.'];
  const given: { path: string; dir: boolean }[] = [];
  for (let i = 0; i < aList.length; i++) {
    const a = aList[i];
    const p = path.resolve(cwd, a);
    if (!fs.existsSync(p)) { missing.push(a); continue; }
    const dir = isDir(p);
    if (dir) visit(p, files);
    else files.add(p);
    given.push({ path: p, dir });
  }
  if (missing.length) return { files: [...files], missing, context: [], unused: [] };
  const roots = manifest !== undefined ? [path.dirname(path.resolve(cwd, manifest))] : governingRoots(given);
  const context = new Set<string>();
  for (const root of roots) visit(root, context);
  for (const f of files) context.delete(f);
  const unused: string[] = [];
  if (manifest !== undefined) {
    // With an explicit manifest, the other policy-handshake.json files are no manifests, and no policies either.
    const explicit = path.resolve(cwd, manifest);
    const isUnused = (f: string) => f !== explicit && path.basename(f) === MANIFEST_FILE_NAME;
    for (const f of files) if (isUnused(f)) { files.delete(f); unused.push(f); }
    for (const f of context) if (isUnused(f)) context.delete(f);
  }
  return { files: [...files], missing, context: [...context], unused };
}

/**
 * The folders of the manifests that govern the given paths: for each, the outermost folder,
 * among the path's own folder (a folder given: itself) and those above it up to the
 * file-system root, that holds a `policy-handshake.json`. Outermost, not nearest: the nearest
 * manifest binds the file, but the workspace reads every manifest of the tree together (account
 * names and principals, the handshake across their files), as `check <outermost folder>` and
 * the editor opened there do. A folder given that is its own root is listed already.
 */
function governingRoots(given: { path: string; dir: boolean }[]): string[] {
  const memo = new Map<string, string | undefined>();
  const outermost = (dir: string): string | undefined => {
    if (memo.has(dir)) return memo.get(dir);
    const parent = path.dirname(dir);
    const found = (parent === dir ? undefined : outermost(parent)) ?? (isFile(path.join(dir, MANIFEST_FILE_NAME)) ? dir : undefined);
    memo.set(dir, found);
    return found;
  };
  const roots = new Set<string>();
  for (const g of given) {
    const root = outermost(g.dir ? g.path : path.dirname(g.path));
    if (root !== undefined && !(g.dir && root === g.path)) roots.add(root);
  }
  return [...roots];
}

function isDir(p: string): boolean {
  try { return fs.statSync(p).isDirectory(); } catch { return false; }
}

function isFile(p: string): boolean {
  try { return fs.statSync(p).isFile(); } catch { return false; }
}

/** Reads a file as text (see readFileLimited); throws when it cannot be read or is not a file. */
export function readText(file: string, maxBytes: number): { text: string; tooLarge: boolean } {
  const read = readFileLimited(file, maxBytes);
  if (read.kind === 'not-a-file') throw new Error('not a regular file');
  return read.kind === 'too-large' ? { text: '', tooLarge: true } : { text: read.text, tooLarge: false };
}
