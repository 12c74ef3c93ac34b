/**
 * narrow-root-to-role on CloudFormation account principals whose account the template chooses
 * or computes: an `Fn::If` of two accounts is narrowed in the branch of the finding's account
 * only; a `Ref` of a parameter holding the root ARN becomes a `Fn::Sub` whose account is that
 * ARN's fifth field (`Fn::Select` 4 of `Fn::Split` at `:`); a `Fn::Sub` of the account id alone
 * becomes a `Fn::Sub` of a role ARN of that account; an `Fn::ImportValue` is never replaced by a
 * literal. Each fix is applied and the template read again by the product.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Finding } from '../../../server/src/core/findings';
import { prop } from '../../../server/src/core/json/nodes';
import { readStatements } from '../../../server/src/core/model/policyDocument';
import { resolvedItems } from '../../../server/src/core/model/resolvedValues';
import type { Workspace } from '../../../server/src/core/workspace/workspace';
import { B, C, applyFix } from './workspaceFixture';
import { DEV_READER, JSON_KEY, READER, WRITER, YAML_KEY, jsonKey, workspace, yamlKey } from './cfnKeyTemplate';

const BROADER = 'root-principal-broader-than-grants';
const NARROW = 'narrow-root-to-role';
const CONDITION = 'narrow-root-with-condition';
const BOTH = /^Narrow the principal to the 2 principals/;
const TO_READER = /^Narrow the principal to arn:aws:iam::444455556666:role\/Reader /;

/** The template's parameters in the manifest: ProdAccount is B, DevAccount C. */
const ACCOUNTS = { ProdAccount: B, DevAccount: C };

/** jsonKey / yamlKey with the parameters and the condition an `Fn::If` principal needs. */
const jsonIfKey = (principal: string) => jsonKey(principal).replace('"Parameters": { "WorkloadAccount": { "Type": "String" } },',
  '"Parameters": { "Stage": { "Type": "String" }, "ProdAccount": { "Type": "String" }, "DevAccount": { "Type": "String" } },\n  "Conditions": { "IsProd": { "Fn::Equals": [{ "Ref": "Stage" }, "prod"] } },');
const yamlIfKey = (principal: string) => yamlKey(principal).replace('Parameters:\n  WorkloadAccount: {Type: String}\n',
  'Parameters:\n  Stage: {Type: String}\n  ProdAccount: {Type: String}\n  DevAccount: {Type: String}\nConditions:\n  IsProd: !Equals [!Ref Stage, prod]\n');

/** Line and column (0-based) of an offset. */
function position(text: string, offset: number): [number, number] {
  const before = text.slice(0, offset);
  return [before.split('\n').length - 1, offset - before.lastIndexOf('\n') - 1];
}

/** The root-principal-broader-than-grants finding about `account`, which must be the only one. */
function broader(ws: Workspace, keyFile: string, account: string): Finding {
  const found = ws.findings(keyFile).filter((f) => f.checkId === BROADER && f.message.includes(`(${account})`));
  assert.equal(found.length, 1, ws.findings(keyFile).map((f) => `${f.checkId}: ${f.message}`).join('\n'));
  return found[0];
}

/** The Workloads statement's AWS principals as the product reads them (both branches of an `Fn::If`). */
function principals(ws: Workspace, keyFile: string): (string | undefined)[] {
  const doc = ws.discovered(keyFile)!.documents.find((d) => d.kind === 'kms-key-policy')!;
  const workloads = readStatements(doc.root).find((s) => s.sid === 'Workloads')!;
  return resolvedItems(prop(workloads.elements.Principal!.value, 'AWS')!.value, doc.template).map((v) => v.value);
}

/** The ArnEquals aws:PrincipalArn values of the Workloads statement, as the product reads them. */
function conditionArns(ws: Workspace, keyFile: string): (string | undefined)[] {
  const doc = ws.discovered(keyFile)!.documents.find((d) => d.kind === 'kms-key-policy')!;
  const workloads = readStatements(doc.root).find((s) => s.sid === 'Workloads')!;
  const arnEquals = prop(workloads.elements.Condition?.value, 'ArnEquals')?.value;
  return resolvedItems(prop(arnEquals, 'aws:PrincipalArn')?.value, doc.template).map((v) => v.value);
}

interface Applied { text: string; principals: (string | undefined)[]; ws: Workspace; keyFile: string }

/**
 * Apply the fix (`fixId`, title matching) of the finding about `account`; the template must read
 * back without problems or errors, and the only root-principal findings left are about `left`.
 */
