/**
 * narrow-root-to-role on a CloudFormation account principal written with `Fn::Sub` (`!Sub` in
 * YAML): narrowed to several roles, or to one inside a list, each role ARN is written as a
 * `Fn::Sub` of the same account expression (the short form where the template writes it), so
 * the parameter and the partition stay. Each fix is applied and the template read again.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { prop } from '../../../server/src/core/json/nodes';
import { readStatements } from '../../../server/src/core/model/policyDocument';
import { resolveString } from '../../../server/src/core/model/templateValues';
import { applyFix, single } from './workspaceFixture';
import { JSON_KEY, READER, WRITER, YAML_KEY, jsonKey, workspace, yamlKey } from './cfnKeyTemplate';



/** Apply the narrowing fix whose title matches; the template must read back without problems, its Workloads principals resolving to `expected`. */
function narrow(keyFile: string, key: string, title: RegExp, expected: string[]): string {
  const ws = workspace(keyFile, key);
  const f = single(ws, keyFile, 'root-principal-broader-than-grants');
  const fix = (f.fixes ?? []).find((x) => x.id === 'narrow-root-to-role' && title.test(x.title));
  assert.ok(fix, `${key}\n${title} among ${(f.fixes ?? []).map((x) => x.title).join(' | ')}`);
  applyFix(ws, keyFile, fix);
  const text = ws.text(keyFile)!;
  const found = ws.discovered(keyFile)!;
  assert.deepEqual(found.json.problems, [], text);
  assert.deepEqual(ws.findings(keyFile).filter((x) => x.severity === 'error' || /^root-principal|internal-error/.test(x.checkId)).map((x) => x.checkId), [], text);
  const doc = found.documents.find((d) => d.kind === 'kms-key-policy')!;
  const workloads = readStatements(doc.root).find((s) => s.sid === 'Workloads')!;
  const aws = prop(workloads.elements.Principal!.value, 'AWS')!.value!;
  const items = aws.type === 'array' ? aws.children! : [aws];
  // Each item is a Fn::Sub whose text, with the manifest's values, is the role ARN.
  assert.deepEqual(items.map((n) => resolveString(n, doc.template)), expected, text);
  return text;
}


const BOTH = /^Narrow the principal to the 2 principals/;

test('JSON template: Fn::Sub root narrowed to two roles gives a list of Fn::Sub role ARNs with the same parameter and partition', () => {
  const before = jsonKey('{ "Fn::Sub": "arn:${AWS::Partition}:iam::${WorkloadAccount}:root" }');
  const text = narrow(JSON_KEY, before, BOTH, [READER, WRITER]);
  assert.equal(text, before.replace('"AWS": { "Fn::Sub": "arn:${AWS::Partition}:iam::${WorkloadAccount}:root" }', `"AWS": [
              { "Fn::Sub": "arn:\${AWS::Partition}:iam::\${WorkloadAccount}:role/Reader" },
              { "Fn::Sub": "arn:\${AWS::Partition}:iam::\${WorkloadAccount}:role/Writer" }
            ]`));
});

test('JSON template: a Fn::Sub written over several lines gives role ARNs one Fn::Sub a line', () => {
  const before = jsonKey(`{
              "Fn::Sub": "arn:aws:iam::\${WorkloadAccount}:root"
            }`);
  assert.equal(narrow(JSON_KEY, before, BOTH, [READER, WRITER]), before.replace(`{
              "Fn::Sub": "arn:aws:iam::\${WorkloadAccount}:root"
            }`, `[
              { "Fn::Sub": "arn:aws:iam::\${WorkloadAccount}:role/Reader" },
              { "Fn::Sub": "arn:aws:iam::\${WorkloadAccount}:role/Writer" }
            ]`));
});

test('JSON template: a Fn::Sub list item narrowed to two roles, and to one role, keeps the Fn::Sub as it is written', () => {
  const before = jsonKey('[{"Fn::Sub": "arn:aws:iam::${WorkloadAccount}:root"}]');
  assert.equal(narrow(JSON_KEY, before, BOTH, [READER, WRITER]), before.replace('[{"Fn::Sub": "arn:aws:iam::${WorkloadAccount}:root"}]',
    '[\n              {"Fn::Sub": "arn:aws:iam::${WorkloadAccount}:role/Reader"},\n              {"Fn::Sub": "arn:aws:iam::${WorkloadAccount}:role/Writer"}\n            ]'));
  assert.equal(narrow(JSON_KEY, before, /^Narrow the principal to arn:aws:iam::444455556666:role\/Reader/, [READER]),
    before.replace('[{"Fn::Sub": "arn:aws:iam::${WorkloadAccount}:root"}]', '[{"Fn::Sub": "arn:aws:iam::${WorkloadAccount}:role/Reader"}]'));
});

