/** Requests over the protocol: code actions (versioned fixes), document symbols, shutdown. */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  CodeActionKind,
  CodeActionRequest,
  CompletionRequest,
  InsertTextFormat,
  DocumentSymbolRequest,
  HoverRequest,
  MarkupKind,
  type CodeAction,
  type DocumentSymbol,
  type MarkupContent,
  type TextDocumentEdit,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { applyTextEdits, markedDiagnostics, positionAt } from './expect';
import { KEY_POLICY_MISSING_PRINCIPAL, TEMPLATE_IDENTITY_WITH_PRINCIPAL } from './fixtures';
import { DEFAULT_CAPABILITIES, LspClient, serverMissing } from './lspClient';
import { needs } from '../support/needs';

const skip = needs('build', serverMissing());

describe('code actions', skip, () => {
  const template = markedDiagnostics(TEMPLATE_IDENTITY_WITH_PRINCIPAL);
  const uri = 'untitled:stack.json';
  let client: LspClient;

  before(async () => {
    ({ client } = await LspClient.start());
    await client.open(uri, template.text);
  });
  after(async () => client?.dispose());

  async function codeActions(range = template.expected[0].range): Promise<CodeAction[]> {
    const result = await client.withTimeout(
      client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics: [] } }),
      'codeAction',
    );
    return (result ?? []) as CodeAction[];
  }

  test('the fix of a finding, as a versioned edit; applying it removes the finding', async () => {
    const p = await client.diagnosticsForVersion(uri, 1);
    assert.ok(p.diagnostics.some((d) => d.code === 'principal-not-allowed'));
    const actions = await codeActions();
    const fix = actions.find((a) => a.diagnostics?.some((d) => d.code === 'principal-not-allowed'));
    assert.ok(fix, JSON.stringify(actions));
    assert.equal(fix.kind, CodeActionKind.QuickFix);
    const changes = fix.edit?.documentChanges as TextDocumentEdit[];
    assert.equal(changes.length, 1);
    assert.deepEqual(changes[0].textDocument, { uri, version: 1 });
    const fixed = applyTextEdits(template.text, changes[0].edits as TextEdit[]);
    assert.doesNotMatch(fixed, /"Principal"/);
    assert.doesNotThrow(() => JSON.parse(fixed));
    const v = await client.change(uri, fixed);
    const after = await client.diagnosticsForVersion(uri, v);
    assert.deepEqual(after.diagnostics.filter((d) => d.code === 'principal-not-allowed'), []);
  });

  test('no fix outside the diagnostic range', async () => {
    const v = await client.change(uri, template.text);
    await client.diagnosticsForVersion(uri, v);
    const start = positionAt(template.text, 0);
    assert.deepEqual(await codeActions({ start, end: start }), []);
    assert.ok((await codeActions()).length > 0);
  });

  test('a fix is never offered for text that has changed since it was computed', async () => {
    const v = await client.change(uri, ' ' + template.text);
    // Asked before (or after) the new version is checked: either nothing, or edits for the new version.
    const actions = await codeActions();
    for (const a of actions) {
      for (const c of (a.edit?.documentChanges ?? []) as TextDocumentEdit[]) assert.equal(c.textDocument.version, v);
    }
    await client.diagnosticsForVersion(uri, v);
    // Once the new version is checked its fix is offered, with edits for that version (the loop above may have seen none).
    const later = (await codeActions()).flatMap((a) => (a.edit?.documentChanges ?? []) as TextDocumentEdit[]);
    assert.ok(later.length > 0, 'a fix with edits once the new version is checked');
    for (const c of later) assert.equal(c.textDocument.version, v);
  });

  test('only quick-fixes are offered, and only when asked for', async () => {
    const v = await client.change(uri, template.text);
    await client.diagnosticsForVersion(uri, v);
    const result = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: template.expected[0].range,
      context: { diagnostics: [], only: [CodeActionKind.Refactor] },
    });
    assert.deepEqual(result, []);
  });
});

describe('document symbols', skip, () => {
  test('statements by Sid under the policy, with their Effect', async () => {
    const key = markedDiagnostics(KEY_POLICY_MISSING_PRINCIPAL);
    const { client } = await LspClient.start();
    try {
      await client.open('untitled:key.json', key.text);
      const symbols = (await client.withTimeout(
        client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: 'untitled:key.json' } }),
        'documentSymbol',
      )) as DocumentSymbol[];
      assert.equal(symbols.length, 1);
      assert.match(symbols[0].name, /^Key policy/);
      assert.deepEqual(symbols[0].children?.map((c) => [c.name, c.detail]), [['KeyAdmins', 'Allow'], ['UseTheKey', 'Allow']]);
      // The second statement's selection is its Sid value, the range marked in the fixture.
      assert.deepEqual(symbols[0].children![1].selectionRange, key.expected[0].range);
      const policyStart = key.text.indexOf('{');
      assert.deepEqual(symbols[0].range.start, positionAt(key.text, policyStart));
    } finally {
      await client.dispose();
    }
  });
});

