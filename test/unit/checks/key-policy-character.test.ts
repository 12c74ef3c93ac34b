import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyEdits, expectFindings } from '../../support/fixture';
import { yamlKeyTemplate } from '../../support/cfnYaml';

const ID = 'key-policy-character';
const only = [ID];
const OWNER = '{"Sid": "Owner", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}';
const keyPolicy = (...statements: string[]) => `{"Version": "2012-10-17", "Statement": [${[OWNER, ...statements].join(', ')}]}`;

test('key-policy-character: printable ASCII, Latin-1 letters, tab and line breaks are fine', () => {
  expectFindings(keyPolicy('{"Sid": "Caf\u00e9 \u00fcber \u00a7 \u00bd", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": "kms:Decrypt", "Resource": "*"}'), { only });
});

test('key-policy-character: a typographic dash, quote or emoji anywhere in a key policy; message and fix', () => {
  const marked = `{"Version": "2012-10-17", "Id": «${ID}:"key policy \u2013 prod"», "Statement": [${OWNER},
    {"Sid": «${ID}:"Team\u2019s role"», "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": "kms:Decrypt", "Resource": "*",
     "Condition": {"StringEquals": {"kms:EncryptionContext:app": «${ID}:"rocket \u{1F680}"»}}}]}`;
  const r = expectFindings(marked, { only });
  const [dash, quote, emoji] = r.findings.filter((f) => f.checkId === ID);
  assert.equal(dash.severity, 'error');
  assert.equal(dash.message, 'KMS refuses "\u2013" (U+2013) in a key policy: write "-" instead. A key policy takes only printable ASCII and Latin-1 characters, tab, line feed and carriage return; CreateKey and PutKeyPolicy reject the policy otherwise (MalformedPolicyDocumentException).');
  assert.match(emoji.message, /^KMS refuses "\u{1F680}" \(U\+1F680\) in a key policy: remove or replace it\./u);
  assert.equal(emoji.fixes, undefined);
  const plain = marked.replace(/«key-policy-character:|»/g, '');
  assert.equal(applyEdits(plain, quote.fixes![0].changes[0].edits), plain.replace('Team\u2019s role', "Team's role"));
  assert.equal(applyEdits(plain, dash.fixes![0].changes[0].edits), plain.replace('key policy \u2013 prod', 'key policy - prod'));
});

test('key-policy-character: in a policy file an escape is ASCII as sent; identity policies are not key policies', () => {
  expectFindings(keyPolicy('{"Sid": "Escaped\\u2013dash", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": "kms:Decrypt", "Resource": "*"}'), { only });
  expectFindings('{"Version": "2012-10-17", "Statement": [{"Sid": "Readers", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/caf\u00e9\u2013x"}]}', { only });
});

test('key-policy-character: in a CloudFormation YAML key policy, on the scalar, with the fix written in the YAML', () => {
  const marked = yamlKeyTemplate(`- Sid: «${ID}:Use \u2014 app»
  Effect: Allow
  Principal: {AWS: arn:aws:iam::111122223333:role/App}
  Action: kms:Decrypt
  Resource: '*'`);
  const r = expectFindings(marked, { only, file: 'template.yaml' });
  const plain = marked.replace(/«key-policy-character:|»/g, '');
  assert.equal(applyEdits(plain, r.findings.find((f) => f.checkId === ID)!.fixes![0].changes[0].edits), plain.replace('Use \u2014 app', 'Use - app'));
});
