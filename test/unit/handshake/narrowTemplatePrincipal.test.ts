/**
 * The narrowing fixes on CloudFormation account principals written as expressions keep the
 * expression: `narrow-root-with-condition` on a `Fn::Sub` root writes each role ARN as a
 * `Fn::Sub` of the same text; a `Fn::Join` root (CDK's form) is narrowed to a `Fn::Join` of the
 * same parts with `:role/NAME` in place of `:root`; a principal `Ref` of an account parameter
 * becomes a `Fn::Sub` of that parameter. Each fix is applied, the template read again, and the
 * narrowed principal (or the condition's ARNs) resolved with the manifest's values.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Fix } from '../../../server/src/core/findings';
import type { JsonNode } from '../../../server/src/core/json/jsonDocument';
import { prop } from '../../../server/src/core/json/nodes';
import { readStatements } from '../../../server/src/core/model/policyDocument';
import { resolveString } from '../../../server/src/core/model/templateValues';
import { B, applyFix, single } from './workspaceFixture';
import { JSON_KEY, READER, WRITER, YAML_KEY, jsonKey, workspace, yamlKey } from './cfnKeyTemplate';



const items = (n: JsonNode): JsonNode[] => (n.type === 'array' ? n.children! : [n]);

interface Applied {
  text: string;
  /** The Workloads statement's AWS principals, resolved. */
  principals: (string | undefined)[];
  /** Its ArnEquals aws:PrincipalArn values, resolved (none without the condition). */
  condition: (string | undefined)[];
}

/**
 * Apply the fix (`narrow-root-to-role` whose title matches, or `narrow-root-with-condition`)
 * and read the template again: it must read without problems, and no root-principal finding
 * is left on it (the principal is narrowed, or the statement is limited by aws:PrincipalArn).
 */
function apply(keyFile: string, key: string, fixId: string, title: RegExp = /./, readerOnly = false): Applied {
  const ws = workspace(keyFile, key, readerOnly);
  const f = single(ws, keyFile, 'root-principal-broader-than-grants');
  const fix: Fix | undefined = (f.fixes ?? []).find((x) => x.id === fixId && title.test(x.title));
  assert.ok(fix, `${key}\n${fixId} ${title} among ${(f.fixes ?? []).map((x) => `${x.id}: ${x.title}`).join(' | ')}`);
  applyFix(ws, keyFile, fix);
  const text = ws.text(keyFile)!;
  const found = ws.discovered(keyFile)!;
  assert.deepEqual(found.json.problems, [], text);
  assert.deepEqual(ws.findings(keyFile).filter((x) => x.severity === 'error' || /^root-principal|internal-error/.test(x.checkId)).map((x) => x.checkId), [], text);
  const doc = found.documents.find((d) => d.kind === 'kms-key-policy')!;
  const workloads = readStatements(doc.root).find((s) => s.sid === 'Workloads')!;
  const aws = prop(workloads.elements.Principal!.value, 'AWS')!.value!;
  const arnEquals = prop(workloads.elements.Condition?.value, 'ArnEquals')?.value;
  const condition = prop(arnEquals, 'aws:PrincipalArn')?.value;
  return {
    text,
    principals: items(aws).map((n) => resolveString(n, doc.template)),
    condition: condition ? items(condition).map((n) => resolveString(n, doc.template)) : [],
  };
}


const BOTH = /^Narrow the principal to the 2 principals/;
const TO_READER = /^Narrow the principal to arn:aws:iam::444455556666:role\/Reader /;
const CONDITION = 'narrow-root-with-condition';
const NARROW = 'narrow-root-to-role';
/** The end of jsonKey's Workloads statement, where a condition is added. */
const WORKLOADS_END = '"Resource": "*" }\n          ]';


