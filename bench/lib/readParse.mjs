// Baseline process for the CLI figures: node starts, walks a folder, reads every .json file
// and parses it with jsonc-parser (the parser the product's JSON reading falls back on).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { parseTree } = require('jsonc-parser');

let files = 0;
const visit = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) visit(p);
    else if (e.name.endsWith('.json')) {
      parseTree(readFileSync(p, 'utf8'), [], { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
      files++;
    }
  }
};
visit(process.argv[2]);
process.stdout.write(`${files}\n`);
