/**
 * add-iam-grant for a role or user that a template declares and that has no policy the fix can
 * add a statement to: a policy of its own, added to the template in its syntax (Terraform
 * `aws_iam_role_policy` as `terraform fmt` lays it out; a CloudFormation `Policies` item in
 * JSON or in the YAML template's own indentation), the key's ARN named as the template can
 * name it. Each fix is applied and the workspace read again: the grant is found. CDK output
 * is generated and gets no fix.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Finding, Fix } from '../../../server/src/core/findings';
import { LineIndex } from '../../../server/src/core/positions';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { withHclParser } from '../../support/hcl';
import { applyEdits } from '../../support/fixture';
import { templateGrant } from '../../../server/src/core/handshake/templateGrant';
import { A, B, KEY, applyFix } from './workspaceFixture';
import { JSON_KEY, jsonKey } from './cfnKeyTemplate';
import { appKeyTf, ec2Role, twoAccountManifest } from '../terraform/twoAccounts';

withHclParser();

const HANDSHAKE = ['root-principal-without-grant', 'root-principal-broader-than-grants', 'external-principal-without-grant', 'iam-grant-without-key-trust', 'iam-grant-exceeds-key-policy', 'internal-error'];

/** The file's handshake findings as `id L:C-L:C` (1-based). */
function found(ws: Workspace, file: string): string[] {
  const lines = new LineIndex(ws.text(file)!);
  const at = (o: number) => { const p = lines.position(o); return `${p.line + 1}:${p.character + 1}`; };
  return ws.findings(file).filter((f) => HANDSHAKE.includes(f.checkId)).map((f) => `${f.checkId} ${at(f.span.offset)}-${at(f.span.offset + f.span.length)}`).sort();
}

function only(ws: Workspace, file: string, id: string): Finding {
  const list = ws.findings(file).filter((f) => f.checkId === id);
  assert.equal(list.length, 1, `${id} in ${file}: ${ws.findings(file).map((f) => f.checkId).join(', ')}`);
  return list[0];
}

/** The add-iam-grant fixes of a finding as `[title, files]`. */
function grantFixes(f: Finding): [string, string[]][] {
  return (f.fixes ?? []).filter((x) => x.id === 'add-iam-grant').map((x) => [x.title, x.changes.map((c) => c.file ?? '')]);
}

function grantFix(f: Finding): Fix {
  const list = (f.fixes ?? []).filter((x) => x.id === 'add-iam-grant');
  assert.equal(list.length, 1);
  return list[0];
}

// ---- Terraform ----

const KEY_TF = appKeyTf(`{ Sid = "Workloads", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${B}:root" }, Action = ["kms:Decrypt", "kms:Encrypt"], Resource = "*" }`);

const PROFILE = `
resource "aws_iam_instance_profile" "app" {
  name = "app"
  role = aws_iam_role.app.name
}
`;

/** The policy the fix writes for role App, granting the key named by `resource`. */
const appPolicy = (resource: string, sid = 'UseKey1234abcd') => `
resource "aws_iam_role_policy" "app_use_key" {
  name = "${sid}"
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "${sid}"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:Encrypt"]
        Resource = ${resource}
      },
    ]
  })
}
`;

test('Terraform: a role declared without any policy gets an aws_iam_role_policy after its resource; read again, the grant is found', () => {
  const ws = new Workspace();
  ws.updateFile('/w/policy-handshake.json', twoAccountManifest({ keyFile: 'security/key.tf' }));
  ws.updateFile('/w/security/key.tf', KEY_TF);
  ws.updateFile('/w/workloads/main.tf', ec2Role('App') + PROFILE);
  assert.deepEqual(found(ws, '/w/security/key.tf'), ['root-principal-without-grant 7:66-7:98']);
  const f = only(ws, '/w/security/key.tf', 'root-principal-without-grant');
  assert.deepEqual(grantFixes(f), [['Grant 2 key actions to role/App in workloads/main.tf as aws_iam_role_policy.app_use_key', ['/w/workloads/main.tf']]]);
  applyFix(ws, '/w/security/key.tf', grantFix(f));
  assert.equal(ws.text('/w/workloads/main.tf'), `${ec2Role('App').slice(0, -1)}\n${appPolicy(`"${KEY}"`)}${PROFILE}`);
  assert.deepEqual(found(ws, '/w/workloads/main.tf'), []);
  assert.deepEqual(found(ws, '/w/security/key.tf'), ['root-principal-broader-than-grants 7:66-7:98']);
});

