// Baseline process for the CLI's YAML figure: node starts, walks a folder, reads every YAML
// template (.yaml, .yml, .template) and parses it with the yaml library's parseDocument (which
// the product's YAML reader builds on).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { parseDocument } = require('yaml');

let files = 0;
const visit = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) visit(p);
    else if (/\.(ya?ml|template)$/.test(e.name)) {
      parseDocument(readFileSync(p, 'utf8'), { merge: true, uniqueKeys: true, prettyErrors: false });
      files++;
    }
  }
};
visit(process.argv[2]);
process.stdout.write(`${files}\n`);
