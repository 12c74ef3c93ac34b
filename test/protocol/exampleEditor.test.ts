/**
 * The shipped example (examples/cross-account) as the editor shows it: messages that lead
 * with one short sentence, a root-principal hover that fits one screen without repeating
 * what its finding says.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HoverRequest, type Diagnostic, type Location, type MarkupContent, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { KeyAccessChangedNotification, KeyAccessRequest, ManifestDraftRequest, type KeyAccessResult } from '../../server/src/lsp/keyAccess';
import { positionAt } from './expect';
import { DEFAULT_CAPABILITIES, fileUri, LspClient, makeWorkspace, serverMissing } from './lspClient';
import { needs } from '../support/needs';
import { repoRoot } from '../support/corpus';

// A missing bundle fails these suites when the corpus or editors are required (CI), as in the other protocol tests.
const skip = needs('build', serverMissing());
const EXAMPLE = path.join(repoRoot, 'examples', 'cross-account');
const KEY_FILE = path.join(EXAMPLE, 'security', 'keys', 'app-data.json');
const KEY_TEXT = fs.readFileSync(KEY_FILE, 'utf8');
/** What the Problems panel shows of a message on one line of a usual width. */
const FIRST_SENTENCE_MAX = 120;

const APP_READER_FILE = path.join(EXAMPLE, 'workloads', 'roles', 'app-reader', 'use-app-data-key.json');
const KEY_ARN = 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const firstSentence = (message: string) => /^.*?\.(?= |$)/.exec(message)?.[0] ?? message;
const messageOf = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);

describe('the example in the editor', skip, () => {
  let client: LspClient;
  let diagnostics: Diagnostic[];
  const uri = fileUri(KEY_FILE);

  before(async () => {
    ({ client } = await LspClient.start({ root: EXAMPLE, capabilities: { ...DEFAULT_CAPABILITIES, window: { workDoneProgress: true } } }));
    await client.open(uri, KEY_TEXT);
    // Once the reading's progress is over, every file read has been taken into account.
    await client.event((e) => e.kind === 'progress' && e.value.kind === 'end', 'the end of the reading');
    const has = (code: string) => (p: PublishDiagnosticsParams) => p.diagnostics.some((d) => d.code === code);
    ({ diagnostics } = await client.diagnostics(uri, (p) => p.version === 1 && has('root-principal-broader-than-grants')(p) && has('root-principal-without-grant')(p), 'the key policy\'s handshake findings'));
    diagnostics = [...diagnostics].sort((a, b) => a.range.start.line - b.range.start.line);
  });
  after(async () => {
    await client?.dispose();
  });

  async function hoverAt(offset: number): Promise<string> {
    const hover = await client.withTimeout(client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionAt(KEY_TEXT, offset) }), 'hover');
    assert.ok(hover, 'a hover');
    return (hover.contents as MarkupContent).value;
  }

  // Issue 18, defect 3: the Problems panel truncated messages mid-sentence.
  test('every message leads with one short sentence: what is wrong, then what to do', () => {
    assert.deepEqual(diagnostics.map((d) => [d.code, firstSentence(messageOf(d))]), [
      ['root-principal-broader-than-grants', 'Trusts all of workloads (444455556666), but only 2 of its principals use this key: narrow the principal to them.'],
      ['root-principal-without-grant', 'Nobody in workloads (444455556666) can use the 3 trusted actions: grant them in IAM there, or remove the trust.'],
    ]);
    for (const d of diagnostics) {
      const lead = firstSentence(messageOf(d));
      assert.ok(lead.length <= FIRST_SENTENCE_MAX, `${d.code}: the first sentence has ${lead.length} characters: ${lead}`);
      assert.match(lead, /: [^:]+\.$/, `${d.code}: the first sentence says what to do after the colon: ${lead}`);
    }
  });

  // Issue 18, defect 3: the root-principal hover repeated the roles of the diagnostic and its related entries.
  test('the root-principal hover fits one screen and names each role once with its finding', async () => {
    const broader = diagnostics.find((d) => d.code === 'root-principal-broader-than-grants')!;
    const hover = await hoverAt(KEY_TEXT.indexOf('arn:aws:iam::444455556666:root') + 3);
    assert.ok(hover.length <= 600, `the hover has ${hover.length} characters:\n${hover}`);
    assert.ok(hover.split('\n').filter((l) => l.trim()).length <= 6, `the hover has more than 6 lines:\n${hover}`);
    // Two short paragraphs: what the principal means, then what the key policy trusts the account with.
    const paragraphs = hover.split('\n\n');
    assert.equal(paragraphs.length, 2, hover);
    assert.match(paragraphs[0], /^\*\*Account principal\*\* of `444455556666` \(workloads\): [^.]+\.$/);
    assert.match(paragraphs[1], /^\*\*Handshake\*\* · `key\/1234abcd-12ab-34cd-56ef-1234567890ab` · Trusted for kms:Decrypt, kms:DescribeKey, kms:Encrypt, kms:GenerateDataKey and 5 more\.$/);
    // Each role with a grant: once in the message (with its actions), once in the related entries (where it is), not in the hover.
    for (const role of ['role/AppReader', 'role/DataPipeline']) {
      const count = (s: string) => s.split(role).length - 1;
      assert.equal(count(messageOf(broader)), 1, role);
      assert.equal((broader.relatedInformation ?? []).reduce((n, r) => n + count(r.message), 0), 1, role);
      assert.equal(count(hover), 0, `${role} in the hover:\n${hover}`);
    }
  });
});

