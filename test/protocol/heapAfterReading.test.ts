/**
 * After reading a large workspace (TIGHT_HEAP_FILES files or more), the server collects its
 * heap once and holds it close to the live heap while the findings are published
 * (`tightenHeapWhilePublishing`), and says so in its log; a small workspace is left to V8.
 * Such a reading is also compiled without inlining (`compileWithoutInlining`), and the log says
 * so once the files are listed, and its files are read in a thread of their own
 * (`startReadAhead`), ahead of the checks. The findings and their related places are those of any reading.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { positionAt } from './expect';
import { HANDSHAKE_KEY_ARN, handshakeKeyPolicy, HANDSHAKE_MANIFEST, roleDecryptsKey, roleS3Only } from './fixtures';
import { fileUri, LspClient, makeWorkspace, serverMissing } from './lspClient';
import { needs } from '../support/needs';
import { TIGHT_HEAP_FILES, UNINLINED_PASS_FILES } from '../../server/src/runtime/heap';
import { READ_AHEAD_FILES } from '../../server/src/runtime/readAhead';

const skip = needs('build', serverMissing());

const KEY = handshakeKeyPolicy('root-principal-broader-than-grants').replace(/[«»]|root-principal-broader-than-grants:/g, '');

/** The manifest, the key policy, B's role policy granting the key, and `fillers` identity policies of nobody's (S3 only). */
function workspace(fillers: number): Record<string, string> {
  const files: Record<string, string> = { 'policy-handshake.json': HANDSHAKE_MANIFEST, 'keys/key.json': KEY, 'b/app/role.json': roleDecryptsKey };
  for (let i = 0; i < fillers; i++) files[`other/${String(i).padStart(4, '0')}.json`] = roleS3Only;
  return files;
}

for (const [label, fillers, tightened] of [['large', TIGHT_HEAP_FILES, true], ['small', 10, false]] as const) {
  describe(`a ${label} workspace's first reading`, skip, () => {
    let root: string;
    let client: LspClient;
    const files = fillers + 3;

    before(async () => {
      root = makeWorkspace(workspace(fillers));
      ({ client } = await LspClient.start({ root }));
    });
    after(async () => {
      await client?.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    });

    test(tightened ? 'the heap is collected once reading ends and the log says so, before the pass ends' : 'the heap is left to V8: no collection is logged', async () => {
      const pass = await client.logMessage((m) => m.message.startsWith('First full pass'), 'first full pass');
      assert.match(pass.message, new RegExp(`^First full pass: ${files} JSON files read from `));
      const heap = client.logs.filter((m) => m.message.startsWith('Heap collected'));
      if (!tightened) {
        assert.deepEqual(heap, []);
        return;
      }
      assert.equal(heap.length, 1);
      assert.match(heap[0].message, new RegExp(`^Heap collected after reading ${files} files: \\d+ → \\d+ MB in use; held close to the live heap while their findings are published\\.$`));
      assert.ok(client.logs.indexOf(heap[0]) < client.logs.indexOf(pass));
    });

    test(tightened ? 'the log says, before the pass ends, that the reading is compiled without inlining' : 'no reading without inlining is logged', async () => {
      const pass = await client.logMessage((m) => m.message.startsWith('First full pass'), 'first full pass');
      const said = client.logs.filter((m) => m.message.includes('compiled without inlining'));
      if (!tightened) {
        assert.deepEqual(said, []);
        return;
      }
      assert.ok(files >= UNINLINED_PASS_FILES);
      assert.deepEqual(said.map((m) => m.message), [`Reading ${files} files: functions optimized until their findings are published are compiled without inlining (a large workspace).`]);
      assert.ok(client.logs.indexOf(said[0]) < client.logs.indexOf(pass));
    });

    test(tightened ? 'the files are read in a reading thread ahead of the checks, and the log says how many' : 'a small workspace is read without a reading thread', async () => {
      const pass = await client.logMessage((m) => m.message.startsWith('First full pass'), 'first full pass');
      const said = client.logs.filter((m) => m.message.includes('reading thread'));
      if (!tightened) {
        assert.deepEqual(said, []);
        return;
      }
      assert.ok(files >= READ_AHEAD_FILES);
      assert.equal(said.length, 1);
      const m = new RegExp(`^Read (\\d+) of ${files} files of (.+) in a reading thread, (\\d+) in the checking thread\\.$`).exec(said[0].message);
      assert.ok(m, said[0].message);
      assert.equal(m[2], root);
      assert.equal(Number(m[1]) + Number(m[3]), files);
      assert.ok(Number(m[1]) > 0, 'some files come from the reading thread');
      assert.ok(client.logs.indexOf(said[0]) < client.logs.indexOf(pass));
    });

    test('the key policy\'s finding relates to the closed role policy\'s grant, at its Resource', async () => {
      const keyUri = fileUri(path.join(root, 'keys/key.json'));
      const roleUri = fileUri(path.join(root, 'b/app/role.json'));
      const related = (p: PublishDiagnosticsParams) => p.diagnostics.filter((d) => d.code === 'root-principal-broader-than-grants').flatMap((d) => d.relatedInformation ?? []).filter((r) => r.location.uri === roleUri);
      const p = await client.diagnostics(keyUri, (q) => related(q).length > 0, 'the key policy\'s finding related to the role policy');
      const value = JSON.stringify(HANDSHAKE_KEY_ARN);
      const start = roleDecryptsKey.indexOf(value);
      assert.deepEqual(related(p).map((r) => r.location.range), [{ start: positionAt(roleDecryptsKey, start), end: positionAt(roleDecryptsKey, start + value.length) }]);
    });
  });
}