test('condition fix, JSON template: a Fn::Sub root keeps its principal and names each role as a Fn::Sub of the same parameter and partition', () => {
  const principal = '{ "Fn::Sub": "arn:${AWS::Partition}:iam::${WorkloadAccount}:root" }';
  const before = jsonKey(principal);
  const two = apply(JSON_KEY, before, CONDITION);
  assert.equal(two.text, before.replace(WORKLOADS_END, '"Resource": "*", "Condition": { "ArnEquals": { "aws:PrincipalArn": [{ "Fn::Sub": "arn:${AWS::Partition}:iam::${WorkloadAccount}:role/Reader" }, { "Fn::Sub": "arn:${AWS::Partition}:iam::${WorkloadAccount}:role/Writer" }] } } }\n          ]'));
  assert.deepEqual([two.principals, two.condition], [[`arn:aws:iam::${B}:root`], [READER, WRITER]]);
  const one = apply(JSON_KEY, before, CONDITION, /./, true);
  assert.equal(one.text, before.replace(WORKLOADS_END, '"Resource": "*", "Condition": { "ArnEquals": { "aws:PrincipalArn": { "Fn::Sub": "arn:${AWS::Partition}:iam::${WorkloadAccount}:role/Reader" } } } }\n          ]'));
  assert.deepEqual(one.condition, [READER]);
  // The list form keeps its variables.
  const listForm = jsonKey('{ "Fn::Sub": ["arn:aws:iam::${Acct}:root", { "Acct": { "Ref": "WorkloadAccount" } }] }');
  const vars = apply(JSON_KEY, listForm, CONDITION, /./, true);
  assert.equal(vars.text, listForm.replace(WORKLOADS_END, '"Resource": "*", "Condition": { "ArnEquals": { "aws:PrincipalArn": { "Fn::Sub": ["arn:aws:iam::${Acct}:role/Reader", { "Acct": { "Ref": "WorkloadAccount" } }] } } } }\n          ]'));
  assert.deepEqual(vars.condition, [READER]);
});

test('condition fix, YAML template: a !Sub root gets !Sub role ARNs in the condition, one or a block sequence', () => {
  const before = yamlKey("!Sub 'arn:${AWS::Partition}:iam::${WorkloadAccount}:root'");
  const two = apply(YAML_KEY, before, CONDITION);
  assert.equal(two.text, `${before}            Condition:
              ArnEquals:
                aws:PrincipalArn:
                  - !Sub 'arn:\${AWS::Partition}:iam::\${WorkloadAccount}:role/Reader'
                  - !Sub 'arn:\${AWS::Partition}:iam::\${WorkloadAccount}:role/Writer'
`);
  assert.deepEqual([two.principals, two.condition], [[`arn:aws:iam::${B}:root`], [READER, WRITER]]);
  const one = apply(YAML_KEY, before, CONDITION, /./, true);
  assert.equal(one.text, `${before}            Condition:
              ArnEquals:
                aws:PrincipalArn: !Sub 'arn:\${AWS::Partition}:iam::\${WorkloadAccount}:role/Reader'
`);
  assert.deepEqual(one.condition, [READER]);
});

test('condition fix, YAML template written in long forms only: Fn::Sub role ARNs in the long form', () => {
  const before = yamlKey('PRINCIPAL').replace('AWS: PRINCIPAL', "AWS:\n                Fn::Sub: 'arn:${AWS::Partition}:iam::${WorkloadAccount}:root'")
    .replace("{AWS: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'}", "{AWS: {'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'}}");
  assert.doesNotMatch(before, /!/);
  const two = apply(YAML_KEY, before, CONDITION);
  assert.equal(two.text, `${before}            Condition:
              ArnEquals:
                aws:PrincipalArn:
                  - Fn::Sub: 'arn:\${AWS::Partition}:iam::\${WorkloadAccount}:role/Reader'
                  - Fn::Sub: 'arn:\${AWS::Partition}:iam::\${WorkloadAccount}:role/Writer'
`);
  assert.deepEqual(two.condition, [READER, WRITER]);
});

const JOIN = '{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::", {"Ref": "WorkloadAccount"}, ":root"]]}';
const joinTo = (name: string) => JOIN.replace('":root"', `":role/${name}"`);

