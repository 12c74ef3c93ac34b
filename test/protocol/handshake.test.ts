/**
 * Cross-file diagnostics over the protocol: a change to B's role policy (on disk or in the
 * editor) re-publishes the key policy's handshake findings in account A.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeActionRequest, CodeLensRequest, DefinitionRequest, FileChangeType, type CodeAction, type CodeLens, type Location, type PublishDiagnosticsParams, type TextDocumentEdit, type TextEdit } from 'vscode-languageserver-protocol/node';
import { applyTextEdits, assertDiagnostics, markedDiagnostics, positionAt } from './expect';
import { ACCOUNT_B, handshakeKeyPolicy, HANDSHAKE_MANIFEST, roleDecryptsKey, roleS3Only } from './fixtures';
import { fileUri, LspClient, makeWorkspace, serverMissing } from './lspClient';
import { needs } from '../support/needs';

const skip = needs('build', serverMissing());
const HANDSHAKE = ['root-principal-without-grant', 'root-principal-broader-than-grants'];

describe('handshake across files', skip, () => {
  const withoutGrant = markedDiagnostics(handshakeKeyPolicy('root-principal-without-grant'));
  const broader = markedDiagnostics(handshakeKeyPolicy('root-principal-broader-than-grants'));
  let root: string;
  let client: LspClient;
  let keyUri: string;
  let roleFile: string;

  const has = (code: string) => (p: PublishDiagnosticsParams) => p.diagnostics.some((d) => d.code === code);

  before(async () => {
    root = makeWorkspace({
      'policy-handshake.json': HANDSHAKE_MANIFEST,
      'keys/key.json': withoutGrant.text,
      'b/app/role.json': roleS3Only,
    });
    keyUri = fileUri(path.join(root, 'keys/key.json'));
    roleFile = path.join(root, 'b/app/role.json');
    // Like VS Code's client: it runs the command that peeks a lens's IAM statements.
    ({ client } = await LspClient.start({ root, initializationOptions: { showReferencesCommand: true } }));
  });
  after(async () => {
    await client?.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('the key policy, read from disk: B is described and grants nothing', async () => {
    const p = await client.diagnostics(keyUri, has('root-principal-without-grant'));
    assertDiagnostics(p.diagnostics, withoutGrant.expected, HANDSHAKE);
  });

  test('B\'s role policy changes on disk: the open key policy is re-published', async () => {
    await client.open(keyUri, withoutGrant.text);
    assertDiagnostics((await client.diagnosticsForVersion(keyUri, 1)).diagnostics, withoutGrant.expected, HANDSHAKE);
    fs.writeFileSync(roleFile, roleDecryptsKey);
    await client.fileEvents([{ uri: fileUri(roleFile), type: FileChangeType.Changed }]);
    const p = await client.diagnostics(keyUri, has('root-principal-broader-than-grants'), 'broader-than-grants on the key policy');
    assertDiagnostics(p.diagnostics, broader.expected, HANDSHAKE);
  });

  test('B\'s role policy edited in the editor: the key policy follows each edit', async () => {
    const roleUri = fileUri(roleFile);
    await client.open(roleUri, roleDecryptsKey);
    await client.change(roleUri, roleS3Only);
    assertDiagnostics((await client.diagnostics(keyUri, has('root-principal-without-grant'))).diagnostics, withoutGrant.expected, HANDSHAKE);
    const refreshed = client.nextLensRefresh();
    await client.change(roleUri, roleDecryptsKey);
    assertDiagnostics((await client.diagnostics(keyUri, has('root-principal-broader-than-grants'))).diagnostics, broader.expected, HANDSHAKE);
    // The open key policy's lenses count B's principals: the client is asked to fetch them again.
    await refreshed;
  });

  test('the narrowing fix on the key policy: a versioned edit naming B\'s role', async () => {
    const version = client.version(keyUri)!;
    const p = await client.diagnostics(keyUri, has('root-principal-broader-than-grants'));
    const range = p.diagnostics.find((d) => d.code === 'root-principal-broader-than-grants')!.range;
    const actions = (await client.withTimeout(
      client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: keyUri }, range, context: { diagnostics: [] } }),
      'codeAction',
    )) as CodeAction[];
    const edits = actions.flatMap((a) => (a.edit?.documentChanges ?? []) as TextDocumentEdit[]);
    assert.ok(edits.length > 0, JSON.stringify(actions));
    for (const e of edits) assert.deepEqual(e.textDocument, { uri: keyUri, version });
    const narrowed = actions.map((a) => applyTextEdits(broader.text, ((a.edit?.documentChanges ?? []) as TextDocumentEdit[]).flatMap((e) => e.edits as TextEdit[])));
    assert.ok(narrowed.some((t) => t.includes(`"arn:aws:iam::${ACCOUNT_B}:role/App"`) && !t.includes(`"arn:aws:iam::${ACCOUNT_B}:root"`)), narrowed.join('\n----\n'));
  });

  test('code lens on the trusted account principal', async () => {
    const lenses = (await client.withTimeout(
      client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: keyUri } }),
      'codeLens',
    )) as CodeLens[];
    // First the governing manifest on line 0, then the trusted account principal.
    assert.deepEqual(lenses[0], { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, command: { title: 'Manifest: policy-handshake.json', command: '' } });
    assert.deepEqual(lenses.slice(1).map((l) => l.range), broader.expected.map((e) => e.range));
    // Issue 18, defect 5: the lens did nothing when clicked. It peeks the IAM statements granting the key, like a
    // references lens: the client command turns [uri, position, locations] into editor.action.showReferences.
    const grant = roleDecryptsKey.indexOf('{ "Effect"');
    const grantEnd = roleDecryptsKey.indexOf('}', roleDecryptsKey.indexOf('"Resource"')) + 1;
    assert.deepEqual(lenses[1].command, {
      title: '1 role in workloads uses this key',
      command: 'policyHandshake.showReferences',
      arguments: [keyUri, broader.expected[0].range.start, [{ uri: fileUri(roleFile), range: { start: positionAt(roleDecryptsKey, grant), end: positionAt(roleDecryptsKey, grantEnd) } }]],
    });
  });

  test('a client without the references command gets the lens as a label', async () => {
    const { client: plain } = await LspClient.start({ root });
    try {
      await plain.open(keyUri, broader.text);
      await plain.diagnostics(keyUri, has('root-principal-broader-than-grants'));
      const lenses = (await plain.withTimeout(plain.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: keyUri } }), 'codeLens')) as CodeLens[];
      assert.deepEqual(lenses[1].command, { title: '1 role in workloads uses this key', command: '' });
    } finally {
      await plain.dispose();
    }
  });

  test('definition from the account principal: the grant in B\'s role policy', async () => {
    const principal = broader.expected[0].range.start;
    const locations = (await client.withTimeout(
      client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: keyUri }, position: { line: principal.line, character: principal.character + 3 } }),
      'definition',
    )) as Location[];
    const grant = roleDecryptsKey.indexOf('{ "Effect"');
    const grantEnd = roleDecryptsKey.indexOf('}', roleDecryptsKey.indexOf('"Resource"')) + 1;
    assert.deepEqual(locations, [{ uri: fileUri(roleFile), range: { start: positionAt(roleDecryptsKey, grant), end: positionAt(roleDecryptsKey, grantEnd) } }]);
  });
});
