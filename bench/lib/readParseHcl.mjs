// Baseline process for the CLI's Terraform figure: node starts, loads the HCL parser the
// product uses (web-tree-sitter and the Terraform grammar, the .wasm files the build puts in
// dist/), walks a folder, reads every .tf file and parses it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readParseFolder } from './readParseFolder.mjs';

const require = createRequire(import.meta.url);
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
const { Parser, Language } = require('web-tree-sitter');
await Parser.init({ locateFile: () => join(dist, 'tree-sitter.wasm') });
const parser = new Parser();
parser.setLanguage(await Language.load(new Uint8Array(readFileSync(join(dist, 'tree-sitter-terraform.wasm')))));

readParseFolder(process.argv[2], (name) => name.endsWith('.tf'), (text) => parser.parse(text)?.delete());
