import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/engine';
import { expectFindings } from '../../support/fixture';
import { yamlManagedPolicyTemplate } from '../../support/cfnYaml';

test('yaml-syntax: one finding at the error, nothing invented from the rest of the template', () => {
  const result = expectFindings(`AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Statement:
          - Effect: Allow
            Action: kms:Decrpyt
           «yaml-syntax:Resource»: '*'
`, { file: 'broken.yaml' });
  assert.equal(result.findings[0].severity, 'error');
  assert.equal(result.findings[0].message, 'Sequence item without - indicator.');
});

test('yaml-syntax: duplicate keys and a second document are errors; reportSyntax false leaves YAML errors in', () => {
  expectFindings(`AWSTemplateFormatVersion: '2010-09-09'
Resources:
  A:
    Type: AWS::S3::Bucket
  «yaml-syntax:A»:
    Type: AWS::S3::Bucket
`, { file: 't.yml', reportSyntax: false });
  const second = checkText('t.template', `AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n---\nResources: {}\n`);
  assert.deepEqual(second.findings.map((f) => [f.checkId, f.message]), [['yaml-syntax', 'A template is one YAML document: CloudFormation does not read a second one (after "---").']]);
});

test('yaml-syntax: YAML that is not a template is not read (no finding even when broken)', () => {
  for (const text of ['on: push\njobs:\n  build:\n   - a\n  b: [\n', 'apiVersion: v1\nkind: Pod\nmetadata: {name: x\n']) {
    const result = checkText('.github/workflows/ci.yml', text);
    assert.deepEqual(result.findings, []);
    assert.equal(result.discovered!.json.root, undefined);
  }
});

test('yaml-syntax: a *.template holding JSON is read as JSON', () => {
  expectFindings(`{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}«json-syntax:»`, { file: 'x.template' });
});

test('yaml-syntax warnings: aliases, merge keys and unknown tags, which CloudFormation rejects; the template is still checked', () => {
  const result = expectFindings(yamlManagedPolicyTemplate(`- &allow
  Effect: Allow
  Action: kms:«unknown-action:Decrpyt»
  Resource: «yaml-syntax:!Reff» Key
- «yaml-syntax:<<»: *allow
  Sid: «redundant-statement:Second»
- Effect: Allow
  Action: kms:Encrypt
  Resource: &key arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab
- Effect: Allow
  Action: kms:Decrypt
  Resource: «yaml-syntax:*key»`), { file: 't.yaml' });
  const messages = result.findings.filter((f) => f.checkId === 'yaml-syntax').map((f) => [f.severity, f.message]);
  assert.deepEqual(messages, [
    ['warning', '!Reff is not a CloudFormation short form: it is read as Fn::Reff, which is not an intrinsic function.'],
    ['warning', 'CloudFormation does not accept YAML merge keys (<<): write the keys out. They are read here as merged.'],
    ['warning', 'CloudFormation does not accept YAML aliases (*key): repeat the value instead. It is read here as the anchored value.'],
  ]);
  // The merged statement is the anchored one: its unknown action is reported once, at the anchor's text, and it repeats the first statement (redundant-statement).
  assert.equal(result.findings.filter((f) => f.checkId === 'unknown-action').length, 1);
});

test('yaml-syntax: a quoted scalar whose closing lines sit left of its key is read as PyYAML (AWS CLI, cfn-lint) reads it', () => {
  // The `}'` lines are indented less than `PolicyDocument`: strict YAML 1.2 rejects that, the
  // tools that deploy and lint templates accept it. The rest of the template is checked, and
  // its findings land on the original text.
  const result = expectFindings(`AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: 'sts:AssumeRole'}]}
      Policies:
        - PolicyName: Deploy
          PolicyDocument: !Sub '{
              "Version": "2012-10-17",
              "Statement": [
                  {
            "Effect": "Allow",
            "Action": ["kms:Decrypt"],
            "Resource": "*"
        }
              ]
          }'
        - PolicyName: Other
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: 's3:«unknown-action:GetObjekt»'
                Resource: '*'
`, { file: 'stack.yaml' });
  assert.equal(result.findings.filter((f) => f.checkId === 'yaml-syntax').length, 0);
});

test('yaml-syntax: a quoted scalar that never closes is still the error it is', () => {
  expectFindings(`AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      Description: 'never
closed
«yaml-syntax:»`, { file: 'open.yaml' });
});

test('yaml-syntax: a duplicate key says which tools reject it', () => {
  const result = expectFindings(`AWSTemplateFormatVersion: '2010-09-09'
Resources:
  A:
    Type: AWS::S3::Bucket
  «yaml-syntax:A»:
    Type: AWS::S3::Bucket
`, { file: 'dup.yaml' });
  assert.equal(result.findings[0].message, 'The same key appears twice in this mapping: keep one. The AWS CLI and cfn-lint reject the template, and which of the two values would count is not defined.');
});
