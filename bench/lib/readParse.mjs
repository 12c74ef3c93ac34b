// Baseline process for the CLI figures: walk a folder, read every .json file and JSON.parse it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let files = 0;
const visit = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) visit(p);
    else if (e.name.endsWith('.json')) {
      try { JSON.parse(readFileSync(p, 'utf8')); } catch { /* not JSON: still read */ }
      files++;
    }
  }
};
visit(process.argv[2]);
process.stdout.write(`${files}\n`);
