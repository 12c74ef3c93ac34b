/**
 * `policy-handshake check --check ID=LEVEL`: the level of one check, applied as the editor
 * applies `policyHandshake.checks.<id>`; unknown ids and levels are bad usage (exit 2).
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
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-cli-check-'));
  // An identity policy: a redundant action (info) and a misspelt one (error).
  fs.writeFileSync(path.join(dir, 'role.json'), `{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["s3:*", "s3:GetObject"], "Resource": "*"},
  {"Effect": "Allow", "Action": "kms:Decryptt", "Resource": "*"}]}`);
  // A key policy whose duplicate Sid the check reports as a warning by itself.
  fs.writeFileSync(path.join(dir, 'key.json'), `{"Version": "2012-10-17", "Statement": [
  {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
  {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Admin"}, "Action": "kms:Create*", "Resource": "*"}]}`);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const REDUNDANT = 'role.json:2:42: info redundant-action: "s3:GetObject" is already covered by "s3:*" in this Action list: remove it.\n    role.json:2:34: covered by "s3:*"';
const UNKNOWN = 'role.json:3:38: error unknown-action: Unknown action "Decryptt" in kms: did you mean "Decrypt"?';

test('without --check, each finding at its own severity', () => {
  const run = runIn(dir, 'check', 'role.json');
  assert.equal(run.code, 1);
  assert.equal(run.stdout.split('\n').slice(0, 3).join('\n'), `${REDUNDANT}\n${UNKNOWN}`);
});

test('--check turns a check off, or sets its level (the exit code follows), the last one for an id winning', () => {
  const run = runIn(dir, 'check', 'role.json', '--check', 'redundant-action=off', '--check=unknown-action=error', '--check', 'unknown-action=warning');
  assert.equal(run.stderr, '');
  assert.equal(run.code, 0);
  assert.equal(run.stdout.split('\n')[0], 'role.json:3:38: warning unknown-action: Unknown action "Decryptt" in kms: did you mean "Decrypt"?');
  assert.doesNotMatch(run.stdout, /redundant-action/);
  const hint = runIn(dir, 'check', 'role.json', '--check', 'redundant-action=hint', '--format', 'json');
  assert.deepEqual((JSON.parse(hint.stdout) as { code: string; severity: string }[]).map((f) => [f.code, f.severity]), [['redundant-action', 'hint'], ['unknown-action', 'error']]);
});

test('--check duplicate-sid=error (its default) makes a key policy\'s duplicate Sid an error, as the setting does in the editor', () => {
  const plain = runIn(dir, 'check', 'key.json', '--format', 'json');
  assert.deepEqual((JSON.parse(plain.stdout) as { code: string; severity: string }[]).filter((f) => f.code === 'duplicate-sid').map((f) => f.severity), ['warning']);
  const set = runIn(dir, 'check', 'key.json', '--check', 'duplicate-sid=error', '--format', 'json');
  assert.equal(set.code, 1);
  assert.deepEqual((JSON.parse(set.stdout) as { code: string; severity: string }[]).filter((f) => f.code === 'duplicate-sid').map((f) => f.severity), ['error']);
});

test('an unknown check id is bad usage, with the nearest id suggested', () => {
  const run = runIn(dir, 'check', 'role.json', '--check', 'unknown-actoin=off', '--check', 'zzz=off');
  assert.deepEqual(run, { code: 2, stdout: '', stderr: 'policy-handshake: --check: no such check: unknown-actoin (did you mean unknown-action?), zzz.\n' });
});

test('an unknown level, or no level, is bad usage', () => {
  const level = runIn(dir, 'check', 'role.json', '--check', 'unknown-action=fatal');
  assert.equal(level.code, 2);
  assert.equal(level.stdout, '');
  assert.equal(level.stderr.split('\n')[0], 'policy-handshake: --check unknown-action=fatal: the level must be off, hint, info, warning or error');
  const none = runIn(dir, 'check', 'role.json', '--check', 'unknown-action');
  assert.equal(none.code, 2);
  assert.equal(none.stderr.split('\n')[0], 'policy-handshake: --check needs ID=LEVEL (LEVEL: off, hint, info, warning or error), not "unknown-action"');
  const missing = runIn(dir, 'check', 'role.json', '--check');
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr.split('\n')[0], 'policy-handshake: --check needs a value');
  // graph reports no findings: --check is not one of its options.
  assert.equal(runIn(dir, 'graph', 'key.json', '--check', 'duplicate-sid=off').stderr.split('\n')[0], 'policy-handshake: unknown option --check');
});

test('every check setting tells of the CLI\'s --check with the same levels', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { markdownDescription: string; enumDescriptions: string[] }> } } };
  const checks = Object.entries(pkg.contributes.configuration.properties).filter(([key]) => key.startsWith('policyHandshake.checks.'));
  assert.ok(checks.length > 50);
  for (const [key, setting] of checks) {
    assert.ok(setting.markdownDescription.includes(`The CLI takes the same levels: \`--check ${key.slice('policyHandshake.checks.'.length)}=LEVEL\`.`), key);
    assert.doesNotMatch(setting.enumDescriptions.join(' '), /the CLI exits with 1/, key);
  }
  assert.equal(pkg.contributes.configuration.properties['policyHandshake.checks.duplicate-sid'].markdownDescription,
    '**`duplicate-sid`**: Two statements share a Sid. How to report it: `off`, or the severity of the finding (default `error`). The CLI takes the same levels: `--check duplicate-sid=LEVEL`. [What it flags and why](https://github.com/policy-handshake/policy-handshake/blob/main/docs/checks/duplicate-sid.md)');
});
