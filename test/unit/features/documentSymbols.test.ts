import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { documentSymbols, type SymbolNode } from '../../../server/src/core/features/documentSymbols';
import { discover } from '../../../server/src/core/sources/discover';
import { parseMarkers } from '../../support/fixture';

/**
 * Markers name the expected spans: `«policy:…»` a document, `«statement:…»` a statement,
 * `«sid:…»` a statement's selection (its Sid value).
 */
function check(marked: string, file = 'policy.json') {
  const { text, expected } = parseMarkers(marked);
  const symbols = documentSymbols(discover(file, text));
  const spans = (kind: string) => expected.filter((e) => e.checkId === kind).map((e) => [e.offset, e.end]).sort((a, b) => a[0] - b[0]);
  const of = (nodes: SymbolNode[], pick: (n: SymbolNode) => { offset: number; length: number }) =>
    nodes.map((n) => [pick(n).offset, pick(n).offset + pick(n).length]).sort((a, b) => a[0] - b[0]);
  const statements = symbols.flatMap((s) => s.children);
  assert.deepEqual(of(symbols, (n) => n.span), spans('policy'), 'policy spans');
  assert.deepEqual(of(statements, (n) => n.span), spans('statement'), 'statement spans');
  const withSid = statements.filter((s) => s.selectionSpan.offset !== s.span.offset);
  assert.deepEqual(of(withSid, (n) => n.selectionSpan), spans('sid'), 'Sid selections');
  return { symbols, text };
}

test('document symbols: statements by Sid or index, Effect as detail, under the policy', () => {
  const { symbols } = check(`«policy:{
  "Version": "2012-10-17",
  "Statement": [
    «statement:{ "Sid": «sid:"KeyAdmins"», "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*" }»,
    «statement:{ "Effect": "Deny", "Principal": "*", "Action": "kms:ScheduleKeyDeletion", "Resource": "*" }»
  ]
}»`);
  assert.equal(symbols.length, 1);
  assert.equal(symbols[0].name, 'Key policy');
  assert.deepEqual(symbols[0].children.map((c) => [c.name, c.detail]), [['KeyAdmins', 'Allow'], ['Statement[1]', 'Deny']]);
});

test('document symbols: a single statement object; an empty Sid counts as none', () => {
  const { symbols } = check(`«policy:{"Version": "2012-10-17", "Statement": «statement:{"Sid": «sid:""», "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}»}»`);
  assert.equal(symbols[0].name, 'Identity policy');
  assert.deepEqual(symbols[0].children.map((c) => c.name), ['Statement[0]']);
});

test('document symbols: a key policy inside a get-key-policy string maps to the file', () => {
  const marked = String.raw`{"Policy": "«policy:{\"Version\": \"2012-10-17\", \"Statement\": [«statement:{\"Sid\": «sid:\"Owner\"», \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"}»]}»", "PolicyName": "default"}`;
  const { symbols } = check(marked, 'get-key-policy.json');
  assert.deepEqual(symbols[0].children.map((c) => c.name), ['Owner']);
});

test('document symbols: each policy of a template, labelled with its resource', () => {
  const { symbols } = check(`{
  "Resources": {
    "AppKey": { "Type": "AWS::KMS::Key", "Properties": { "KeyPolicy": «policy:{
      "Version": "2012-10-17",
      "Statement": [«statement:{ "Sid": «sid:"Root"», "Effect": "Allow", "Principal": {"AWS": {"Fn::Sub": "arn:aws:iam::\${AWS::AccountId}:root"}}, "Action": "kms:*", "Resource": "*" }»]
    }» } },
    "AppPolicy": { "Type": "AWS::IAM::Policy", "Properties": { "PolicyName": "p", "Roles": ["app"], "PolicyDocument": «policy:{
      "Version": "2012-10-17",
      "Statement": [«statement:{ "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*" }»]
    }» } }
  }
}`, 'template.json');
  assert.deepEqual(symbols.map((s) => s.name), ['Key policy (AppKey)', 'Identity policy (AppPolicy)']);
});

test('document symbols: none for files that are not policies', () => {
  assert.deepEqual(documentSymbols(discover('package.json', '{"name": "x", "version": "1.0.0"}')), []);
  // A policy being typed is still a policy: its outline is just empty.
  assert.deepEqual(documentSymbols(discover('typing.json', '{"Statement": [')).map((s) => [s.name, s.children.length]), [['Policy', 0]]);
  assert.deepEqual(documentSymbols(undefined), []);
});

// Issue 18, defect 7: beside VS Code's JSON outline, the outline and breadcrumbs showed two trees of the same file.
test('document symbols beside a JSON outline: none for a bare policy file, the policy index for a template', () => {
  const besideJsonOutline = true;
  const bare = '{"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}';
  assert.deepEqual(documentSymbols(discover('policy.json', bare), { besideJsonOutline }), []);
  const template = JSON.stringify({ Resources: { AppPolicy: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', Roles: ['app'], PolicyDocument: JSON.parse(bare) } } } }, null, 2);
  assert.deepEqual(documentSymbols(discover('template.json', template), { besideJsonOutline }).map((s) => [s.name, s.children.map((c) => [c.name, c.detail])]), [['Identity policy (AppPolicy)', [['Read', 'Allow']]]]);
  const getKeyPolicy = JSON.stringify({ Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Owner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }] }) });
  assert.deepEqual(documentSymbols(discover('get-key-policy.json', getKeyPolicy), { besideJsonOutline }).map((s) => s.children.map((c) => c.name)), [['Owner']]);
  // Without a JSON outline (other editors), the bare file keeps its outline.
  assert.deepEqual(documentSymbols(discover('policy.json', bare)).map((s) => [s.name, s.children.map((c) => c.name)]), [['Identity policy', ['Read']]]);
});
