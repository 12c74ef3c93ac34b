import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { applyEdits, expectFindings } from '../../support/fixture';
import { corpusMissing, corpusPath } from '../../support/corpus';
import { findingsOf } from './kmsPolicies';
import { needs } from '../../support/needs';

const only = ['redundant-resource'];
const identity = { only, binding: { kind: 'iam-identity-policy' as const } };
const policy = (resources: string, element = 'Resource') => `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "${element}": [${resources}]}]}`;

test('redundant-resource: distinct ARNs, case differences, overlapping but not covering patterns and variables are fine', () => {
  expectFindings(policy(`"arn:aws:s3:::a/*", "arn:aws:s3:::b/*", "arn:aws:s3:::*DeepRacer*", "arn:aws:s3:::*Deepracer*", "arn:aws:s3:::a*/x", "arn:aws:s3:::*a/x",
    "arn:aws:s3:::home/\${aws:username}/*", "arn:aws:s3:::home/*/\${aws:username}"`), identity);
});

test('redundant-resource: a repeat, and entries a wildcard entry covers, in Resource and NotResource', () => {
  const r = expectFindings(policy(`"arn:aws:s3:::elasticbeanstalk-*", «redundant-resource:"arn:aws:s3:::elasticbeanstalk-*/*"», «redundant-resource:"arn:aws:s3:::elasticbeanstalk-env"»,
    "arn:aws:s3:::other", «redundant-resource:"arn:aws:s3:::other"»`), identity);
  assert.deepEqual(r.findings.filter((f) => f.checkId === only[0]).map((f) => f.message), [
    // Both names would run past the Problems panel's line: the entry is the one the finding is on.
    'This entry is already covered by "arn:aws:s3:::elasticbeanstalk-*" in this Resource list: remove it.',
    'This entry is already covered by "arn:aws:s3:::elasticbeanstalk-*" in this Resource list: remove it.',
    '"arn:aws:s3:::other" is a duplicate of "arn:aws:s3:::other" in this Resource list: remove it.',
  ]);
  // The covering entry may come later; of two equivalent patterns the later one is reported.
  expectFindings(policy(`«redundant-resource:"arn:aws:logs:*:*:log-group:/aws/lambda/App*"», "arn:aws:logs:*:*:/aws/lambda/App*", "arn:aws:s3:::x*", «redundant-resource:"arn:aws:s3:::x*"»`, 'NotResource'), identity);
});

test('redundant-resource: the fix removes the covered entry', () => {
  const marked = policy(`"arn:aws:s3:::logs-*", «redundant-resource:"arn:aws:s3:::logs-*/*"»`);
  const r = expectFindings(marked, identity);
  assert.equal(applyEdits(marked.replace(/«redundant-resource:|»/g, ''), r.findings.find((f) => f.checkId === only[0])!.fixes![0].changes[0].edits), policy(`"arn:aws:s3:::logs-*"`));
});

test('redundant-resource: on the managed policies Access Analyzer reports REDUNDANT_RESOURCE for', needs('corpus', corpusMissing('aws-managed')), () => {
  const file = corpusPath('aws-managed', 'AmazonRedshiftAllCommandsFullAccess.json');
  const text = fs.readFileSync(file, 'utf8');
  const found = findingsOf(text, 'redundant-resource', {}, file).map((f) => text.slice(f.span.offset, f.span.offset + f.span.length));
  assert.deepEqual(found, ['"arn:aws:s3:::redshift-downloads"', '"arn:aws:s3:::redshift-downloads/*"', '"arn:aws:s3:::*redshift*/*"', '"arn:aws:dynamodb:*:*:table/*redshift*/index/*"']);
});

test('redundant-resource: entries among several wildcard entries and plain ones, each covered by its own pattern', () => {
  // Plain entries before, between and after the patterns: each pattern's literal start and
  // end are those of that pattern, whatever its place among the entries.
  expectFindings(policy(`"arn:aws:s3:::other", "arn:aws:s3:::logs-*", "arn:aws:s3:::x", "arn:aws:s3:::data-*/raw", «redundant-resource:"arn:aws:s3:::logs-2026"»,
    «redundant-resource:"arn:aws:s3:::data-1/raw"», "arn:aws:s3:::data-1/cooked", "arn:aws:s3:::*/tmp", «redundant-resource:"arn:aws:s3:::logs-1/tmp"»`), identity);
});
