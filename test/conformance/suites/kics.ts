/**
 * KICS CloudFormation KMS queries: `positive*` templates must be flagged at the lines of
 * positive_expected_result.json, `negative*` ones not at all. JSON and YAML templates;
 * compared per resource (the resource holding the expected line).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discover } from '../../../server/src/core/sources/discover';
import { LineIndex } from '../../../server/src/core/positions';
import { corpusPath } from '../../support/corpus';
import { resourceAt, resourceTypes } from '../locate';
import type { SuiteCases } from './suiteCases';

interface KicsResult { queryName: string; line: number; filename?: string; fileName?: string }

export function kicsCases(): SuiteCases {
  const root = corpusPath('linter-fixtures', 'kics-cloudformation');
  const out: SuiteCases = { cases: [], skipped: [] };
  for (const query of fs.readdirSync(root).filter((d) => fs.statSync(path.join(root, d)).isDirectory()).sort()) {
    const queryName = (JSON.parse(fs.readFileSync(path.join(root, query, 'metadata.json'), 'utf8')) as { queryName: string }).queryName;
    const testDir = path.join(root, query, 'test');
    const results = JSON.parse(fs.readFileSync(path.join(testDir, 'positive_expected_result.json'), 'utf8')) as KicsResult[];
    for (const file of fs.readdirSync(testDir).sort()) {
      if (!/^(positive|negative)/.test(file)) continue;
      const name = `kics-cloudformation/${query}/test/${file}`;
      const text = fs.readFileSync(path.join(testDir, file), 'utf8');
      const discovered = discover(file, text);
      const lines = new LineIndex(text);
      const expected = results
        .filter((r) => (r.filename ?? r.fileName) === file)
        .map((r) => ({ type: r.queryName, resource: resourceAt(discovered, lines.offset({ line: r.line - 1, character: 0 })), path: `line ${r.line}` }));
      out.cases.push({ suite: 'kics', name, file, text, granularity: 'resource', expected, asserted: [queryName], resourceTypes: resourceTypes(discovered) });
    }
  }
  return out;
}
