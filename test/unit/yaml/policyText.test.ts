/**
 * Policies written as JSON text in a template (`PolicyDocument: !Sub '{…}'`, `{"Fn::Sub": "{…}"}`,
 * a plain JSON string): read as the owner's policy, findings on the exact characters of the
 * file (YAML quoting, escapes, folded lines and block scalars included), `${…}` resolved as the template's
 * other Fn::Sub values, fixes written into the string only where that is safe.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/engine';
import { completionsAt } from '../../../server/src/core/features/completion';
import { hoverAt } from '../../../server/src/core/features/hover';
import { atCursor, spanText } from '../features/cursor';
import { discover } from '../../../server/src/core/sources/discover';
import { resolvedItems } from '../../../server/src/core/model/resolvedValues';
import { decodeYamlScalar } from '../../../server/src/core/yaml/scalarText';
import { applyEdits, expectFindings, parseMarkers } from '../../support/fixture';
import * as fs from 'node:fs';
import { corpusMissing, corpusPath } from '../../support/corpus';
import { yamlRolePolicyTemplate } from '../../support/cfnYaml';
import { needs } from '../../support/needs';
import { A, B, C, KEY, buildWorkspace, expectWorkspace, single } from '../handshake/workspaceFixture';

const ONLY = { only: ['unknown-action', 'json-syntax', 'yaml-syntax', 'internal-error'] };

/** A YAML template of role `App` whose inline policy is `policy` (written after `PolicyDocument: `). */
const yamlRole = (policy: string) => yamlRolePolicyTemplate(` ${policy}`, 'App');

const singleQuoted = `!Sub '{
              "Version": "2012-10-17",
              "Statement": [{
                  "Effect": "Allow",
                  "Action": ["kms:Encrypt",
                    "kms:«unknown-action:Decrpyt»"],
                  "Resource": "arn:\${AWS::Partition}:kms:us-west-2:${A}:key/*",

                  "Condition": {"StringEquals": {"aws:PrincipalTag/owner": "O''Brien"}}
              }]
          }'`;

test('YAML single-quoted over several lines: the misspelled action is found on its characters', () => {
  const r = expectFindings(yamlRole(singleQuoted), { ...ONLY, file: 'app.yaml' });
  assert.equal(r.findings.length, 1);
});

test('YAML double-quoted with escapes, and a JSON template with an Fn::Sub string and a plain string', () => {
  expectFindings(yamlRole(`!Sub "{\\"Version\\": \\"2012-10-17\\", \\"Statement\\": [{\\"Effect\\": \\"Allow\\",
            \\"Action\\": \\"kms:«unknown-action:Decrpyt»\\", \\"Resource\\": \\"\\u002A\\"}]}"`), { ...ONLY, file: 'app.yaml' });
  const json = (policy: string) => `{"Resources": {"App": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "p", "Roles": ["App"], "PolicyDocument": ${policy}}}}}`;
  expectFindings(json(`{"Fn::Sub": "{\\"Version\\": \\"2012-10-17\\",\\n \\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Action\\": \\"kms:«unknown-action:Decrpyt»\\", \\"Resource\\": \\"arn:\${AWS::Partition}:kms:*:\${AWS::AccountId}:key/*\\"}]}"}`), { ...ONLY, file: 'app.template.json' });
  expectFindings(json(`"{\\"Version\\": \\"2012-10-17\\", \\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Action\\": \\"kms:«unknown-action:Decrpyt»\\", \\"Resource\\": \\"*\\"}]}"`), { ...ONLY, file: 'app.template.json' });
});

test('a JSON syntax error inside the string is reported where it is in the file', () => {
  const r = checkText('app.yaml', yamlRole(`!Sub '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow" "Action": "kms:Decrypt", "Resource": "*"}]}'`));
  const errors = r.findings.filter((f) => f.checkId === 'json-syntax');
  assert.equal(errors.length, 1, r.findings.map((f) => f.checkId).join(', '));
  const text = yamlRole('');
  assert.ok(errors[0].span.offset > text.indexOf('PolicyDocument'));
});

