// Baseline process for the CLI figures: node starts, walks a folder, reads every .json file
// and parses it with jsonc-parser (the parser the product's JSON reading falls back on).
import { createRequire } from 'node:module';
import { readParseFolder } from './readParseFolder.mjs';

const require = createRequire(import.meta.url);
const { parseTree } = require('jsonc-parser');

readParseFolder(process.argv[2], (name) => name.endsWith('.json'), (text) => parseTree(text, [], { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true }));
