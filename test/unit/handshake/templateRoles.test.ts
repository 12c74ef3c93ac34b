/**
 * Roles of a CloudFormation template whose names are generated at deployment (no `RoleName`):
 * a key policy names them by `!GetAtt Role.Arn`, their grants name the key by
 * `!GetAtt Key.Arn` in an `AWS::IAM::Policy` attached by `!Ref Role`. The handshake reads both
 * as the template's own role and key, never as unknown values, and never makes up an ARN.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { hoverAt } from '../../../server/src/core/features/hover';
import { LineIndex } from '../../../server/src/core/positions';
import { A, HANDSHAKE_IDS, expectWorkspace, single } from './workspaceFixture';

const M = '/ws/policy-handshake.json';
const T = '/ws/stacks/data.yaml';
const manifest = JSON.stringify({ accounts: { [A]: { name: 'security' } }, templates: [{ files: 'stacks/*.yaml', account: A, region: 'us-east-1' }] });

/** Key administration only: what the account's IAM policies may grant (no use of the key). */
const ADMIN_ACTIONS = '[kms:Create*, kms:Describe*, kms:Enable*, kms:List*, kms:Put*, kms:Update*, kms:Revoke*, kms:Disable*, kms:Get*, kms:Delete*, kms:ScheduleKeyDeletion, kms:CancelKeyDeletion]';

/**
 * A template of a role without `RoleName` (`AppRole`), its policy `AppRolePolicy` (attached by
 * `!Ref AppRole`, granting `grantActions` on `!GetAtt DataKey.Arn`), and the key `DataKey`
 * whose policy lets IAM policies of the account grant key administration only, then `more`
 * statements (written from column 0).
 */
function template(grantActions: string, more = ''): string {
  return `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
  AppRolePolicy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: app
      Roles: [!Ref AppRole]
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Sid: UseKey
            Effect: Allow
            Action: ${grantActions}
            Resource: !GetAtt DataKey.Arn
  DataKey:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Sid: Admin
            Effect: Allow
            Principal: {AWS: !Sub 'arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root'}
            Action: ${ADMIN_ACTIONS}
            Resource: '*'
${more.replace(/^(?=.)/gm, '          ')}`;
}

const APP_STATEMENT = (actions: string) => `- Sid: App
  Effect: Allow
  Principal: {AWS: !GetAtt AppRole.Arn}
  Action: ${actions}
  Resource: '*'
`;

test('a key policy naming the template\'s role by GetAtt: the role\'s grant of more is iam-grant-exceeds-key-policy', () => {
  const s = expectWorkspace({
    [M]: manifest,
    [T]: template('[kms:Decrypt, «iam-grant-exceeds-key-policy:kms:Encrypt»]', APP_STATEMENT('kms:Decrypt')),
  });
  const f = single(s.ws, T, 'iam-grant-exceeds-key-policy');
  const at = new LineIndex(s.texts[T]).position(f.span.offset);
  assert.deepEqual([at.line, at.character, f.span.length], [21, 34, 11]);
  assert.equal(f.message, 'kms:Encrypt has no effect on the key: remove it, or allow it in the key policy. '
    + 'The key policy of a key of 111122223333 in us-east-1 (stacks/data.yaml) allows role AppRole (name generated at deployment, through AppRolePolicy) '
    + 'only kms:CancelKeyDeletion, kms:CreateAlias, kms:CreateCustomKeyStore, kms:CreateGrant, kms:CreateKey, kms:Decrypt and 28 more.');
});

test('a key policy naming the role for every action it is granted, by GetAtt: no finding on either side', () => {
  expectWorkspace({ [M]: manifest, [T]: template('[kms:Decrypt, kms:Encrypt]', APP_STATEMENT('[kms:Decrypt, kms:Encrypt]')) });
});

test('a key policy naming neither the role nor the account for kms:Decrypt: the role\'s grant is iam-grant-without-key-trust', () => {
  const s = expectWorkspace({
    [M]: manifest,
    [T]: template('kms:Decrypt').replace('Resource: !GetAtt DataKey.Arn', 'Resource: «iam-grant-without-key-trust:!GetAtt DataKey.Arn»'),
  });
  const f = single(s.ws, T, 'iam-grant-without-key-trust');
  assert.equal(f.message.split('. ')[0], 'IAM policies cannot grant role AppRole this key: allow the account principal in the key policy or name it there');
  assert.match(f.message, /name role AppRole \(name generated at deployment, through AppRolePolicy\) there\. The grant has no effect\.$/);
  // Never an ARN made up from the logical id.
  assert.doesNotMatch(f.message, /role\/AppRole/);
});

