/**
 * cfn_nag's test templates (JSON and YAML) and, per rule its spec runs on them, the logical ids it
 * must flag (none for a passing template). Compared per resource; only the rules a
 * template is tested with count.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discover } from '../../../server/src/core/sources/discover';
import { corpusPath } from '../../support/corpus';
import { resourceTypes } from '../locate';
import type { Expected } from '../types';
import type { SuiteCases } from './suiteCases';

interface NagRule { rule_id: string; expected_offending_logical_resource_ids: string[] }

export function cfnNagCases(): SuiteCases {
  const dir = corpusPath('linter-fixtures', 'cfn_nag');
  const data = JSON.parse(fs.readFileSync(path.join(dir, 'EXPECTED.json'), 'utf8')) as { expected: Record<string, NagRule[]>; templates_without_rule_level_expectation?: string[] };
  const out: SuiteCases = { cases: [], skipped: [] };
  for (const [file, rules] of Object.entries(data.expected)) {
    const name = `cfn_nag/templates/${file}`;
    const text = fs.readFileSync(path.join(dir, 'templates', file), 'utf8');
    const expected: Expected[] = rules.flatMap((r) => r.expected_offending_logical_resource_ids.map((resource) => ({ type: r.rule_id, resource })));
    out.cases.push({
      suite: 'cfn_nag',
      name,
      file,
      text,
      granularity: 'resource',
      expected,
      asserted: rules.map((r) => r.rule_id),
      resourceTypes: resourceTypes(discover(file, text)),
    });
  }
  for (const file of data.templates_without_rule_level_expectation ?? []) out.skipped.push({ name: `cfn_nag/templates/${file}`, reason: 'no rule-level expectation upstream' });
  return out;
}
