/** Diagnostics over the protocol: open, edit, files from disk, watched-file events, settings. */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity, FileChangeType } from 'vscode-languageserver-protocol/node';
import { assertDiagnostics, markedDiagnostics } from './expect';
import { KEY_POLICY_FIXED, KEY_POLICY_MISSING_PRINCIPAL, MALFORMED_POLICY, TEMPLATE_IDENTITY_WITH_PRINCIPAL } from './fixtures';
import { fileUri, LspClient, makeWorkspace, serverMissing } from './lspClient';
import { needs } from '../support/needs';

const skip = needs('build', serverMissing());
const DOCS = 'https://github.com/policy-handshake/policy-handshake/blob/main/docs/checks/';

describe('diagnostics over stdio', skip, () => {
  const key = markedDiagnostics(KEY_POLICY_MISSING_PRINCIPAL);
  const template = markedDiagnostics(TEMPLATE_IDENTITY_WITH_PRINCIPAL);
  let root: string;
  let client: LspClient;

  before(async () => {
    root = makeWorkspace({
      'keys/app-data.json': key.text,
      'stacks/app.json': template.text,
      'package.json': '{"name": "not-a-policy", "version": "1.0.0"}',
    });
    ({ client } = await LspClient.start({ root }));
  });
  after(async () => {
    await client?.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('registers for watched JSON files and settings changes', async () => {
    // Registration happens right after `initialized`; a published diagnostic for a disk file proves it has run.
    await client.diagnostics(fileUri(path.join(root, 'stacks/app.json')), (p) => p.diagnostics.length > 0);
    assert.ok(client.registrations.includes('workspace/didChangeWatchedFiles'), String(client.registrations));
  });

  test('files read from disk get diagnostics without being opened', async () => {
    const p = await client.diagnostics(fileUri(path.join(root, 'stacks/app.json')), (d) => d.diagnostics.length > 0);
    assert.equal(p.version, undefined);
    assertDiagnostics(p.diagnostics, template.expected);
  });

  test('an opened key policy: principal-missing at the Sid, with source, code and docs link', async () => {
    const uri = fileUri(path.join(root, 'keys/app-data.json'));
    await client.open(uri, key.text);
    const p = await client.diagnosticsForVersion(uri, 1);
    assertDiagnostics(p.diagnostics, key.expected);
    const d = p.diagnostics.find((x) => x.code === 'principal-missing')!;
    assert.equal(d.source, 'policy-handshake');
    assert.equal(d.severity, DiagnosticSeverity.Error);
    assert.equal(d.codeDescription?.href, `${DOCS}principal-missing.md`);
    assert.deepEqual((d.data as { version: number }).version, 1);
  });

  test('an edit publishes diagnostics for the new version', async () => {
    const uri = fileUri(path.join(root, 'keys/app-data.json'));
    const v = await client.change(uri, KEY_POLICY_FIXED);
    const p = await client.diagnosticsForVersion(uri, v);
    assert.deepEqual(p.diagnostics.filter((d) => d.code === 'principal-missing'), []);
    const back = await client.change(uri, key.text);
    assertDiagnostics((await client.diagnosticsForVersion(uri, back)).diagnostics, key.expected);
  });

  test('files that are not policies get no diagnostics', () => {
    assert.equal(client.latest.get(fileUri(path.join(root, 'package.json'))), undefined);
  });

  test('watched-file events: a created file is read, a deleted one cleared', async () => {
    const file = path.join(root, 'stacks/new.json');
    fs.writeFileSync(file, template.text);
    const uri = fileUri(file);
    await client.fileEvents([{ uri, type: FileChangeType.Created }]);
    assertDiagnostics((await client.diagnostics(uri, (p) => p.diagnostics.length > 0)).diagnostics, template.expected);
    fs.rmSync(file);
    await client.fileEvents([{ uri, type: FileChangeType.Deleted }]);
    await client.diagnostics(uri, (p) => p.diagnostics.length === 0, 'cleared diagnostics of the deleted file');
  });

  test('a created folder reported alone: its JSON files are read; events for other files and skipped folders are ignored', async () => {
    const dir = path.join(root, 'accounts/new-team');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'stack.json');
    fs.writeFileSync(file, template.text);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not json');
    fs.mkdirSync(path.join(root, 'node_modules/dep'), { recursive: true });
    const skipped = path.join(root, 'node_modules/dep/stack.json');
    fs.writeFileSync(skipped, template.text);
    // Events are applied in order: by the time the folder's file is published, the others were seen.
    await client.fileEvents([
      { uri: fileUri(skipped), type: FileChangeType.Created },
      { uri: fileUri(path.join(dir, 'notes.txt')), type: FileChangeType.Created },
      { uri: fileUri(path.join(root, 'accounts')), type: FileChangeType.Created },
    ]);
    assertDiagnostics((await client.diagnostics(fileUri(file), (p) => p.diagnostics.length > 0)).diagnostics, template.expected);
    assert.equal(client.published(fileUri(skipped)), undefined);
  });

  test('a changed file on disk is read again', async () => {
    const file = path.join(root, 'stacks/app.json');
    const uri = fileUri(file);
    fs.writeFileSync(file, template.text.replace(/"Principal": \{[^}]*\},/, ''));
    await client.fileEvents([{ uri, type: FileChangeType.Changed }]);
    await client.diagnostics(uri, (p) => !p.diagnostics.some((d) => d.code === 'principal-not-allowed'), 'diagnostics without principal-not-allowed');
  });

  test('a closed document falls back to its disk contents', async () => {
    const uri = fileUri(path.join(root, 'keys/app-data.json'));
    const v = await client.change(uri, KEY_POLICY_FIXED);
    await client.diagnosticsForVersion(uri, v);
    await client.close(uri);
    const p = await client.diagnostics(uri, (d) => d.version === undefined && d.diagnostics.length > 0, 'disk diagnostics after close');
    assertDiagnostics(p.diagnostics, key.expected);
  });
});

