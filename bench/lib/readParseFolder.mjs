// What the baseline processes of the CLI figures share (readParse*.mjs): walk a folder, read
// every file whose name `matches`, parse its text, and say how many files were parsed.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function readParseFolder(dir, matches, parse) {
  let files = 0;
  const visit = (folder) => {
    for (const e of readdirSync(folder, { withFileTypes: true })) {
      const p = join(folder, e.name);
      if (e.isDirectory()) visit(p);
      else if (matches(e.name)) {
        parse(readFileSync(p, 'utf8'));
        files++;
      }
    }
  };
  visit(dir);
  process.stdout.write(`${files}\n`);
}
