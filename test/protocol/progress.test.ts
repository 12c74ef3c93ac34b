/**
 * Reading the workspace is reported as work-done progress to clients that support it; the
 * progress ends only after the diagnostics of every file read are published.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { markedDiagnostics } from './expect';
import { KEY_POLICY_FIXED, KEY_POLICY_MISSING_PRINCIPAL } from './fixtures';
import { fileUri, LspClient, makeWorkspace, serverMissing, type ServerEvent } from './lspClient';
import { needs } from '../support/needs';

const skip = needs('build', serverMissing());
const FILES_WITH_FINDINGS = 60;

const key = markedDiagnostics(KEY_POLICY_MISSING_PRINCIPAL);

function workspace(): string {
  const files: Record<string, string> = { 'package.json': '{"name": "not-a-policy"}' };
  for (let i = 0; i < FILES_WITH_FINDINGS; i++) {
    files[`keys/broken-${i}.json`] = key.text;
    files[`keys/fixed-${i}.json`] = KEY_POLICY_FIXED;
  }
  return makeWorkspace(files);
}

const isEnd = (e: ServerEvent) => e.kind === 'progress' && e.value.kind === 'end';

describe('workspace reading as work-done progress', skip, () => {
  let root: string;
  before(() => {
    root = workspace();
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  test('a client with window.workDoneProgress sees begin, reports and an end after every file is published', async () => {
    const { client } = await LspClient.start({ root, capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true, workspaceFolders: true } } });
    try {
      await client.event(isEnd, 'the end of the reading progress');
      const created = client.events.filter((e) => e.kind === 'progress-created');
      assert.equal(created.length, 1, 'one progress token per folder read');
      const token = created[0].kind === 'progress-created' ? created[0].token : undefined;
      const progress = client.events.flatMap((e) => (e.kind === 'progress' ? [e] : []));
      assert.ok(progress.every((e) => e.token === token), 'progress is sent on the created token');
      const kinds = progress.map((e) => e.value.kind);
      assert.equal(kinds[0], 'begin');
      assert.equal(kinds.at(-1), 'end');
      assert.equal(kinds.filter((k) => k === 'begin' || k === 'end').length, 2, kinds.join(','));
      const begin = progress[0].value;
      assert.ok(begin.kind === 'begin' && /reading policies/.test(begin.title), JSON.stringify(begin));
      const percentages = progress.flatMap((e) => (e.value.kind !== 'end' && e.value.percentage !== undefined ? [e.value.percentage] : []));
      assert.deepEqual(percentages, [...percentages].sort((a, b) => a - b), 'percentages never go back');
      assert.ok(percentages.every((p) => p >= 0 && p <= 100), String(percentages));

      // Every broken key policy was published, with its finding, before the end.
      const endAt = client.events.findIndex(isEnd);
      const before = client.events.slice(0, endAt);
      for (let i = 0; i < FILES_WITH_FINDINGS; i++) {
        const uri = fileUri(path.join(root, `keys/broken-${i}.json`));
        assert.ok(before.some((e) => e.kind === 'diagnostics' && e.uri === uri && e.count > 0), `broken-${i}.json published before the progress ended`);
        assert.ok(client.published(uri)!.diagnostics.some((d) => d.code === 'principal-missing'));
      }
    } finally {
      await client.dispose();
    }
  });

  test('two folders: one progress, counting the files of both from its first report', async () => {
    const second = makeWorkspace({ 'b/key.json': key.text, 'b/other.json': KEY_POLICY_FIXED });
    const { client } = await LspClient.start({ root, moreFolders: [second], capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true, workspaceFolders: true } } });
    try {
      await client.event(isEnd, 'the end of the reading progress');
      assert.equal(client.events.filter((e) => e.kind === 'progress-created').length, 1);
      const values = client.events.flatMap((e) => (e.kind === 'progress' && e.value.kind !== 'end' ? [e.value] : []));
      const percentages = values.flatMap((v) => (v.percentage !== undefined ? [v.percentage] : []));
      assert.deepEqual(percentages, [...percentages].sort((a, b) => a - b), 'percentages never go back');
      const totals = values.flatMap((v) => /\/(\d+) files/.exec(v.message ?? '')?.[1] ?? []).map(Number);
      const all = 2 * FILES_WITH_FINDINGS + 1 + 2;
      assert.ok(totals.length > 0 && totals.every((t) => t === all), `totals ${totals.join(',')}, expected ${all}`);
      const endAt = client.events.findIndex(isEnd);
      const uri = fileUri(path.join(second, 'b/key.json'));
      assert.ok(client.events.slice(0, endAt).some((e) => e.kind === 'diagnostics' && e.uri === uri && e.count > 0), 'the second folder is published before the end');
    } finally {
      await client.dispose();
      fs.rmSync(second, { recursive: true, force: true });
    }
  });

  test('no workspace folder: nothing to read, no progress, the open document is checked', async () => {
    const { client } = await LspClient.start({ capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true } } });
    try {
      const uri = fileUri(path.join(root, 'keys/broken-0.json'));
      await client.open(uri, key.text);
      const p = await client.diagnosticsForVersion(uri, 1);
      assert.ok(p.diagnostics.some((d) => d.code === 'principal-missing'));
      assert.deepEqual(client.events.filter((e) => e.kind !== 'diagnostics'), []);
    } finally {
      await client.dispose();
    }
  });

  test('a client without the capability gets no progress and the same diagnostics', async () => {
    const { client } = await LspClient.start({ root, capabilities: { workspace: { configuration: true, workspaceFolders: true } } });
    try {
      const last = fileUri(path.join(root, `keys/broken-${FILES_WITH_FINDINGS - 1}.json`));
      for (let i = 0; i < FILES_WITH_FINDINGS; i++) {
        const p = await client.diagnostics(fileUri(path.join(root, `keys/broken-${i}.json`)), (d) => d.diagnostics.length > 0);
        assert.ok(p.diagnostics.some((d) => d.code === 'principal-missing'));
      }
      assert.ok(client.published(last));
      assert.deepEqual(client.events.filter((e) => e.kind !== 'diagnostics'), []);
    } finally {
      await client.dispose();
    }
  });
});
