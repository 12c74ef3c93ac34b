/** Expands CLI path arguments to the files to check (a folder: its policy files by extension; a file: whatever its name). */
import * as fs from 'fs';
import * as path from 'path';
import { SKIPPED_DIRS } from '../core/sourceFiles';
import { isSourceFileName } from '../core/sources/fileNames';
import { compareNames } from '../core/strings';
import { readFileLimited } from '../runtime/readFile';

export function collectFiles(args: string[], cwd: string): { files: string[]; missing: string[] } {
  const files = new Set<string>();
  const missing: string[] = [];
  const seenDirs = new Set<string>();
  const visit = (dir: string) => {
    let real: string;
    try { real = fs.realpathSync.native(dir); } catch { return; }
    if (seenDirs.has(real)) return; // symlink loops
    seenDirs.add(real);
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
    const eList = entries.sort((a, b) => compareNames(a.name, b.name));
    for (let i = 0; i < eList.length; i++) {
      const e = eList[i];
      const p = path.join(dir, e.name);
      if (e.isDirectory() || (e.isSymbolicLink() && isDir(p))) {
        if (!SKIPPED_DIRS.has(e.name)) visit(p);
      } else if (isSourceFileName(e.name)) files.add(p);
    }
  };
  const aList = args.length ? args : ['.'];
  for (let i = 0; i < aList.length; i++) {
    const a = aList[i];
    const p = path.resolve(cwd, a);
    if (!fs.existsSync(p)) { missing.push(a); continue; }
    if (isDir(p)) visit(p);
    else files.add(p);
  }
  return { files: [...files], missing };
}

function isDir(p: string): boolean {
  try { return fs.statSync(p).isDirectory(); } catch { return false; }
}

/** Reads a file as text (see readFileLimited); throws when it cannot be read or is not a file. */
export function readText(file: string, maxBytes: number): { text: string; tooLarge: boolean } {
  const read = readFileLimited(file, maxBytes);
  if (read.kind === 'not-a-file') throw new Error('not a regular file');
  return read.kind === 'too-large' ? { text: '', tooLarge: true } : { text: read.text, tooLarge: false };
}