function apply(keyFile: string, key: string, account: string, fixId: string, title: RegExp, parameters: Record<string, string>, left: string[] = [], dev = false): Applied {
  const ws = workspace(keyFile, key, false, parameters, dev);
  const f = broader(ws, keyFile, account);
  const fix = (f.fixes ?? []).find((x) => x.id === fixId && title.test(x.title));
  assert.ok(fix, `${fixId} ${title} among ${(f.fixes ?? []).map((x) => `${x.id}: ${x.title}`).join(' | ')}`);
  applyFix(ws, keyFile, fix);
  const text = ws.text(keyFile)!;
  assert.deepEqual(ws.discovered(keyFile)!.json.problems, [], text);
  assert.deepEqual(ws.findings(keyFile).filter((x) => x.severity === 'error' || x.checkId === 'internal-error').map((x) => x.checkId), [], text);
  const rest = ws.findings(keyFile).filter((x) => /^root-principal/.test(x.checkId)).map((x) => /\((\d{12})\)/.exec(x.message)?.[1]);
  assert.deepEqual(rest, left, text);
  return { text, principals: principals(ws, keyFile), ws, keyFile };
}

const fixIds = (f: Finding) => (f.fixes ?? []).map((x) => x.id);

const JSON_IF = '{ "Fn::If": ["IsProd", { "Fn::Sub": "arn:${AWS::Partition}:iam::${ProdAccount}:root" }, { "Fn::Sub": "arn:${AWS::Partition}:iam::${DevAccount}:root" }] }';

test('JSON template: an Fn::If of two accounts is narrowed in the branch of the finding\'s account, the other branch kept, and gets no condition fix', () => {
  const before = jsonIfKey(JSON_IF);
  const ws = workspace(JSON_KEY, before, false, ACCOUNTS, true);
  // One finding per account, on the Fn::If.
  for (const account of [B, C]) {
    const f = broader(ws, JSON_KEY, account);
    assert.equal(before.slice(f.span.offset, f.span.offset + f.span.length), JSON_IF);
    assert.deepEqual(position(before, f.span.offset), [12, 75]);
    assert.deepEqual([...new Set(fixIds(f))], [NARROW]);
  }
  const one = apply(JSON_KEY, before, B, NARROW, TO_READER, ACCOUNTS, [C], true);
  assert.equal(one.text, before.replace('${ProdAccount}:root', '${ProdAccount}:role/Reader'));
  assert.deepEqual(one.principals, [READER, `arn:aws:iam::${C}:root`]);
  const two = apply(JSON_KEY, before, B, NARROW, BOTH, ACCOUNTS, [C], true);
  assert.equal(two.text, before.replace('{ "Fn::Sub": "arn:${AWS::Partition}:iam::${ProdAccount}:root" }', `[
              { "Fn::Sub": "arn:\${AWS::Partition}:iam::\${ProdAccount}:role/Reader" },
              { "Fn::Sub": "arn:\${AWS::Partition}:iam::\${ProdAccount}:role/Writer" }
            ]`));
  assert.deepEqual(two.principals, [READER, WRITER, `arn:aws:iam::${C}:root`]);
  const dev = apply(JSON_KEY, before, C, NARROW, /^Narrow the principal to arn:aws:iam::777788889999:role\/DevReader /, ACCOUNTS, [B], true);
  assert.equal(dev.text, before.replace('${DevAccount}:root', '${DevAccount}:role/DevReader'));
  assert.deepEqual(dev.principals, [`arn:aws:iam::${B}:root`, DEV_READER]);
});

test('YAML template: a !If of two accounts, short and long form, is narrowed in one branch; several roles are a flow list there', () => {
  const short = '!If [IsProd, !Sub "arn:aws:iam::${ProdAccount}:root", !Sub "arn:aws:iam::${DevAccount}:root"]';
  const before = yamlIfKey(short);
  const f = broader(workspace(YAML_KEY, before, false, ACCOUNTS, true), YAML_KEY, B);
  assert.equal(before.slice(f.span.offset, f.span.offset + f.span.length), short);
  assert.deepEqual(position(before, f.span.offset), [22, 19]);
  const two = apply(YAML_KEY, before, B, NARROW, BOTH, ACCOUNTS, [C], true);
  assert.equal(two.text, before.replace(short, '!If [IsProd, [!Sub "arn:aws:iam::${ProdAccount}:role/Reader", !Sub "arn:aws:iam::${ProdAccount}:role/Writer"], !Sub "arn:aws:iam::${DevAccount}:root"]'));
  assert.deepEqual(two.principals, [READER, WRITER, `arn:aws:iam::${C}:root`]);
  const one = apply(YAML_KEY, before, B, NARROW, TO_READER, ACCOUNTS, [C], true);
  assert.equal(one.text, before.replace('${ProdAccount}:root', '${ProdAccount}:role/Reader'));
  assert.deepEqual(one.principals, [READER, `arn:aws:iam::${C}:root`]);
  const long = `AWS:
                Fn::If:
                  - IsProd
                  - Fn::Sub: "arn:aws:iam::\${ProdAccount}:root"
                  - Fn::Sub: "arn:aws:iam::\${DevAccount}:root"`;
  const longKey = yamlIfKey('PRINCIPAL').replace('AWS: PRINCIPAL', long);
  const longTwo = apply(YAML_KEY, longKey, B, NARROW, BOTH, ACCOUNTS, [C], true);
  assert.equal(longTwo.text, longKey.replace('- Fn::Sub: "arn:aws:iam::${ProdAccount}:root"',
    // The document writes !Sub (its Owner statement): the new values are !Sub too.
    "- [!Sub 'arn:aws:iam::${ProdAccount}:role/Reader', !Sub 'arn:aws:iam::${ProdAccount}:role/Writer']"));
  assert.deepEqual(longTwo.principals, [READER, WRITER, `arn:aws:iam::${C}:root`]);
});

