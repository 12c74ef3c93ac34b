import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/engine';
import { expectFindings } from '../../support/fixture';
import { findingsOf } from './kmsPolicies';
import * as fs from 'node:fs';
import { templateTextBound } from '../../../server/src/core/checks/policyTooLarge';
import { prop, toValue } from '../../../server/src/core/json/nodes';
import { discover } from '../../../server/src/core/sources/discover';
import { corpusMissing, corpusPath, walk } from '../../support/corpus';
import { needs } from '../../support/needs';
import { withHclParser } from '../../support/hcl';

withHclParser();

const only = ['policy-too-large'];

/** A key policy of exactly `bytes` UTF-8 bytes, the padding in a condition value (`fill` a character of the padding). */
function keyPolicy(bytes: number, fill = 'a'): string {
  const head = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*",` +
    `"Condition":{"StringEquals":{"kms:EncryptionContext:pad":"`;
  const tail = '"}}}]}';
  const room = bytes - Buffer.byteLength(head + tail, 'utf8');
  const unit = Buffer.byteLength(fill, 'utf8');
  const pad = fill.repeat(Math.floor(room / unit)) + 'a'.repeat(room % unit);
  return head + pad + tail;
}

/** An identity policy with `chars` non-whitespace characters, and `spaces` extra spaces. */
function identityPolicy(chars: number, spaces = 0): string {
  const head = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::`;
  const tail = '"}]}';
  return head + 'b'.repeat(chars - head.length - tail.length) + tail + ' '.repeat(spaces);
}

function marked(text: string): string {
  return text.replace('"Statement"', '«policy-too-large:"Statement"»');
}

test('policy-too-large: a key policy of 32,768 bytes is accepted, 32,769 is not', () => {
  expectFindings(keyPolicy(32_768), { only });
  expectFindings(marked(keyPolicy(32_769)), { only });
});

test('policy-too-large: key policies count UTF-8 bytes, not characters', () => {
  const text = keyPolicy(33_000, 'é');
  assert.ok(text.length < 32_768);
  expectFindings(marked(text), { only });
});

test('policy-too-large: a bare identity policy over 6,144 non-whitespace characters is a warning; whitespace does not count', () => {
  expectFindings(identityPolicy(6_144, 5_000), { only });
  const result = expectFindings(marked(identityPolicy(6_145)), { only });
  assert.deepEqual(result.findings.filter((f) => f.checkId === 'policy-too-large').map((f) => f.severity), ['warning']);
});

test('policy-too-large: managed and inline policies from an authorization-details export', () => {
  const doc = (chars: number) => JSON.parse(identityPolicy(chars));
  const text = JSON.stringify({
    UserDetailList: [{ UserName: 'u', Arn: 'arn:aws:iam::111122223333:user/u', UserPolicyList: [{ PolicyName: 'big', PolicyDocument: doc(2_100) }] }],
    RoleDetailList: [{ RoleName: 'r', Arn: 'arn:aws:iam::111122223333:role/r', RolePolicyList: [{ PolicyName: 'ok', PolicyDocument: doc(2_100) }],
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] } }],
    Policies: [{ PolicyName: 'm', Arn: 'arn:aws:iam::111122223333:policy/m', DefaultVersionId: 'v1',
      PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: doc(6_200) }] }],
  });
  const found = findingsOf(text, 'policy-too-large', {}, 'auth.json');
  const statementKeys: number[] = [];
  for (let i = text.indexOf('"Statement"'); i >= 0; i = text.indexOf('"Statement"', i + 1)) statementKeys.push(i);
  // Statement keys in order: user inline, role inline, trust policy, managed.
  assert.deepEqual(found.map((f) => [f.span.offset, f.span.length, f.severity]), [
    [statementKeys[0], 11, 'error'],
    [statementKeys[3], 11, 'error'],
  ]);
});

test('policy-too-large: get-key-policy output is measured on the decoded policy', () => {
  const policy = keyPolicy(32_769);
  const text = JSON.stringify({ Policy: policy });
  const found = findingsOf(text, 'policy-too-large', {}, 'key.json');
  assert.equal(found.length, 1);
  assert.equal(text.slice(found[0].span.offset, found[0].span.offset + found[0].span.length), '\\"Statement\\"');
  assert.equal(findingsOf(JSON.stringify({ Policy: keyPolicy(32_768) }), 'policy-too-large', {}, 'key.json').length, 0);
});

test('policy-too-large: a role trust policy over 2,048 characters is a warning (POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA)', () => {
  const trust = (chars: number) => {
    const head = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"`;
    const tail = '"}}}]}';
    return head + 'c'.repeat(chars - head.length - tail.length) + tail;
  };
  assert.equal(findingsOf(trust(2_048) + '   ', 'policy-too-large', {}, 'trust.json').length, 0);
  const r = expectFindings(marked(trust(2_049)), { only, file: 'trust.json' });
  assert.equal(r.findings[0].message, 'This role trust policy is over the 2048 characters IAM accepts by default: shorten it, or raise the quota. It has 2049 characters (whitespace not counted); the account\'s role trust policy length quota can be raised in Service Quotas, up to 8,192: ignore this if it was.');
  assert.equal(r.findings[0].severity, 'warning');
});