test('Terraform: a key of the same module is named by aws_kms_key.app.arn, which the handshake reads back as that key', () => {
  const ws = new Workspace();
  ws.updateFile('/w/policy-handshake.json', JSON.stringify({
    accounts: { [A]: { name: 'security' }, [B]: { name: 'workloads' } },
    templates: [
      { files: 'infra/key.tf', account: A, region: 'us-west-2' },
      { files: 'infra/roles.tf', account: B, region: 'us-west-2' },
    ],
  }));
  ws.updateFile('/w/infra/key.tf', KEY_TF);
  ws.updateFile('/w/infra/roles.tf', ec2Role('App'));
  const f = only(ws, '/w/infra/key.tf', 'root-principal-without-grant');
  assert.deepEqual(grantFixes(f), [['Grant 2 key actions to role/App in infra/roles.tf as aws_iam_role_policy.app_use_key', ['/w/infra/roles.tf']]]);
  applyFix(ws, '/w/infra/key.tf', grantFix(f));
  assert.equal(ws.text('/w/infra/roles.tf'), `${ec2Role('App').slice(0, -1)}\n${appPolicy('aws_kms_key.app.arn', 'UseKeyApp')}`);
  assert.deepEqual(found(ws, '/w/infra/roles.tf'), []);
  assert.deepEqual(found(ws, '/w/infra/key.tf'), ['root-principal-broader-than-grants 7:66-7:98']);
  // A certain match: the reference names this key, not "a key of 111122223333".
  assert.match(only(ws, '/w/infra/key.tf', 'root-principal-broader-than-grants').message, /It is role\/App \(kms:Decrypt, kms:Encrypt\)/);
});

// ---- CloudFormation ----

const M = '/ws/policy-handshake.json';
const KEY_PRINCIPAL = '{ "Fn::Sub": "arn:${AWS::Partition}:iam::${WorkloadAccount}:root" }';

const manifest = (roleFiles: string) => JSON.stringify({
  accounts: { [A]: { name: 'security' }, [B]: { name: 'workloads' } },
  keys: [{ policy: 'security/key.template.json', arn: KEY }],
  templates: [
    { files: 'security/*.template.json', account: A, region: 'us-west-2', parameters: { WorkloadAccount: B } },
    { files: roleFiles, account: B, region: 'us-west-2' },
  ],
});

function cfnWorkspace(roleFiles: string, file: string, text: string): Workspace {
  const ws = new Workspace();
  ws.updateFile(M, manifest(roleFiles));
  ws.updateFile(JSON_KEY, jsonKey(KEY_PRINCIPAL));
  ws.updateFile(file, text);
  return ws;
}

const JSON_ROLE = `{
  "Resources": {
    "AppRole": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "RoleName": "App",
        "AssumeRolePolicyDocument": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Principal": { "Service": "lambda.amazonaws.com" }, "Action": "sts:AssumeRole" }] }
      }
    }
  }
}
`;