/** A location as `file:line` (1-based) relative to the example. */
const at = (l: Location) => `${path.relative(EXAMPLE, new URL(l.uri).pathname)}:${l.range.start.line + 1}`;

/** The Key access data as lines a reader can compare: key, account, principal, what has no effect. */
function outline(keys: KeyAccessResult): string[] {
  const out: string[] = [];
  for (const k of keys) {
    out.push(`key ${k.label} (${k.fileLabel}) at ${at(k.place)}`);
    for (const a of k.accounts) {
      out.push(`  account ${a.name ?? '-'} (${a.account})${a.own ? ' own' : ''}${a.wholeAccount ? ' whole' : ''}${a.described ? '' : ' undescribed'}: trusted ${a.trusted.join(', ')} by ${a.statements.map(at).join(', ')}`);
      for (const p of a.principals) {
        out.push(`    ${p.label}: ${p.actions.join(', ')}${p.conditions.length ? ` (conditional: ${p.conditions.join('; ')})` : ''}${p.via ? ` (only through ${p.via.join(', ')})` : ''} by ${p.places.map(at).join(', ')}`);
      }
      for (const i of a.ineffective) out.push(`    no effect: ${i.actions.join(', ')}${i.principal ? ` of ${i.principal}` : ''}: ${i.reason}${i.place ? ` at ${at(i.place)}` : ''}`);
    }
  }
  return out;
}