test('policy-too-large: AWS managed policies in an authorization-details export are not measured', () => {
  const text = JSON.stringify({
    RoleDetailList: [],
    Policies: [{ PolicyName: 'ReadOnlyAccess', Arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', DefaultVersionId: 'v1',
      PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: JSON.parse(identityPolicy(9_000)) }] }],
  });
  assert.equal(findingsOf(text, 'policy-too-large', {}, 'auth.json').length, 0);
  assert.equal(findingsOf(text.replace('iam::aws:policy', 'iam::111122223333:policy'), 'policy-too-large', {}, 'auth.json').length, 1);
});

test('policy-too-large: the count in the message is exact, with tabs, line breaks, non-ASCII text, and past the 65,536-character scratch buffer', () => {
  const count = (text: string) => {
    const found = checkText('p.json', text, { checks: undefined }).findings.filter((f) => f.checkId === 'policy-too-large');
    return found.length ? Number(/has (\d+) characters/.exec(found[0].message)?.[1]) : undefined;
  };
  const expected = (text: string) => text.length - (text.match(/[ \t\r\n]/g) ?? []).length;
  // Each text is a policy with one long resource of `n` characters drawn from `fill`.
  const policy = (n: number, fill: string) => {
    const pad = Array.from({ length: n }, (_, i) => fill[i % fill.length]).join('');
    return `{\n\t"Version": "2012-10-17",\r\n  "Statement": [ { "Effect": "Allow", "Action": "s3:GetObject",\n "Resource": "arn:aws:s3:::${pad}" } ]\n}\n`;
  };
  for (const [n, fill] of [[6_100, 'é b'], [7_000, 'a'], [7_000, '日本 '], [70_000, 'x y'], [70_000, '😀 a']] as const) {
    const text = policy(n, fill);
    const want = expected(text);
    assert.equal(count(text), want > 6_144 ? want : undefined, `${n} × ${JSON.stringify(fill)}`);
  }
  // Exactly at the limit, and one over, with most of the text whitespace.
  const at = identityPolicy(6_144, 70_000);
  assert.equal(count(at), undefined);
  assert.equal(count(identityPolicy(6_145, 70_000)), 6_145);
});

test('policy-too-large: a template\'s intrinsic functions count for the least they deploy as, not for their JSON (ADF BootstrapUpdateDeploymentRole)', () => {
  // Each Fn::Sub object is 75 characters as JSON; it deploys as an ARN of about 50.
  const sub = { 'Fn::Sub': 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:fn' };
  const template = (count: number, extra = '') => JSON.stringify({ Resources: { Policy: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: [...Array.from({ length: count }, () => sub), { Ref: 'Extra' }, ...(extra ? [extra] : [])] }],
  } } } } });
  // 90 entries: 6,930 characters as template JSON, 2,880 at least once deployed.
  const under = template(90);
  assert.ok(JSON.stringify(JSON.parse(under).Resources.Policy.Properties.PolicyDocument).length > 6144);
  assert.deepEqual(findingsOf(under, 'policy-too-large', {}, 'template.json'), []);
  // The literal text of the Fn::Sub strings alone is over the limit: reported, with the least count.
  const over = template(260);
  const found = findingsOf(over, 'policy-too-large', {}, 'template.json');
  assert.equal(found.length, 1);
  const least = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction',
    Resource: [...Array.from({ length: 260 }, () => 'arn::lambda:::function:fn'), ''] }] }).length;
  assert.equal(found[0].message, `This managed policy is over the 6144 characters IAM accepts: split it into several policies. It has ${least} characters (whitespace not counted).`);
});