test('CloudFormation JSON: a role without Policies gets the property, its one item granting the key; read again, the grant is found', () => {
  const role = '/ws/workloads/app.template.json';
  const ws = cfnWorkspace('workloads/*.template.json', role, JSON_ROLE);
  assert.deepEqual(found(ws, JSON_KEY), ['root-principal-without-grant 12:76-12:143']);
  const f = only(ws, JSON_KEY, 'root-principal-without-grant');
  assert.deepEqual(grantFixes(f), [['Grant 2 key actions to role/App in workloads/app.template.json as policy UseKey1234abcd of AppRole', [role]]]);
  applyFix(ws, JSON_KEY, grantFix(f));
  assert.equal(ws.text(role), JSON_ROLE.replace('"sts:AssumeRole" }] }\n', `"sts:AssumeRole" }] },
        "Policies": [
          {
            "PolicyName": "UseKey1234abcd",
            "PolicyDocument": {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "UseKey1234abcd",
                  "Effect": "Allow",
                  "Action": [
                    "kms:Decrypt",
                    "kms:Encrypt"
                  ],
                  "Resource": "${KEY}"
                }
              ]
            }
          }
        ]
`));
  assert.deepEqual(found(ws, role), []);
  assert.deepEqual(found(ws, JSON_KEY), ['root-principal-broader-than-grants 12:76-12:143']);
});

/** Four-space indentation, sequences at their key's column; a policy whose document the handshake cannot read (`!If`). */
const YAML_ROLE = `AWSTemplateFormatVersion: '2010-09-09'
Conditions:
    IsProd: !Equals [!Ref 'AWS::AccountId', '${B}']
Resources:
    AppRole:
        Type: AWS::IAM::Role
        Properties:
            RoleName: App
            AssumeRolePolicyDocument:
                Version: '2012-10-17'
                Statement:
                - Effect: Allow
                  Principal:
                      Service: lambda.amazonaws.com
                  Action: sts:AssumeRole
            Policies:
            - PolicyName: logs
              PolicyDocument: !If [IsProd, {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'logs:*', Resource: '*'}]}, !Ref 'AWS::NoValue']
    # The function's log group.
    Logs:
        Type: AWS::Logs::LogGroup
`;

test('CloudFormation YAML: a new Policies item after the one the handshake cannot read, in the template\'s indentation; read again, the grant is found', () => {
  const role = '/ws/workloads/app.yaml';
  const ws = cfnWorkspace('workloads/*.yaml', role, YAML_ROLE);
  const f = only(ws, JSON_KEY, 'root-principal-without-grant');
  assert.deepEqual(grantFixes(f), [['Grant 2 key actions to role/App in workloads/app.yaml as policy UseKey1234abcd of AppRole', [role]]]);
  applyFix(ws, JSON_KEY, grantFix(f));
  assert.equal(ws.text(role), YAML_ROLE.replace("!Ref 'AWS::NoValue']\n", `!Ref 'AWS::NoValue']
            - PolicyName: UseKey1234abcd
              PolicyDocument:
                  Version: '2012-10-17'
                  Statement:
                  - Sid: UseKey1234abcd
                    Effect: Allow
                    Action:
                    - kms:Decrypt
                    - kms:Encrypt
                    Resource: ${KEY}
`));
  assert.deepEqual(found(ws, role), []);
  assert.deepEqual(found(ws, JSON_KEY), ['root-principal-broader-than-grants 12:76-12:143']);
});

/** A user whose only policy is its group's (shared: the fix never edits it). */
const YAML_USER = `Resources:
  Deployers:
    Type: AWS::IAM::Group
    Properties:
      GroupName: Deployers
      Policies:
        - PolicyName: logs
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: logs:PutLogEvents
                Resource: '*'
  Ci:
    Type: AWS::IAM::User
    Properties:
      UserName: ci
      Groups: [!Ref Deployers]
`;