test('the replace-action fix is written inside the string and the template checks clean', () => {
  for (const [policy, file] of [
    [singleQuoted, 'app.yaml'],
    [`!Sub "{\\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Action\\": \\"kms:«unknown-action:Decrpyt»\\", \\"Resource\\": \\"*\\"}],\n            \\"Version\\": \\"2012-10-17\\"}"`, 'app.yaml'],
  ] as const) {
    const { text } = parseMarkers(yamlRole(policy));
    const f = checkText(file, text).findings.find((x) => x.checkId === 'unknown-action')!;
    const fix = f.fixes!.find((x) => x.id === 'replace-action')!;
    const fixed = applyEdits(text, fix.changes[0].edits);
    assert.equal(fixed, text.replace(policy.includes('\\"') ? '\\"kms:Decrpyt\\"' : '"kms:Decrpyt"', policy.includes('\\"') ? '\\"kms:Decrypt\\"' : '"kms:Decrypt"'));
    const after = checkText(file, fixed).findings.map((x) => x.checkId);
    assert.deepEqual(after.filter((id) => ONLY.only.includes(id)), []);
  }
});

test('a fix whose range crosses a folded line break is not offered', () => {
  // The action's string is split over two lines: its replacement cannot be written safely.
  const text = yamlRole(`!Sub '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrpyt
            ", "Resource": "*"}]}'`);
  const f = checkText('app.yaml', text).findings.filter((x) => x.checkId === 'unknown-action');
  assert.equal(f.length, 1);
  assert.equal(text.slice(f[0].span.offset, f[0].span.offset + f[0].span.length), 'Decrpyt\n            ');
  assert.equal(f[0].fixes, undefined);
});

test('${…} in an Fn::Sub string resolves with the template values; ${!Literal} stays literal; unknown values are no error', () => {
  const d = discover('app.yaml', yamlRole(`!Sub '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
            "Resource": ["arn:\${AWS::Partition}:s3:::b-\${AWS::AccountId}/\${!aws:username}", "arn:aws:s3:::\${Unknown}/*", "arn:aws:s3:::\${!x}"]}]}'`),
  { template: { account: B, region: 'us-west-2' } });
  const doc = d.documents.find((x) => x.kind === 'iam-identity-policy')!;
  assert.equal(doc.embedded, true);
  assert.deepEqual(doc.owner.principals, [`arn:aws:iam::${B}:role/App`]);
  const resources = doc.root.children![1].children![1].children![0].children![2].children![1].children!;
  const sub = (n: typeof resources[0]) => n.children![0].children![1].value;
  assert.equal(sub(resources[0]), 'arn:${AWS::Partition}:s3:::b-${AWS::AccountId}/${!aws:username}');
  assert.equal(sub(resources[1]), 'arn:aws:s3:::${Unknown}/*');
  assert.equal(resources[2].type, 'string');
  assert.equal(resources[2].value, 'arn:aws:s3:::${x}');
  const r = checkText('app.yaml', yamlRole(`!Sub '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::\${Unknown}/*"}]}'`));
  assert.deepEqual(r.findings.map((f) => f.checkId), []);
});

test('the handshake reads a role policy written as Fn::Sub JSON text as the role\'s grant', () => {
  const M = '/ws/policy-handshake.json';
  const manifest = JSON.stringify({
    accounts: { [A]: { name: 'security' }, [B]: { name: 'workloads' } },
    keys: [{ policy: 'security/key.json', arn: KEY }],
    templates: [{ files: 'workloads/*.yaml', account: B, region: 'us-west-2', parameters: { KeyAccount: A } }],
  });
  const key = (principal: string) => `{"Version": "2012-10-17", "Statement": [
  {"Sid": "Own", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${A}:root"}, "Action": "kms:*", "Resource": "*"},
  {"Sid": "App", "Effect": "Allow", "Principal": {"AWS": ${principal}}, "Action": "kms:Decrypt", "Resource": "*"}]}`;
  const role = yamlRole(`!Sub '{
              "Version": "2012-10-17",
              "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt",
                "Resource": "arn:\${AWS::Partition}:kms:\${AWS::Region}:\${KeyAccount}:key/${KEY.split('/')[1]}"}]
          }'`);
  const s = expectWorkspace({ [M]: manifest, '/ws/security/key.json': key(`«root-principal-broader-than-grants:"arn:aws:iam::${B}:root"»`), '/ws/workloads/app.yaml': role });
  const broader = single(s.ws, '/ws/security/key.json', 'root-principal-broader-than-grants');
  assert.match(broader.message, /It is role\/App \(kms:Decrypt\)\./);
  // Where the grant is (line 18 of the template, inside the Fn::Sub text), the related entry says.
  const lineOf = (offset: number) => role.slice(0, offset).split('\n').length;
  assert.ok(broader.related!.some((r) => r.file.endsWith('workloads/app.yaml') && lineOf(r.span.offset) === 18), JSON.stringify(broader.related));
  // Without the grant in the string, the trusted account has none.
  expectWorkspace({ [M]: manifest, '/ws/security/key.json': key(`«root-principal-without-grant:"arn:aws:iam::${B}:root"»`), '/ws/workloads/app.yaml': role.replace('kms:Decrypt', 's3:GetObject') });
});

