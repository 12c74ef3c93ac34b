/**
 * SAM functions in YAML (and JSON) templates: inline policy documents of `Policies` are identity
 * policies of the function's role; KMS policy templates are the grants they expand to, and a key
 * ARN given as their KeyId is flagged.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/engine';
import { discover } from '../../../server/src/core/sources/discover';
import { applyEdits, expectFindings, parseMarkers } from '../../support/fixture';
import { yamlKeyResource, yamlRoleTemplate } from '../../support/cfnYaml';
import { defaultCatalog } from '../../../server/src/core/catalog/catalog';
import { grantNamesKey, readIdentityGrants } from '../../../server/src/core/handshake/identityGrants';
import { keyOf } from '../../../server/src/core/handshake/keyIdentity';
import { Workspace } from '../../../server/src/core/workspace/workspace';

const sam = (policies: string, extra = '') => `Transform: AWS::Serverless-2016-10-31
Resources:
  Reader:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler${extra}
      Policies:
${policies.replace(/^/gm, '        ')}
`;

test('an inline document and a policy name in Policies: the document is an identity policy of ReaderRole, checked', () => {
  const text = sam(`- AWSLambdaBasicExecutionRole
- Statement:
    - Effect: Allow
      Action: kms:«unknown-action:Decrpyt»
      Resource: !GetAtt Key.Arn`);
  expectFindings(text, { file: 'template.yaml', only: ['unknown-action', 'yaml-syntax', 'schema'] });
  const docs = discover('template.yaml', text.replace(/[«»]|unknown-action:/g, '')).documents;
  assert.deepEqual(docs.map((d) => [d.kind, d.owner.label, d.isInlinePolicy]), [['iam-identity-policy', 'ReaderRole', true]]);
});

test('a single document as Policies, in a JSON template too', () => {
  const json = JSON.stringify({ Transform: 'AWS::Serverless-2016-10-31', Resources: { F: { Type: 'AWS::Serverless::StateMachine', Properties: { Policies: { Statement: [{ Effect: 'Allow', Action: 'kms:Decrpyt', Resource: '*' }] } } } } });
  assert.deepEqual(checkText('t.json', json).findings.filter((f) => f.checkId === 'unknown-action').map((f) => json.slice(f.span.offset, f.span.offset + f.span.length)), ['Decrpyt']);
});

test('with Role set, SAM ignores Policies: nothing is read', () => {
  const text = sam(`- Statement:
    - Effect: Allow
      Action: kms:Decrpyt
      Resource: '*'`, '\n      Role: !GetAtt OtherRole.Arn');
  assert.deepEqual(discover('template.yaml', text).documents, []);
});

// SAM policy templates that grant KMS actions (the definitions of samtranslator's policy_templates.json).

const withTemplates = sam(`- AWSLambdaBasicExecutionRole
- NoSuchManagedPolicyName
- KMSDecryptPolicy:
    KeyId: !Ref AppKey
- KMSEncryptPolicy: {KeyId: 1234abcd-12ab-34cd-56ef-1234567890ab}
- KMSEncryptPolicy_v2:
    KeyId: !Ref KeyIdParameter
- DynamoDBCrudPolicy:
    TableName: !Ref Table
- NoSuchPolicyTemplate: {KeyId: x}`).replace('Resources:\n', `Resources:\n${yamlKeyResource('', 'AppKey')}`);

const bound = { owner: { account: '444455556666', region: 'eu-west-1' }, template: { account: '444455556666', region: 'eu-west-1', partition: 'aws', parameters: { KeyIdParameter: 'mrk-0123456789abcdef0123456789abcdef' } } };

test('KMS policy templates are identity policies of the function role: the actions of their definition on a key of the own account', () => {
  const docs = discover('template.yaml', withTemplates, bound).documents.filter((d) => d.kind === 'iam-identity-policy');
  assert.deepEqual(docs.map((d) => [d.owner.label, d.expandedFrom, withTemplates.slice(d.root.offset, d.root.offset + d.root.length)]), [
    ['ReaderRole', 'the SAM policy template KMSDecryptPolicy', 'KMSDecryptPolicy:\n            KeyId: !Ref AppKey'],
    ['ReaderRole', 'the SAM policy template KMSEncryptPolicy', 'KMSEncryptPolicy: {KeyId: 1234abcd-12ab-34cd-56ef-1234567890ab}'],
    ['ReaderRole', 'the SAM policy template KMSEncryptPolicy_v2', 'KMSEncryptPolicy_v2:\n            KeyId: !Ref KeyIdParameter'],
  ]);
  const grants = docs.map((d) => readIdentityGrants(d, defaultCatalog(), bound.template)[0]);
  assert.deepEqual(grants.map((g) => [g.effect, [...g.actions.actions].sort(), g.resources.map((r) => r.value ?? `(unknown: ${r.keyRef})`)]), [
    ['Allow', ['decrypt'], ['(unknown: template.yaml#AppKey)']],
    ['Allow', ['encrypt'], ['arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab']],
    ['Allow', ['encrypt', 'generatedatakey', 'generatedatakeypair', 'generatedatakeypairwithoutplaintext', 'generatedatakeywithoutplaintext'],
      ['arn:aws:kms:eu-west-1:444455556666:key/mrk-0123456789abcdef0123456789abcdef']],
  ]);
  // `!Ref AppKey` is the id of the template's key: the grant names that key.
  const key = keyOf(discover('template.yaml', withTemplates, bound).documents.find((d) => d.kind === 'kms-key-policy')!)!;
  assert.equal(grantNamesKey(grants[0], key).certainty, 'yes');
  assert.equal(grantNamesKey(grants[0], { ...key, refs: ['template.yaml#OtherKey'] }).certainty, 'no');
});

test('in a JSON template alike; managed policy names and other or unknown templates give nothing and no finding', () => {
  const json = JSON.stringify({
    Transform: 'AWS::Serverless-2016-10-31',
    Resources: { F: { Type: 'AWS::Serverless::Function', Properties: { Policies: ['AWSLambdaBasicExecutionRole', 'NoSuchManagedPolicyName', { KMSDecryptPolicy: { KeyId: { Ref: 'KeyId' } } }, { SQSPollerPolicy: { QueueName: 'q' } }, { NoSuchPolicyTemplate: {} }] } } },
  }, null, 2);
  const docs = discover('t.json', json).documents;
  assert.deepEqual(docs.map((d) => [d.owner.label, d.expandedFrom]), [['FRole', 'the SAM policy template KMSDecryptPolicy']]);
  assert.deepEqual(readIdentityGrants(docs[0], defaultCatalog(), undefined).map((g) => [...g.actions.actions]), [['decrypt']]);
  assert.deepEqual(checkText('t.json', json).findings.map((f) => f.checkId), []);
  // Nothing is reported on an expanded template (no Version, no Sid: SAM writes none), in YAML neither.
  assert.deepEqual(checkText('template.yaml', withTemplates).findings.map((f) => `${f.checkId}: ${f.message}`), []);
});

test('the handshake: a SAM function granted only keys of its own account describes the account, so the other account\'s key is not granted', () => {
  const keyTemplate = JSON.stringify({
    Resources: { SharedKey: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'kms:Decrypt', Resource: '*' },
    ] } } } },
  }, null, 2);
  const manifest = JSON.stringify({ templates: [{ files: 'security/*.json', account: '111122223333', region: 'eu-west-1' }, { files: 'workloads/*.yaml', account: '444455556666', region: 'eu-west-1' }] });
  const ws = new Workspace();
  ws.updateFiles([{ path: 'policy-handshake.json', text: manifest }, { path: 'security/key.json', text: keyTemplate }, { path: 'workloads/template.yaml', text: withTemplates }]);
  const ids = (ws.findings('security/key.json')).filter((f) => f.checkId.startsWith('root-principal') || f.checkId === 'external-account-undescribed');
  assert.deepEqual(ids.map((f) => f.checkId), ['root-principal-without-grant']);
  assert.match(ids[0].message, /searched 0 known principals and 3 identity policies in 1 file/);
  // Without the templates, the function has no IAM data for account B.
  ws.updateFile('workloads/template.yaml', withTemplates.replace(/- KMS\w+:\n.*\n|- KMS\w+: \{.*\}\n/g, ''));
  assert.deepEqual(ws.findings('security/key.json').filter((f) => f.checkId.startsWith('root-principal') || f.checkId === 'external-account-undescribed').map((f) => f.checkId), ['external-account-undescribed']);
});

// SAM writes KeyId into arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${keyId}: a full ARN there breaks it.

const KEY_ARN = 'arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab';

test('a KMS policy template given a key ARN as KeyId: invalid-arn on the KeyId value; the fix leaves the key id and the template checks clean', () => {
  for (const [written, fixedAs] of [
    // A plain scalar that starts with a digit is written quoted (YAML could read some such as numbers).
    [`KMSDecryptPolicy: {KeyId: «invalid-arn:${KEY_ARN}»}`, "KMSDecryptPolicy: {KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab'}"],
    [`KMSEncryptPolicy:\n    KeyId: «invalid-arn:'${KEY_ARN}'»`, "KMSEncryptPolicy:\n    KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab'"],
    ['KMSEncryptPolicy_v2:\n    KeyId: «invalid-arn:!GetAtt AppKey.Arn»', 'KMSEncryptPolicy_v2:\n    KeyId: !Ref AppKey'],
  ]) {
    const marked = withTemplates.replace('KMSDecryptPolicy:\n            KeyId: !Ref AppKey', written.replace(/\n/g, '\n        '));
    assert.notEqual(marked, withTemplates);
    const r = expectFindings(marked, { file: 'template.yaml', only: ['invalid-arn', 'yaml-syntax', 'schema'] });
    const f = r.findings.find((x) => x.checkId === 'invalid-arn')!;
    assert.match(f.message, /^The SAM policy template KMS\w+ writes its KeyId into "arn:\$\{AWS::Partition\}:kms:\$\{AWS::Region\}:\$\{AWS::AccountId\}:key\/\$\{KeyId\}": it takes a key id, and .* makes ".*key\/(arn:aws:kms:eu-west-1:444455556666:key\/1234abcd|<ARN of AppKey>).*", which names no key\. Give the key id only\.$/);
    const { text } = parseMarkers(marked);
    const fixed = applyEdits(text, f.fixes![0].changes[0].edits);
    assert.equal(fixed, text.replace(written.replace(/[«»]|invalid-arn:/g, '').replace(/\n/g, '\n        '), fixedAs.replace(/\n/g, '\n        ')));
    assert.deepEqual(checkText('template.yaml', fixed).findings.map((f) => f.checkId), []);
  }
});

test('a KMS policy template\'s KeyId as a key ARN in a JSON template, and a key ARN built by !Sub: flagged; a key id or !Ref: not', () => {
  const json = (keyId: unknown) => JSON.stringify({ Transform: 'AWS::Serverless-2016-10-31', Resources: { F: { Type: 'AWS::Serverless::Function', Properties: { Policies: [{ KMSDecryptPolicy: { KeyId: keyId } }] } } } }, null, 2);
  const text = json(KEY_ARN);
  const r = checkText('t.json', text);
  assert.deepEqual(r.findings.map((f) => [f.checkId, text.slice(f.span.offset, f.span.offset + f.span.length)]), [['invalid-arn', JSON.stringify(KEY_ARN)]]);
  assert.equal(applyEdits(text, r.findings[0].fixes![0].changes[0].edits), json('1234abcd-12ab-34cd-56ef-1234567890ab'));
  // An ARN built by Fn::Sub: flagged, no certain fix.
  const sub = checkText('t.json', json({ 'Fn::Sub': 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${KeyIdParam}' })).findings;
  assert.deepEqual(sub.map((f) => [f.checkId, f.fixes]), [['invalid-arn', undefined]]);
  // An alias ARN: flagged, nothing to leave.
  assert.deepEqual(checkText('t.json', json('arn:aws:kms:eu-west-1:444455556666:alias/app')).findings.map((f) => [f.checkId, f.fixes]), [['invalid-arn', undefined]]);
  for (const ok of ['1234abcd-12ab-34cd-56ef-1234567890ab', { Ref: 'Key' }, { 'Fn::ImportValue': 'KeyId' }]) assert.deepEqual(checkText('t.json', json(ok)).findings, [], JSON.stringify(ok));
});

test('the same mistake written out: !Sub [\'arn:…:key/${Id}\', {Id: <key ARN>}] in a Resource is invalid-arn on the value', () => {
  const text = yamlRoleTemplate(`- Effect: Allow
  Action: kms:Decrypt
  Resource: !Sub ['arn:\${AWS::Partition}:kms:\${AWS::Region}:\${AWS::AccountId}:key/\${Id}', {Id: «invalid-arn:${KEY_ARN}»}]`);
  const r = expectFindings(text, { file: 'role.yaml', only: ['invalid-arn'] });
  assert.match(r.findings[0].message, /^\$\{Id\} is written inside the ARN "arn:\$\{AWS::Partition\}:kms:\$\{AWS::Region\}:\$\{AWS::AccountId\}:key\/\$\{Id\}", and its value "arn:aws:kms:.*" is an ARN itself/);
  assert.equal(r.findings[0].fixes![0].title, 'Replace with the key id 1234abcd-12ab-34cd-56ef-1234567890ab');
});

test('a KMS policy template given the ARN of a key of another account or Region than the stack\'s: advice for an inline statement, no fix; the stack\'s own key keeps the fix', () => {
  const template = (arn: string) => sam(`- KMSEncryptPolicy:\n    KeyId: «invalid-arn:${arn}»`);
  const stack = (account: string, region: string) => ({ binding: { template: { account, region, partition: 'aws' } }, file: 'template.yaml', only: ['invalid-arn'] });
  const lead = 'The SAM policy template KMSEncryptPolicy cannot name a key of';
  for (const [account, region, where, stackWhere] of [
    ['111122223333', 'eu-west-1', 'account 444455556666', 'account (111122223333)'],
    ['444455556666', 'us-west-2', 'Region eu-west-1', 'Region (us-west-2)'],
    ['111122223333', 'us-east-1', 'account 444455556666 in eu-west-1', 'account and Region (111122223333, us-east-1)'],
  ]) {
    const [f] = expectFindings(template(KEY_ARN), stack(account, region)).findings;
    assert.equal(f.message, `${lead} ${where}: grant "${KEY_ARN}" in an inline policy statement instead. It builds the key's ARN "arn:\${AWS::Partition}:kms:\${AWS::Region}:\${AWS::AccountId}:key/\${KeyId}" in the stack's own ${stackWhere}: the ARN as KeyId makes "…:key/${KEY_ARN}", which names no key, and the key id alone would name another key, of the stack's.`);
    assert.equal(f.fixes, undefined);
  }
  // The stack's own key (or a stack whose account and Region are not known): the key id is the fix.
  for (const options of [stack('444455556666', 'eu-west-1'), { file: 'template.yaml', only: ['invalid-arn'] }]) {
    const [f] = expectFindings(template(KEY_ARN), options).findings;
    assert.match(f.message, /which names no key\. Give the key id only\.$/);
    assert.deepEqual(f.fixes!.map((x) => x.title), ['Replace with the key id 1234abcd-12ab-34cd-56ef-1234567890ab']);
  }
});
