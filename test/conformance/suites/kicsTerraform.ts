/**
 * KICS Terraform queries on KMS key policies and cross-account trust: `positive*` files must be
 * flagged at the lines of positive_expected_result.json, `negative*` ones not at all. Compared
 * per Terraform resource (the block holding the expected line). Needs the HCL parser loaded.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discover } from '../../../server/src/core/sources/discover';
import { LineIndex } from '../../../server/src/core/positions';
import { corpusPath } from '../../support/corpus';
import { resourceAt } from '../locate';
import type { SuiteCases } from './suiteCases';

interface KicsResult { queryName: string; line: number; filename?: string; fileName?: string }

export function kicsTerraformCases(): SuiteCases {
  const root = corpusPath('terraform', 'linter-fixtures', 'kics');
  const out: SuiteCases = { cases: [], skipped: [] };
  for (const query of fs.readdirSync(root).filter((d) => fs.statSync(path.join(root, d)).isDirectory()).sort()) {
    const queryName = (JSON.parse(fs.readFileSync(path.join(root, query, 'metadata.json'), 'utf8')) as { queryName: string }).queryName;
    const testDir = path.join(root, query, 'test');
    const results = JSON.parse(fs.readFileSync(path.join(testDir, 'positive_expected_result.json'), 'utf8')) as KicsResult[];
    // The older layout names no file: its one result is the first positive file's.
    const positives = fs.readdirSync(testDir).filter((f) => /^positive.*\.tf$/.test(f)).sort();
    for (const file of fs.readdirSync(testDir).sort()) {
      if (!/^(positive|negative).*\.tf$/.test(file)) continue;
      const name = `terraform/linter-fixtures/kics/${query}/test/${file}`;
      const text = fs.readFileSync(path.join(testDir, file), 'utf8');
      const discovered = discover(file, text);
      const lines = new LineIndex(text);
      const expected = results
        .filter((r) => (r.filename ?? r.fileName ?? positives[0]) === file)
        .map((r) => ({ type: r.queryName, resource: resourceAt(discovered, lines.offset({ line: r.line - 1, character: 0 }) + lineIndent(text, lines.offset({ line: r.line - 1, character: 0 }))), path: `line ${r.line}` }));
      out.cases.push({ suite: 'kics-terraform', name, file, text, granularity: 'resource', expected, asserted: [queryName, ...results.map((r) => r.queryName)] });
    }
  }
  return out;
}

/** Columns of whitespace at the start of a line: the block starts after them. */
function lineIndent(text: string, offset: number): number {
  return /^[ \t]*/.exec(text.slice(offset, offset + 200))![0].length;
}