describe('lifecycle', skip, () => {
  test('shutdown then exit ends the process with code 0', async () => {
    const { client, init } = await LspClient.start();
    assert.equal(init.serverInfo?.name, 'policy-handshake');
    assert.ok(init.capabilities.documentSymbolProvider);
    assert.ok(init.capabilities.codeActionProvider);
    assert.equal(await client.shutdown(), 0);
  });
});

describe('hover and completion', skip, () => {
  const key = KEY_POLICY_MISSING_PRINCIPAL;
  const uri = 'untitled:hover.json';
  let client: LspClient;

  before(async () => {
    ({ client } = await LspClient.start());
    await client.open(uri, key);
  });
  after(async () => client?.dispose());

  test('hover on an action: markdown over the whole string', async () => {
    const start = key.indexOf('"kms:Decrypt"');
    const hover = await client.withTimeout(
      client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionAt(key, start + 5) }),
      'hover',
    );
    assert.ok(hover, 'a hover');
    assert.equal((hover.contents as MarkupContent).kind, MarkupKind.Markdown);
    assert.ok((hover.contents as MarkupContent).value.length > 0);
    assert.deepEqual(hover.range, { start: positionAt(key, start), end: positionAt(key, start + '"kms:Decrypt"'.length) });
  });

  test('completion inside "kms:…": kms actions, replacing the string content', async () => {
    const edited = key.replace('"kms:Encrypt"', '"kms:"');
    const v = await client.change(uri, edited);
    await client.diagnosticsForVersion(uri, v);
    const cursor = edited.indexOf('"kms:"') + 5;
    const list = await client.withTimeout(
      client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: positionAt(edited, cursor) }),
      'completion',
    );
    const items = Array.isArray(list) ? list : list?.items ?? [];
    const decrypt = items.find((i) => i.label === 'Decrypt');
    assert.ok(decrypt, `labels: ${items.slice(0, 20).map((i) => i.label)}`);
    const edit = decrypt.textEdit as TextEdit;
    assert.deepEqual(edit.range, { start: positionAt(edited, cursor - 4), end: positionAt(edited, cursor) });
    assert.equal(edit.newText, 'kms:Decrypt');
  });

  test('hover outside any policy value answers null', async () => {
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 0 } });
    assert.equal(hover, null);
  });
});

// Issue 18, defect 8: completing `kms:EncryptionContext:${EncryptionContextKey}` dropped the placeholder.
describe('completion of a condition key with a placeholder', skip, () => {
  const text = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:Enc": "x"}}}]}';
  const cursor = text.indexOf('"kms:Enc"') + '"kms:Enc'.length;
  const clients: LspClient[] = [];
  after(async () => { for (const c of clients) await c.dispose(); });

  async function contextKeyItem(snippetSupport: boolean) {
    const capabilities = { ...DEFAULT_CAPABILITIES, textDocument: { ...DEFAULT_CAPABILITIES.textDocument, completion: { completionItem: { documentationFormat: [MarkupKind.Markdown], snippetSupport } } } };
    const { client } = await LspClient.start({ capabilities });
    clients.push(client);
    const uri = `untitled:snippet-${snippetSupport}.json`;
    await client.open(uri, text);
    await client.diagnosticsForVersion(uri, 1);
    const list = await client.withTimeout(client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: positionAt(text, cursor) }), 'completion');
    const items = Array.isArray(list) ? list : list?.items ?? [];
    const found = items.find((i) => i.label === 'kms:EncryptionContext:${EncryptionContextKey}');
    assert.ok(found, `labels: ${items.slice(0, 20).map((i) => i.label)}`);
    return found;
  }

  test('a client with snippets gets a tab stop on the context key', async () => {
    const found = await contextKeyItem(true);
    assert.equal(found.insertTextFormat, InsertTextFormat.Snippet);
    const edit = found.textEdit as TextEdit;
    assert.equal(edit.newText, 'kms:EncryptionContext:${1:key}');
    assert.deepEqual(edit.range, { start: positionAt(text, cursor - 'kms:Enc'.length), end: positionAt(text, cursor) });
  });

  test('a client without snippets gets plain text', async () => {
    const found = await contextKeyItem(false);
    assert.equal(found.insertTextFormat, undefined);
    assert.equal((found.textEdit as TextEdit).newText, 'kms:EncryptionContext:');
  });
});

// Issue 18, defect 7: VS Code showed our outline and its own JSON outline as two trees.
describe('document symbols beside the client\'s JSON outline', skip, () => {
  test('a client with its own JSON outline gets none for a bare policy, and the policy index of a template', async () => {
    const { client } = await LspClient.start({ initializationOptions: { jsonOutline: true } });
    try {
      const symbols = async (uri: string, text: string) => {
        await client.open(uri, text);
        return (await client.withTimeout(client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }), 'documentSymbol')) as DocumentSymbol[] | null;
      };
      assert.deepEqual(await symbols('untitled:bare.json', markedDiagnostics(KEY_POLICY_MISSING_PRINCIPAL).text), []);
      const template = await symbols('untitled:stack.json', markedDiagnostics(TEMPLATE_IDENTITY_WITH_PRINCIPAL).text);
      assert.equal(template?.length, 1);
      assert.match(template![0].name, /^Identity policy/);
    } finally {
      await client.dispose();
    }
  });
});
