/** SAM functions in YAML (and JSON) templates: inline policy documents of `Policies` are identity policies of the function's role. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/engine';
import { discover } from '../../../server/src/core/sources/discover';
import { expectFindings } from '../../support/fixture';
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
- NoSuchPolicyTemplate: {KeyId: x}`).replace('Resources:\n', `Resources:
  AppKey:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub 'arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root'}
            Action: kms:*
            Resource: '*'
`);

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
