// Runs every unit/protocol test file compiled to out/test with node's test runner.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['out/test/unit', 'out/test/protocol'];
const files = [];
const walk = (d) => {
  let entries;
  try { entries = readdirSync(d); } catch { return; }
  for (const e of entries) {
    const p = join(d, e);
    if (statSync(p).isDirectory()) walk(p);
    else if (e.endsWith('.test.js')) files.push(p);
  }
};
// A root with no test file (not built, or misspelt) would run nothing and pass: it is an error.
for (const root of roots) {
  const before = files.length;
  walk(root);
  if (files.length === before) {
    console.error(`run-tests: no *.test.js file under ${root} (run npx tsc -b first)`);
    process.exit(1);
  }
}
files.sort();
// The catalog's disk reader, as the adapters install it (test/support/catalogData.ts).
const preload = ['--require', './out/test/support/catalogData.js'];
const r = spawnSync(process.execPath, [...preload, '--test', '--test-concurrency=2', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
