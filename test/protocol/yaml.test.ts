/** CloudFormation YAML templates over the protocol: diagnostics (opened and from disk), hover, a fix, completion of a key being typed (plain or quoted). */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeActionRequest, CompletionRequest, HoverRequest, InsertTextMode, type CodeAction, type MarkupContent, type TextDocumentEdit, type TextEdit } from 'vscode-languageserver-protocol/node';
import { applyTextEdits, assertDiagnostics, markedDiagnostics, positionAt } from './expect';
import { fileUri, LspClient, makeWorkspace, serverMissing } from './lspClient';
import { needs } from '../support/needs';

// A missing bundle fails these suites when the corpus or editors are required (CI), as in the other protocol tests.
const skip = needs('build', serverMissing());

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  UseKey:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Sid: UseKey
            Effect: Allow
            Action:
              - kms:Encrypt
              - kms:«unknown-action:Decrpyt»
            Resource: !Sub 'arn:\${AWS::Partition}:kms:\${AWS::Region}:\${AWS::AccountId}:key/*'
`;

describe('CloudFormation YAML over stdio', skip, () => {
  const template = markedDiagnostics(TEMPLATE);
  let root: string;
  let client: LspClient;

  before(async () => {
    root = makeWorkspace({
      'stacks/key.yaml': template.text,
      '.github/workflows/ci.yml': 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps: [\n',
    });
    ({ client } = await LspClient.start({ root }));
  });
  after(async () => {
    await client?.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('a template on disk gets diagnostics without being opened; other YAML none', async () => {
    const p = await client.diagnostics(fileUri(path.join(root, 'stacks/key.yaml')), (d) => d.diagnostics.length > 0);
    assertDiagnostics(p.diagnostics, template.expected);
    assert.equal(client.latest.get(fileUri(path.join(root, '.github/workflows/ci.yml'))), undefined);
  });

  test('an opened YAML template: diagnostics, hover on a plain action, and the replace-action fix in YAML', async () => {
    const uri = fileUri(path.join(root, 'stacks/key.yaml'));
    await client.open(uri, template.text, 'yaml');
    const p = await client.diagnosticsForVersion(uri, 1);
    assertDiagnostics(p.diagnostics, template.expected);
    const d = p.diagnostics.find((x) => x.code === 'unknown-action')!;
    assert.equal(d.source, 'policy-handshake');

    const start = template.text.indexOf('kms:Encrypt');
    const hover = await client.withTimeout(client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionAt(template.text, start) }), 'hover');
    assert.ok(hover, 'a hover');
    assert.match((hover.contents as MarkupContent).value, /Encrypt/);
    assert.deepEqual(hover.range, { start: positionAt(template.text, start), end: positionAt(template.text, start + 'kms:Encrypt'.length) });

    const actions = (await client.withTimeout(
      client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } }),
      'codeAction',
    )) as CodeAction[];
    const fix = actions.find((a) => a.isPreferred && a.diagnostics?.some((x) => x.code === 'unknown-action'));
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    const fixed = applyTextEdits(template.text, (fix.edit!.documentChanges as TextDocumentEdit[])[0].edits as TextEdit[]);
    assert.equal(fixed, template.text.replace('kms:Decrpyt', 'kms:Decrypt'));
    const v = await client.change(uri, fixed);
    assert.deepEqual((await client.diagnosticsForVersion(uri, v)).diagnostics, []);
  });

  test('a syntax error: one yaml-syntax diagnostic, nothing else', async () => {
    const uri = fileUri(path.join(root, 'stacks/key.yaml'));
    const broken = template.text.replace('            Resource:', '           Resource:');
    assert.notEqual(broken, template.text);
    const v = await client.change(uri, broken);
    const p = await client.diagnosticsForVersion(uri, v);
    assert.deepEqual(p.diagnostics.map((x) => x.code), ['yaml-syntax']);
  });

  test('completion of a key being typed (no colon yet: a yaml-syntax error): the statement elements, replacing the word typed', async () => {
    const uri = fileUri(path.join(root, 'stacks/key.yaml'));
    const typing = template.text.replace('            Effect: Allow\n', '            Effect: Allow\n            Cond\n');
    const v = await client.change(uri, typing);
    assert.deepEqual((await client.diagnosticsForVersion(uri, v)).diagnostics.map((x) => x.code), ['yaml-syntax']);
    const cursor = typing.indexOf('Cond\n') + 4;
    const list = await client.withTimeout(client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: positionAt(typing, cursor) }), 'completion');
    const items = Array.isArray(list) ? list : list?.items ?? [];
    // A managed policy is an identity policy: no Principal; the elements written already are not offered.
    assert.deepEqual(items.map((i) => i.label), ['Condition']);
    const edit = items[0].textEdit as TextEdit;
    assert.deepEqual(edit.range, { start: positionAt(typing, cursor - 4), end: positionAt(typing, cursor) });
    // Its value is a mapping: the block's indentation on the next line, inserted as it is.
    assert.equal(items[0].insertTextMode, InsertTextMode.asIs);
    assert.equal(applyTextEdits(typing, [edit]), template.text.replace('            Effect: Allow\n', '            Effect: Allow\n            Condition:\n              \n'));
  });

  test('completion of a key begun with a quote the editor closed: the element in that quoting, both quotes kept once', async () => {
    const uri = fileUri(path.join(root, 'stacks/key.yaml'));
    const typing = template.text.replace('            Effect: Allow\n', '            Effect: Allow\n            "Cond"\n');
    const v = await client.change(uri, typing);
    await client.diagnosticsForVersion(uri, v);
    const cursor = typing.indexOf('"Cond"') + 5;
    const list = await client.withTimeout(client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: positionAt(typing, cursor) }), 'completion');
    const items = Array.isArray(list) ? list : list?.items ?? [];
    assert.deepEqual(items.map((i) => i.label), ['Condition']);
    const edit = items[0].textEdit as TextEdit;
    assert.deepEqual(edit.range, { start: positionAt(typing, cursor - 4), end: positionAt(typing, cursor + 1) });
    assert.equal(applyTextEdits(typing, [edit]), template.text.replace('            Effect: Allow\n', '            Effect: Allow\n            "Condition":\n              \n'));
  });
});
