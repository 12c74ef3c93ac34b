/**
 * Agreement with other policy linters (test/conformance): every finding another tool
 * expects whose type maps to a check of ours must be raised at the same place, and no
 * finding of those checks may appear where the tool expects none — unless the difference
 * is listed as deliberate (disagreements.json) or as a known gap (known-gaps.json), and
 * every listed difference must still occur. Every AWS managed policy Access Analyzer analysed
 * is compared, those it had nothing to say about included.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { corpusPath } from '../../support/corpus';
import { conformanceCorpusMissing, registeredCheckIds, runConformance } from '../../conformance/conformance';
import { compareCase } from '../../conformance/compare';
import { checkovTerraformCases } from '../../conformance/suites/checkovTerraform';
import { trivyTerraformCases } from '../../conformance/suites/trivyTerraform';
import { loadDisagreements, loadMappings, type Disagreement } from '../../conformance/data';
import { defaultCatalog } from '../../../server/src/core/catalog/catalog';
import { statementOfPath } from '../../conformance/locate';
import { checkText } from '../../../server/src/core/engine';
import { problems, staleDisagreements, summarize } from '../../conformance/report';
import type { SuiteResult } from '../../conformance/types';
import { needs } from '../../support/needs';
import { withHclParser } from '../../support/hcl';

withHclParser();

const skip = needs('corpus', conformanceCorpusMissing());
const mappings = loadMappings();
let results: SuiteResult[] | undefined;
// Every suite in full, all AWS managed policies included (not only those Access Analyzer reported on).
const run = () => (results ??= runConformance({ full: true }));

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

const synthetic = (text: string, expected: { type: string; statement?: number; paths?: string[] }[], disagreements: Disagreement[] = []) => compareCase(
  { suite: 'access-analyzer-mamip', name: 'synthetic', file: 'p.json', text, binding: { kind: 'iam-identity-policy' }, granularity: 'statement', expected },
  checkText('p.json', text, { binding: { kind: 'iam-identity-policy' } }),
  { vocabulary: mappings.vocabularies['access-analyzer'], registered: registeredCheckIds(), disagreements, typesRead: [] },
);

test('conformance: one finding of ours satisfies one expectation; further ones of the same check at the place are extra, and unexplained', () => {
  const text = `{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["s3:GetObjekt", "s3:PutObjekt"], "Resource": "*"},
  {"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}]}`;
  const two = synthetic(text, [{ type: 'INVALID_ACTION', statement: 0, paths: ['Statement/0/Action/0'] }, { type: 'INVALID_ACTION', statement: 0, paths: ['Statement/0/Action/1'] }]);
  assert.deepEqual(two.expected.map((e) => [e.outcome, e.matchedBy?.checkId, e.matchedBy?.by]), [['matched', 'unknown-action', 'path'], ['matched', 'unknown-action', 'path']]);
  assert.deepEqual(two.added.map((a) => a.observed.statement), [1]);
  // Two expectations in statement 1, one finding of ours there: one is missed (it used to hide behind the other).
  const hidden = synthetic(text, [{ type: 'INVALID_ACTION', statement: 1 }, { type: 'INVALID_SERVICE_IN_ACTION', statement: 1 }]);
  assert.deepEqual(hidden.expected.map((e) => e.outcome), ['matched', 'missed']);
  // One expectation for statement 0, two findings of ours there: one match, one extra, no addition.
  const extra = synthetic(text, [{ type: 'INVALID_ACTION', statement: 0 }, { type: 'INVALID_ACTION', statement: 1 }]);
  assert.deepEqual(extra.expected.map((e) => [e.outcome, e.matchedBy?.by]), [['matched', 'place'], ['matched', 'place']]);
  assert.deepEqual(extra.extra.map((a) => [a.observed.checkId, a.observed.statement, a.observed.path, a.explained]), [['unknown-action', 0, 'Statement/0/Action/1', undefined]]);
  assert.deepEqual(extra.added, []);
  assert.deepEqual(problems([{ suite: 'access-analyzer-mamip', title: '', cases: [extra], skipped: [] }], [], false), [
    'access-analyzer-mamip: extra unknown-action at synthetic statement 0 line 2, Statement/0/Action/1',
  ]);
});

test('conformance: their one finding that lists several paths is met by every finding of the check at those paths', () => {
  const text = `{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["s3:*", "s3:GetObject", "s3:PutObject", "ec2:DescribeInstancez"], "Resource": "*"}]}`;
  // Access Analyzer: one REDUNDANT_ACTION naming the covering action and the two it covers; ours: one per redundant action.
  const r = synthetic(text, [{ type: 'REDUNDANT_ACTION', statement: 0, paths: ['Statement/0/Action/0', 'Statement/0/Action/1', 'Statement/0/Action/2'] }]);
  assert.deepEqual(r.expected.map((e) => [e.outcome, e.matchedBy?.checkId, e.matchedBy?.by, e.sameFinding?.length]), [['matched', 'redundant-action', 'path', 1]]);
  assert.deepEqual(r.extra, []);
  assert.deepEqual(r.added.map((a) => a.observed.checkId), ['unknown-action']);
  // Listing only the covering action and one covered one leaves the other covered one an extra of its own.
  const narrow = synthetic(text, [{ type: 'REDUNDANT_ACTION', statement: 0, paths: ['Statement/0/Action/0', 'Statement/0/Action/1'] }]);
  assert.deepEqual(narrow.expected.map((e) => e.sameFinding), [undefined]);
  assert.deepEqual(narrow.extra.map((a) => a.observed.path), ['Statement/0/Action/2']);
});

test('conformance: an extra finding is explained by an entry naming its statement and path, and an entry whose path holds none is stale', () => {
  const text = `{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["s3:GetObjekt", "s3:PutObjekt", "s3:ListObjekts"], "Resource": "*"}]}`;
  const entry = (path: string | string[]): Disagreement => ({ suite: 'access-analyzer-mamip', case: 'synthetic', ours: 'unknown-action', statement: 0, path, reason: 'r', kind: 'deliberate' });
  const expected = [{ type: 'INVALID_ACTION', statement: 0, paths: ['Statement/0/Action/0'] }];
  const explained = (d: Disagreement) => synthetic(text, expected, [d]).extra.map((a) => [a.observed.path, !!a.explained]);
  assert.deepEqual(explained(entry('Statement/0/Action/1')), [['Statement/0/Action/1', true], ['Statement/0/Action/2', false]]);
  assert.deepEqual(explained(entry(['Statement/0/Action/1', 'Statement/0/Action/2'])), [['Statement/0/Action/1', true], ['Statement/0/Action/2', true]]);
  const stale = entry(['Statement/0/Action/1', 'Statement/0/Action/5']);
  const result = { suite: 'access-analyzer-mamip', title: '', cases: [synthetic(text, expected, [stale])], skipped: [] };
  assert.deepEqual(staleDisagreements([result], [stale], false).map((d) => d.path), [['Statement/0/Action/1', 'Statement/0/Action/5']]);
  const fresh = entry(['Statement/0/Action/1', 'Statement/0/Action/2']);
  assert.deepEqual(staleDisagreements([{ ...result, cases: [synthetic(text, expected, [fresh])] }], [fresh], false), []);
});

test('conformance: their JSON paths pick the finding of ours at the same node first', () => {
  const text = `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": ["s3:GetObjekt", "s3:PutObjekt"], "Resource": "*"}}`;
  const r = synthetic(text, [{ type: 'INVALID_ACTION', statement: 0, paths: ['Statement/Action/1'] }]);
  assert.deepEqual(r.expected.map((e) => e.matchedBy), [{ checkId: 'unknown-action', by: 'path', index: 1 }]);
  assert.deepEqual(r.extra.map((a) => a.observed.path), ['Statement/0/Action/0']);
});

test('conformance: in a case compared per statement an explanation names its statements', () => {
  const text = `{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"},
  {"Effect": "Allow", "Action": "s3:PutObjekt", "Resource": "*"}]}`;
  const entry = (statement?: number | number[]): Disagreement => ({ suite: 'access-analyzer-mamip', case: 'synthetic', ours: 'unknown-action', statement, reason: 'r', kind: 'deliberate' });
  const explained = (d: Disagreement) => synthetic(text, [], [d]).added.map((a) => !!a.explained);
  assert.deepEqual(explained(entry()), [false, false]);
  assert.deepEqual(explained(entry(1)), [false, true]);
  assert.deepEqual(explained(entry([0, 1])), [true, true]);
});

test('conformance: every catalogue-age explanation names what the catalog lacks, and the installed catalog lacks it', skip, () => {
  const catalog = defaultCatalog();
  const entries = loadDisagreements().filter((d) => /^unknown-(service|action|condition-key)$/.test(d.ours ?? ''));
  assert.ok(entries.length > 0);
  const unverified = entries.filter((d) => !d.catalogAbsent?.length).map((d) => JSON.stringify(d.case));
  assert.deepEqual(unverified, [], 'explanations of unknown-service/-action/-condition-key without catalogAbsent');
  const present: string[] = [];
  for (const d of entries) for (const name of d.catalogAbsent!) {
    const colon = name.indexOf(':');
    if (colon < 0) { if (catalog.hasService(name)) present.push(name); continue; }
    const [service, rest] = [name.slice(0, colon), name.slice(colon + 1)];
    if (catalog.action(service, rest) || catalog.conditionKey(name)) present.push(name);
  }
  assert.deepEqual(present, [], 'named as absent from the catalog, but the catalog has them: the explanation is out of date');
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
    // A tool none of whose finding types has a counterpart (mappings.json maps nothing of it) must
    // still have expectations read, each of them out of scope.
    const summary = summarize(result);
    if (Object.keys(mappings.vocabularies[mappings.suites[suite].vocabulary].mapped).length) assert.ok(summary.mapped > 0, `suite ${suite} compared no mapped finding`);
    else assert.ok(summary.outOfScope > 0 && summary.mapped === 0, `suite ${suite} read no expectation`);
    assert.deepEqual(problems([result], loadDisagreements().filter((d) => d.suite === suite), false), []);
  });
}

test('conformance: checkov Terraform cases expect the failing blocks of their file (data checks as data.TYPE.NAME); trivy snippets expect their check when bad', skip, () => {
  const checkov = checkovTerraformCases().cases;
  const byName = (suffix: string) => checkov.find((c) => c.name.endsWith(suffix));
  assert.deepEqual(byName('example_KMSKeyWildcardPrincipal/fail.tf')?.expected.map((e) => e.resource), ['aws_kms_key.fail_0', 'aws_kms_key.fail_1', 'aws_kms_key.fail_2', 'aws_kms_key.fail_3', 'aws_kms_key.fail_4']);
  assert.deepEqual(byName('example_KMSKeyWildcardPrincipal/pass.tf')?.expected, []);
  assert.deepEqual(byName('data/aws/example_GithubActionsOIDCTrustPolicy/main.tf')?.expected.map((e) => `${e.type} ${e.resource}`).slice(0, 2), ['CKV_AWS_358 data.aws_iam_policy_document.fail-abusable', 'CKV_AWS_358 data.aws_iam_policy_document.fail-misused-repo']);
  const trivy = trivyTerraformCases().cases;
  const wildcards = trivy.filter((c) => c.name.includes('no_policy_wildcards.yaml#terraform.'));
  assert.deepEqual(wildcards.map((c) => [c.name.slice(c.name.indexOf('#')), c.expected.map((e) => e.type)]), [['#terraform.good[0]', []], ['#terraform.bad[0]', ['AWS-0057']]]);
  assert.deepEqual(trivy.filter((c) => c.name.includes('/tfsec/')).map((c) => [c.name, c.asserted]), [
    ['terraform/linter-fixtures/tfsec/_examples/1535/main.tf', []],
    ['terraform/linter-fixtures/tfsec/_examples/iam/main.tf', []],
  ]);
});
