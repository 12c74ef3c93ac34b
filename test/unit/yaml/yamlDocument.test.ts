import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { JsonNode } from '../../../server/src/core/json/jsonDocument';
import { toValue } from '../../../server/src/core/json/nodes';
import { parseYaml } from '../../../server/src/core/yaml/yamlDocument';

const read = (text: string, warnings: string[] = []) => {
  const doc = parseYaml(text);
  assert.deepEqual(doc.problems.map((p) => `${p.severity} ${text.slice(p.offset, p.offset + p.length)}`), warnings);
  assert.equal(doc.syntax, 'yaml');
  return doc;
};
const valueOf = (text: string, warnings: string[] = []) => JSON.parse(JSON.stringify(toValue(read(text, warnings).root!)));
const slice = (text: string, n: JsonNode) => text.slice(n.offset, n.offset + n.length);

test('every short-form tag is its long form', () => {
  const text = `A: !Ref Name
B: !Sub 'arn:\${AWS::Partition}:iam::\${Account}:root'
C: !Sub
  - 'arn:aws:kms:\${R}:key/\${K}'
  - K: !Ref Key
D: !GetAtt Key.Arn
E: !GetAtt [Db, Endpoint.Address]
F: !Join [':', [a, b]]
G: !Select [0, !GetAZs '']
H: !Split [',', !ImportValue Shared]
I: !If [IsProd, !Equals [a, b], !Not [!Condition C]]
J: !And [!Or [!Condition X, !Condition Y], !Condition Z]
K: !FindInMap [Map, Top, Second]
L: !Base64 text
M: !Cidr [10.0.0.0/16, 4, 8]
N: !Transform {Name: Include, Parameters: {Location: s3://b/k}}
O: !GetAtt Db.Endpoint.Address
`;
  assert.deepEqual(valueOf(text), {
    A: { Ref: 'Name' },
    B: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${Account}:root' },
    C: { 'Fn::Sub': ['arn:aws:kms:${R}:key/${K}', { K: { Ref: 'Key' } }] },
    D: { 'Fn::GetAtt': ['Key', 'Arn'] },
    E: { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] },
    F: { 'Fn::Join': [':', ['a', 'b']] },
    G: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
    H: { 'Fn::Split': [',', { 'Fn::ImportValue': 'Shared' }] },
    I: { 'Fn::If': ['IsProd', { 'Fn::Equals': ['a', 'b'] }, { 'Fn::Not': [{ Condition: 'C' }] }] },
    J: { 'Fn::And': [{ 'Fn::Or': [{ Condition: 'X' }, { Condition: 'Y' }] }, { Condition: 'Z' }] },
    K: { 'Fn::FindInMap': ['Map', 'Top', 'Second'] },
    L: { 'Fn::Base64': 'text' },
    M: { 'Fn::Cidr': ['10.0.0.0/16', 4, 8] },
    N: { 'Fn::Transform': { Name: 'Include', Parameters: { Location: 's3://b/k' } } },
    O: { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] },
  });
});

test('a tagged value spans tag and value; its key spans the tag; dotted GetAtt parts sit on their text', () => {
  const text = 'Key: !GetAtt  MyKey.Arn\n';
  const root = read(text).root!;
  const value = root.children![0].children![1];
  assert.equal(slice(text, value), '!GetAtt  MyKey.Arn');
  const [key, list] = value.children![0].children!;
  assert.equal(slice(text, key), '!GetAtt');
  assert.deepEqual(list.children!.map((n) => slice(text, n)), ['MyKey', 'Arn']);
});