test('CloudFormation YAML: a user whose only policy is its group\'s gets Policies of its own, sequences indented as the template does', () => {
  const user = '/ws/workloads/ci.yaml';
  const ws = cfnWorkspace('workloads/*.yaml', user, YAML_USER);
  const f = only(ws, JSON_KEY, 'root-principal-without-grant');
  assert.deepEqual(grantFixes(f), [['Grant 2 key actions to user/ci in workloads/ci.yaml as policy UseKey1234abcd of Ci', [user]]]);
  applyFix(ws, JSON_KEY, grantFix(f));
  assert.equal(ws.text(user), `${YAML_USER}      Policies:
        - PolicyName: UseKey1234abcd
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Sid: UseKey1234abcd
                Effect: Allow
                Action:
                  - kms:Decrypt
                  - kms:Encrypt
                Resource: ${KEY}
`);
  assert.deepEqual(found(ws, user), []);
  assert.deepEqual(found(ws, JSON_KEY), ['root-principal-broader-than-grants 12:76-12:143']);
});

test('CloudFormation: a key of the same template is named by !GetAtt in YAML, Fn::GetAtt in JSON; an empty Policies list takes the item', () => {
  // The checks offer the fix for principals of other accounts, and a template deploys into one:
  // the edit is asked for directly, for a role and a key of one template.
  const yaml = `Resources:
  AppKey:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Sid: Own
            Effect: Allow
            Principal: {AWS: !Sub 'arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root'}
            Action: kms:*
            Resource: '*'
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: App
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
`;
  const edited = (file: string, text: string) => {
    const ws = new Workspace();
    ws.updateFile(M, JSON.stringify({ templates: [{ files: 'workloads/*', account: B, region: 'us-west-2' }] }));
    ws.updateFile(file, text);
    const keyDoc = ws.discovered(file)!.documents.find((d) => d.kind === 'kms-key-policy')!;
    const statement = { Sid: 'UseKeyAppKey', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: undefined };
    const grant = templateGrant(ws.principalTemplate(`arn:aws:iam::${B}:role/App`)!, text, keyDoc, statement)!;
    assert.equal(grant.place, 'policy UseKeyAppKey of AppRole');
    return applyEdits(text, [grant.edit]);
  };
  assert.equal(edited('/ws/workloads/stack.yaml', yaml), `${yaml}      Policies:
        - PolicyName: UseKeyAppKey
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Sid: UseKeyAppKey
                Effect: Allow
                Action:
                  - kms:Decrypt
                Resource: !GetAtt AppKey.Arn
`);
  // `Policies: []` becomes a block sequence below its key.
  const empty = `${yaml}      Policies: [] # none yet\n`;
  assert.equal(edited('/ws/workloads/empty.yaml', empty), `${yaml}      Policies:
        - PolicyName: UseKeyAppKey
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Sid: UseKeyAppKey
                Effect: Allow
                Action:
                  - kms:Decrypt
                Resource: !GetAtt AppKey.Arn # none yet
`);
  const json = JSON.stringify({ Resources: { AppKey: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Version: '2012-10-17', Statement: [] } } }, AppRole: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'App', AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] }, Policies: [] } } } }, null, 2);
  assert.equal(edited('/ws/workloads/stack.template.json', json), json.replace('"Policies": []', `"Policies": [
          {
            "PolicyName": "UseKeyAppKey",
            "PolicyDocument": {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "UseKeyAppKey",
                  "Effect": "Allow",
                  "Action": [
                    "kms:Decrypt"
                  ],
                  "Resource": {
                    "Fn::GetAtt": [
                      "AppKey",
                      "Arn"
                    ]
                  }
                }
              ]
            }
          }
        ]`));
});

test('CDK output is generated: a role of a cdk.out template gets no add-iam-grant fix', () => {
  const template = '/ws/cdk.out/App.template.json';
  const ws = cfnWorkspace('cdk.out/*.template.json', template, JSON_ROLE.replace('"Type": "AWS::IAM::Role",', '"Type": "AWS::IAM::Role",\n      "Metadata": { "aws:cdk:path": "App/AppRole/Resource" },'));
  assert.deepEqual(found(ws, JSON_KEY), ['root-principal-without-grant 12:76-12:143']);
  assert.deepEqual(grantFixes(only(ws, JSON_KEY, 'root-principal-without-grant')), []);
});
