/**
 * A file deleted from disk leaves the handshake (issue 18: in VS Code a file one suite deleted
 * still counted in a later one). The open text of a document wins until it is closed; then the
 * disk decides, even when the file was deleted between the close and the server's reading of
 * it. On a copy of examples/cross-account: the key policy trusts all of workloads, where
 * role/AppReader (its own policy file) and role/DataPipeline (the authorization-details export)
 * use the key.
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileChangeType, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { fileUri, LspClient, makeWorkspace, serverMissing } from './lspClient';
import { repoRoot } from '../support/corpus';
import { needs } from '../support/needs';

const skip = needs('build', serverMissing());
const EXAMPLE = path.join(repoRoot, 'examples', 'cross-account');
const FILES = ['policy-handshake.json', 'security/keys/app-data.json', 'workloads/roles/app-reader/use-app-data-key.json',
  'workloads/roles/report-builder/read-reports.json', 'workloads/exports/authorization-details.json'];
const KEY = 'security/keys/app-data.json';
const APP_READER = 'workloads/roles/app-reader/use-app-data-key.json';

/** The message of the key policy's root-principal-broader-than-grants finding, if it has one. */
function broader(p: PublishDiagnosticsParams): string | undefined {
  const m = p.diagnostics.find((d) => d.code === 'root-principal-broader-than-grants')?.message;
  return typeof m === 'string' ? m : m?.value;
}
const BOTH = /only 2 of its principals use this key: narrow the principal to them\. They are role\/AppReader \(kms:Decrypt, kms:DescribeKey\), role\/DataPipeline \(/;
const PIPELINE_ONLY = /only one of its principals uses this key: narrow the principal to it\. It is role\/DataPipeline \(/;

describe('deleted files leave the model', skip, () => {
  let root: string;
  let client: LspClient;
  const abs = (rel: string) => path.join(root, rel);
  const uri = (rel: string) => fileUri(abs(rel));
  const text = (rel: string) => fs.readFileSync(path.join(EXAMPLE, rel), 'utf8');
  /** The next key-policy diagnostics whose finding matches `re`. */
  const keyFinding = (re: RegExp, what: string) => client.diagnostics(uri(KEY), (p) => re.test(broader(p) ?? ''), what);

  beforeEach(async () => {
    root = makeWorkspace(Object.fromEntries(FILES.map((f) => [f, text(f)])));
    ({ client } = await LspClient.start({ root }));
    await keyFinding(BOTH, 'the key policy naming both roles');
  });
  afterEach(async () => {
    await client?.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('a file deleted on disk (with its watched-files event) no longer counts in the handshake', async () => {
    fs.rmSync(abs(APP_READER));
    await client.fileEvents([{ uri: uri(APP_READER), type: FileChangeType.Deleted }]);
    const p = await keyFinding(PIPELINE_ONLY, 'the key policy naming role/DataPipeline alone');
    assert.doesNotMatch(broader(p)!, /AppReader/);
  });

  test('a deleted folder takes its files out of the handshake', async () => {
    fs.rmSync(abs('workloads/roles'), { recursive: true });
    await client.fileEvents([{ uri: uri('workloads/roles'), type: FileChangeType.Deleted }]);
    await keyFinding(PIPELINE_ONLY, 'the key policy naming role/DataPipeline alone');
  });

  test('a file deleted while open keeps its open text until it is closed, then leaves', async () => {
    const key = uri(KEY);
    await client.open(key, text(KEY));
    await client.open(uri(APP_READER), text(APP_READER));
    fs.rmSync(abs(APP_READER));
    // VS Code reports the deletion and keeps the document open (shown as deleted) until its tab is closed.
    await client.fileEvents([{ uri: uri(APP_READER), type: FileChangeType.Deleted }]);
    // An edit of the key policy is checked after the event: the open role policy still counts.
    const v = await client.change(key, `${text(KEY)}\n`);
    const edited = await client.diagnosticsForVersion(key, v);
    assert.match(broader(edited) ?? '', BOTH);
    await client.close(uri(APP_READER));
    await keyFinding(PIPELINE_ONLY, 'the key policy naming role/DataPipeline alone once the deleted file is closed');
  });

  test('a document closed and deleted at once: the close does not bring the deleted file back', async () => {
    await client.open(uri(APP_READER), text(APP_READER));
    // The server reads the closed file from disk; the deletion and its event come while it does.
    await client.close(uri(APP_READER));
    fs.rmSync(abs(APP_READER));
    await client.fileEvents([{ uri: uri(APP_READER), type: FileChangeType.Deleted }]);
    await keyFinding(PIPELINE_ONLY, 'the key policy naming role/DataPipeline alone');
    // Later changes to the key policy still see the role gone.
    await client.open(uri(KEY), text(KEY));
    const p = await client.diagnosticsForVersion(uri(KEY), 1);
    assert.match(broader(p) ?? '', PIPELINE_ONLY);
  });
});