// Issue 18: the Key access view's data (keys, accounts, principals, actions, what has no effect, where).
describe('the Key access request on the example', skip, () => {
  let client: LspClient;
  const changed: number[] = [];

  before(async () => {
    ({ client } = await LspClient.start({ root: EXAMPLE, capabilities: { ...DEFAULT_CAPABILITIES, window: { workDoneProgress: true } }, initializationOptions: { keyAccessView: true } }));
    client.connection.onNotification(KeyAccessChangedNotification, () => { changed.push(Date.now()); });
    await client.event((e) => e.kind === 'progress' && e.value.kind === 'end', 'the end of the reading');
  });
  after(async () => {
    await client?.dispose();
  });

  const request = () => client.withTimeout(client.connection.sendRequest(KeyAccessRequest, null), 'policyHandshake/keyAccess');

  test('keys, their accounts and the principals that can use them, each with its actions and statements', async () => {
    assert.deepEqual(outline(await request()), [
      `key ${KEY_ARN} (security/keys/app-data.json) at security/keys/app-data.json:1`,
      '  account security (111122223333) own whole: trusted kms:* by security/keys/app-data.json:5',
      '  account workloads (444455556666) whole: trusted kms:CreateGrant, kms:Decrypt, kms:DescribeKey, kms:Encrypt, kms:GenerateDataKey, kms:GenerateDataKeyPair, '
        + 'kms:GenerateDataKeyPairWithoutPlaintext, kms:GenerateDataKeyWithoutPlaintext, kms:ListGrants, kms:ReEncryptFrom, kms:ReEncryptTo, kms:RevokeGrant '
        + 'by security/keys/app-data.json:12, security/keys/app-data.json:25',
      '    role/AppReader: kms:Decrypt, kms:DescribeKey by workloads/roles/app-reader/use-app-data-key.json:4',
      '    role/DataPipeline: kms:Encrypt, kms:GenerateDataKey by workloads/exports/authorization-details.json:30',
      '    no effect: kms:CreateGrant, kms:ListGrants, kms:RevokeGrant: no principal of the account has an IAM grant for them on this key at security/keys/app-data.json:25',
    ]);
  });

  test('an edit of a role policy: the server says the data changed, and the next answer follows the edit', async () => {
    const uri = fileUri(APP_READER_FILE);
    const text = fs.readFileSync(APP_READER_FILE, 'utf8');
    await client.open(uri, text);
    await client.diagnosticsForVersion(uri, 1);
    // Whatever the opening itself announces has been sent (notices wait 300 ms for more changes).
    let seen = -1;
    while (seen !== changed.length) { seen = changed.length; await new Promise((r) => setTimeout(r, 700)); }
    const before = changed.length;
    await client.change(uri, text.replace('"kms:Decrypt",', ''));
    const deadline = Date.now() + 10_000;
    while (changed.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok(changed.length > before, 'policyHandshake/keyAccessChanged after the edit');
    const appReader = outline(await request()).filter((l) => l.includes('role/AppReader'));
    assert.deepEqual(appReader, ['    role/AppReader: kms:DescribeKey by workloads/roles/app-reader/use-app-data-key.json:4']);
  });
});

/** The draft the server proposes for a folder, once it has read the folder. */
async function draftFor(root: string): Promise<{ uri: string; text: string; notes: string[] }> {
  const { client } = await LspClient.start({ root, capabilities: { ...DEFAULT_CAPABILITIES, window: { workDoneProgress: true } } });
  try {
    await client.event((e) => e.kind === 'progress' && e.value.kind === 'end', 'the end of the reading');
    const draft = await client.withTimeout(client.connection.sendRequest(ManifestDraftRequest, { folder: fileUri(root) }), 'policyHandshake/manifestDraft');
    assert.ok(draft, 'a draft');
    return draft;
  } finally {
    await client.dispose();
  }
}

// Issue 18: "Policy Handshake: Create manifest" proposes a manifest read from the workspace.
describe('the manifest draft', skip, () => {
  test('for examples/cross-account: the accounts, the key and the principals of its own manifest', async () => {
    const draft = await draftFor(EXAMPLE);
    assert.equal(draft.uri, fileUri(path.join(EXAMPLE, 'policy-handshake.json')));
    assert.deepEqual(JSON.parse(draft.text), JSON.parse(fs.readFileSync(path.join(EXAMPLE, 'policy-handshake.json'), 'utf8')));
  });

  test('for a folder without a manifest: a get-key-policy output, a bare role policy, a template; guesses are listed', async () => {
    const keyArn = 'arn:aws:kms:eu-west-1:123456789012:key/0f0e0d0c-0b0a-0908-0706-050403020100';
    const keyPolicy = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Own', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' },
        { Sid: 'Dev', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::210987654321:root' }, Action: 'kms:Decrypt', Resource: '*' },
      ],
    };
    const root = makeWorkspace({
      'prod/keys/get-key-policy.json': JSON.stringify({ Policy: JSON.stringify(keyPolicy), PolicyName: 'default' }, null, 2),
      'dev/roles/deployer/use-key.json': JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn }] }, null, 2),
      'dev/stack.template.json': JSON.stringify({
        AWSTemplateFormatVersion: '2010-09-09',
        Resources: { Builder: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole' }] } } } },
      }, null, 2),
      'README.json': '{"not": "a policy"}',
    });
    try {
      const draft = await draftFor(root);
      assert.equal(draft.uri, fileUri(path.join(root, 'policy-handshake.json')));
      assert.deepEqual(JSON.parse(draft.text), {
        accounts: { '123456789012': { name: 'prod' }, '210987654321': { name: 'account-4321' } },
        keys: [{ policy: 'prod/keys/get-key-policy.json', arn: keyArn }],
        principals: [{ arn: 'arn:aws:iam::ACCOUNT-ID:role/Deployer', policies: ['dev/roles/deployer/*.json'] }],
        // The folder's templates, by folder.
        templates: [{ files: 'dev/*.json', account: 'ACCOUNT-ID', region: 'eu-west-1' }],
      });
      assert.deepEqual(draft.notes, [
        'Account names come from what the workspace says of each account (an export\'s alias, a Terraform variable, a folder, a CDK stage or stack; else the last digits of the id): rename them as you call the accounts.',
        'prod/keys/get-key-policy.json: the key\'s ARN is the one the identity policies name; check that it is this key.',
        'dev/*.json: fill in the account the templates are deployed to.',
        'dev/roles/deployer: check the role these policies are attached to (arn:aws:iam::ACCOUNT-ID:role/Deployer is a guess from the folder\'s name).',
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the shipped example in a client whose hovers do not show diagnostics (initializationOptions.fullHovers)', skip, () => {
  let client: LspClient;
  const uri = fileUri(KEY_FILE);

  before(async () => {
    ({ client } = await LspClient.start({ root: EXAMPLE, initializationOptions: { fullHovers: true }, capabilities: { ...DEFAULT_CAPABILITIES, window: { workDoneProgress: true } } }));
    await client.open(uri, KEY_TEXT);
    await client.event((e) => e.kind === 'progress' && e.value.kind === 'end', 'the end of the reading');
    await client.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'root-principal-broader-than-grants'), 'the key policy\'s handshake findings');
  });
  after(async () => {
    await client?.dispose();
  });

  test('the root-principal hover names the roles that use the key, with their grants, though a finding there names them too', async () => {
    const at = positionAt(KEY_TEXT, KEY_TEXT.indexOf('arn:aws:iam::444455556666:root') + 3);
    const hover = await client.withTimeout(client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: at }), 'hover');
    const text = (hover!.contents as MarkupContent).value;
    assert.match(text, /Can use this key:\n- `role\/AppReader`: /);
    assert.match(text, /\n- `role\/DataPipeline`: /);
  });
});