describe('settings and syntax errors', skip, () => {
  test('policyHandshake.checks.<id> sets the severity or turns a check off', async () => {
    const key = markedDiagnostics(KEY_POLICY_MISSING_PRINCIPAL);
    const template = markedDiagnostics(TEMPLATE_IDENTITY_WITH_PRINCIPAL);
    const { client } = await LspClient.start({ settings: { checks: { 'principal-missing': 'warning', 'principal-not-allowed': 'off' } } });
    try {
      await client.open('untitled:key', key.text);
      const p = await client.diagnosticsForVersion('untitled:key', 1);
      assertDiagnostics(p.diagnostics, key.expected);
      assert.equal(p.diagnostics.find((d) => d.code === 'principal-missing')?.severity, DiagnosticSeverity.Warning);
      await client.open('untitled:template', template.text);
      const t = await client.diagnosticsForVersion('untitled:template', 1);
      assert.deepEqual(t.diagnostics.filter((d) => d.code === 'principal-not-allowed'), []);
    } finally {
      await client.dispose();
    }
  });

  test('a check set to its default severity applies it to findings the check reports lower (duplicate-sid in a key policy)', async () => {
    const text = `{"Version": "2012-10-17", "Statement": [
  {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
  {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Admin"}, "Action": "kms:Create*", "Resource": "*"}]}`;
    for (const [settings, severity] of [[{}, DiagnosticSeverity.Warning], [{ checks: { 'duplicate-sid': 'error' } }, DiagnosticSeverity.Error]] as const) {
      const { client } = await LspClient.start({ settings });
      try {
        await client.open('untitled:key', text);
        const p = await client.diagnosticsForVersion('untitled:key', 1);
        assert.deepEqual(p.diagnostics.filter((d) => d.code === 'duplicate-sid').map((d) => [d.range.start.line, d.severity]), [[2, severity]], JSON.stringify(settings));
      } finally {
        await client.dispose();
      }
    }
  });

  test('a settings change re-publishes with the new severities (pulled, and pushed by clients without workspace/configuration)', async () => {
    const key = markedDiagnostics(KEY_POLICY_MISSING_PRINCIPAL);
    const severityOf = (p: { diagnostics: { code?: unknown; severity?: number }[] }) => p.diagnostics.find((d) => d.code === 'principal-missing')?.severity;
    for (const push of [false, true]) {
      const { client } = await LspClient.start(push ? { capabilities: { workspace: { didChangeConfiguration: {} } } } : {});
      try {
        await client.open('untitled:key', key.text);
        assert.equal(severityOf(await client.diagnosticsForVersion('untitled:key', 1)), DiagnosticSeverity.Error);
        await client.setSettings({ checks: { 'principal-missing': 'hint' } }, push);
        await client.diagnostics('untitled:key', (p) => severityOf(p) === DiagnosticSeverity.Hint, `hint severity (push: ${push})`);
        await client.setSettings({ checks: { 'principal-missing': 'off' } }, push);
        await client.diagnostics('untitled:key', (p) => severityOf(p) === undefined, `principal-missing off (push: ${push})`);
      } finally {
        await client.dispose();
      }
    }
  });

  test('json-syntax is reported by default, and left to the client when it says so', async () => {
    const { client } = await LspClient.start();
    const quiet = (await LspClient.start({ initializationOptions: { reportSyntaxErrors: false } })).client;
    try {
      await client.open('untitled:bad', MALFORMED_POLICY);
      const p = await client.diagnosticsForVersion('untitled:bad', 1);
      assert.ok(p.diagnostics.some((d) => d.code === 'json-syntax'), JSON.stringify(p.diagnostics));
      // The doubled comma is reported where it is.
      const comma = MALFORMED_POLICY.indexOf(',,') + 1;
      const line = MALFORMED_POLICY.slice(0, comma).split('\n').length - 1;
      assert.ok(p.diagnostics.some((d) => d.code === 'json-syntax' && d.range.start.line === line), JSON.stringify(p.diagnostics));

      await quiet.open('untitled:bad', MALFORMED_POLICY);
      const q = await quiet.diagnosticsForVersion('untitled:bad', 1);
      assert.deepEqual(q.diagnostics.filter((d) => d.code === 'json-syntax'), []);
    } finally {
      await client.dispose();
      await quiet.dispose();
    }
  });
});

