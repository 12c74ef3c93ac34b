/**
 * The language server under a flood of edits (protocol level, `dist/server.js --stdio`):
 * 1,000 rapid didChange notifications end with diagnostics for the last version only; a
 * hover whose document moved on (and which the client cancelled) answers nothing; memory
 * after 10,000 edits is flat.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { fileUri, LspClient, serverMissing } from '../../protocol/lspClient';
import { writeWorkspace } from './workspaceFixture';
import { needs } from '../../support/needs';

/** Two states of the key policy: as written, and with a misspelt action (unknown-action). */
const misspell = (text: string) => text.replace('"kms:Decrypt"', '"kms:Decrpyt"');
const signature = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`).sort().join(' ');

function rssKb(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

/** One framed JSON-RPC message. */
const frame = (message: object) => {
  const body = JSON.stringify({ jsonrpc: '2.0', ...message });
  return `Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n${body}`;
};

/** Responses to requests the test wrote itself, read from the same stdout the client reads. */
function responsesOf(client: LspClient): Map<string, { result?: unknown; error?: { code: number } }> {
  const out = new Map<string, { result?: unknown; error?: { code: number } }>();
  let buffer = Buffer.alloc(0);
  client.child.stdout!.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer as Uint8Array, chunk as Uint8Array]);
    for (;;) {
      const headerEnd = buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString('ascii'))?.[1]);
      if (buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'));
      buffer = buffer.subarray(headerEnd + 4 + length);
      if (typeof message.id === 'string' && message.id.startsWith('raw-')) out.set(message.id, message);
    }
  });
  return out;
}

describe('server under a flood of edits', process.platform === 'linux' ? needs('build', serverMissing()) : { skip: 'reads /proc' }, () => {
  let root: string;
  let client: LspClient;
  let uri: string;
  let text: string;
  let raw: ReturnType<typeof responsesOf>;

  before(async () => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ph-flood-')));
    const files = writeWorkspace(root);
    ({ client } = await LspClient.start({ root }));
    raw = responsesOf(client);
    uri = fileUri(files['/ws/keys/app-data.json']);
    text = fs.readFileSync(files['/ws/keys/app-data.json'], 'utf8');
    await client.open(uri, text);
    // The workspace is read: the key's trust of the other account meets that account's grant.
    await client.diagnostics(uri, (p) => p.version === 1 && p.diagnostics.some((d) => d.code === 'root-principal-broader-than-grants'));
  });
  after(async () => {
    await client?.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('1,000 rapid edits end with the diagnostics of the last version, and nothing older after them', async () => {
    const first = signature(client.latest.get(uri)!);
    const wrong = signature(await (async () => {
      const v = await client.change(uri, misspell(text));
      return client.diagnosticsForVersion(uri, v);
    })());
    assert.notEqual(first, wrong, 'the two states differ (unknown-action)');
    const start = client.version(uri)!;
    const versions: number[] = [];
    const last = start + 1000;
    const done = client.diagnostics(uri, (p) => { versions.push(p.version ?? -1); return p.version === last; }, `diagnostics of version ${last}`);
    for (let v = start + 1; v <= last; v++) await client.change(uri, v % 2 === last % 2 ? text : misspell(text));
    const final = await done;
    assert.equal(signature(final), first, 'the last version is the text as written');
    const during = versions.filter((v) => v > start);
    assert.ok(during.length < 100, `edits were coalesced (${during.length} publishes for 1,000 edits)`);
    assert.deepEqual(during, [...during].sort((a, b) => a - b), 'published versions never go back');
    // One more edit: between the two, nothing older than the last version was published.
    versions.length = 0;
    const next = await client.change(uri, misspell(text));
    assert.equal(signature(await client.diagnosticsForVersion(uri, next)), wrong);
    assert.ok(versions.every((v) => v === last || v === next), `published after the flood: ${versions.join()}`);
  });

  test('a hover whose document moved on, cancelled by the client, answers nothing; a current one answers', async () => {
    await client.diagnosticsForVersion(uri, client.version(uri)!);
    const at = text.indexOf('"kms:Decrypt"') + 3;
    const position = { line: text.slice(0, at).split('\n').length - 1, character: at - text.lastIndexOf('\n', at) - 1 };
    // The edit, the hover and its cancellation in one write: the server reads them together.
    const stale = client.version(uri)! + 1;
    const edit = (version: number) => frame({ method: 'textDocument/didChange', params: { textDocument: { uri, version }, contentChanges: [{ text }] } });
    const hover = (id: string) => frame({ id, method: 'textDocument/hover', params: { textDocument: { uri }, position } });
    client.child.stdin!.write(edit(stale) + hover('raw-stale') + frame({ method: '$/cancelRequest', params: { id: 'raw-stale' } }));
    const fresh = stale + 1;
    client.child.stdin!.write(edit(fresh) + hover('raw-fresh'));
    await client.diagnosticsForVersion(uri, fresh);
    await client.withTimeout(new Promise<void>((resolve) => {
      const poll = () => (raw.has('raw-stale') && raw.has('raw-fresh') ? resolve() : setImmediate(poll));
      poll();
    }), 'hover answers');
    const s = raw.get('raw-stale')!;
    assert.ok(s.result === null || s.error?.code === -32800, `stale hover: ${JSON.stringify(s)}`);
    const f = raw.get('raw-fresh')!;
    assert.ok(f.result && JSON.stringify(f.result).includes('Decrypt'), `current hover: ${JSON.stringify(f)}`);
    // Keep the client's version count in step with the two raw edits.
    await client.change(uri, text);
  });

  test('memory after 10,000 edits is flat', async () => {
    const batch = async (n: number) => {
      let v = 0;
      for (let i = 0; i < n; i++) v = await client.change(uri, i % 2 ? text : misspell(text));
      await client.diagnosticsForVersion(uri, v);
    };
    await batch(1000);
    const warm = rssKb(client.child.pid!);
    for (let i = 0; i < 9; i++) await batch(1000);
    const after10k = rssKb(client.child.pid!);
    assert.ok(after10k - warm < 100 * 1024, `RSS grew from ${warm} kB to ${after10k} kB over 9,000 edits`);
    assert.ok(client.alive);
  });
});