test('an Fn::If whose other branch is an Fn::ImportValue: narrowed in the known branch, the import kept; an imported account alone gets no fix', () => {
  const principal = '{ "Fn::If": ["IsProd", { "Fn::Sub": "arn:aws:iam::${ProdAccount}:root" }, { "Fn::ImportValue": "PartnerRootArn" }] }';
  const before = jsonIfKey(principal);
  const f = broader(workspace(JSON_KEY, before, false, ACCOUNTS), JSON_KEY, B);
  assert.deepEqual([...new Set(fixIds(f))], [NARROW]);
  const two = apply(JSON_KEY, before, B, NARROW, BOTH, ACCOUNTS);
  assert.equal(two.text, before.replace('{ "Fn::Sub": "arn:aws:iam::${ProdAccount}:root" }', `[
              { "Fn::Sub": "arn:aws:iam::\${ProdAccount}:role/Reader" },
              { "Fn::Sub": "arn:aws:iam::\${ProdAccount}:role/Writer" }
            ]`));
  assert.deepEqual(two.principals, [READER, WRITER, undefined]);
  // The account imported: not known at edit time, so nothing is narrowed.
  for (const imported of ['!Sub ["arn:aws:iam::${Acct}:root", {Acct: !ImportValue WorkloadAccountId}]', '!ImportValue PartnerRootArn']) {
    const ws = workspace(YAML_KEY, yamlKey(imported));
    assert.deepEqual(ws.findings(YAML_KEY).filter((x) => x.fixes?.some((y) => y.id === NARROW || y.id === CONDITION)).map((x) => x.checkId), [], imported);
  }
});

const ROOT_ARN = { TrustedRootArn: `arn:aws:iam::${B}:root` };
const SELECT_JSON = '{ "Account": { "Fn::Select": [4, { "Fn::Split": [":", { "Ref": "TrustedRootArn" }] }] } }';

test('JSON template: a Ref of a root ARN parameter becomes a Fn::Sub whose account is Fn::Select 4 of the ARN split at ":", in the principal and the condition', () => {
  const before = jsonKey('{ "Ref": "TrustedRootArn" }').replace('"WorkloadAccount": { "Type": "String" }', '"TrustedRootArn": { "Type": "String" }');
  const f = broader(workspace(JSON_KEY, before, false, ROOT_ARN), JSON_KEY, B);
  assert.deepEqual(position(before, f.span.offset), [11, 75]);
  const one = apply(JSON_KEY, before, B, NARROW, TO_READER, ROOT_ARN);
  assert.equal(one.text, before.replace('{ "Ref": "TrustedRootArn" }', `{ "Fn::Sub": ["arn:\${AWS::Partition}:iam::\${Account}:role/Reader", ${SELECT_JSON}] }`));
  assert.deepEqual(one.principals, [READER]);
  const two = apply(JSON_KEY, before, B, NARROW, BOTH, ROOT_ARN);
  assert.equal(two.text, before.replace('{ "Ref": "TrustedRootArn" }', `[
              { "Fn::Sub": ["arn:\${AWS::Partition}:iam::\${Account}:role/Reader", ${SELECT_JSON}] },
              { "Fn::Sub": ["arn:\${AWS::Partition}:iam::\${Account}:role/Writer", ${SELECT_JSON}] }
            ]`));
  assert.deepEqual(two.principals, [READER, WRITER]);
  const cond = apply(JSON_KEY, before, B, CONDITION, /./, ROOT_ARN);
  assert.equal(cond.text, before.replace('"Resource": "*" }\n          ]', `"Resource": "*", "Condition": { "ArnEquals": { "aws:PrincipalArn": [{ "Fn::Sub": ["arn:\${AWS::Partition}:iam::\${Account}:role/Reader", ${SELECT_JSON}] }, { "Fn::Sub": ["arn:\${AWS::Partition}:iam::\${Account}:role/Writer", ${SELECT_JSON}] }] } } }\n          ]`));
  assert.deepEqual([cond.principals, conditionArns(cond.ws, cond.keyFile)], [[`arn:aws:iam::${B}:root`], [READER, WRITER]]);
});

