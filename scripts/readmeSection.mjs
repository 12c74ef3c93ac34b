// A generated section of README.md, between `<!-- NAME:start -->` and `<!-- NAME:end -->`
// (the coverage table, the performance figures): replaced by the script that generates it,
// or checked (`--check`: exit 1 when out of date, for the unit tests).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The README with the section's body replaced; undefined when its markers are missing. */
export function replaceSection(readme, name, body) {
  const start = `<!-- ${name}:start -->`;
  const end = readme.indexOf(`<!-- ${name}:end -->`);
  const at = readme.indexOf(start);
  if (at < 0 || end < at) return undefined;
  return `${readme.slice(0, at + start.length)}\n${body}\n${readme.slice(end)}`;
}

/** Writes (or with `check`, checks) the section of the README of `root`; `script` is how to regenerate it. */
export function updateReadme(root, name, replace, { check, script }) {
  const readmePath = path.join(root, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const next = replace(readme);
  if (next === undefined) {
    console.error(`README.md has no <!-- ${name}:start --> … <!-- ${name}:end --> section`);
    process.exit(1);
  }
  if (check) {
    if (next !== readme) {
      console.error(`README.md: the ${name} section is out of date; run node ${script}`);
      process.exit(1);
    }
  } else if (next !== readme) {
    writeFileSync(readmePath, next);
    console.log(`README.md: ${name} section written`);
  }
}