describe('typing in an open key policy', skip, () => {
  test('every version, broken ones included, gets the diagnostics a fresh open of its text gets', async () => {
    // 12 statements (enough for the per-statement memo), some with findings.
    const statements = Array.from({ length: 12 }, (_, i) => ({
      Sid: `Use${i}`,
      Effect: 'Allow',
      Principal: { AWS: i % 3 === 0 ? 'arn:aws:iam::444455556666:root' : `arn:aws:iam::444455556666:role/app-${i}` },
      Action: i % 4 === 0 ? ['kms:Decrypt', 'kms:Decrypt'] : ['kms:Decrypt', 'kms:DescribeKey'],
      Resource: '*',
    }));
    statements.unshift({ Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: ['kms:*'], Resource: '*' });
    let text = JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
    // Keystrokes: a new element typed into the sixth statement character by character (broken
    // until its value is closed), a typo made and mended in an action, a line added above.
    const keystrokes: ((t: string) => string)[] = [];
    const typeAt = (anchor: string, typed: string) => {
      for (let k = 1; k <= typed.length; k++) {
        keystrokes.push((t) => {
          const at = t.indexOf(anchor) + anchor.length;
          return t.slice(0, at) + typed.slice(0, k) + t.slice(at + (k - 1));
        });
      }
    };
    typeAt('"Sid": "Use5",', '\n      "Condition": {"Bool": {"aws:SecureTransport": "true"}},');
    keystrokes.push((t) => t.replace('"kms:DescribeKey"', '"kms:DescribeKye"'));
    keystrokes.push((t) => t.replace('"kms:DescribeKye"', '"kms:DescribeKey"'));
    keystrokes.push((t) => t.replace('{\n  "Version"', '{\n  "Id": "key-policy",\n  "Version"'));

    const { client } = await LspClient.start();
    try {
      await client.open('untitled:typed', text);
      await client.diagnosticsForVersion('untitled:typed', 1);
      let fresh = 0;
      for (const keystroke of keystrokes) {
        text = keystroke(text);
        const v = await client.change('untitled:typed', text);
        const typed = await client.diagnosticsForVersion('untitled:typed', v);
        const uri = `untitled:fresh-${fresh++}`;
        await client.open(uri, text);
        const opened = await client.diagnosticsForVersion(uri, 1);
        await client.close(uri);
        // The same but for the document's own name in related places.
        const strip = (p: typeof typed) => JSON.parse(JSON.stringify(p.diagnostics.map((d) => ({ ...d, data: undefined }))).split(p.uri).join('this'));
        assert.deepEqual(strip(typed), strip(opened), `after typing up to: ${JSON.stringify(text.slice(text.indexOf('"Use5",'), text.indexOf('"Use5",') + 80))}`);
      }
      assert.ok(text.includes('"aws:SecureTransport": "true"}},'), 'the keystrokes typed the whole element');
    } finally {
      await client.dispose();
    }
  });
});