test('JSON template: a Fn::Join root narrowed to one role changes only its last part, to two roles gives a list of Fn::Join', () => {
  const before = jsonKey(JOIN);
  const one = apply(JSON_KEY, before, NARROW, TO_READER);
  assert.equal(one.text, before.replace(JOIN, '{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::", {"Ref": "WorkloadAccount"}, ":role/Reader"]]}'));
  assert.deepEqual(one.principals, [READER]);
  const two = apply(JSON_KEY, before, NARROW, BOTH);
  assert.equal(two.text, before.replace(JOIN, `[
              {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::", {"Ref": "WorkloadAccount"}, ":role/Reader"]]},
              {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::", {"Ref": "WorkloadAccount"}, ":role/Writer"]]}
            ]`));
  assert.deepEqual(two.principals, [READER, WRITER]);
  // A literal account in the last part (CDK's AccountPrincipal): the account stays literal, the partition a Ref.
  const literal = jsonKey('{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::444455556666:root"]]}');
  const lit = apply(JSON_KEY, literal, NARROW, TO_READER);
  assert.equal(lit.text, literal.replace('":iam::444455556666:root"', '":iam::444455556666:role/Reader"'));
  assert.deepEqual(lit.principals, [READER]);
  // A Join with a delimiter: the last part is `root`.
  const colons = jsonKey('{"Fn::Join": [":", ["arn", {"Ref": "AWS::Partition"}, "iam", "", {"Ref": "WorkloadAccount"}, "root"]]}');
  const col = apply(JSON_KEY, colons, NARROW, BOTH);
  assert.equal(col.text, colons.replace('{"Fn::Join": [":", ["arn", {"Ref": "AWS::Partition"}, "iam", "", {"Ref": "WorkloadAccount"}, "root"]]}', `[
              {"Fn::Join": [":", ["arn", {"Ref": "AWS::Partition"}, "iam", "", {"Ref": "WorkloadAccount"}, "role/Reader"]]},
              {"Fn::Join": [":", ["arn", {"Ref": "AWS::Partition"}, "iam", "", {"Ref": "WorkloadAccount"}, "role/Writer"]]}
            ]`));
  assert.deepEqual(col.principals, [READER, WRITER]);
});

test('condition fix, JSON template: a Fn::Join root names each role as a Fn::Join of the same parts', () => {
  const before = jsonKey(JOIN);
  const two = apply(JSON_KEY, before, CONDITION);
  assert.equal(two.text, before.replace(WORKLOADS_END, '"Resource": "*", "Condition": { "ArnEquals": { "aws:PrincipalArn": [{ "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":iam::", { "Ref": "WorkloadAccount" }, ":role/Reader"]] }, { "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":iam::", { "Ref": "WorkloadAccount" }, ":role/Writer"]] }] } } }\n          ]'));
  assert.deepEqual([two.principals, two.condition], [[`arn:aws:iam::${B}:root`], [READER, WRITER]]);
});

test('JSON template: a Ref of an account parameter becomes a Fn::Sub of that parameter, in the principal and in the condition', () => {
  const ref = '{ "Ref": "WorkloadAccount" }';
  const before = jsonKey(ref);
  const one = apply(JSON_KEY, before, NARROW, TO_READER);
  assert.equal(one.text, before.replace(ref, '{ "Fn::Sub": "arn:${AWS::Partition}:iam::${WorkloadAccount}:role/Reader" }'));
  assert.deepEqual(one.principals, [READER]);
  const two = apply(JSON_KEY, before, NARROW, BOTH);
  assert.equal(two.text, before.replace(ref, `[
              { "Fn::Sub": "arn:\${AWS::Partition}:iam::\${WorkloadAccount}:role/Reader" },
              { "Fn::Sub": "arn:\${AWS::Partition}:iam::\${WorkloadAccount}:role/Writer" }
            ]`));
  assert.deepEqual(two.principals, [READER, WRITER]);
  const inList = jsonKey(`[${ref}]`);
  assert.equal(apply(JSON_KEY, inList, NARROW, TO_READER).text, inList.replace(ref, '{ "Fn::Sub": "arn:${AWS::Partition}:iam::${WorkloadAccount}:role/Reader" }'));
  const cond = apply(JSON_KEY, before, CONDITION, /./, true);
  assert.equal(cond.text, before.replace(WORKLOADS_END, '"Resource": "*", "Condition": { "ArnEquals": { "aws:PrincipalArn": { "Fn::Sub": "arn:${AWS::Partition}:iam::${WorkloadAccount}:role/Reader" } } } }\n          ]'));
  assert.deepEqual([cond.principals, cond.condition], [[B], [READER]]);
});

const YAML_JOIN = "!Join ['', ['arn:', !Ref AWS::Partition, ':iam::', !Ref WorkloadAccount, ':root']]";

