/**
 * Files that are not open keep no text in the server: places in them (related information of
 * another file's findings) are put on lines from the lines kept when the file was read (their lengths, not the text).
 * A file changed on disk is read again, and places in it move with its new text.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileChangeType, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { positionAt } from './expect';
import { HANDSHAKE_KEY_ARN, handshakeKeyPolicy, HANDSHAKE_MANIFEST } from './fixtures';
import { fileUri, LspClient, makeWorkspace, serverMissing } from './lspClient';
import { needs } from '../support/needs';

const skip = needs('build', serverMissing());

/** B's role policy granting Decrypt on the key, one statement over several lines. */
const ROLE = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "UseKey",
      "Effect": "Allow",
      "Action": "kms:Decrypt",
      "Resource": "${HANDSHAKE_KEY_ARN}"
    }
  ]
}
`;

/** The range of the grant's Resource value (the key's ARN) in `text`, found in the text itself. */
function resourceRange(text: string) {
  const value = JSON.stringify(HANDSHAKE_KEY_ARN);
  const start = text.indexOf(value);
  assert.ok(start > 0);
  return { start: positionAt(text, start), end: positionAt(text, start + value.length) };
}

describe('places in files that are not open', skip, () => {
  let root: string;
  let client: LspClient;
  let keyUri: string;
  let roleFile: string;

  const roleRelated = (p: PublishDiagnosticsParams) =>
    p.diagnostics.flatMap((d) => d.relatedInformation ?? []).filter((r) => r.location.uri === fileUri(roleFile) && (r.location.range.start.line > 0 || r.location.range.start.character > 0));

  before(async () => {
    root = makeWorkspace({
      'policy-handshake.json': HANDSHAKE_MANIFEST,
      'keys/key.json': handshakeKeyPolicy('root-principal-broader-than-grants').replace(/[«»]|root-principal-broader-than-grants:/g, ''),
      'b/app/role.json': ROLE,
    });
    keyUri = fileUri(path.join(root, 'keys/key.json'));
    roleFile = path.join(root, 'b/app/role.json');
    ({ client } = await LspClient.start({ root }));
  });
  after(async () => {
    await client?.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('the grant in the closed role policy, related to the closed key policy\'s finding, is on its lines; no text is read again', async () => {
    const p = await client.diagnostics(keyUri, (q) => roleRelated(q).length > 0, 'the key policy\'s finding related to the role policy');
    assert.deepEqual(roleRelated(p).map((r) => r.location.range), [resourceRange(ROLE)]);
    const pass = await client.logMessage((m) => m.message.startsWith('First full pass'), 'first full pass');
    assert.match(pass.message, /; 0 file texts read again from disk\.$/);
  });

  test('the role policy changed on disk: the related place moves with its new text', async () => {
    // Three lines more above the statement, and the key's ARN further right.
    const moved = ROLE.replace('"Statement": [\n', '"Statement": [\n\n\n\n').replace('"Resource": ', '"Resource":     ');
    fs.writeFileSync(roleFile, moved);
    await client.fileEvents([{ uri: fileUri(roleFile), type: FileChangeType.Changed }]);
    const expected = resourceRange(moved);
    assert.equal(expected.start.line, resourceRange(ROLE).start.line + 3);
    const p = await client.diagnostics(keyUri, (q) => roleRelated(q).some((r) => r.location.range.start.line === expected.start.line), 'the related place on its new line');
    assert.deepEqual(roleRelated(p).map((r) => r.location.range), [expected]);
  });
});
