/**
 * One rule for the editor and the CLI: a `policy-handshake.json` governs the files of its
 * folder and below, the nearest ancestor manifest wins, its paths are relative to its own
 * folder, and files no manifest governs are checked alone. An explicit manifest (`--manifest`)
 * is the only one and governs every file.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../server/src/cli/main';
import { analyzeFiles } from '../../../server/src/core/analyze';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { B, C, KEY, identityPolicy, keyPolicy, manifest, role } from '../handshake/workspaceFixture';

const grant = identityPolicy(`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}"}`);
const trustsB = keyPolicy(`{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${B}:root"}, "Action": "kms:Decrypt", "Resource": "*"}`);
const ids = (ws: Workspace, path: string) => ws.findings(path).map((f) => f.checkId).sort();
const principalsOf = (ws: Workspace, path: string) => ws.discovered(path)!.documents[0].owner.principals;
const keyOf = (ws: Workspace, path: string) => ws.discovered(path)!.documents[0].owner.keyArn;

/** A scenario below /ws/scenario: its own manifest, key policy and B's role App. */
function nested(ws: Workspace, folder = '/ws/scenario'): void {
  ws.updateFile(`${folder}/policy-handshake.json`, manifest({ [role(B, 'App')]: ['b/app/*.json'] }));
  ws.updateFile(`${folder}/keys/key.json`, trustsB);
  ws.updateFile(`${folder}/b/app/kms.json`, grant);
}

test('a manifest below the workspace folder governs its folder; its paths are relative to it', () => {
  const ws = new Workspace();
  nested(ws);
  ws.updateFile('/ws/unrelated/keys/key.json', trustsB);
  assert.equal(keyOf(ws, '/ws/scenario/keys/key.json'), KEY);
  assert.deepEqual(principalsOf(ws, '/ws/scenario/b/app/kms.json'), [role(B, 'App')]);
  assert.deepEqual(ws.manifestFor('/ws/scenario/b/app/kms.json'), { path: '/ws/scenario/policy-handshake.json', root: '/ws/scenario' });
  assert.deepEqual(ids(ws, '/ws/scenario/keys/key.json'), ['root-principal-broader-than-grants']);
  assert.match(ws.findings('/ws/scenario/keys/key.json')[0].message, /role\/App \(kms:Decrypt\)/);
  assert.deepEqual(ws.findings('/ws/scenario/keys/key.json')[0].related!.map((r) => r.file), ['/ws/scenario/b/app/kms.json']);
  // Outside the manifest's folder: checked alone (no key bound, no manifest).
  assert.equal(keyOf(ws, '/ws/unrelated/keys/key.json'), undefined);
  assert.equal(ws.manifestFor('/ws/unrelated/keys/key.json'), undefined);
  assert.deepEqual(ws.findings('/ws/scenario/policy-handshake.json').map((f) => f.message), []);
});

test('the nearest ancestor manifest wins; an outer entry that only reaches governed files is reported', () => {
  const ws = new Workspace();
  ws.updateFile('/ws/policy-handshake.json', manifest({ [role(C, 'Outer')]: ['scenario/b/app/*.json'] }));
  nested(ws);
  assert.deepEqual(principalsOf(ws, '/ws/scenario/b/app/kms.json'), [role(B, 'App')]);
  const outer = ws.findings('/ws/policy-handshake.json');
  assert.deepEqual(outer.map((f) => f.checkId), ['manifest', 'manifest']);
  assert.deepEqual(outer.map((f) => f.message), [
    'The key policy path "keys/key.json" matches no file in /ws.',
    'The policy path "scenario/b/app/*.json" matches only files that the nearer manifest scenario/policy-handshake.json governs (the nearest manifest wins): this entry applies to nothing. Move it to that manifest.',
  ]);
});

