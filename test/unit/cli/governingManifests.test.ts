/**
 * The CLI given a subfolder or files, as in CI on changed folders: each path is governed by the
 * manifests in its folder and above it, the files of the governing manifest's folder are read as
 * context (bindings and the handshake see what `check <that folder>` sees), and only the paths
 * given are reported. With `--manifest FILE`, FILE's folder is the context, and no
 * `policy-handshake.json` is ever bound as a policy.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { runIn } from '../../support/cli';
import { repoRoot } from '../../support/corpus';
import { needs } from '../../support/needs';
import { collectFiles, MANIFEST_FILE_NAME } from '../../../server/src/cli/files';
import { MANIFEST_NAME } from '../../../server/src/core/workspace/manifest';

const A = '111122223333';
const B = '444455556666';
const C = '777788889999';
const KEY = `arn:aws:kms:us-west-2:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/** A key policy: A's root administers it, `trusted`'s root may decrypt with it. */
const keyPolicy = (trusted: string) => JSON.stringify({ Version: '2012-10-17', Statement: [
  { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'kms:*', Resource: '*' },
  { Sid: 'Use', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${trusted}:root` }, Action: 'kms:Decrypt', Resource: '*' },
] }, null, 2);
const rolePolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'UseKey', Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY }] }, null, 2);
const json = (v: unknown) => JSON.stringify(v, null, 2);

let tmp: string;
before(() => { tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ph-cli-governing-'))); });
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A fresh workspace folder holding `files` (relative path → text). */
function workspace(name: string, files: Record<string, string>): string {
  const root = path.join(tmp, name);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

/** `check ARGS --format json` in `cwd`: each finding as `file code: message` (file relative to `cwd`, with slashes). */
function check(cwd: string, ...args: string[]): string[] {
  const run = runIn(cwd, 'check', ...args, '--format', 'json');
  assert.ok(run.code === 0 || run.code === 1, run.stderr);
  return (JSON.parse(run.stdout) as { file: string; code: string; message: string }[]).map((f) => `${f.file.split(path.sep).join('/')} ${f.code}: ${f.message}`);
}

/** The summary line of `check ARGS` in text. */
function summary(cwd: string, ...args: string[]): string {
  return runIn(cwd, 'check', ...args).stdout.trimEnd().split('\n').pop()!;
}

/** The findings of `check .` in `root` on files under `prefix` (relative to `root`). */
function inWholeCheck(root: string, ...prefixes: string[]): string[] {
  return check(root, '.').filter((f) => prefixes.some((p) => f.startsWith(p)));
}

test('the CLI lists manifests with the name the core reads', () => {
  assert.equal(MANIFEST_FILE_NAME, MANIFEST_NAME);
});

const OUTSIDE_C = `sec/keys/key.json access-outside-trusted-accounts: Outside the trusted accounts: account ${C} can use the key for kms:Decrypt. Remove it, or add the account to trustedAccounts in the manifest.`;

test('a subfolder or a file below a manifest: governed by the manifest above it, as in check of its folder', () => {
  const root = workspace('ancestor', {
    'policy-handshake.json': json({ accounts: { [A]: { name: 'security' }, [B]: { name: 'workloads' } }, trustedAccounts: [B], keys: [{ policy: 'sec/keys/key.json', arn: KEY }] }),
    'sec/keys/key.json': keyPolicy(C),
    // Not given below: never reported.
    'other/key.json': keyPolicy(C),
  });
  const whole = check(root, '.');
  const expected = [
    OUTSIDE_C,
    `sec/keys/key.json external-account-undescribed: No IAM data for ${C}: describe it so that its use of the key can be checked. List its principals with their policy files, or its CloudFormation templates, in policy-handshake.json, or add its authorization-details export.`,
  ];
  assert.deepEqual(whole.filter((f) => f.startsWith('sec/')), expected);
  assert.ok(whole.some((f) => f.startsWith('other/key.json')));
  for (const args of [['sec'], ['sec/keys'], ['sec/keys/key.json']]) {
    assert.deepEqual(check(root, ...args), expected, args.join(' '));
    assert.equal(summary(root, ...args), '1 file checked: 0 error(s), 1 warning(s), 1 info.', args.join(' '));
  }
  // From inside the folder, with no path or the file's name: the same findings, named from there.
  const inside = expected.map((f) => f.replace('sec/keys/', ''));
  assert.deepEqual(check(path.join(root, 'sec', 'keys')), inside);
  assert.deepEqual(check(path.join(root, 'sec', 'keys'), 'key.json'), inside);
});

test('one file under each of two nested manifests: each governed by its nearest, the tree read as check of the outer folder does', () => {
  const root = workspace('nested', {
    'policy-handshake.json': json({ accounts: { [A]: { name: 'security' }, [B]: { name: 'workloads' } }, trustedAccounts: [B], keys: [{ policy: 'sec/keys/key.json', arn: KEY }] }),
    'sec/keys/key.json': keyPolicy(C),
    'wl/policy-handshake.json': json({ accounts: { [C]: { name: 'partner' } }, trustedAccounts: [C], principals: [{ arn: `arn:aws:iam::${C}:role/App`, policies: ['app/*.json'] }] }),
    'wl/app/p.json': rolePolicy,
    'wl/keys/k2.json': keyPolicy(B),
  });
  const expected = [
    'sec/keys/key.json access-outside-trusted-accounts: Outside the trusted accounts: account partner (777788889999) can use the key for kms:Decrypt. Remove it, or add the account to trustedAccounts in the manifest.',
    'sec/keys/key.json root-principal-broader-than-grants: Trusts all of partner (777788889999), but only one of its principals uses this key: narrow the principal to it. It is role/App (kms:Decrypt). While the account is trusted, any new IAM grant in it widens access to the key.',
    'wl/keys/k2.json access-outside-trusted-accounts: Outside the trusted accounts: account workloads (444455556666) can use the key for kms:Decrypt. Remove it, or add the account to trustedAccounts in the manifest.',
    'wl/keys/k2.json external-account-undescribed: No IAM data for workloads (444455556666): describe it so that its use of the key can be checked. List its principals with their policy files, or its CloudFormation templates, in policy-handshake.json, or add its authorization-details export.',
  ];
  assert.deepEqual(inWholeCheck(root, 'sec/keys/key.json', 'wl/keys/k2.json'), expected);
  assert.deepEqual(check(root, 'sec/keys/key.json', 'wl/keys/k2.json'), expected);
  assert.equal(summary(root, 'sec/keys/key.json', 'wl/keys/k2.json'), '2 files checked: 0 error(s), 2 warning(s), 2 info.');
  // The nested manifest's folder given: the outer manifest's files are its context, not reported.
  assert.deepEqual(check(root, 'wl'), inWholeCheck(root, 'wl/'));
  assert.deepEqual(check(root, 'wl/app/p.json'), []);
  assert.equal(summary(root, 'wl/app/p.json'), '1 file checked: 0 error(s), 0 warning(s), 0 info.');
});

const SUBSET_FILES = {
  'policy-handshake.json': json({
    accounts: { [A]: { name: 'security' }, [B]: { name: 'workloads' } },
    keys: [{ policy: 'sec/key.json', arn: KEY }],
    principals: [{ arn: `arn:aws:iam::${B}:role/App`, policies: ['wl/p.json'] }],
    trustedAccounts: [C],
  }),
  'sec/key.json': keyPolicy(B),
  'wl/p.json': rolePolicy,
  'sec/other.json': keyPolicy(B),
};
const SUBSET_KEY = [
  'sec/key.json access-outside-trusted-accounts: Outside the trusted accounts: account workloads (444455556666) can use the key for kms:Decrypt. Remove it, or add the account to trustedAccounts in the manifest.',
  'sec/key.json root-principal-broader-than-grants: Trusts all of workloads (444455556666), but only one of its principals uses this key: narrow the principal to it. It is role/App (kms:Decrypt). While the account is trusted, any new IAM grant in it widens access to the key.',
];

test('the manifest given with part of its files: the rest of its folder is read, and its patterns match the files there', () => {
  const root = workspace('subset', SUBSET_FILES);
  assert.deepEqual(inWholeCheck(root, 'policy-handshake.json', 'sec/key.json'), SUBSET_KEY);
  assert.deepEqual(check(root, 'policy-handshake.json', 'sec/key.json'), SUBSET_KEY);
  assert.equal(summary(root, 'policy-handshake.json', 'sec/key.json'), '2 files checked: 0 error(s), 1 warning(s), 1 info.');
  assert.deepEqual(check(root, 'sec/key.json'), SUBSET_KEY);
  assert.deepEqual(check(root, 'sec'), inWholeCheck(root, 'sec/'));
  assert.deepEqual(check(root, 'wl/p.json'), []);
});

test('--manifest FILE with a subfolder: FILE\'s folder is the context', () => {
  const root = workspace('override', {
    'ci/manifest.json': SUBSET_FILES['policy-handshake.json'],
    'ci/sec/key.json': keyPolicy(B),
    'ci/wl/p.json': rolePolicy,
  });
  assert.deepEqual(check(root, 'ci/sec', '--manifest', 'ci/manifest.json'), SUBSET_KEY.map((f) => `ci/${f}`));
  assert.deepEqual(check(root, 'ci/sec', '--manifest', 'ci/manifest.json'), check(root, 'ci', '--manifest', 'ci/manifest.json').filter((f) => f.startsWith('ci/sec/')));
  assert.equal(summary(root, 'ci/sec', '--manifest', 'ci/manifest.json'), '1 file checked: 0 error(s), 1 warning(s), 1 info.');
});

test('--manifest FILE: no policy-handshake.json is bound as a policy, given or in FILE\'s folder', () => {
  const root = workspace('override-globs', {
    'policy-handshake.json': json({ accounts: { [A]: { name: 'security' }, [B]: { name: 'workloads' } }, keys: [{ policy: 'sec/*.json', arn: KEY }], principals: [{ arn: `arn:aws:iam::${B}:role/App`, policies: ['**/*.json'] }] }),
    'sec/key.json': keyPolicy(B),
    'wl/p.json': rolePolicy,
    'sec/policy-handshake.json': json({ accounts: { [A]: { name: 'sec-nested' } }, keys: [{ policy: 'key.json', arn: KEY }] }),
    'wl/policy-handshake.json': json({ trustedAccounts: [] }),
  });
  const broader = 'sec/key.json root-principal-broader-than-grants: Trusts all of workloads (444455556666), but only one of its principals uses this key: narrow the principal to it. It is role/App (kms:Decrypt). While the account is trusted, any new IAM grant in it widens access to the key.';
  for (const args of [['.'], ['sec'], ['sec/key.json'], ['sec/policy-handshake.json', 'sec/key.json']]) {
    const run = runIn(root, 'check', ...args, '--manifest', 'policy-handshake.json', '--format', 'json');
    assert.equal(run.code, 0, `${args.join(' ')}: ${run.stdout}`);
    const found = (JSON.parse(run.stdout) as { file: string; code: string; message: string }[]).map((f) => `${f.file.split(path.sep).join('/')} ${f.code}: ${f.message}`);
    assert.deepEqual(found, [broader], args.join(' '));
  }
  assert.equal(runIn(root, 'check', 'sec', '--manifest', 'policy-handshake.json').stderr, `policy-handshake: --manifest policy-handshake.json is the only manifest; not used as manifests: ${path.join('sec', 'policy-handshake.json')}\n`);
  assert.equal(summary(root, '.', '--manifest', 'policy-handshake.json'), '3 files checked: 0 error(s), 0 warning(s), 1 info.');
  // An override elsewhere whose glob reaches the folder: the same.
  fs.mkdirSync(path.join(root, 'ci'));
  fs.writeFileSync(path.join(root, 'ci', 'all.json'), json({ principals: [{ arn: `arn:aws:iam::${B}:role/App`, policies: ['../**/*.json'] }] }));
  const run = runIn(root, 'check', '.', '--manifest', 'ci/all.json', '--format', 'json');
  const codes = (JSON.parse(run.stdout) as { file: string; code: string }[]).map((f) => `${f.file.split(path.sep).join('/')} ${f.code}`);
  assert.ok(!codes.some((c) => c.includes('policy-handshake.json')), codes.join('\n'));
});

const CLI = path.join(repoRoot, 'dist', 'cli.js');
const notBuilt = fs.existsSync(CLI) ? undefined : `${CLI} not built (node scripts/bundle.mjs)`;

test('the built CLI, which lists the files before it loads the bundle, reads the same context', needs('build', notBuilt), () => {
  const root = workspace('built', SUBSET_FILES);
  for (const args of [['sec/key.json'], ['policy-handshake.json', 'sec/key.json']]) {
    const run = spawnSync(process.execPath, [CLI, 'check', ...args, '--format', 'json'], { cwd: root, encoding: 'utf8' });
    assert.equal(run.stdout, runIn(root, 'check', ...args, '--format', 'json').stdout, args.join(' '));
    assert.deepEqual((JSON.parse(run.stdout) as { code: string }[]).map((f) => f.code), ['access-outside-trusted-accounts', 'root-principal-broader-than-grants']);
  }
});

test('a file with no manifest above it: nothing else is listed', () => {
  const root = workspace('alone', { 'a/b/key.json': keyPolicy(C), 'a/other.json': keyPolicy(C) });
  const listing = collectFiles(['a/b/key.json'], root);
  assert.deepEqual(listing, { files: [path.join(root, 'a', 'b', 'key.json')], missing: [], context: [], unused: [] });
  assert.deepEqual(check(root, 'a/b/key.json').map((f) => f.split(':')[0]), ['a/b/key.json external-account-undescribed']);
});

test('the context: the outermost governing manifest\'s folder, skipped folders left out; given files are not context', () => {
  const root = workspace('listing', {
    'policy-handshake.json': '{}',
    'x/policy-handshake.json': '{}',
    'x/y/a.json': '{}',
    'x/b.json': '{}',
    'c.json': '{}',
    'node_modules/m/d.json': '{}',
    'dist/e.json': '{}',
  });
  const rel = (list: string[]) => list.map((f) => path.relative(root, f).split(path.sep).join('/'));
  const listing = collectFiles(['x/y/a.json'], root);
  assert.deepEqual(rel(listing.files), ['x/y/a.json']);
  assert.deepEqual(rel(listing.context), ['c.json', 'policy-handshake.json', 'x/b.json', 'x/policy-handshake.json']);
  assert.deepEqual(rel(collectFiles(['.'], root).context), []);
});

test('graph of a file below a manifest: its key, with the principals the manifest\'s folder holds; keys of the context are not drawn', () => {
  const root = workspace('graph', SUBSET_FILES);
  const graph = JSON.parse(runIn(root, 'graph', 'sec/key.json', '--format', 'json').stdout) as { nodes: { kind: string; label: string }[] };
  assert.deepEqual(graph.nodes.map((n) => `${n.kind} ${n.label}`).sort(), ['account whole account', 'key key/1234abcd-12ab-34cd-56ef-1234567890ab', 'principal role/App']);
  assert.equal(runIn(root, 'graph', 'wl/p.json').stderr, 'policy-handshake: no key policy found in the files given: the graph is empty\n');
});
