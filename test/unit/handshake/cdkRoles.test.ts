/**
 * CDK roles, whose names CloudFormation generates at deployment, on both sides of the
 * handshake: key policies naming them by `Fn::GetAtt` (same stack) and `Fn::ImportValue`
 * (another stack of the account), their grants in `AWS::IAM::Policy` resources attached by
 * `Ref`, naming the key by `Fn::GetAtt` or `Fn::ImportValue`. Synthesized here by aws-cdk-lib.
 */
import { before, after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as cdk from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Finding } from '../../../server/src/core/findings';
import { hoverAt } from '../../../server/src/core/features/hover';
import { LineIndex } from '../../../server/src/core/positions';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { A, HANDSHAKE_IDS } from './workspaceFixture';

const DATA = 'cdk.out/DataStack.template.json';
const CONSUMER = 'cdk.out/ConsumerStack.template.json';
const KEYS = 'cdk.out/KeyStack.template.json';
const ROLES = 'cdk.out/RoleStack.template.json';

/** Key administration only: what IAM policies of the account may grant on StrictKey. */
const ADMIN = ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'];

let dir: string;
let ws: Workspace;
const files: Record<string, string> = {};

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-cdk-roles-'));
  const app = new cdk.App({ outdir: path.join(dir, 'cdk.out'), builtinCloudFormationValidation: false, context: { 'aws:cdk:enable-path-metadata': true } });
  const env = { account: A, region: 'us-east-1' };
  // DataKey: the default key policy, plus the role by GetAtt; StrictKey: IAM may grant key administration only, the role kms:Decrypt.
  const data = new cdk.Stack(app, 'DataStack', { env });
  const role = new iam.Role(data, 'AppRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const dataKey = new kms.Key(data, 'DataKey');
  dataKey.addToResourcePolicy(new iam.PolicyStatement({ principals: [role], actions: ['kms:Decrypt', 'kms:Encrypt'], resources: ['*'] }));
  dataKey.grantDecrypt(role);
  const strict = new kms.Key(data, 'StrictKey', {
    policy: new iam.PolicyDocument({ statements: [
      new iam.PolicyStatement({ principals: [new iam.AccountRootPrincipal()], actions: ADMIN, resources: ['*'] }),
      new iam.PolicyStatement({ principals: [role], actions: ['kms:Decrypt'], resources: ['*'] }),
    ] }),
  });
  // CDK puts these grants in the roles' policies only, trusting the key policy to let IAM grant them.
  strict.grantEncryptDecrypt(role);
  const consumer = new cdk.Stack(app, 'ConsumerStack', { env });
  strict.grantEncrypt(new iam.Role(consumer, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
  // A key trusting a role another stack exports.
  const roles = new cdk.Stack(app, 'RoleStack', { env });
  const worker = new iam.Role(roles, 'WorkerRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  worker.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::reports/*'] }));
  const keys = new cdk.Stack(app, 'KeyStack', { env });
  new kms.Key(keys, 'SharedKey').addToResourcePolicy(new iam.PolicyStatement({ principals: [worker], actions: ['kms:Decrypt'], resources: ['*'] }));
  app.synth();
  for (const name of fs.readdirSync(path.join(dir, 'cdk.out'))) {
    if (name.endsWith('.json')) files[`cdk.out/${name}`] = fs.readFileSync(path.join(dir, 'cdk.out', name), 'utf8');
  }
  ws = new Workspace();
  ws.updateFiles(Object.entries(files).map(([p, text]) => ({ path: p, text })));
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** `line:column-line:column` (1-based) of a span of a file. */
function place(file: string, span: { offset: number; length: number }): string {
  const idx = new LineIndex(files[file]);
  const s = idx.position(span.offset);
  const e = idx.position(span.offset + span.length);
  return `${s.line + 1}:${s.character + 1}-${e.line + 1}:${e.character + 1}`;
}