test('JSON template: the list form Fn::Sub [text, {Var: value}] keeps its variables, narrowed to one role or to two', () => {
  const before = jsonKey('{ "Fn::Sub": ["arn:aws:iam::${Acct}:root", { "Acct": { "Ref": "WorkloadAccount" } }] }');
  assert.equal(narrow(JSON_KEY, before, /^Narrow the principal to arn:aws:iam::444455556666:role\/Writer/, [WRITER]),
    before.replace('"arn:aws:iam::${Acct}:root"', '"arn:aws:iam::${Acct}:role/Writer"'));
  assert.equal(narrow(JSON_KEY, before, BOTH, [READER, WRITER]), before.replace('{ "Fn::Sub": ["arn:aws:iam::${Acct}:root", { "Acct": { "Ref": "WorkloadAccount" } }] }', `[
              { "Fn::Sub": ["arn:aws:iam::\${Acct}:role/Reader", { "Acct": { "Ref": "WorkloadAccount" } }] },
              { "Fn::Sub": ["arn:aws:iam::\${Acct}:role/Writer", { "Acct": { "Ref": "WorkloadAccount" } }] }
            ]`));
});


test('YAML template: a !Sub root narrowed to two roles gives a block sequence of !Sub role ARNs in the same quoting', () => {
  const before = yamlKey("!Sub 'arn:${AWS::Partition}:iam::${WorkloadAccount}:root'");
  assert.equal(narrow(YAML_KEY, before, BOTH, [READER, WRITER]), before.replace("AWS: !Sub 'arn:${AWS::Partition}:iam::${WorkloadAccount}:root'", `AWS:
                - !Sub 'arn:\${AWS::Partition}:iam::\${WorkloadAccount}:role/Reader'
                - !Sub 'arn:\${AWS::Partition}:iam::\${WorkloadAccount}:role/Writer'`));
});

test('YAML template: a !Sub item of a block or flow sequence, a flow mapping and the long form Fn::Sub narrowed to two roles', () => {
  const cases: [string, string, string][] = [
    ['block sequence', 'AWS:\n                - !Sub "arn:aws:iam::${WorkloadAccount}:root"',
      'AWS:\n                - !Sub "arn:aws:iam::${WorkloadAccount}:role/Reader"\n                - !Sub "arn:aws:iam::${WorkloadAccount}:role/Writer"'],
    ['flow sequence', 'AWS: [!Sub "arn:aws:iam::${WorkloadAccount}:root"]',
      'AWS: [!Sub "arn:aws:iam::${WorkloadAccount}:role/Reader", !Sub "arn:aws:iam::${WorkloadAccount}:role/Writer"]'],
    ['long form', "AWS:\n                Fn::Sub: 'arn:aws:iam::${WorkloadAccount}:root'",
      "AWS:\n                - Fn::Sub: 'arn:aws:iam::${WorkloadAccount}:role/Reader'\n                - Fn::Sub: 'arn:aws:iam::${WorkloadAccount}:role/Writer'"],
    ['list form', "AWS: !Sub ['arn:aws:iam::${Acct}:root', {Acct: !Ref WorkloadAccount}]",
      "AWS:\n                - !Sub ['arn:aws:iam::${Acct}:role/Reader', {Acct: !Ref WorkloadAccount}]\n                - !Sub ['arn:aws:iam::${Acct}:role/Writer', {Acct: !Ref WorkloadAccount}]"],
  ];
  for (const [name, principal, expected] of cases) {
    const before = yamlKey('PRINCIPAL').replace('AWS: PRINCIPAL', principal);
    assert.equal(narrow(YAML_KEY, before, BOTH, [READER, WRITER]), before.replace(principal, expected), name);
  }
  const flowMapping = yamlKey('PRINCIPAL').replace('Principal:\n              AWS: PRINCIPAL', 'Principal: {AWS: !Sub "arn:aws:iam::${WorkloadAccount}:root"}');
  assert.equal(narrow(YAML_KEY, flowMapping, BOTH, [READER, WRITER]), flowMapping.replace('{AWS: !Sub "arn:aws:iam::${WorkloadAccount}:root"}',
    '{AWS: [!Sub "arn:aws:iam::${WorkloadAccount}:role/Reader", !Sub "arn:aws:iam::${WorkloadAccount}:role/Writer"]}'));
});
