/**
 * Inputs that must never take the server down or hold it for long: malformed JSON, a 20 MB
 * file, 10,000-deep nesting, a BOM, CRLF line ends, invalid UTF-8, `__proto__` keys —
 * opened in the editor and read from disk. After each, the server answers the next request.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DocumentSymbolRequest, type DocumentSymbol } from 'vscode-languageserver-protocol/node';
import { assertDiagnostics, markedDiagnostics, positionAt } from './expect';
import { deeplyNested, hugePolicyLike, KEY_POLICY_MISSING_PRINCIPAL, MALFORMED_POLICY, PROTO_KEYS_POLICY } from './fixtures';
import { fileUri, LspClient, makeWorkspace, serverMissing } from './lspClient';
import { needs } from '../support/needs';

const skip = needs('build', serverMissing());
const TWENTY_MB = 20 * 1024 * 1024;

describe('robustness', skip, () => {
  const key = markedDiagnostics(KEY_POLICY_MISSING_PRINCIPAL);
  const crlf = markedDiagnostics(KEY_POLICY_MISSING_PRINCIPAL.replace(/\n/g, '\r\n'));
  const probe = 'untitled:probe.json';
  let root: string;
  let client: LspClient;

  before(async () => {
    const invalidUtf8 = Uint8Array.from([
      ...Buffer.from(key.text.slice(0, key.text.indexOf('"KeyAdmins"') + 1)),
      0xff, 0xfe, 0xc3,
      ...Buffer.from(key.text.slice(key.text.indexOf('"KeyAdmins"') + 1)),
    ]);
    root = makeWorkspace({
      'malformed.json': MALFORMED_POLICY,
      'huge.json': hugePolicyLike(TWENTY_MB),
      'deep.json': deeplyNested(),
      'bom.json': '\ufeff' + key.text,
      'crlf.json': crlf.text,
      'invalid-utf8.json': invalidUtf8,
      'proto.json': PROTO_KEYS_POLICY,
    });
    ({ client } = await LspClient.start({ root }));
    await client.open(probe, key.text);
  });
  after(async () => {
    await client?.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** The server is alive and answers a request about another document. */
  async function answersNextRequest(): Promise<void> {
    const symbols = (await client.withTimeout(
      client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: probe } }),
      'documentSymbol of the probe document',
    )) as DocumentSymbol[];
    assert.equal(symbols.length, 1);
    assert.equal(symbols[0].children?.length, 2);
    assert.ok(client.alive);
  }

  const uri = (name: string) => fileUri(path.join(root, name));

  test('files read from disk: BOM stripped, CRLF and invalid UTF-8 keep exact ranges', async () => {
    assertDiagnostics((await client.diagnostics(uri('bom.json'), (p) => p.diagnostics.length > 0)).diagnostics, key.expected);
    assertDiagnostics((await client.diagnostics(uri('crlf.json'), (p) => p.diagnostics.length > 0)).diagnostics, crlf.expected);
    // The invalid bytes become U+FFFD inside the first Sid, on a line before the marked one.
    const bad = await client.diagnostics(uri('invalid-utf8.json'), (p) => p.diagnostics.length > 0);
    assertDiagnostics(bad.diagnostics, key.expected);
    await answersNextRequest();
  });

  test('malformed JSON opened and from disk', async () => {
    const p = await client.diagnostics(uri('malformed.json'), (d) => d.diagnostics.length > 0);
    // The doubled comma: the second one is where a property name was expected.
    const comma = MALFORMED_POLICY.indexOf(',,') + 1;
    const at = { start: positionAt(MALFORMED_POLICY, comma), end: positionAt(MALFORMED_POLICY, comma + 1) };
    assert.ok(p.diagnostics.some((d) => d.code === 'json-syntax' && JSON.stringify(d.range) === JSON.stringify(at)), JSON.stringify(p.diagnostics));
    await client.open(uri('malformed.json'), MALFORMED_POLICY + '}}}}]]]]::::,,,,"');
    await client.diagnosticsForVersion(uri('malformed.json'), 1);
    await answersNextRequest();
  });

  test('a 20 MB file: not read from disk (over policyHandshake.maxFileSize), skipped with one finding when opened', async () => {
    await answersNextRequest();
    assert.equal(client.latest.get(uri('huge.json')), undefined);
    await client.open(uri('huge.json'), fs.readFileSync(path.join(root, 'huge.json'), 'utf8'));
    const p = await client.diagnosticsForVersion(uri('huge.json'), 1);
    assert.deepEqual(p.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['file-skipped', 0, 0]]);
    await answersNextRequest();
  });

  test('10,000-deep nesting from disk and opened: one file-skipped finding, no crash', async () => {
    const p = await client.diagnostics(uri('deep.json'), (d) => d.diagnostics.length > 0);
    assert.deepEqual(p.diagnostics.map((d) => d.code), ['file-skipped']);
    await client.open(uri('deep.json'), deeplyNested(20_000));
    const q = await client.diagnosticsForVersion(uri('deep.json'), 1);
    assert.deepEqual(q.diagnostics.map((d) => d.code), ['file-skipped']);
    await answersNextRequest();
  });

  test('a BOM kept by the client in an open document: ranges stay those of the text the client sent', async () => {
    const bomText = '\ufeff' + key.text;
    await client.open('untitled:bom.json', bomText);
    const p = await client.diagnosticsForVersion('untitled:bom.json', 1);
    // The BOM is one UTF-16 unit on line 0; the marked Sid is on a later line, so its position is unchanged.
    assert.ok(key.expected.every((e) => e.range.start.line > 0));
    assertDiagnostics(p.diagnostics, key.expected);
    await answersNextRequest();
  });

  test('CRLF in an open document', async () => {
    await client.open('untitled:crlf.json', crlf.text);
    assertDiagnostics((await client.diagnosticsForVersion('untitled:crlf.json', 1)).diagnostics, crlf.expected);
  });

  test('__proto__ keys from disk and opened', async () => {
    await answersNextRequest();
    await client.open(uri('proto.json'), PROTO_KEYS_POLICY);
    await client.diagnosticsForVersion(uri('proto.json'), 1);
    const symbols = (await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: uri('proto.json') } })) as DocumentSymbol[];
    assert.deepEqual(symbols[0].children?.map((c) => c.name), ['Proto']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    await answersNextRequest();
  });

  test('requests for documents that are not open answer null', async () => {
    const r = await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: 'untitled:never-opened.json' } });
    assert.equal(r, null);
    await answersNextRequest();
  });
});