test('exact offsets: keys, properties, colons, quoted and plain values, block strings', () => {
  const text = `Top:\n  "quoted key" : 'it''s'\n  plain: kms:Decrypt # comment\n  block: |\n    line one\n    line two\n`;
  const top = read(text).root!.children![0];
  assert.equal(slice(text, top.children![0]), 'Top');
  assert.equal(top.colonOffset, 3);
  const [quoted, plain, block] = top.children![1].children!;
  assert.equal(slice(text, quoted), `"quoted key" : 'it''s'`);
  assert.equal(slice(text, quoted.children![0]), '"quoted key"');
  assert.equal(quoted.children![0].value, 'quoted key');
  assert.equal(text[quoted.colonOffset!], ':');
  assert.equal(quoted.colonOffset, text.indexOf(' :') + 1);
  assert.equal(slice(text, quoted.children![1]), `'it''s'`);
  assert.equal(quoted.children![1].value, "it's");
  assert.equal(slice(text, plain), 'plain: kms:Decrypt');
  assert.equal(plain.children![1].value, 'kms:Decrypt');
  assert.equal(slice(text, block.children![1]), '|\n    line one\n    line two');
  assert.equal(block.children![1].value, 'line one\nline two\n');
});

test('scalars are the values CloudFormation sees', () => {
  assert.deepEqual(valueOf(`a: 444455556666\nb: true\nc: "true"\nd: false\ne: 2012-10-17\nf: ~\ng:\nh: 1.5\ni: '444455556666'\nj: 012345678901\n`), {
    a: 444455556666, b: true, c: 'true', d: false, e: '2012-10-17', f: null, g: null, h: 1.5, i: '444455556666', j: 12345678901,
  });
  const root = read('a: 444455556666\n').root!;
  assert.equal(root.children![0].children![1].type, 'number');
});

test('anchors, aliases and merge keys: nodes copied from the anchor, at the anchor\'s text; own keys win', () => {
  const text = `Base: &base\n  Effect: Allow\n  Resource: '*'\nS1:\n  <<: *base\n  Resource: arn:aws:s3:::b\n  Action: s3:GetObject\nS2: *base\n`;
  // CloudFormation rejects both: a warning at each (see yaml-syntax), and the tree is read anyway.
  const warnings = ['warning <<', 'warning *base'];
  assert.deepEqual(valueOf(text, warnings), {
    Base: { Effect: 'Allow', Resource: '*' },
    S1: { Effect: 'Allow', Resource: 'arn:aws:s3:::b', Action: 's3:GetObject' },
    S2: { Effect: 'Allow', Resource: '*' },
  });
  const root = read(text, warnings).root!;
  const s2 = root.children![2].children![1];
  assert.equal(slice(text, s2.children![0]), 'Effect: Allow');
  assert.equal(s2.children![0].offset, text.indexOf('Effect'));
  assert.equal(s2.parent, root.children![2]);
});

test('an alias inside its own anchor and an alias bomb end, with a limit problem for the bomb', () => {
  const self = parseYaml('a: &x [1, *x]\n');
  assert.ok(self.root);
  let bomb = 'a: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i < 9; i++) bomb += `a${i}: &a${i} [*a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}]\n`;
  const doc = parseYaml(bomb);
  assert.equal(doc.root, undefined);
  assert.equal(doc.problems[0].kind, 'limit');
});

test('broken YAML: no tree, one problem at the token at fault', () => {
  const text = 'Resources:\n  A: [1, 2\nB: 3\n';
  const doc = parseYaml(text);
  assert.equal(doc.root, undefined);
  assert.equal(doc.problems.length, 1);
  assert.equal(doc.problems[0].kind, 'syntax');
  const deep = parseYaml('a: ' + '['.repeat(300) + ']'.repeat(300) + '\n');
  assert.equal(deep.root, undefined);
  assert.equal(deep.problems[0].kind, 'limit');
});

test('an error the library places at or past the end of the text stays inside it', () => {
  const text = ': a: 1\nb: 2\n? ';
  const doc = parseYaml(text);
  assert.equal(doc.root, undefined);
  assert.ok(doc.problems.length > 0);
  for (const p of doc.problems) assert.ok(p.offset >= 0 && p.offset + p.length <= text.length, JSON.stringify(p));
});
