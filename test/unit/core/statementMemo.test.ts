/**
 * Statement-local checks (`Check.statementLocal`) run one statement at a time on a file
 * being edited, and statements an edit did not change keep their findings (moved with the
 * statement). The claim behind it: what those checks report on a statement depends on the
 * statement alone. Here every edit's findings with the memo must be exactly those of a
 * fresh check (order, spans, messages, related places, fixes), on hand-written policies
 * and on real ones, through edits that change one statement, move statements, change
 * their index, the Version and the owner.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { Check } from '../../../server/src/core/checks/check';
import { allChecks } from '../../../server/src/core/checks/registry';
import { checkOwn, type EngineOptions } from '../../../server/src/core/engine';
import { readStatements } from '../../../server/src/core/model/policyDocument';
import { discover } from '../../../server/src/core/sources/discover';
import type { FileBinding } from '../../../server/src/core/sources/discoveredFile';
import { StatementMemos } from '../../../server/src/core/statementMemo';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { corpusMissing, corpusPath, walk } from '../../support/corpus';
import { needs } from '../../support/needs';

const KEY_ACCOUNT = '111122223333';

/** A key policy of 15 statements with findings of most statement-local checks. */
function keyPolicy(): string {
  const statements = [
    { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${KEY_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
    { Sid: 'Typo', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: ['kms:Decrpyt', 'kms:Encrypt', 'kms:Encrypt'], Resource: '*' },
    { Sid: 'BadArn', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::44445555666:role/x' }, Action: 'kms:DescribeKey', Resource: '*' },
    { Sid: 'Cond', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:role/App' }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:ViaServce': 's3.us-east-1.amazonaws.com' }, Bool: { 'aws:SecureTransport': 'yes' } } },
    { Sid: 'NoResource', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:role/App' }, Action: 'kms:Decrypt' },
    { Sid: 'NotStar', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:role/App' }, Action: 'kms:Decrypt', Resource: 'arn:aws:kms:us-east-1:111122223333:key/abc' },
    { Sid: 'UniqueId', Effect: 'Allow', Principal: { AWS: 'AROAEXAMPLEID1234567' }, Action: 'kms:Decrypt', Resource: '*' },
    { Sid: 'Empty', Effect: 'Allow', Principal: { AWS: [] }, Action: [], Resource: '*' },
    { Sid: 'NotPrincipal', Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'kms:Decrypt', Resource: '*' },
    { Sid: 'Service', Effect: 'Allow', Principal: { Service: 'logs.amazonaws.com' }, Action: ['kms:Encrypt*', 'kms:GenerateDataKey*', 'kms:Describe*', 'foo:Bar'], Resource: '*', Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:us-east-1:111122223333:*' } } },
    { Sid: 'Operator', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEqual: { 'aws:PrincipalTag/team': 'a' } } },
    { Sid: 'NoPrincipal', Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' },
    // Checks that read several statements (not statement-local): a repeated Sid, kms:* to
    // another account, a public Allow with a perimeter Deny that makes it safe.
    { Sid: 'Cond', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'kms:*', Resource: '*' },
    { Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' },
    { Sid: 'Perimeter', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalAccount': KEY_ACCOUNT } } },
  ];
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2) + '\n';
}

/** An identity policy of 12 statements with findings of the identity-side statement-local checks. */
function identityPolicy(): string {
  const statements = [
    { Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObject', 's3:Get*'], Resource: 'arn:aws:s3:::bucket/*' },
    { Effect: 'Allow', Action: 'kms:Decrypt', Resource: 'arn:aws:kms:us-east-1:111122223333:alias/app' },
    { Effect: 'Allow', Action: 'ec2:DescribeInstances', Resource: 'arn:aws:s3:::bucket' },
    { Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: '*' },
    { Effect: 'Allow', Action: 's3:GetObjekt', Resource: '*' },
    { Effect: 'Allow', Action: 'nosuchservice:Do', Resource: '*' },
    { Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::${aws:username}:role/x' },
    { Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { StringEquals: { 's3:prefix': [] }, IpAddress: { 'aws:SourceIp': 'not-an-ip' } } },
    { Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: 'arn:aws:logs:us-east-1:111122223333:log-group:x' },
    // Sids whose fixed forms collide with each other and with a Sid already taken.
    { Sid: 'read-logs', Effect: 'Allow', Action: 'logs:GetLogEvents', Resource: '*' },
    { Sid: 'read logs', Effect: 'Allow', Action: 'logs:FilterLogEvents', Resource: '*' },
    { Sid: 'readLogs', Effect: 'Allow', Action: 'logs:DescribeLogGroups', Resource: '*' },
  ];
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2) + '\n';
}

type Edit = (text: string) => string | undefined;

/** The edits: each keeps the text JSON (or returns undefined when it does not apply). */
function edits(): { name: string; edit: Edit }[] {
  const statementStarts = (text: string): number[] => {
    const [doc] = discover('/e.json', text).documents;
    return doc ? readStatements(doc.root).map((s) => s.node.offset) : [];
  };
  const nth = (text: string, k: number) => statementStarts(text)[k];
  return [
    { name: 'a character inside the fourth statement', edit: (t) => { const at = t.indexOf('"kms:Decrypt"', nth(t, 3) ?? 0); return at < 0 ? undefined : t.slice(0, at + 10) + 'z' + t.slice(at + 11); } },
    { name: 'the same character back', edit: (t) => t.replace('"kms:Deczypt"', '"kms:Decrypt"') },
    // What kms-wildcard-action reads besides the statement: the key's account, which an unbound key policy's default statement says.
    // (to the account another statement gives kms:*, which is then the key's own).
    { name: 'the default statement names another account', edit: (t) => (t.includes(`"arn:aws:iam::${KEY_ACCOUNT}:root"`) ? t.replace(`"arn:aws:iam::${KEY_ACCOUNT}:root"`, '"arn:aws:iam::444455556666:root"') : undefined) },
    { name: 'the default statement\'s account restored', edit: (t) => t.replace('"arn:aws:iam::444455556666:root"', `"arn:aws:iam::${KEY_ACCOUNT}:root"`) },
    { name: 'a line inserted before the third statement (later statements move)', edit: (t) => { const at = nth(t, 2); return at === undefined ? undefined : t.slice(0, at) + '\n' + t.slice(at); } },
    { name: 'spaces before the fifth statement on its line', edit: (t) => { const at = nth(t, 4); return at === undefined ? undefined : t.slice(0, at) + '   ' + t.slice(at); } },
    { name: 'a new first statement (every index changes)', edit: (t) => { const at = nth(t, 0); return at === undefined ? undefined : `${t.slice(0, at)}{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},\n    ${t.slice(at)}`; } },
    { name: 'the second statement removed', edit: (t) => { const s = statementStarts(t); return s.length < 3 ? undefined : t.slice(0, s[1]) + t.slice(s[2]); } },
    { name: 'the Version changed', edit: (t) => (t.includes('"2012-10-17"') ? t.replace('"2012-10-17"', '"2008-10-17"') : undefined) },
    { name: 'the Version restored', edit: (t) => t.replace('"2008-10-17"', '"2012-10-17"') },
    { name: 'a character inside the last statement', edit: (t) => { const s = statementStarts(t); const at = s[s.length - 1]; return at === undefined ? undefined : t.slice(0, at + 1) + ' ' + t.slice(at + 1); } },
  ];
}

/** Checks a sequence of edits of `text`: with the memo, each check equals a fresh one. Returns how many findings were compared. */
function assertSameThroughEdits(path: string, text: string, options: EngineOptions, binding?: FileBinding): number {
  const memos = new StatementMemos();
  let current = text;
  let compared = 0;
  const step = (what: string) => {
    const withMemo = checkOwn(discover(path, current, binding), options, memos);
    const fresh = checkOwn(discover(path, current, binding), options);
    assert.deepEqual(withMemo, fresh, `${path}: after ${what}`);
    compared += fresh.documents.flat().length;
  };
  step('the first check');
  for (const { name, edit } of edits()) {
    const next = edit(current);
    if (next === undefined || next === current) continue;
    current = next;
    step(name);
    // The same text again: every statement comes from the memo.
    step(`${name}, checked again`);
  }
  return compared;
}

test('hand-written key and identity policies: findings with the memo equal a fresh check after every edit', () => {
  const compared = assertSameThroughEdits('/ws/key.json', keyPolicy(), {}, { kind: 'kms-key-policy', owner: { account: KEY_ACCOUNT, keyArn: `arn:aws:kms:us-east-1:${KEY_ACCOUNT}:key/abc` } })
    // The key's account read from the statements, as for a key policy no manifest binds.
    + assertSameThroughEdits('/ws/unbound-key.json', keyPolicy(), {}, { kind: 'kms-key-policy' })
    + assertSameThroughEdits('/ws/identity.json', identityPolicy(), {}, { kind: 'iam-identity-policy' });
  assert.ok(compared > 100, `${compared} findings compared`);
});

test('the owner changes between checks: nothing kept from the other owner is used', () => {
  const memos = new StatementMemos();
  const text = keyPolicy();
  for (const account of [KEY_ACCOUNT, '444455556666', KEY_ACCOUNT]) {
    const binding: FileBinding = { kind: 'kms-key-policy', owner: { account, keyArn: `arn:aws:kms:us-east-1:${account}:key/abc` } };
    assert.deepEqual(checkOwn(discover('/k.json', text, binding), {}, memos), checkOwn(discover('/k.json', text, binding), {}));
  }
});

test('only the statement an edit touched is checked again; documents with few statements are checked whole', () => {
  const seen: number[] = [];
  const counting: Check = {
    id: 'counting',
    defaultSeverity: 'info',
    summary: 'counts statements',
    statementLocal: true,
    run(ctx) { for (const s of ctx.statements) { seen.push(s.index); ctx.report(s.node, `statement ${s.index}`); } },
  };
  const ws = new Workspace({ checks: [counting] });
  const text = keyPolicy();
  ws.updateFile('/k.json', text, true);
  assert.equal(seen.length, 15);
  seen.length = 0;
  const at = text.indexOf('"kms:DescribeKey"');
  const edited = text.slice(0, at + 5) + 'z' + text.slice(at + 6);
  ws.updateFile('/k.json', edited, true);
  assert.deepEqual(seen, [2], 'only the edited statement');
  // The other statements' findings moved with them: spans still start at their statements.
  const [doc] = discover('/k.json', edited).documents;
  assert.deepEqual(ws.findings('/k.json').map((f) => f.span.offset), readStatements(doc.root).map((s) => s.node.offset));
  // Files not being edited keep nothing: a disk change, a closed document.
  for (const path of ['/other.json', '/other.json', '/k.json']) {
    seen.length = 0;
    ws.updateFile(path, text);
    assert.equal(seen.length, 15, path);
  }
  seen.length = 0;
  ws.updateFile('/k.json', text, true);
  assert.equal(seen.length, 15, 'edited again after a disk change: nothing kept from before');
  // A small document is checked whole on every edit.
  seen.length = 0;
  const small = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
  ws.updateFile('/small.json', small, true);
  seen.length = 0;
  ws.updateFile('/small.json', small + ' ', true);
  assert.deepEqual(seen, [0]);
});

test('every check that says it is statement-local is one that runs on statements (the registry knows them)', () => {
  const local = allChecks.filter((c) => c.statementLocal).map((c) => c.id);
  assert.ok(local.includes('unknown-action') && local.includes('redundant-action') && local.includes('resource-type-mismatch'), local.join(', '));
  for (const id of ['duplicate-sid', 'invalid-sid', 'lockout-risk', 'schema', 'policy-too-large', 'version-missing', 'public-key-policy', 'action-wildcard-matches-nothing']) {
    assert.ok(!local.includes(id), `${id} reads more than one statement`);
  }
  // Statement-local, but reading the key's own account from the other statements: it says so.
  const wildcard = allChecks.find((c) => c.id === 'kms-wildcard-action')!;
  assert.ok(wildcard.statementLocal && wildcard.documentInput, 'kms-wildcard-action declares its document input');
  for (const c of allChecks) if (c.scope === 'workspace') assert.ok(!c.statementLocal, `${c.id}: workspace-scope`);
});

test('corpus: real key policies and managed policies through the same edits', needs('corpus', corpusMissing('kms-key-policies') ?? corpusMissing('aws-managed')), () => {
  let files = 0;
  let compared = 0;
  const managed = walk(corpusPath('aws-managed'), '.json');
  for (const p of [...walk(corpusPath('kms-key-policies'), '.json'), ...managed]) {
    const text = fs.readFileSync(p, 'utf8');
    const [doc] = discover(p, text).documents;
    if (!doc || doc.embedded || readStatements(doc.root).length < 8) continue;
    compared += assertSameThroughEdits(p, text, {});
    files++;
  }
  assert.ok(files >= 40, `${files} policies of 8 statements or more`);
  assert.ok(compared > 500, `${compared} findings compared`);
});