test('the scalar decoder maps each character of the value to the file', () => {
  const text = `x: 'a''b\n   c\n\n   d  '`;
  const start = text.indexOf("'");
  const d = decodeYamlScalar(text, start, text.length - start, "a'b c\nd  ")!;
  assert.equal(d.text, "a'b c\nd  ");
  assert.deepEqual([...d.map], [4, 5, 7, 8, 12, 13, 18, 19, 20, 21]);
  // A value the decoder would read differently: no map.
  assert.equal(decodeYamlScalar(text, start, text.length - start, 'other'), undefined);
  const lit = 'x: |\n  {"a":\n   1}\ny: 2';
  const l = decodeYamlScalar(lit, 3, lit.indexOf('\ny') - 3, '{"a":\n 1}\n')!;
  assert.equal(l.text, '{"a":\n 1}\n');
  assert.equal(l.map[0], lit.indexOf('{'));
  assert.equal(l.map[7], lit.indexOf('1'));
});

const MSK = 'cloudformation/aws-samples__serverless-patterns/msk-lambda-iam-java-sam/MSKAndKafkaClientEC2.yaml';
test('corpus: the MSK sample\'s four role policies written as !Sub JSON text are read', needs('corpus', corpusMissing(MSK)), () => {
  const found = fs.readFileSync(corpusPath(MSK), 'utf8');
  const d = discover('MSKAndKafkaClientEC2.yaml', found);
  const inString = d.documents.filter((x) => x.embedded);
  assert.equal(inString.length, 4);
  assert.deepEqual(inString.map((x) => [x.kind, x.owner.label]), Array(4).fill(['iam-identity-policy', 'EC2Role']));
  assert.deepEqual(d.embeddedProblems.flatMap((p) => p.json.problems), []);
  // The first one's action is mapped onto the template's text.
  const first = inString[0];
  const action = first.root.children![1].children![1].children![0].children![2].children![1];
  const at = first.toFileOffset(action.offset);
  assert.equal(found.slice(at, at + '"kafka:CreateConfiguration"'.length), '"kafka:CreateConfiguration"');
});