test('policy-too-large: a template policy is written out only when its nodes allow a text over the limit; the bound is never below the text, for every template policy of the corpus', needs('corpus', corpusMissing()), () => {
  let documents = 0;
  for (const file of [...walk(corpusPath('cloudformation')), ...walk(corpusPath('terraform'))].filter((f) => /\.(json|ya?ml|template|tf)$/.test(f))) {
    for (const doc of discover(file, fs.readFileSync(file, 'utf8')).documents) {
      if (doc.source !== 'cloudformation' && doc.source !== 'terraform') continue;
      // The policy's JSON before intrinsic functions are shortened: longer than or as long as what is measured.
      const written = JSON.stringify(toValue(doc.root));
      const bound = templateTextBound(doc.root, Infinity);
      assert.ok(bound >= Buffer.byteLength(written, 'utf8'), `${file}: bound ${bound} under ${Buffer.byteLength(written, 'utf8')} bytes`);
      // Counting stops past the limit, still over it.
      if (written.length > 2_048) assert.ok(templateTextBound(doc.root, 2_048) > 2_048, file);
      documents++;
    }
  }
  assert.ok(documents > 300, `${documents} template policies`);
  // Escapes: a character may be written as six (`\u0001`) or take three UTF-8 bytes.
  const doc = discover('t.json', JSON.stringify({ Resources: { P: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/\u0001\u20ac' }] } } } } })).documents[0];
  const resource = prop(prop(doc.root, 'Statement')!.value!.children![0], 'Resource')!.value!;
  // `"arn:aws:s3:::b/\u0001€"`: 2 quotes, 15 characters, 6 for the escape and 3 UTF-8 bytes for the euro sign.
  assert.equal(Buffer.byteLength(JSON.stringify(toValue(resource)), 'utf8'), 26);
  assert.equal(templateTextBound(resource, Infinity), 2 + 6 * 17);
});

test('policy-too-large: a Terraform policy over the limit is still measured and reported; one under it is not', () => {
  const statements = (n: number) => Array.from({ length: n }, (_, i) => `{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::bucket-${String(i).padStart(4, '0')}/*" }`).join(',\n      ');
  const tf = (n: number) => `resource "aws_iam_policy" "p" {\n  name = "p"\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [\n      ${statements(n)}\n    ]\n  })\n}\n`;
  // Each statement is 82 characters of compact JSON, 83 with its comma, the rest 38: 73 of them are 6,097
  // characters, 74 are 6,180.
  const one = JSON.stringify({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket-0000/*' }).length;
  assert.equal(one, 82);
  assert.deepEqual(findingsOf(tf(73), 'policy-too-large', {}, 'main.tf'), []);
  const found = findingsOf(tf(74), 'policy-too-large', {}, 'main.tf');
  assert.equal(found.length, 1);
  assert.equal(found[0].message, `This managed policy is over the 6144 characters IAM accepts: split it into several policies. It has ${JSON.stringify({ Version: '2012-10-17', Statement: Array.from({ length: 74 }, (_, i) => ({ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::bucket-${String(i).padStart(4, '0')}/*` })) }).length} characters (whitespace not counted).`);
  assert.match(found[0].message, /It has 6180 characters/);
});

test('policy-too-large: in a templated JSON file, line breaks inside a placeholder count as whitespace, as in the file', () => {
  const pad = 'b'.repeat(6_100);
  const text = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::${pad}/\${lookup({\n\n\n"a": "x"}, "a")}"}]}`;
  const found = checkText('p.json', text, { checks: undefined }).findings.filter((f) => f.checkId === 'policy-too-large');
  // 6,238 characters, of which 5 are whitespace (3 line breaks and 2 spaces).
  assert.equal(text.length, 6_238);
  assert.deepEqual(found.map((f) => /has (\d+) characters/.exec(f.message)?.[1]), ['6233']);
});
