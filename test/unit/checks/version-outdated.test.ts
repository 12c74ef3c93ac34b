import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/engine';
import { applyEdits, expectFindings } from '../../support/fixture';

const only = ['version-outdated'];

test('version-outdated: 2012-10-17 and missing Version are not this check', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}`, { only });
  expectFindings(`{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}`, { only });
});

test('version-outdated: 2008-10-17 is reported on the value', () => {
  expectFindings(`{"Version": «version-outdated:"2008-10-17"», "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}`, { only });
});

test('version-outdated: fix sets 2012-10-17', () => {
  const text = `{"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}`;
  const f = checkText('p.json', text).findings.find((x) => x.checkId === 'version-outdated')!;
  assert.equal(f.fixes![0].isPreferred, true);
  const out = applyEdits(text, f.fixes![0].changes[0].edits);
  assert.equal(out, text.replace('2008-10-17', '2012-10-17'));
  expectFindings(out, { only });
});

test('version-outdated: with ${…} in the document the fix is offered but not preferred', () => {
  const text = `{"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/\${aws:username}/*"}]}`;
  const f = checkText('p.json', text).findings.find((x) => x.checkId === 'version-outdated')!;
  assert.equal(f.fixes![0].isPreferred, false);
  // Variables the version leaves as text: an error (Access Analyzer's VARIABLE_UNSUPPORTED_IN_VERSION); without them a warning.
  assert.equal(f.severity, 'error');
  assert.equal(checkText('p.json', text.replace('/\${aws:username}', '')).findings.find((x) => x.checkId === 'version-outdated')?.severity, 'warning');
});
