/**
 * Files written as UTF-16 (Windows PowerShell's `>` writes UTF-16LE with a BOM) or UTF-8 with a
 * BOM are checked like UTF-8 files through the CLI: findings at their places in the decoded
 * text, and a file governed by a manifest takes its part in the handshake.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../support/corpus';
import { runIn } from '../../support/cli';

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-cli-enc-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decryptt","Resource":"*"}]}';

/** Text as UTF-16LE or UTF-16BE bytes with a BOM (code unit by code unit), or UTF-8 with one. */
function encoded(text: string, encoding: 'utf16le' | 'utf16be' | 'utf8bom'): Uint8Array {
  if (encoding === 'utf8bom') return new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
  const bytes = encoding === 'utf16le' ? [0xff, 0xfe] : [0xfe, 0xff];
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (encoding === 'utf16le') bytes.push(unit & 0xff, unit >> 8);
    else bytes.push(unit >> 8, unit & 0xff);
  }
  return new Uint8Array(bytes);
}

for (const encoding of ['utf16le', 'utf16be', 'utf8bom'] as const) {
  test(`a ${encoding} policy with a misspelt action: unknown-action at the action, exit 1`, () => {
    fs.writeFileSync(path.join(dir, `${encoding}.json`), encoded(POLICY, encoding));
    const run = runIn(dir, 'check', `${encoding}.json`, '--format', 'json');
    assert.equal(run.stderr, '');
    assert.equal(run.code, 1);
    assert.deepEqual(JSON.parse(run.stdout), [{
      file: `${encoding}.json`,
      range: { start: { line: 0, character: 69 }, end: { line: 0, character: 77 } }, // Decryptt
      severity: 'error',
      code: 'unknown-action',
      message: 'Unknown action "Decryptt" in kms: did you mean "Decrypt"?',
    }]);
  });
}

test('a UTF-16LE role policy (CRLF lines) governed by a manifest takes its part in the handshake', () => {
  const ws = path.join(dir, 'cross-account');
  fs.cpSync(path.join(repoRoot, 'examples', 'cross-account'), ws, { recursive: true });
  const role = path.join(ws, 'workloads', 'roles', 'app-reader', 'use-app-data-key.json');
  fs.writeFileSync(role, encoded(fs.readFileSync(role, 'utf8').replace(/\n/g, '\r\n'), 'utf16le'));
  const key = path.join(ws, 'security', 'keys', 'app-data.json');
  fs.writeFileSync(key, encoded(fs.readFileSync(key, 'utf8'), 'utf16be'));
  const run = runIn(ws, 'check', '.');
  assert.equal(run.stderr, '');
  assert.equal(run.code, 0);
  const lines = run.stdout.split('\n');
  assert.equal(lines[0], 'security/keys/app-data.json:15:29: info root-principal-broader-than-grants: Trusts all of workloads (444455556666), but only 2 of its principals use this key: narrow the principal to them. They are role/AppReader (kms:Decrypt, kms:DescribeKey), role/DataPipeline (kms:Encrypt, kms:GenerateDataKey on "arn:aws:kms:*:111122223333:key/*"). While the account is trusted, any new IAM grant in it widens access to the key.');
  assert.equal(lines[1], '    workloads/roles/app-reader/use-app-data-key.json:11:19: Grant of role/AppReader');
  assert.doesNotMatch(run.stdout, /json-syntax/);
});