test('YAML template: a !Join root narrowed to one role, to two, and the condition fix keep the !Join', () => {
  const before = yamlKey(YAML_JOIN);
  const one = apply(YAML_KEY, before, NARROW, TO_READER);
  assert.equal(one.text, before.replace(YAML_JOIN, "!Join ['', ['arn:', !Ref AWS::Partition, ':iam::', !Ref WorkloadAccount, ':role/Reader']]"));
  assert.deepEqual(one.principals, [READER]);
  const two = apply(YAML_KEY, before, NARROW, BOTH);
  assert.equal(two.text, before.replace(`AWS: ${YAML_JOIN}`, `AWS:
                - !Join ['', ['arn:', !Ref AWS::Partition, ':iam::', !Ref WorkloadAccount, ':role/Reader']]
                - !Join ['', ['arn:', !Ref AWS::Partition, ':iam::', !Ref WorkloadAccount, ':role/Writer']]`));
  assert.deepEqual(two.principals, [READER, WRITER]);
  const cond = apply(YAML_KEY, before, CONDITION);
  assert.equal(cond.text, `${before}            Condition:
              ArnEquals:
                aws:PrincipalArn:
                  - !Join
                    - ''
                    - - 'arn:'
                      - !Ref AWS::Partition
                      - ':iam::'
                      - !Ref WorkloadAccount
                      - ':role/Reader'
                  - !Join
                    - ''
                    - - 'arn:'
                      - !Ref AWS::Partition
                      - ':iam::'
                      - !Ref WorkloadAccount
                      - ':role/Writer'
`);
  assert.deepEqual(cond.condition, [READER, WRITER]);
});

test('YAML template: a !Ref of an account parameter becomes !Sub role ARNs, as a value, in a block or flow sequence, and in the condition', () => {
  const before = yamlKey('!Ref WorkloadAccount');
  const one = apply(YAML_KEY, before, NARROW, TO_READER);
  assert.equal(one.text, before.replace('AWS: !Ref WorkloadAccount', "AWS: !Sub 'arn:${AWS::Partition}:iam::${WorkloadAccount}:role/Reader'"));
  assert.deepEqual(one.principals, [READER]);
  const two = apply(YAML_KEY, before, NARROW, BOTH);
  assert.equal(two.text, before.replace('AWS: !Ref WorkloadAccount', `AWS:
                - !Sub 'arn:\${AWS::Partition}:iam::\${WorkloadAccount}:role/Reader'
                - !Sub 'arn:\${AWS::Partition}:iam::\${WorkloadAccount}:role/Writer'`));
  assert.deepEqual(two.principals, [READER, WRITER]);
  const block = yamlKey('PRINCIPAL').replace('AWS: PRINCIPAL', 'AWS:\n                - !Ref WorkloadAccount');
  assert.equal(apply(YAML_KEY, block, NARROW, BOTH).text, block.replace('- !Ref WorkloadAccount', `- !Sub 'arn:\${AWS::Partition}:iam::\${WorkloadAccount}:role/Reader'
                - !Sub 'arn:\${AWS::Partition}:iam::\${WorkloadAccount}:role/Writer'`));
  const flow = yamlKey('[!Ref WorkloadAccount]');
  assert.equal(apply(YAML_KEY, flow, NARROW, BOTH).text, flow.replace('[!Ref WorkloadAccount]',
    "[!Sub 'arn:${AWS::Partition}:iam::${WorkloadAccount}:role/Reader', !Sub 'arn:${AWS::Partition}:iam::${WorkloadAccount}:role/Writer']"));
  const cond = apply(YAML_KEY, before, CONDITION, /./, true);
  assert.equal(cond.text, `${before}            Condition:
              ArnEquals:
                aws:PrincipalArn: !Sub 'arn:\${AWS::Partition}:iam::\${WorkloadAccount}:role/Reader'
`);
  assert.deepEqual(cond.condition, [READER]);
  // The long form, and a flow mapping: Fn::Sub in the same form.
  const long = yamlKey('PRINCIPAL').replace('AWS: PRINCIPAL', 'AWS:\n                Ref: WorkloadAccount');
  const longOne = apply(YAML_KEY, long, NARROW, TO_READER);
  assert.equal(longOne.text, long.replace('Ref: WorkloadAccount', "Fn::Sub: 'arn:${AWS::Partition}:iam::${WorkloadAccount}:role/Reader'"));
  assert.deepEqual(longOne.principals, [READER]);
  const flowMap = yamlKey('{Ref: WorkloadAccount}');
  const flowOne = apply(YAML_KEY, flowMap, NARROW, TO_READER);
  assert.equal(flowOne.text, flowMap.replace('{Ref: WorkloadAccount}', "{Fn::Sub: 'arn:${AWS::Partition}:iam::${WorkloadAccount}:role/Reader'}"));
  assert.deepEqual(flowOne.principals, [READER]);
});

