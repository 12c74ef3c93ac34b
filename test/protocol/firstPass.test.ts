/**
 * An open key policy while the server first reads the workspace: its own findings are published
 * at once, its handshake findings only when every file has been read. Made from the files read
 * so far, they would say "nobody uses this key" before the roles' policies are read.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileUri, LspClient, makeWorkspace, serverMissing } from './lspClient';
import { HANDSHAKE_KEY_ARN } from './fixtures';
import { positionAt } from './expect';
import { HoverRequest, type Hover } from 'vscode-languageserver-protocol/node';
import { READING_NOTE } from '../../server/src/lsp/features';
import { needs } from '../support/needs';

const skip = needs('build', serverMissing());
const A = '111122223333';
const B = '444455556666';

/** Enough other policies that the pass takes a while; the role's policy is under z/, listed last. */
function files(): Record<string, string> {
  const out: Record<string, string> = {
    'policy-handshake.json': JSON.stringify({
      accounts: { [A]: { name: 'security' }, [B]: { name: 'workloads' } },
      keys: [{ policy: 'keys/key.json', arn: HANDSHAKE_KEY_ARN }],
      principals: [
        { arn: `arn:aws:iam::${B}:role/App`, policies: ['z/app/*.json'] },
        { arn: `arn:aws:iam::${B}:role/Other`, policies: ['z/other/*.json'] },
      ],
    }),
    'keys/key.json': `{"Version": "2012-10-17", "Statement": [
  {"Sid": "Own", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${A}:root"}, "Action": "kms:*", "Resource": "*"},
  {"Sid": "Workloads", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": "kms:Decrypt", "Resource": "*"},
  {"Sid": "Describe", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${A}:root"}, "Action": "kms:DescribeKeyy", "Resource": "*"}
]}`,
    'z/app/use-key.json': `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${HANDSHAKE_KEY_ARN}"}]}`,
    'z/other/s3.json': '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}',
  };
  for (let i = 0; i < 3000; i++) out[`filler/p${i}.json`] = `{"Version": "2012-10-17", "Statement": [{"Sid": "S${i}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket-${i}/*"}]}`;
  return out;
}

describe('an open key policy during the first pass', skip, () => {
  let root: string;
  let client: LspClient;

  before(async () => {
    root = makeWorkspace(files());
    ({ client } = await LspClient.start({ root }));
  });
  after(async () => {
    await client?.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('gets its own findings while the workspace is read, and the handshake\'s only after the pass: never "nobody uses it"', async () => {
    const file = path.join(root, 'keys/key.json');
    const uri = fileUri(file);
    const text = fs.readFileSync(file, 'utf8');
    await client.open(uri, text);
    // A hover on B's root while the workspace is read says that what other files grant may change it.
    const at = positionAt(text, text.indexOf(`${B}:root`));
    const hover = (): Promise<Hover | null> => client.withTimeout(client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: at }), 'hover');
    const during = await hover();
    const handshakeSeen = () => client.history.some((p) => p.uri === uri && p.diagnostics.some((d) => d.code === 'root-principal-broader-than-grants'));
    const duringWasEarly = !handshakeSeen();
    const final = await client.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'root-principal-broader-than-grants'), 'the handshake finding after the pass');
    await client.logMessage((m) => m.message.startsWith('First full pass'), 'first full pass');
    const mine = client.history.filter((p) => p.uri === uri);
    // The document was published before the pass ended, with its own finding (the unknown action) and no handshake finding.
    const early = mine.slice(0, mine.indexOf(final));
    assert.ok(early.length > 0, 'the key policy was published while the workspace was read');
    for (const p of early) assert.deepEqual(p.diagnostics.map((d) => d.code), ['unknown-action']);
    assert.ok(mine.every((p) => p.diagnostics.every((d) => d.code !== 'root-principal-without-grant')));
    assert.deepEqual(final.diagnostics.map((d) => d.code).sort(), ['root-principal-broader-than-grants', 'unknown-action']);
    // Answered before the handshake's findings came out, the hover carried the note; after the pass it does not.
    const value = (h: Hover | null) => (h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '');
    if (duringWasEarly) assert.ok(value(during).endsWith(READING_NOTE), value(during));
    const later = await hover();
    assert.match(value(later), /Trusted for kms:Decrypt/);
    assert.ok(!value(later).includes(READING_NOTE));
    assert.match(String(final.diagnostics.find((d) => d.code === 'root-principal-broader-than-grants')!.message), /role\/App \(kms:Decrypt\)/);
  });
});
