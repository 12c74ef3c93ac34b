// Baseline process for the CLI's YAML figure: node starts, walks a folder, reads every YAML
// template (.yaml, .yml, .template) and parses it with the yaml library's parseDocument (which
// the product's YAML reader builds on).
import { createRequire } from 'node:module';
import { readParseFolder } from './readParseFolder.mjs';

const require = createRequire(import.meta.url);
const { parseDocument } = require('yaml');

readParseFolder(process.argv[2], (name) => /\.(ya?ml|template)$/.test(name), (text) => parseDocument(text, { merge: true, uniqueKeys: true, prettyErrors: false }));
