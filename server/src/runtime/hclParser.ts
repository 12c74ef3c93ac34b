/**
 * Loads the HCL parser (web-tree-sitter with the Terraform grammar, both WebAssembly) once,
 * and hands the core its synchronous parse function (`setHclParser`). The .wasm files are
 * read beside the bundle (`dist/`), or from node_modules when run unbundled.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Parser as TreeSitterParser } from 'web-tree-sitter';
import { setHclParser, type HclParse } from '../core/sources/hcl/hclSyntax';

const RUNTIME_WASM = 'tree-sitter.wasm';
const GRAMMAR_WASM = 'tree-sitter-terraform.wasm';

function locate(name: string, fromPackage: () => string): string {
  const beside = path.join(__dirname, name);
  if (fs.existsSync(beside)) return beside;
  return fromPackage();
}

/** A parser with the Terraform grammar set (for this thread: the server's and the CLI's, or the CLI's parsing thread). */
export async function openHclParser(): Promise<TreeSitterParser> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Parser, Language } = require('web-tree-sitter') as typeof import('web-tree-sitter');
  const runtime = locate(RUNTIME_WASM, () => require.resolve('web-tree-sitter/tree-sitter.wasm'));
  const grammar = locate(GRAMMAR_WASM, () => path.join(path.dirname(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/package.json')), GRAMMAR_WASM));
  await Parser.init({ locateFile: () => runtime });
  const language = await Language.load(new Uint8Array(fs.readFileSync(grammar)));
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/** What is said when the parser cannot be loaded. */
export function notLoaded(e: unknown): string {
  return `The Terraform (HCL) parser could not be loaded; .tf files are not checked: ${String(e)}`;
}

let loading: Promise<HclParse | undefined> | undefined;

/** Load the parser and give it to the core; resolves to undefined (and `.tf` files are skipped) when it cannot be loaded. */
export function loadHclParser(log?: (message: string) => void): Promise<HclParse | undefined> {
  loading ??= (async () => {
    try {
      const parser = await openHclParser();
      const parse: HclParse = (text) => parser.parse(text);
      setHclParser(parse);
      return parse;
    } catch (e) {
      log?.(notLoaded(e));
      return undefined;
    }
  })();
  return loading;
}
