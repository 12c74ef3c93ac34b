/**
 * Editor features on CloudFormation YAML templates: hover, completion, code lens and
 * go-to-definition read the same nodes as on JSON, with spans in the YAML text.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { codeLens } from '../../../server/src/core/features/codeLens';
import { completionsAt } from '../../../server/src/core/features/completion';
import { definition } from '../../../server/src/core/features/definition';
import { hoverAt } from '../../../server/src/core/features/hover';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { parseCursor, spanText } from '../features/cursor';
import { applyEdits } from '../../support/fixture';
import { yamlKeyTemplate, yamlRoleTemplate } from '../../support/cfnYaml';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const keyTemplate = yamlKeyTemplate(`- Sid: Workloads
  Effect: Allow
  Principal:
    AWS: arn:aws:iam::444455556666:root
  Action: [kms:Decrypt, "kms:DescribeKey"]
  Resource: '*'`);
const roleTemplate = yamlRoleTemplate(`- Effect: Allow
  Action:
    - kms:Decrypt
  Resource: !Ref KeyArn`, 'app');
const manifest = JSON.stringify({
  accounts: { '111122223333': { name: 'security' }, '444455556666': { name: 'workloads' } },
  keys: [{ policy: 'security/key.yaml', arn: KEY }],
  templates: [
    { files: 'security/*.yaml', account: '111122223333', region: 'us-east-1' },
    { files: 'workloads/*.yml', account: '444455556666', region: 'us-east-1', parameters: { KeyArn: KEY } },
  ],
});

function workspace(files: Record<string, string>): Workspace {
  const ws = new Workspace();
  ws.updateFiles([{ path: '/ws/policy-handshake.json', text: manifest }, ...Object.entries(files).map(([path, text]) => ({ path, text }))]);
  return ws;
}

test('hover on a plain action and on a quoted one, from their first character', () => {
  const ws = workspace({ '/ws/security/key.yaml': keyTemplate });
  for (const [needle, word] of [['kms:Decrypt,', 'kms:Decrypt'], ['"kms:DescribeKey"', '"kms:DescribeKey"']]) {
    const offset = keyTemplate.indexOf(needle) + (needle.startsWith('"') ? 1 : 0);
    const h = hoverAt(ws, '/ws/security/key.yaml', offset);
    assert.ok(h, needle);
    assert.equal(spanText(keyTemplate, h.span), word);
    assert.match(h.markdown, /Decrypt|DescribeKey/);
  }
});

test('completion inside a plain action replaces the scalar typed so far (no quotes added)', () => {
  const { text, offset } = parseCursor(roleTemplate.replace('- kms:Decrypt', '- kms:Decr$0'));
  const ws = workspace({ '/ws/workloads/role.yml': text });
  const c = completionsAt(ws, '/ws/workloads/role.yml', offset);
  assert.ok(c);
  assert.equal(spanText(text, c.replace), 'kms:Decr');
  assert.ok(c.items.some((i) => (i.insertText ?? i.label) === 'kms:Decrypt'), c.items.slice(0, 5).map((i) => i.insertText ?? i.label).join(', '));
});

test('code lens on the trusted account root and go-to-definition both ways, on YAML nodes', () => {
  const ws = workspace({ '/ws/security/key.yaml': keyTemplate, '/ws/workloads/role.yml': roleTemplate });
  const lenses = codeLens(ws, '/ws/security/key.yaml');
  assert.deepEqual(lenses.map((l) => [spanText(keyTemplate, l.span), l.title]), [['arn:aws:iam::444455556666:root', '1 role in workloads uses this key']]);
  const fromGrant = definition(ws, '/ws/workloads/role.yml', roleTemplate.indexOf('!Ref KeyArn') + 6);
  assert.equal(fromGrant.length, 1);
  assert.equal(fromGrant[0].file, '/ws/security/key.yaml');
  assert.ok(spanText(keyTemplate, fromGrant[0].span).startsWith("Version: '2012-10-17'"));
  const fromTrust = definition(ws, '/ws/security/key.yaml', keyTemplate.indexOf('arn:aws:iam::444455556666:root') + 3);
  assert.equal(fromTrust.length, 1);
  assert.equal(fromTrust[0].file, '/ws/workloads/role.yml');
  assert.ok(spanText(roleTemplate, fromTrust[0].span).startsWith('Effect: Allow'));
});

test('narrow-root-to-role on a YAML key policy replaces the plain root ARN by the role ARN; checked again, the finding is gone', () => {
  const ws = workspace({ '/ws/security/key.yaml': keyTemplate, '/ws/workloads/role.yml': roleTemplate });
  const broader = ws.findings('/ws/security/key.yaml').filter((f) => f.checkId === 'root-principal-broader-than-grants');
  assert.equal(broader.length, 1);
  assert.equal(spanText(keyTemplate, broader[0].span), 'arn:aws:iam::444455556666:root');
  const fixes = broader[0].fixes ?? [];
  const narrow = fixes.find((f) => f.id === 'narrow-root-to-role');
  assert.ok(narrow, fixes.map((f) => f.id).join(', '));
  const fixed = applyEdits(keyTemplate, narrow.changes[0].edits);
  assert.equal(fixed, keyTemplate.replace('AWS: arn:aws:iam::444455556666:root', 'AWS: arn:aws:iam::444455556666:role/app'));
  const after = workspace({ '/ws/security/key.yaml': fixed, '/ws/workloads/role.yml': roleTemplate });
  assert.deepEqual(after.findings('/ws/security/key.yaml').map((f) => f.checkId), []);
  // Keeping the account and adding an aws:PrincipalArn condition: a block mapping below the statement's last property.
  const condition = fixes.find((f) => f.id === 'narrow-root-with-condition');
  assert.ok(condition);
  const withCondition = applyEdits(keyTemplate, condition.changes[0].edits);
  // The Workloads statement is the template's last: the condition ends the file.
  assert.equal(withCondition, `${keyTemplate}            Condition:\n              ArnEquals:\n                aws:PrincipalArn: arn:aws:iam::444455556666:role/app\n`);
  ws.updateFile('/ws/security/key.yaml', withCondition);
  assert.deepEqual(ws.findings('/ws/security/key.yaml').map((f) => f.checkId), []);
});

test('narrowing to two roles: block sequence items in a block sequence, and a block sequence below the key of a scalar', () => {
  const asList = keyTemplate.replace('AWS: arn:aws:iam::444455556666:root', 'AWS:\n                - arn:aws:iam::444455556666:root');
  for (const [text, expected] of [
    [asList, asList.replace('- arn:aws:iam::444455556666:root', '- arn:aws:iam::444455556666:role/app\n                - arn:aws:iam::444455556666:role/batch')],
    [keyTemplate, keyTemplate.replace('AWS: arn:aws:iam::444455556666:root', 'AWS:\n                - arn:aws:iam::444455556666:role/app\n                - arn:aws:iam::444455556666:role/batch')],
  ]) {
    const ws = workspace({ '/ws/security/key.yaml': text, '/ws/workloads/role.yml': roleTemplate, '/ws/workloads/batch.yml': roleTemplate.replace('RoleName: app', 'RoleName: batch') });
    const broader = ws.findings('/ws/security/key.yaml').find((f) => f.checkId === 'root-principal-broader-than-grants');
    assert.ok(broader);
    const both = broader.fixes!.find((f) => f.title.startsWith('Narrow the principal to the 2 principals'));
    assert.ok(both, broader.fixes!.map((f) => f.title).join(' / '));
    const fixed = applyEdits(text, both.changes[0].edits);
    assert.equal(fixed, expected);
    ws.updateFile('/ws/security/key.yaml', fixed);
    assert.deepEqual(ws.findings('/ws/security/key.yaml').map((f) => f.checkId), []);
  }
});

test('completion of a value not written yet: Effect and Resource values, a new action list item; applied, the template reads back', () => {
  const complete = (marked: string) => {
    const { text, offset } = parseCursor(marked);
    const ws = workspace({ '/ws/workloads/role.yml': text });
    const c = completionsAt(ws, '/ws/workloads/role.yml', offset);
    assert.ok(c, marked);
    assert.equal(c.replace.length, 0);
    return { text, c, insert: (label: string) => {
      const item = c.items.find((i) => i.label === label);
      assert.ok(item, `${label} in ${c.items.map((i) => i.label).join(', ')}`);
      return applyEdits(text, [{ offset: c.replace.offset, length: 0, newText: item.insertText ?? item.label }]);
    } };
  };
  const effect = complete(roleTemplate.replace('              - Effect: Allow\n', '              - Effect:$0\n'));
  assert.deepEqual(effect.c.items.map((i) => i.insertText), [' Allow', ' Deny']);
  assert.equal(effect.insert('Allow'), roleTemplate);

  const resource = complete(roleTemplate.replace('Resource: !Ref KeyArn', 'Resource: $0'));
  assert.deepEqual(resource.c.items.map((i) => i.insertText), [KEY, "'*'"]);
  const withStar = resource.insert('*');
  assert.ok(withStar.endsWith("Resource: '*'\n"));
  const ws = workspace({ '/ws/workloads/role.yml': withStar });
  assert.deepEqual(ws.findings('/ws/workloads/role.yml').map((f) => f.checkId), ['key-usage-on-all-keys']);

  const action = complete(roleTemplate.replace('                  - kms:Decrypt\n', '                  - kms:Decrypt\n                  - $0\n'));
  assert.ok(action.c.items.some((i) => i.insertText === 'kms:'), action.c.items.slice(0, 5).map((i) => i.insertText).join(', '));
});

/** Completion at `$0` in a YAML template: the labels offered, the span replaced, and the text with `label` applied. */
function completeKey(marked: string, path: string, label?: string) {
  const { text, offset } = parseCursor(marked);
  const ws = workspace({ [path]: text });
  const c = completionsAt(ws, path, offset);
  assert.ok(c, marked);
  const item = label === undefined ? undefined : c.items.find((i) => i.label === label);
  if (label !== undefined) assert.ok(item, `${label} in ${c.items.map((i) => i.label).join(', ')}`);
  return {
    labels: c.items.map((i) => i.label),
    replaced: spanText(text, c.replace),
    applied: item && applyEdits(text, [{ offset: c.replace.offset, length: c.replace.length, newText: item.insertText ?? item.label }]),
    ws,
  };
}