test('YAML template: a !Ref of a root ARN parameter becomes !Sub with !Select [4, !Split [...]], one role or a block sequence; the long form stays long', () => {
  const yamlRootKey = (principal: string) => yamlKey(principal).replace('WorkloadAccount: {Type: String}', 'TrustedRootArn: {Type: String}');
  const sub = (role: string) => `!Sub ['arn:\${AWS::Partition}:iam::\${Account}:role/${role}', {Account: !Select [4, !Split [':', !Ref TrustedRootArn]]}]`;
  const before = yamlRootKey('!Ref TrustedRootArn');
  const one = apply(YAML_KEY, before, B, NARROW, TO_READER, ROOT_ARN);
  assert.equal(one.text, before.replace('AWS: !Ref TrustedRootArn', `AWS: ${sub('Reader')}`));
  assert.deepEqual(one.principals, [READER]);
  const two = apply(YAML_KEY, before, B, NARROW, BOTH, ROOT_ARN);
  assert.equal(two.text, before.replace('AWS: !Ref TrustedRootArn', `AWS:\n                - ${sub('Reader')}\n                - ${sub('Writer')}`));
  assert.deepEqual(two.principals, [READER, WRITER]);
  const long = yamlRootKey('PRINCIPAL').replace('AWS: PRINCIPAL', 'AWS:\n                Ref: TrustedRootArn');
  const longOne = apply(YAML_KEY, long, B, NARROW, TO_READER, ROOT_ARN);
  assert.equal(longOne.text, long.replace('Ref: TrustedRootArn',
    "Fn::Sub: ['arn:${AWS::Partition}:iam::${Account}:role/Reader', {Account: {Fn::Select: [4, {Fn::Split: [':', {Ref: TrustedRootArn}]}]}}]"));
  assert.deepEqual(longOne.principals, [READER]);
  // A !Sub of the whole ARN: its account is not written so; the fixes would hard-code B, so none is offered.
  const whole = yamlRootKey("!Sub '${TrustedRootArn}'");
  const f = broader(workspace(YAML_KEY, whole, false, ROOT_ARN), YAML_KEY, B);
  assert.equal(whole.slice(f.span.offset, f.span.offset + f.span.length), "!Sub '${TrustedRootArn}'");
  assert.deepEqual(fixIds(f), []);
});

test('a Fn::Sub of the account id alone (a bare account principal) becomes a Fn::Sub of the role ARN in the same account expression', () => {
  const json = jsonKey('{ "Fn::Sub": "${WorkloadAccount}" }');
  const one = apply(JSON_KEY, json, B, NARROW, TO_READER, {});
  assert.equal(one.text, json.replace('"${WorkloadAccount}"', '"arn:${AWS::Partition}:iam::${WorkloadAccount}:role/Reader"'));
  assert.deepEqual(one.principals, [READER]);
  const cond = apply(JSON_KEY, json, B, CONDITION, /./, {});
  assert.equal(cond.text, json.replace('"Resource": "*" }\n          ]', '"Resource": "*", "Condition": { "ArnEquals": { "aws:PrincipalArn": [{ "Fn::Sub": "arn:${AWS::Partition}:iam::${WorkloadAccount}:role/Reader" }, { "Fn::Sub": "arn:${AWS::Partition}:iam::${WorkloadAccount}:role/Writer" }] } } }\n          ]'));
  assert.deepEqual([cond.principals, conditionArns(cond.ws, cond.keyFile)], [[B], [READER, WRITER]]);
  const yaml = yamlKey("!Sub '${WorkloadAccount}'");
  const two = apply(YAML_KEY, yaml, B, NARROW, BOTH, {});
  assert.equal(two.text, yaml.replace("AWS: !Sub '${WorkloadAccount}'", `AWS:
                - !Sub 'arn:\${AWS::Partition}:iam::\${WorkloadAccount}:role/Reader'
                - !Sub 'arn:\${AWS::Partition}:iam::\${WorkloadAccount}:role/Writer'`));
  assert.deepEqual(two.principals, [READER, WRITER]);
  const listForm = yamlKey("!Sub ['${Acct}', {Acct: !Ref WorkloadAccount}]");
  const vars = apply(YAML_KEY, listForm, B, NARROW, TO_READER, {});
  assert.equal(vars.text, listForm.replace("'${Acct}'", "'arn:${AWS::Partition}:iam::${Acct}:role/Reader'"));
  assert.deepEqual(vars.principals, [READER]);
});