test('YAML template: a !Sub list form written as a block over several lines narrowed to two roles gives copies of its lines, indented for their place', () => {
  const principal = `AWS: !Sub
                - "arn:\${AWS::Partition}:iam::\${Acct}:root"
                - Acct: !Ref WorkloadAccount`;
  const narrowed = `AWS:
                - !Sub
                  - "arn:\${AWS::Partition}:iam::\${Acct}:role/Reader"
                  - Acct: !Ref WorkloadAccount
                - !Sub
                  - "arn:\${AWS::Partition}:iam::\${Acct}:role/Writer"
                  - Acct: !Ref WorkloadAccount`;
  const before = yamlKey('PRINCIPAL').replace('AWS: PRINCIPAL', principal);
  const two = apply(YAML_KEY, before, NARROW, BOTH);
  assert.equal(two.text, before.replace(principal, narrowed));
  assert.deepEqual(two.principals, [READER, WRITER]);
  // An item of a block sequence: its copies follow it at the dash's column.
  const item = `AWS:
                - !Sub
                  - "arn:\${AWS::Partition}:iam::\${Acct}:root"
                  - Acct: !Ref WorkloadAccount`;
  const inList = yamlKey('PRINCIPAL').replace('AWS: PRINCIPAL', item);
  assert.equal(apply(YAML_KEY, inList, NARROW, BOTH).text, inList.replace(item, narrowed));
  // Its lines below the key at the key's own column (a block sequence may start there): the copies' lines go right of their dash.
  const compact = `AWS: !Sub
              - "arn:\${AWS::Partition}:iam::\${Acct}:root"
              - Acct: !Ref WorkloadAccount`;
  const compactKey = yamlKey('PRINCIPAL').replace('AWS: PRINCIPAL', compact);
  assert.equal(apply(YAML_KEY, compactKey, NARROW, BOTH).text, compactKey.replace(compact, narrowed));
  // The condition fix writes the list form as a block too.
  const cond = apply(YAML_KEY, before, CONDITION, /./, true);
  assert.equal(cond.text, `${before}            Condition:
              ArnEquals:
                aws:PrincipalArn: !Sub
                  - 'arn:\${AWS::Partition}:iam::\${Acct}:role/Reader'
                  - Acct: !Ref WorkloadAccount
`);
  assert.deepEqual(cond.condition, [READER]);
});

test('YAML template: a long form Fn::Join below its key, and a !Join with block lists, narrowed to two roles', () => {
  const long = `AWS:
                Fn::Join:
                  - ""
                  - - "arn:"
                    - Ref: AWS::Partition
                    - ":iam::"
                    - Ref: WorkloadAccount
                    - ":root"`;
  const before = yamlKey('PRINCIPAL').replace('AWS: PRINCIPAL', long);
  const two = apply(YAML_KEY, before, NARROW, BOTH);
  assert.equal(two.text, before.replace(long, `AWS:
                - Fn::Join:
                    - ""
                    - - "arn:"
                      - Ref: AWS::Partition
                      - ":iam::"
                      - Ref: WorkloadAccount
                      - ":role/Reader"
                - Fn::Join:
                    - ""
                    - - "arn:"
                      - Ref: AWS::Partition
                      - ":iam::"
                      - Ref: WorkloadAccount
                      - ":role/Writer"`));
  assert.deepEqual(two.principals, [READER, WRITER]);
  const one = apply(YAML_KEY, before, NARROW, TO_READER);
  assert.equal(one.text, before.replace('- ":root"', '- ":role/Reader"'));
  assert.deepEqual(one.principals, [READER]);
  const short = `AWS: !Join
                - ''
                - - 'arn:'
                  - !Ref AWS::Partition # the stack's partition
                  - ':iam::444455556666:root'`;
  const shortKey = yamlKey('PRINCIPAL').replace('AWS: PRINCIPAL', short);
  const shortTwo = apply(YAML_KEY, shortKey, NARROW, BOTH);
  assert.equal(shortTwo.text, shortKey.replace(short, `AWS:
                - !Join
                  - ''
                  - - 'arn:'
                    - !Ref AWS::Partition # the stack's partition
                    - ':iam::444455556666:role/Reader'
                - !Join
                  - ''
                  - - 'arn:'
                    - !Ref AWS::Partition # the stack's partition
                    - ':iam::444455556666:role/Writer'`));
  assert.deepEqual(shortTwo.principals, [READER, WRITER]);
});
