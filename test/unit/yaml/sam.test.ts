/** SAM functions in YAML (and JSON) templates: inline policy documents of `Policies` are identity policies of the function's role. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/engine';
import { discover } from '../../../server/src/core/sources/discover';
import { expectFindings } from '../../support/fixture';

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