test('completion of a new key in YAML (no colon yet, the template not valid YAML): statement elements, as in JSON, by the line\'s indentation', () => {
  const role = '/ws/workloads/role.yml';
  // `Cond` typed below Resource, at the statement's keys' column.
  const cond = completeKey(roleTemplate.replace('                Resource: !Ref KeyArn', '                Resource: !Ref KeyArn\n                Cond$0'), role, 'Condition');
  assert.equal(cond.replaced, 'Cond');
  // An identity policy: no Principal; the elements written already are not offered.
  assert.deepEqual(cond.labels, ['Sid', 'Condition']);
  // Its value is a mapping: the key is followed by the indentation of its block, on the next line.
  assert.equal(cond.applied, roleTemplate.replace('                Resource: !Ref KeyArn', '                Resource: !Ref KeyArn\n                Condition:\n                  '));
  // An empty line inside the statement mapping (valid YAML, no node at the cursor): the same, nothing replaced.
  const empty = completeKey(roleTemplate.replace('                Action:\n', '                $0\n                Action:\n'), role, 'Sid');
  assert.equal(empty.replaced, '');
  assert.deepEqual(empty.labels, ['Sid', 'Condition']);
  assert.equal(empty.applied, roleTemplate.replace('                Action:\n', '                Sid: \n                Action:\n'));
  // A new statement (`- Eff` in the Statement list): every element of a key policy, Principal included.
  const statement = completeKey(keyTemplate.replace("            Resource: '*'\n", "            Resource: '*'\n          - Eff$0\n"), '/ws/security/key.yaml', 'Effect');
  assert.equal(statement.replaced, 'Eff');
  assert.ok(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'].every((l) => statement.labels.includes(l)), statement.labels.join(', '));
  assert.ok(statement.applied!.includes("\n          - Effect: \n"));
  // Inside Principal: the principal types not written yet.
  const principal = completeKey(keyTemplate.replace('    AWS: arn:aws:iam::444455556666:root\n', '    AWS: arn:aws:iam::444455556666:root\n              Serv$0\n'), '/ws/security/key.yaml', 'Service');
  assert.ok(!principal.labels.includes('AWS') && principal.labels.includes('Federated'), principal.labels.join(', '));
  assert.equal(principal.applied, keyTemplate.replace('    AWS: arn:aws:iam::444455556666:root\n', '    AWS: arn:aws:iam::444455556666:root\n              Service: \n'));
  // A key at the policy's level: its own elements.
  const top = completeKey(keyTemplate.replace("        Version: '2012-10-17'\n", "        Version: '2012-10-17'\n        I$0\n"), '/ws/security/key.yaml');
  assert.deepEqual(top.labels, ['Id']);
  // A key where no policy is: nothing.
  const { text, offset } = parseCursor(keyTemplate.replace('    Type: AWS::KMS::Key\n', '    Type: AWS::KMS::Key\n    Dele$0\n'));
  assert.equal(completionsAt(workspace({ '/ws/security/key.yaml': text }), '/ws/security/key.yaml', offset), undefined);
});

test('completion of a new key in YAML inside Condition: the operators; inside an operator: the condition keys of the statement\'s actions', () => {
  const role = '/ws/workloads/role.yml';
  const withCondition = (lines: string) => roleTemplate.replace('                Resource: !Ref KeyArn', `                Resource: !Ref KeyArn\n                Condition:\n${lines}`);
  const op = completeKey(withCondition('                  StringEq$0'), role, 'StringEquals');
  assert.equal(op.replaced, 'StringEq');
  assert.ok(op.labels.includes('ArnLike') && op.labels.includes('StringEqualsIfExists'), op.labels.slice(0, 10).join(', '));
  assert.ok(!op.labels.includes('Effect'));
  assert.equal(op.applied, withCondition('                  StringEquals:\n                    '));
  const key = completeKey(withCondition('                  StringEquals:\n                    kms:Via$0'), role, 'kms:ViaService');
  assert.equal(key.replaced, 'kms:Via');
  assert.equal(key.applied, withCondition('                  StringEquals:\n                    kms:ViaService: '));
  // A key already written in that operator is not offered again.
  const again = completeKey(withCondition('                  StringEquals:\n                    kms:ViaService: s3.us-east-1.amazonaws.com\n                    $0'), role);
  assert.ok(!again.labels.includes('kms:ViaService') && again.labels.includes('kms:CallerAccount'), again.labels.slice(0, 10).join(', '));
  // The completed key reads back: with its value the template is checked again.
  const done = key.applied!.replace('kms:ViaService: ', 'kms:ViaService: s3.us-east-1.amazonaws.com');
  assert.deepEqual(workspace({ [role]: done }).findings(role).filter((f) => f.severity === 'error').map((f) => f.checkId), []);
});

test('completion of a new key begun with a quote: finished in the same quoting, an editor\'s closing quote replaced too', () => {
  const role = '/ws/workloads/role.yml';
  const below = (line: string) => roleTemplate.replace('                Resource: !Ref KeyArn', `                Resource: !Ref KeyArn\n${line}`);
  const double = completeKey(below('                "Si$0'), role, 'Sid');
  assert.equal(double.replaced, 'Si');
  assert.deepEqual(double.labels, ['Sid', 'Condition']);
  assert.equal(double.applied, below('                "Sid": '));
  const single = completeKey(below("                'Si$0"), role, 'Sid');
  assert.equal(single.applied, below("                'Sid': "));
  // The editor closed the quote: the entry replaces it, and the key is not quoted twice.
  const closed = completeKey(below('                "Si$0"'), role, 'Sid');
  assert.equal(closed.replaced, 'Si"');
  assert.equal(closed.applied, below('                "Sid": '));
  // A mapping-valued element in quotes: its block below it.
  const condition = completeKey(below("                'Cond$0'"), role, 'Condition');
  assert.equal(condition.applied, below("                'Condition':\n                  "));
  // A condition key inside an operator, double-quoted; then with its value the template reads back clean.
  const withOperator = (line: string) => below(`                Condition:\n                  StringEquals:\n${line}`);
  const key = completeKey(withOperator('                    "kms:Via$0'), role, 'kms:ViaService');
  assert.equal(key.applied, withOperator('                    "kms:ViaService": '));
  const done = key.applied!.replace('"kms:ViaService": ', '"kms:ViaService": s3.us-east-1.amazonaws.com');
  assert.deepEqual(workspace({ [role]: done }).findings(role).filter((f) => f.severity === 'error').map((f) => f.checkId), []);
  // A quote that is not closed at the cursor's end of line, or text after it: no key is being typed there.
  const { text, offset } = parseCursor(below('                "Si$0 x'));
  assert.equal(completionsAt(workspace({ [role]: text }), role, offset), undefined);
});

test('completion of a mapping-valued element of a new statement (- Princ): the block is indented below the key, not the dash; filled in, it reads back', () => {
  const key = '/ws/security/key.yaml';
  const marked = keyTemplate.replace("            Resource: '*'\n", "            Resource: '*'\n          - Princ$0\n");
  const principal = completeKey(marked, key, 'Principal');
  assert.equal(principal.replaced, 'Princ');
  assert.ok(principal.applied!.includes("\n          - Principal:\n              \n"), principal.applied);
  const written = principal.applied!.replace("\n          - Principal:\n              \n", "\n          - Principal:\n              AWS: arn:aws:iam::444455556666:role/App\n            Effect: Allow\n            Action: kms:Decrypt\n            Resource: '*'\n");
  const ws = workspace({ [key]: written });
  assert.deepEqual(ws.findings(key).filter((f) => f.severity === 'error').map((f) => f.checkId), []);
  const doc = ws.discovered(key)!.documents[0];
  const statements = doc.root.children!.find((p) => p.children![0].value === 'Statement')!.children![1].children!;
  // The new statement is the second (after Owner), its Principal a mapping of one principal type.
  assert.deepEqual(statements[1].children!.map((p) => p.children![0].value), ['Principal', 'Effect', 'Action', 'Resource']);
  assert.deepEqual(statements[1].children![0].children![1].children!.map((p) => p.children![0].value), ['AWS']);
});

test('narrow-root-to-role on a !Sub root principal keeps the function, the partition and the parameter: only root becomes the role', () => {
  const subTemplate = keyTemplate.replace('AWS: arn:aws:iam::444455556666:root', "AWS: !Sub 'arn:${AWS::Partition}:iam::${Partner}:root'")
    .replace('Resources:', 'Parameters:\n  Partner: {Type: String}\nResources:');
  const subManifest = JSON.parse(manifest);
  subManifest.templates[0].parameters = { Partner: '444455556666' };
  const ws = new Workspace();
  ws.updateFiles([{ path: '/ws/policy-handshake.json', text: JSON.stringify(subManifest) }, { path: '/ws/security/key.yaml', text: subTemplate }, { path: '/ws/workloads/role.yml', text: roleTemplate }]);
  const broader = ws.findings('/ws/security/key.yaml').find((f) => f.checkId === 'root-principal-broader-than-grants')!;
  const narrow = broader.fixes!.find((f) => f.id === 'narrow-root-to-role')!;
  const fixed = applyEdits(subTemplate, narrow.changes[0].edits);
  assert.equal(fixed, subTemplate.replace("!Sub 'arn:${AWS::Partition}:iam::${Partner}:root'", "!Sub 'arn:${AWS::Partition}:iam::${Partner}:role/app'"));
  ws.updateFile('/ws/security/key.yaml', fixed);
  assert.deepEqual(ws.findings('/ws/security/key.yaml').map((f) => f.checkId), []);
});

test('hover on a principal written with intrinsic functions: the account principal it stands for, resolved where the manifest gives the values', () => {
  const template = yamlKeyTemplate(`- Sid: Own
  Effect: Allow
  Principal: {AWS: !Ref AWS::AccountId}
  Action: kms:Decrypt
  Resource: '*'
- Sid: Partner
  Effect: Allow
  Principal:
    AWS: !Sub 'arn:\${AWS::Partition}:iam::\${PartnerAccountId}:root'
  Action: kms:Decrypt
  Resource: '*'
- Sid: Reader
  Effect: Allow
  Principal:
    AWS: !If [IsProd, !Sub 'arn:aws:iam::\${PartnerAccountId}:role/Reader', !Ref AWS::NoValue]
  Action: kms:Decrypt
  Resource: '*'
- Sid: Number
  Effect: Allow
  Principal:
    AWS: [555566667777]
  Action: kms:Decrypt
  Resource: '*'`);
  const hover = (ws: Workspace, needle: string) => hoverAt(ws, '/ws/security/key.yaml', template.indexOf(needle) + 1)?.markdown.split('\n\n---')[0];
  const tail = ": trusts the account's IAM policies, not its root user; nobody there can use it until one of them grants it.";
  const own = `**Account principal** of the template's own account (\`AWS::AccountId\`)${tail} This is the key's own account.`;
  // No manifest: the template's own account, and the account the parameter gives.
  const alone = new Workspace();
  alone.updateFiles([{ path: '/ws/security/key.yaml', text: template }]);
  assert.equal(hover(alone, "AccountId}:root'}"), own);
  assert.equal(hover(alone, 'AWS::AccountId}'), own);
  assert.equal(hover(alone, "PartnerAccountId}:root"), `**Account principal** of the account given by \`PartnerAccountId\` at deployment${tail}`);
  assert.match(hover(alone, 'role/Reader')!, /^\*\*IAM role\*\* `Reader` in the account given by `PartnerAccountId` at deployment\n/);
  assert.equal(hover(alone, '555566667777'), `**Account principal** of \`555566667777\`${tail}`);
  // Bound by the manifest: the accounts it gives, named.
  const bound = new Workspace();
  bound.updateFiles([
    { path: '/ws/policy-handshake.json', text: JSON.stringify({
      accounts: { '111122223333': { name: 'security' }, '444455556666': { name: 'workloads' } },
      templates: [{ files: 'security/*.yaml', account: '111122223333', region: 'us-east-1', parameters: { PartnerAccountId: '444455556666' } }],
    }) },
    { path: '/ws/security/key.yaml', text: template },
  ]);
  assert.equal(hover(bound, 'AWS::AccountId}'), `**Account principal** of \`111122223333\` (security)${tail} This is the key's own account.`);
  assert.equal(hover(bound, "PartnerAccountId}:root"), `**Account principal** of \`444455556666\` (workloads)${tail}`);
  assert.match(hover(bound, 'role/Reader')!, /^\*\*IAM role\*\* `Reader` in account `444455556666` \(workloads\)\n/);
  // The !If's other branch is no principal at all: no principal text.
  assert.doesNotMatch(hoverAt(bound, '/ws/security/key.yaml', template.indexOf('AWS::NoValue') + 1)?.markdown ?? '', /principal/i);
});

test('hover on an ARN written with !Sub shows the parts the manifest resolves', () => {
  const template = yamlRoleTemplate(`- Effect: Allow
  Action: kms:Decrypt
  Resource: !Sub 'arn:aws:kms:\${AWS::Region}:\${KeyAccount}:key/1234abcd-12ab-34cd-56ef-1234567890ab'`);
  const ws = new Workspace();
  ws.updateFiles([
    { path: '/ws/policy-handshake.json', text: JSON.stringify({ templates: [{ files: 'workloads/*.yaml', account: '444455556666', region: 'us-west-2', parameters: { KeyAccount: '111122223333' } }] }) },
    { path: '/ws/workloads/role.yaml', text: template },
  ]);
  const h = hoverAt(ws, '/ws/workloads/role.yaml', template.indexOf('KeyAccount}'))!;
  assert.match(h.markdown, /- region: `us-west-2`/);
  assert.match(h.markdown, /- account: `111122223333`/);
});