test('another role of the template is not the one the key policy names', () => {
  // The key policy names OtherRole; AppRole's grant of kms:Decrypt gets nothing from that.
  const other = `  OtherRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
`;
  const text = template('kms:Decrypt', APP_STATEMENT('kms:Decrypt').replace('AppRole.Arn', 'OtherRole.Arn'))
    .replace('Resource: !GetAtt DataKey.Arn', 'Resource: «iam-grant-without-key-trust:!GetAtt DataKey.Arn»')
    .replace('  AppRolePolicy:\n', `${other}  AppRolePolicy:\n`);
  expectWorkspace({ [M]: manifest, [T]: text }, { only: HANDSHAKE_IDS });
});

test('hover on the GetAtt principal: the template\'s role by its logical id, what the statement allows it and what its policies grant', () => {
  const s = expectWorkspace({ [M]: manifest, [T]: template('[kms:Decrypt, kms:Encrypt]', APP_STATEMENT('[kms:Decrypt, kms:Encrypt]')) });
  const text = s.texts[T];
  const h = hoverAt(s.ws, T, text.indexOf('AppRole.Arn') + 2);
  assert.equal(h?.markdown, '**IAM role** `AppRole` of this template, in account `111122223333` (security): its name is generated at deployment.\n\n'
    + 'This statement allows it kms:Decrypt, kms:Encrypt: the key policy alone gives it access.\n\n'
    + 'Its IAM policies grant it on this key: kms:Decrypt, kms:Encrypt — AppRolePolicy at stacks/data.yaml:20.');
  // The hover spans the GetAtt, tag and value.
  assert.equal(text.slice(h!.span.offset, h!.span.offset + h!.span.length), '!GetAtt AppRole.Arn');
});

test('a SAM function\'s role, named by GetAtt of <Function>Role: the role SAM creates, and its policy template\'s grant', () => {
  const sam = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Reader:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - KMSDecryptPolicy:
            KeyId: !Ref DataKey
  DataKey:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Sid: Reader
            Effect: Allow
            Principal: {AWS: !GetAtt ReaderRole.Arn}
            Action: kms:Decrypt
            Resource: '*'
`;
  const s = expectWorkspace({ [M]: manifest, [T]: sam });
  const h = hoverAt(s.ws, T, sam.indexOf('ReaderRole.Arn') + 2);
  assert.equal(h?.markdown, '**IAM role** `ReaderRole` of this template, in account `111122223333` (security): its name is generated at deployment.\n\n'
    + 'This statement allows it kms:Decrypt: the key policy alone gives it access.\n\n'
    + 'Its IAM policies grant it on this key: kms:Decrypt — the SAM policy template KMSDecryptPolicy at stacks/data.yaml:11.');
});

test('a template being edited: the role whose RoleName is removed is a role whose name is generated, not the ARN the key policy had', () => {
  const J = '/ws/stacks/data.json';
  const json = (roleProps: string) => `{
  "Resources": {
    "AppRole": { "Type": "AWS::IAM::Role", "Properties": { ${roleProps}"AssumeRolePolicyDocument": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Principal": { "Service": "lambda.amazonaws.com" }, "Action": "sts:AssumeRole" }] } } },
    "DataKey": { "Type": "AWS::KMS::Key", "Properties": { "KeyPolicy": { "Version": "2012-10-17", "Statement": [
      { "Sid": "App", "Effect": "Allow", "Principal": { "AWS": { "Fn::GetAtt": ["AppRole", "Arn"] } }, "Action": "kms:Decrypt", "Resource": "*" }
    ] } } }
  }
}`;
  const named = json('"RoleName": "app-role", ');
  const s = expectWorkspace({ [M]: JSON.stringify({ templates: [{ files: 'stacks/*.json', account: A, region: 'us-east-1' }] }), [J]: named });
  s.ws.updateFile(J, named, true);
  // Named: the role's ARN, not a role whose name is generated (whose hover is not shown).
  assert.equal(hoverAt(s.ws, J, named.indexOf('"AppRole", "Arn"') + 2), undefined);
  const unnamed = json('');
  s.ws.updateFile(J, unnamed, true);
  assert.match(hoverAt(s.ws, J, unnamed.indexOf('"AppRole", "Arn"') + 2)?.markdown ?? '', /^\*\*IAM role\*\* `AppRole` of this template, in account `111122223333`: its name is generated at deployment\./);
});