test('a nested manifest that appears, changes and is deleted rebinds the files below it; a change of its content affects only those', () => {
  const ws = new Workspace();
  ws.updateFile('/ws/policy-handshake.json', manifest({ [role(C, 'Outer')]: ['scenario/b/app/*.json'] }));
  ws.updateFile('/ws/scenario/keys/key.json', trustsB);
  ws.updateFile('/ws/scenario/b/app/kms.json', grant);
  ws.updateFile('/ws/elsewhere/s3.json', identityPolicy('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}'));
  assert.deepEqual(principalsOf(ws, '/ws/scenario/b/app/kms.json'), [role(C, 'Outer')]);
  assert.deepEqual(ids(ws, '/ws/policy-handshake.json'), ['manifest'], 'keys/key.json matches nothing');

  const INNER = '/ws/scenario/policy-handshake.json';
  let affected = ws.updateFile(INNER, manifest({ [role(B, 'App')]: ['b/app/*.json'] }));
  // Its coming changes how every message names the files below it: all files are affected.
  for (const f of [INNER, '/ws/scenario/b/app/kms.json', '/ws/scenario/keys/key.json', '/ws/policy-handshake.json', '/ws/elsewhere/s3.json']) assert.ok(affected.includes(f), `${f} in ${affected.join(', ')}`);
  assert.deepEqual(principalsOf(ws, '/ws/scenario/b/app/kms.json'), [role(B, 'App')]);
  assert.equal(keyOf(ws, '/ws/scenario/keys/key.json'), KEY);
  assert.deepEqual(ids(ws, '/ws/scenario/keys/key.json'), ['root-principal-broader-than-grants']);
  assert.deepEqual(ids(ws, '/ws/policy-handshake.json'), ['manifest', 'manifest'], 'the outer entry is now shadowed');

  affected = ws.updateFile(INNER, manifest({ [role(B, 'Other')]: ['b/app/*.json'] }));
  assert.ok(affected.includes('/ws/scenario/b/app/kms.json'));
  assert.ok(!affected.includes('/ws/elsewhere/s3.json'), affected.join(', '));
  assert.deepEqual(principalsOf(ws, '/ws/scenario/b/app/kms.json'), [role(B, 'Other')]);

  affected = ws.removeFile(INNER);
  assert.ok(affected.includes('/ws/scenario/b/app/kms.json') && affected.includes('/ws/policy-handshake.json'));
  assert.deepEqual(principalsOf(ws, '/ws/scenario/b/app/kms.json'), [role(C, 'Outer')]);
  assert.equal(keyOf(ws, '/ws/scenario/keys/key.json'), undefined);
  assert.deepEqual(ids(ws, '/ws/policy-handshake.json'), ['manifest']);
});

test('the CLI\'s analysis finds manifests at any depth, the same as the editor\'s model', () => {
  const files = [
    { path: '/ws/scenario/policy-handshake.json', text: manifest({ [role(B, 'App')]: ['b/app/*.json'] }) },
    { path: '/ws/scenario/keys/key.json', text: trustsB },
    { path: '/ws/scenario/b/app/kms.json', text: grant },
  ];
  const results = analyzeFiles(files);
  assert.deepEqual(results.find((r) => r.file === '/ws/scenario/keys/key.json')!.findings.map((f) => f.checkId), ['root-principal-broader-than-grants']);
});

test('an explicit manifest is the only one: it governs every file, nested policy-handshake.json files are ordinary files', () => {
  const ws = new Workspace();
  ws.updateFile('/ws/scenario/policy-handshake.json', manifest({ [role(B, 'Nested')]: ['b/app/*.json'] }));
  ws.updateFile('/ws/scenario/b/app/kms.json', grant);
  assert.deepEqual(principalsOf(ws, '/ws/scenario/b/app/kms.json'), [role(B, 'Nested')]);
  const affected = ws.setManifest('/ci/manifest.json', manifest({ [role(B, 'App')]: ['b/app/*.json'] }));
  assert.ok(affected.includes('/ws/scenario/b/app/kms.json'));
  assert.equal(ws.manifest('/ws/scenario/policy-handshake.json'), undefined);
  // Outside its folder, nothing is bound, but the explicit manifest still governs the file.
  assert.equal(principalsOf(ws, '/ws/scenario/b/app/kms.json'), undefined);
  assert.deepEqual(ws.manifestFor('/ws/scenario/b/app/kms.json'), { path: '/ci/manifest.json', root: '/ci' });
  ws.updateFile('/ci/b/app/kms.json', grant);
  assert.deepEqual(principalsOf(ws, '/ci/b/app/kms.json'), [role(B, 'App')]);
});