/** The span of the first `needle` after `after` in a file. */
function spanOf(file: string, needle: string, afterText: string): { offset: number; length: number } {
  const from = files[file].indexOf(afterText);
  assert.ok(from >= 0, `${afterText} in ${file}`);
  const offset = files[file].indexOf(needle, from);
  assert.ok(offset >= 0, `${needle} in ${file}`);
  return { offset, length: needle.length };
}

const handshake = (file: string): Finding[] => ws.findings(file).filter((f) => HANDSHAKE_IDS.includes(f.checkId) || f.checkId === 'internal-error');

test('the role\'s grant of more than StrictKey\'s policy allows it (by GetAtt): iam-grant-exceeds-key-policy on each such entry', () => {
  // AppRole's second statement: kms:Decrypt (the key policy names the role for it) and three entries nothing allows.
  const grant = '"DataKey17AFBB84",\n         "Arn"\n        ]\n       }\n      },\n      {';
  const found = handshake(DATA).map((f) => `${f.checkId} ${place(DATA, f.span)}`).sort();
  assert.deepEqual(found, ['"kms:Encrypt"', '"kms:ReEncrypt*"', '"kms:GenerateDataKey*"'].map((e) => `iam-grant-exceeds-key-policy ${place(DATA, spanOf(DATA, e, grant))}`).sort());
  const encrypt = handshake(DATA).find((f) => f.span.offset === spanOf(DATA, '"kms:Encrypt"', grant).offset)!;
  assert.equal(encrypt.message, 'kms:Encrypt has no effect on the key: remove it, or allow it in the key policy. '
    + 'The key policy of a key of 111122223333 in us-east-1 (cdk.out/DataStack.template.json) allows role AppRoleDC883459 (DataStack/AppRole) '
    + '(name generated at deployment, through AppRoleDefaultPolicy1872B475) only kms:CancelKeyDeletion, kms:CreateAlias, kms:CreateCustomKeyStore, '
    + 'kms:CreateGrant, kms:CreateKey, kms:Decrypt and 28 more.');
  // Never an ARN made up from the logical id.
  assert.doesNotMatch(encrypt.message, /:role\//);
  // On the two statements of StrictKey's policy, where they start: the account principal's, and the role's.
  const start = (span: { offset: number; length: number }) => place(DATA, { offset: span.offset, length: 0 }).split('-')[0];
  const strictKey = '"StrictKeyF1BA47C8": {\n   "Type": "AWS::KMS::Key"';
  assert.deepEqual(encrypt.related?.map((r) => [r.file, start(r.span), r.message]), [
    [DATA, start(spanOf(DATA, '{\n       "Action": [\n        "kms:Create*"', strictKey)), 'Key policy statement trusting account 111122223333'],
    [DATA, start(spanOf(DATA, '{\n       "Action": "kms:Decrypt"', strictKey)), 'Key policy statement trusting role AppRoleDC883459 (DataStack/AppRole) (name generated at deployment, through AppRoleDefaultPolicy1872B475)'],
  ]);
});

test('a role of another stack granted StrictKey by Fn::ImportValue: iam-grant-without-key-trust, naming the role by its logical id', () => {
  const [f, ...more] = handshake(CONSUMER);
  assert.deepEqual(more, []);
  assert.equal(f.checkId, 'iam-grant-without-key-trust');
  assert.equal(files[CONSUMER].slice(f.span.offset, f.span.offset + f.span.length), '{\n        "Fn::ImportValue": "DataStack:ExportsOutputFnGetAttStrictKeyF1BA47C8ArnFFD91007"\n       }');
  assert.equal(place(CONSUMER, f.span), place(CONSUMER, spanOf(CONSUMER, `{\n        "Fn::ImportValue": "DataStack:ExportsOutputFnGetAttStrictKeyF1BA47C8ArnFFD91007"\n       }`, '"Resource"')));
  assert.equal(f.message, 'IAM policies cannot grant role Writer3ED51D24 this key: allow the account principal in the key policy or name it there. '
    + 'The key policy of a key of 111122223333 in us-east-1 (cdk.out/DataStack.template.json) allows no IAM policy of account 111122223333 to grant '
    + 'kms:Encrypt, kms:GenerateDataKey, kms:GenerateDataKeyPair, kms:GenerateDataKeyPairWithoutPlaintext, kms:GenerateDataKeyWithoutPlaintext, kms:ReEncryptFrom, kms:ReEncryptTo; '
    + 'add the account principal (arn:aws:iam::111122223333:root) or name role Writer3ED51D24 (ConsumerStack/Writer) (name generated at deployment, through WriterDefaultPolicyDC585BCE) there. '
    + 'The grant has no effect.');
});

test('keys that name the role by GetAtt or ImportValue, and grants they allow: no handshake finding', () => {
  for (const file of [KEYS, ROLES]) assert.deepEqual(handshake(file).map((f) => `${file} ${f.checkId}: ${f.message}`), []);
  // DataKey's policy and AppRole's grant on it.
  const dataKey = files[DATA].indexOf('"DataKey17AFBB84": {\n   "Type"');
  assert.deepEqual(ws.findings(DATA).filter((f) => f.span.offset >= dataKey && f.span.offset < files[DATA].indexOf('"StrictKeyF1BA47C8": {\n   "Type"')), []);
});

test('hover on a GetAtt principal: the role by its logical id and construct path, what it is allowed and granted', () => {
  const at = spanOf(DATA, '"AppRoleDC883459"', '"kms:CancelKeyDeletion"\n       ],\n       "Effect"');
  const h = hoverAt(ws, DATA, at.offset + 3);
  assert.equal(h?.markdown, '**IAM role** `AppRoleDC883459 (DataStack/AppRole)` of this template, in account `111122223333`: its name is generated at deployment.\n\n'
    + 'This statement allows it kms:Decrypt: the key policy alone gives it access.\n\n'
    + 'Its IAM policies grant it on this key: kms:Decrypt, kms:Encrypt, kms:GenerateDataKey, kms:GenerateDataKeyPair, kms:GenerateDataKeyPairWithoutPlaintext, '
    + 'kms:GenerateDataKeyWithoutPlaintext, kms:ReEncryptFrom, kms:ReEncryptTo — AppRoleDefaultPolicy1872B475 at cdk.out/DataStack.template.json:38. '
    + 'No effect: kms:Encrypt, kms:GenerateDataKey, kms:GenerateDataKeyPair, kms:GenerateDataKeyPairWithoutPlaintext, kms:GenerateDataKeyWithoutPlaintext, kms:ReEncryptFrom and 1 more '
    + '(the key policy allows them neither to it nor to IAM policies of its account).');
  // The hover covers the whole Fn::GetAtt.
  assert.equal(files[DATA].slice(h!.span.offset, h!.span.offset + h!.span.length).replace(/\s+/g, ''), '{"Fn::GetAtt":["AppRoleDC883459","Arn"]}');
});

test('hover on an ImportValue principal: the role the other stack exports, found by its export', () => {
  const at = spanOf(KEYS, '"RoleStack:ExportsOutputFnGetAttWorkerRole8DD27D41Arn418935BA"', '"Fn::ImportValue"');
  const h = hoverAt(ws, KEYS, at.offset + 3);
  assert.equal(h?.markdown, '**IAM role** `WorkerRole8DD27D41 (RoleStack/WorkerRole)` of cdk.out/RoleStack.template.json, '
    + 'exported as `RoleStack:ExportsOutputFnGetAttWorkerRole8DD27D41Arn418935BA`, in account `111122223333`: its name is generated at deployment.\n\n'
    + 'This statement allows it kms:Decrypt: the key policy alone gives it access.\n\n'
    + 'Its IAM policies in the workspace grant nothing on this key.');
});
