/**
 * Agreement with other policy linters (test/conformance): every finding another tool
 * expects whose type maps to a check of ours must be raised at the same place, and no
 * finding of those checks may appear where the tool expects none — unless the difference
 * is listed as deliberate (disagreements.json) or as a known gap (known-gaps.json), and
 * every listed difference must still occur. The AWS managed policies are limited to those
 * Access Analyzer reported on; `npm run conformance` checks all of them.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { corpusPath } from '../../support/corpus';
import { conformanceCorpusMissing, registeredCheckIds, runConformance } from '../../conformance/conformance';
import { compareCase } from '../../conformance/compare';
import { loadDisagreements, loadMappings } from '../../conformance/data';
import { statementOfPath } from '../../conformance/locate';
import { checkText } from '../../../server/src/core/engine';
import { problems, summarize } from '../../conformance/report';
import type { SuiteResult } from '../../conformance/types';
import { needs } from '../../support/needs';
import { withHclParser } from '../../support/hcl';

withHclParser();

const skip = needs('corpus', conformanceCorpusMissing());
const mappings = loadMappings();
let results: SuiteResult[] | undefined;
const run = () => (results ??= runConformance());

test('conformance: their JSON paths give statement indexes', () => {
  assert.equal(statementOfPath('Statement/3/Action/0'), 3);
  assert.equal(statementOfPath('Statement/Condition/StringEquals/aws:ViaAWSService'), 0);
  assert.equal(statementOfPath(''), undefined);
});

test('conformance: a finding in another statement is a miss plus an addition, in the same one a match', () => {
  const text = `{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"},
  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}`;
  const ctx = { vocabulary: mappings.vocabularies['access-analyzer'], registered: registeredCheckIds(), disagreements: [], typesRead: [] };
  const at = (statement: number) => compareCase(
    { suite: 'access-analyzer-mamip', name: 'synthetic', file: 'p.json', text, binding: { kind: 'iam-identity-policy' }, granularity: 'statement', expected: [{ type: 'INVALID_ACTION', statement }] },
    checkText('p.json', text, { binding: { kind: 'iam-identity-policy' } }),
    ctx,
  );
  const right = at(0);
  assert.deepEqual(right.expected.map((e) => e.outcome), ['matched']);
  assert.deepEqual(right.added, []);
  const wrong = at(1);
  assert.deepEqual(wrong.expected.map((e) => e.outcome), ['missed']);
  assert.deepEqual(wrong.added.map((a) => [a.observed.checkId, a.observed.statement]), [['unknown-action', 0]]);
});

test('conformance: every check id in mappings.json is a check of the product', () => {
  const registered = registeredCheckIds();
  const unknown = Object.entries(mappings.vocabularies).flatMap(([v, voc]) =>
    Object.entries(voc.mapped).flatMap(([type, ids]) => ids.filter((id) => !registered.has(id)).map((id) => `${v} ${type} → ${id}`)));
  assert.deepEqual(unknown, []);
});

test('conformance: the Access Analyzer vocabulary covers every check of the IAM User Guide catalogue', skip, () => {
  const catalogue = JSON.parse(fs.readFileSync(corpusPath('linter-fixtures', 'access-analyzer-docs', 'POLICY_CHECK_CATALOG.json'), 'utf8')) as { checks: { issue_code_derived_from_anchor: string }[] };
  const voc = mappings.vocabularies['access-analyzer'];
  const missing = catalogue.checks
    .map((c) => c.issue_code_derived_from_anchor.replace(/^GENERAL_WARNING_/, ''))
    .filter((code) => !(code in voc.mapped) && !(code in voc.outOfScope));
  assert.deepEqual(missing, []);
});

test('conformance: the parliament vocabulary covers every finding id of its catalogue', skip, () => {
  const yaml = fs.readFileSync(corpusPath('linter-fixtures', 'parliament', 'parliament-config-finding-catalogue.yaml'), 'utf8');
  const voc = mappings.vocabularies.parliament;
  const missing = [...yaml.matchAll(/^([A-Z_]+):/gm)].map((m) => m[1]).filter((id) => !(id in voc.mapped) && !(id in voc.outOfScope));
  assert.deepEqual(missing, []);
});

for (const suite of Object.keys(mappings.suites)) {
  test(`conformance: ${suite} — expected findings raised, nothing unexplained added`, skip, () => {
    const result = run().find((r) => r.suite === suite);
    assert.ok(result, `suite ${suite} did not run`);
    assert.ok(result.cases.length > 0, `suite ${suite} has no cases`);
    // Every suite compares some mapped finding: a loader that silently reads nothing must fail.
    assert.ok(summarize(result).mapped > 0, `suite ${suite} compared no mapped finding`);
    assert.deepEqual(problems([result], loadDisagreements().filter((d) => d.suite === suite), false), []);
  });
}