test('the CLI: nested manifests at any depth of a folder argument; --manifest is the only manifest', () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ph-nested-')));
  try {
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    };
    write('parent/scenario/policy-handshake.json', manifest({ [role(B, 'App')]: ['b/app/*.json'] }));
    write('parent/scenario/keys/key.json', trustsB);
    write('parent/scenario/b/app/kms.json', grant);
    write('ci/manifest.json', manifest({}, { keys: [] }));
    let stderr = '';
    const cli = (...args: string[]) => {
      const out: string[] = [];
      stderr = '';
      runCli(['check', ...args, '--format', 'json'], { stdout: (s) => out.push(s), stderr: (s) => { stderr += s; }, cwd: dir });
      return (JSON.parse(out.join('')) as { file: string; code: string }[]).map((f) => `${f.file.split(path.sep).join('/')} ${f.code}`);
    };
    assert.deepEqual(cli('parent'), ['parent/scenario/keys/key.json root-principal-broader-than-grants']);
    assert.equal(stderr, '');
    // With --manifest, the nested policy-handshake.json binds nothing (B is not described), and the CLI says so.
    assert.deepEqual(cli('parent', '--manifest', 'ci/manifest.json'), ['parent/scenario/keys/key.json external-account-undescribed']);
    assert.equal(stderr, `policy-handshake: --manifest ci/manifest.json is the only manifest; not used as manifests: ${path.join('parent', 'scenario', 'policy-handshake.json')}\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a manifest that appears below the files another file\'s findings name: those findings are made again, and bind nothing new', () => {
  const example = path.join(__dirname, '..', '..', '..', '..', 'examples', 'cross-account');
  const read = (rel: string) => fs.readFileSync(path.join(example, rel), 'utf8');
  const ws = new Workspace();
  ws.updateFile('/ws/policy-handshake.json', read('policy-handshake.json'));
  for (const rel of ['security/keys/app-data.json', 'workloads/exports/authorization-details.json', 'workloads/roles/app-reader/use-app-data-key.json']) ws.updateFile(`/ws/${rel}`, read(rel));
  const KEY_FILE = '/ws/security/keys/app-data.json';
  const broader = () => ws.findings(KEY_FILE).find((f) => f.checkId === 'root-principal-broader-than-grants')!;
  const before = broader();
  assert.match(before.message, /role\/DataPipeline \(kms:Encrypt, kms:GenerateDataKey on "arn:aws:kms:\*:111122223333:key\/\*"\)/);
  // The export names its own roles: the new manifest binds nothing, but it now governs the export.
  const affected = ws.updateFile('/ws/workloads/exports/policy-handshake.json', '{}');
  assert.ok(affected.includes(KEY_FILE), affected.join(', '));
  assert.equal(broader().message, before.message);
  assert.deepEqual(broader().related!.map((r) => [r.file, r.message]), before.related!.map((r) => [r.file, r.message]));
});

test('boundByManifest: a file a pattern of its governing manifest names, whatever it looks like (the server reads those)', () => {
  const ws = new Workspace();
  ws.updateFile('/ws/policy-handshake.json', manifest({ [role(B, 'App')]: ['b/*'] }));
  assert.equal(ws.boundByManifest('/ws/b/package.json'), true);
  assert.equal(ws.boundByManifest('/ws/keys/key.json'), true, 'the key policy of the fixture manifest');
  assert.equal(ws.boundByManifest('/ws/c/package.json'), false);
  assert.equal(ws.boundByManifest('/ws/policy-handshake.json'), false, 'a manifest is never bound');
  // A nearer manifest that does not name it: not bound (the nearest manifest wins).
  ws.updateFile('/ws/b/policy-handshake.json', manifest({ [role(B, 'App')]: ['app/*.json'] }));
  assert.equal(ws.boundByManifest('/ws/b/package.json'), false);
  assert.equal(ws.boundByManifest('/ws/b/app/p.json'), true);
});
