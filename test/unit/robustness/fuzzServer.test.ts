/**
 * Fuzzing the running server (`dist/server.js --stdio`) with mutated corpus documents:
 * each is opened (and sometimes edited) in a workspace with a manifest, its diagnostics
 * arrive for its version with every range inside the document, hover, completion,
 * definition, code lens, symbols and code actions at random places are answered, nothing
 * is logged as failed, and the server is alive at the end.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  DefinitionRequest,
  DocumentSymbolRequest,
  HoverRequest,
  type Diagnostic,
  type Position,
  type Range,
} from 'vscode-languageserver-protocol/node';
import { fileUri, LspClient, serverMissing } from '../../protocol/lspClient';
import { corpusMissing } from '../../support/corpus';
import { corpusSamples, fuzzRuns, fuzzSeed, mutatedDocument, offsetsIn, probeFractions } from './mutations';
import { writeWorkspace } from './workspaceFixture';
import { needsAll } from '../../support/needs';

/** LSP lines: split at \r\n, \r and \n. */
const linesOf = (text: string) => text.split(/\r\n|\r|\n/);

function positionAt(text: string, offset: number): Position {
  const before = linesOf(text.slice(0, offset));
  return { line: before.length - 1, character: before[before.length - 1].length };
}

function assertInside(range: Range, lines: string[], what: string): void {
  for (const p of [range.start, range.end]) {
    assert.ok(p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= lines[p.line].length, `${what}: ${JSON.stringify(range)} outside the document`);
  }
  assert.ok(range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character), `${what}: reversed ${JSON.stringify(range)}`);
}

const skip = process.env.POLICY_HANDSHAKE_SKIP_SERVER_FUZZ ? { skip: 'disabled' } : needsAll(['build', serverMissing()], ['corpus', corpusMissing()]);

describe('fuzz: the running server', skip, () => {
  let root: string;
  let client: LspClient;
  const logs: string[] = [];

  before(async () => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ph-fuzz-server-')));
    writeWorkspace(root);
    ({ client } = await LspClient.start({ root }));
    client.connection.onNotification('window/logMessage', (p: { message: string }) => { logs.push(p.message); });
  });
  after(async () => {
    await client?.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('mutated documents opened and edited: diagnostics in range, every request answered', async () => {
    const samples = corpusSamples();
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(mutatedDocument(samples), mutatedDocument(samples), fc.boolean(), probeFractions, async (doc, edit, edits, fractions) => {
        cases++;
        const uri = fileUri(path.join(root, 'fuzz', `case-${cases}.json`));
        await client.open(uri, doc.text);
        let text = doc.text;
        let published = await client.diagnosticsForVersion(uri, 1);
        if (edits) {
          text = edit.text;
          published = await client.diagnosticsForVersion(uri, await client.change(uri, text));
        }
        const lines = linesOf(text);
        for (const d of published.diagnostics as Diagnostic[]) {
          assertInside(d.range, lines, `${d.code} (${doc.name})`);
          for (const r of d.relatedInformation ?? []) if (r.location.uri === uri) assertInside(r.location.range, lines, `${d.code} related`);
        }
        const textDocument = { uri };
        for (const offset of offsetsIn(text, fractions)) {
          const position = positionAt(text, offset);
          const ask = <R>(p: Thenable<R>, what: string) => client.withTimeout(p, `${what} at ${JSON.stringify(position)} of a mutation of ${doc.name}`);
          const hover = (await ask(client.connection.sendRequest(HoverRequest.type, { textDocument, position }), 'hover')) as { range?: Range } | null;
          if (hover?.range) assertInside(hover.range, lines, 'hover');
          await ask(client.connection.sendRequest(CompletionRequest.type, { textDocument, position }), 'completion');
          await ask(client.connection.sendRequest(DefinitionRequest.type, { textDocument, position }), 'definition');
          const range = { start: position, end: position };
          await ask(client.connection.sendRequest(CodeActionRequest.type, { textDocument, range, context: { diagnostics: published.diagnostics } }), 'code actions');
        }
        const lenses = (await client.withTimeout(client.connection.sendRequest(CodeLensRequest.type, { textDocument }), 'code lens')) ?? [];
        for (const l of lenses) assertInside(l.range, lines, 'code lens');
        await client.withTimeout(client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument }), 'symbols');
        await client.close(uri);
        assert.deepEqual(logs.filter((m) => /failed|uncaught|unhandled/i.test(m)), [], 'the server logged a failure');
      }),
      { numRuns: fuzzRuns(40, 0.1), seed: fuzzSeed() },
    );
    assert.equal(cases, fuzzRuns(40, 0.1));
    assert.ok(client.alive, 'the server is alive');
    assert.equal(await client.shutdown(), 0);
  });
});