test('completion and hover inside a policy written as JSON text: what is inserted is written as the string holds it', () => {
  for (const quote of ["'", '"']) {
    const q = (s: string) => (quote === '"' ? s.replace(/"/g, '\\"') : s);
    const marked = yamlRole(`!Sub ${quote}${q('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decr')}$0${q('", "Resource": "*"}]}')}${quote}`);
    const at = atCursor(marked, { path: 'app.yaml' });
    const c = completionsAt(at.ws, at.path, at.offset);
    assert.ok(c, quote);
    const item = c.items.find((i) => (i.insertText ?? i.label).includes('kms:Decrypt'));
    assert.ok(item, c.items.slice(0, 5).map((i) => i.insertText ?? i.label).join(', '));
    // The replaced range is the action typed so far, on the file's characters.
    assert.equal(spanText(at.text, c.replace), 'kms:Decr');
    assert.equal(item.insertText ?? item.label, 'kms:Decrypt');
    // Hover on the completed action, in the file's text.
    const done = at.text.replace('kms:Decr"', 'kms:Decrypt"').replace('kms:Decr\\"', 'kms:Decrypt\\"');
    at.ws.updateFile(at.path, done);
    const h = hoverAt(at.ws, at.path, done.indexOf('kms:Decrypt') + 4);
    assert.ok(h, quote);
    assert.match(spanText(done, h.span), /^\\?"?kms:Decrypt\\?"?$/);
    assert.match(h.markdown, /Decrypt/);
  }
});

test('!Sub list form [text, {Var: value}]: the misspelled action is found on its characters, in YAML (flow and block) and JSON templates', () => {
  const text = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:«unknown-action:Decrpyt»", "Resource": "arn:aws:kms:us-west-2:\${Acct}:key/*"}]}`;
  expectFindings(yamlRole(`!Sub ['${text}', {Acct: '${A}'}]`), { ...ONLY, file: 'app.yaml' });
  expectFindings(yamlRole(`!Sub
            - '${text}'
            - Acct: !Ref AWS::AccountId`), { ...ONLY, file: 'app.yaml' });
  const json = `{"Resources": {"App": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "p", "Roles": ["App"], "PolicyDocument": {"Fn::Sub": ["${text.replace(/"/g, '\\"')}", {"Acct": "${A}"}]}}}}}`;
  const r = expectFindings(json, { ...ONLY, file: 'app.template.json' });
  // The replacement is written in the string's escaping and the template checks clean.
  const { text: plain } = parseMarkers(json);
  const fix = r.findings.find((f) => f.checkId === 'unknown-action')!.fixes!.find((x) => x.id === 'replace-action')!;
  const fixed = applyEdits(plain, fix.changes[0].edits);
  assert.equal(fixed, plain.replace('kms:Decrpyt', 'kms:Decrypt'));
  assert.deepEqual(checkText('app.template.json', fixed).findings.filter((f) => ONLY.only.includes(f.checkId)).map((f) => f.checkId), []);
});

test('!Sub list form: the variables of the map resolve ${Var} in the policy text (literal, Ref, pseudo-parameter); unknown ones stay unknown', () => {
  const d = discover('app.yaml', yamlRole(`!Sub
            - '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt",
                "Resource": ["arn:\${AWS::Partition}:kms:\${AWS::Region}:\${KeyAccount}:key/\${Id}", "arn:aws:s3:::\${Bucket}/*", "arn:aws:s3:::\${Other}/*", "*"]}]}'
            - {KeyAccount: ${A}, Id: !Ref KeyId, Bucket: !ImportValue BucketName}`),
  { template: { account: B, region: 'us-west-2', parameters: { KeyId: 'k-1' } } });
  const doc = d.documents.find((x) => x.kind === 'iam-identity-policy')!;
  const statement = doc.root.children![1].children![1].children![0];
  const values = resolvedItems(statement.children![2].children![1], doc.template);
  assert.deepEqual(values.map((v) => [v.value, v.intrinsic]), [
    [`arn:aws:kms:us-west-2:${A}:key/k-1`, true],
    [undefined, true],
    [undefined, true],
    ['*', false],
  ]);
  // Every node made for the substitution lies on the string's characters in the file.
  const at = doc.toFileOffset(values[0].node.offset);
  assert.equal(d.json.text.slice(at, at + 6), '"arn:$');
  const r = checkText('app.yaml', d.json.text);
  assert.deepEqual(r.findings.filter((f) => f.severity === 'error').map((f) => f.checkId), []);
});

test('the handshake reads a role policy written as !Sub list-form JSON text: the map gives the key\'s account', () => {
  const M = '/ws/policy-handshake.json';
  const manifest = JSON.stringify({
    accounts: { [A]: { name: 'security' }, [B]: { name: 'workloads' } },
    keys: [{ policy: 'security/key.json', arn: KEY }],
    templates: [{ files: 'workloads/*.yaml', account: B, region: 'us-west-2' }],
  });
  const key = `{"Version": "2012-10-17", "Statement": [
  {"Sid": "Own", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${A}:root"}, "Action": "kms:*", "Resource": "*"},
  {"Sid": "App", "Effect": "Allow", "Principal": {"AWS": «MARK:"arn:aws:iam::${B}:root"»}, "Action": "kms:Decrypt", "Resource": "*"}]}`;
  const role = (vars: string) => yamlRole(`!Sub
            - '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt",
                "Resource": "arn:\${AWS::Partition}:kms:\${AWS::Region}:\${KeyAccount}:key/${KEY.split('/')[1]}"}]}'
            - ${vars}`);
  const s = expectWorkspace({ [M]: manifest, '/ws/security/key.json': key.replace('MARK', 'root-principal-broader-than-grants'), '/ws/workloads/app.yaml': role(`KeyAccount: '${A}'`) });
  assert.match(single(s.ws, '/ws/security/key.json', 'root-principal-broader-than-grants').message, /It is role\/App \(kms:Decrypt\)\./);
  // The map names another account: the grant is not for this key.
  expectWorkspace({ [M]: manifest, '/ws/security/key.json': key.replace('MARK', 'root-principal-without-grant'), '/ws/workloads/app.yaml': role(`KeyAccount: '${C}'`) });
  // A variable whose value is not known is an unknown value (no error), as a parameter the manifest does not give.
  const unknown = buildWorkspace({ [M]: manifest, '/ws/security/key.json': key.replace('«MARK:', '').replace('»', ''), '/ws/workloads/app.yaml': role('KeyAccount: !Ref Unset') });
  assert.deepEqual(unknown.ws.findings('/ws/workloads/app.yaml').map((f) => f.checkId), []);
});

// Block scalars holding the policy: folded (`>`, `>-`) and literal with chomping (`|-`, `|+`).

const blockPolicy = (header: string) => `!Sub ${header}
            {"Version": "2012-10-17",
            "Statement": [{"Effect": "Allow",
            "Action": ["kms:Encrypt", "kms:«unknown-action:Decrpyt»"],

            "Resource": "arn:\${AWS::Partition}:kms:us-west-2:${A}:key/*"}]}
`;

test('folded and literal block scalars (>, >-, >+, |-, |+): the misspelled action is found on its characters and its fix re-checks clean', () => {
  for (const header of ['>', '>-', '>+', '|-', '|+', '>2', '|']) {
    const marked = yamlRole(blockPolicy(header));
    const { text } = parseMarkers(marked);
    const r = expectFindings(marked, { ...ONLY, file: 'app.yaml' });
    const fix = r.findings.find((f) => f.checkId === 'unknown-action')!.fixes!.find((x) => x.id === 'replace-action')!;
    const fixed = applyEdits(text, fix.changes[0].edits);
    assert.equal(fixed, text.replace('"kms:Decrpyt"', '"kms:Decrypt"'), header);
    assert.deepEqual(checkText('app.yaml', fixed).findings.filter((f) => ONLY.only.includes(f.checkId)).map((f) => f.checkId), [], header);
  }
});

test('a folded block: an action whose string is folded over two lines is flagged over the fold, without a fix', () => {
  const text = yamlRole(`>-
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt
            Key", "Resource": "*"}]}`);
  const f = checkText('app.yaml', text).findings.filter((x) => x.checkId === 'unknown-action');
  assert.equal(f.length, 1);
  // "kms:Decrypt Key": the space the line break folds to is mapped to the line break.
  assert.equal(text.slice(f[0].span.offset, f[0].span.offset + f[0].span.length), 'Decrypt\n            Key');
  assert.equal(f[0].fixes, undefined);
});

test('the folded-block decoder: breaks between lines indented alike fold, empty lines and more-indented lines keep theirs', () => {
  const text = 'x: >-\n  a\n  b\n\n  c\n    d\n  e\n\n\ny: 1';
  const start = text.indexOf('>');
  const d = decodeYamlScalar(text, start, text.indexOf('e\n') + 1 - start, 'a b\nc\n  d\ne')!;
  assert.equal(d.text, 'a b\nc\n  d\ne');
  assert.deepEqual([...d.map], [8, 9, 12, 14, 17, 18, 21, 22, 23, 24, 27, 28]);
  assert.equal(text.slice(d.map[2], d.map[2] + 1), 'b');
  // Kept trailing empty lines (`>+`) lie past the node's last character.
  const keep = text.replace('>-', '>+');
  assert.equal(decodeYamlScalar(keep, start, text.indexOf('e\n') + 1 - start, 'a b\nc\n  d\ne\n\n\n')?.text, 'a b\nc\n  d\ne\n\n\n');
  // A value read otherwise by the YAML parser: no map.
  assert.equal(decodeYamlScalar(text, start, text.indexOf('e\n') + 1 - start, 'a\nb c d e'), undefined);
});

test('a block scalar: an edit is written only where it keeps how its line starts', () => {
  const d = discover('app.yaml', yamlRole(`>
            {"Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}`));
  const doc = d.documents.find((x) => x.embedded)!;
  const inner = doc.json.text;
  const statement = inner.indexOf('"Statement"');
  assert.equal(doc.writeInString!(inner.indexOf('kms:Decrypt'), 11, 'kms:Encrypt'), 'kms:Encrypt');
  // At a line's first character: a replacement that starts with text is safe; one that starts with a space, or empties the start, is not.
  assert.equal(doc.writeInString!(statement, 11, '"Statements"'), '"Statements"');
  assert.equal(doc.writeInString!(statement, 11, ' "Statement"'), undefined);
  assert.equal(doc.writeInString!(statement, 1, ''), '');
  assert.equal(doc.writeInString!(statement, 0, ' '), undefined);
  // Across the folded line break: never.
  assert.equal(doc.writeInString!(statement - 2, 4, ', "S'), undefined);
});

test('!Sub list form: a variable whose value is larger than the copy bound stays unknown (no error); a small one resolves', () => {
  const resource = (pieces: number) => {
    const d = discover('app.yaml', yamlRole(`!Sub
            - '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::\${B}/*"}]}'
            - B: !Join ['', [${Array(pieces).fill('b').join(', ')}]]`));
    const doc = d.documents.find((x) => x.kind === 'iam-identity-policy')!;
    return resolvedItems(doc.root.children![1].children![1].children![0].children![2].children![1], doc.template)[0].value;
  };
  assert.equal(resource(10), `arn:aws:s3:::${'b'.repeat(10)}/*`);
  assert.equal(resource(100), undefined);
});
