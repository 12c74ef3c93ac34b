/**
 * One answer in the editor and the CLI. For every example and every cross-account scenario
 * of the corpus, alone and all nested under one common parent folder: the diagnostics the
 * server publishes (the real server over stdio, the folder as its workspace folder) equal
 * the CLI's findings (code, range, severity, message), file by file. And for the scenarios
 * whose account ids appear in no other scenario, the CLI run on the parent finds exactly
 * what it finds on each scenario alone.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiagnosticSeverity, FileChangeType, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { runCli } from '../../server/src/cli/main';
import { withHclParser } from '../support/hcl';
import { corpusMissing, corpusPath, repoRoot, walk } from '../support/corpus';
import { DEFAULT_CAPABILITIES, fileUri, LspClient, makeWorkspace, serverMissing, type ServerEvent } from './lspClient';
import { needs } from '../support/needs';
import { ACCOUNT_B, HANDSHAKE_KEY_ARN } from './fixtures';

// The CLI in process reads .tf files as the server does: with the HCL parser loaded.
withHclParser();

// A missing bundle fails these suites when the corpus or editors are required (CI), as in the other protocol tests.
const skip = needs('build', serverMissing());
const corpusAbsent = corpusMissing('cross-account');
const requireCorpus = process.env.POLICY_HANDSHAKE_REQUIRE_CORPUS === '1';
if (corpusAbsent && !requireCorpus) console.log(`parity: ${corpusAbsent}; only the examples are compared`);

/** A finding as both sides can state it; `file` relative to the folder checked, with `/`. */
interface Found { file: string; code: string; range: string; severity: string; message: string }

interface Scenario { name: string; source: string }

function scenarios(): Scenario[] {
  const list: Scenario[] = [];
  const add = (prefix: string, dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const source = path.join(dir, e.name);
      // A folder with a JSON file (a manifest at least): both sides read `*.json` and `*.tf` files.
      if (e.isDirectory() && walk(source, '.json').length) list.push({ name: `${prefix}-${e.name}`, source });
    }
  };
  add('example', path.join(repoRoot, 'examples'));
  if (!corpusAbsent) add('corpus', corpusPath('cross-account'));
  return list;
}

const SEVERITIES: Record<number, string> = { [DiagnosticSeverity.Error]: 'error', [DiagnosticSeverity.Warning]: 'warning', [DiagnosticSeverity.Information]: 'info', [DiagnosticSeverity.Hint]: 'hint' };
const rangeText = (r: { start: { line: number; character: number }; end: { line: number; character: number } }) => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
const order = (a: Found, b: Found) => JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0;

function byFile(list: Found[]): Map<string, Found[]> {
  const out = new Map<string, Found[]>();
  for (const f of [...list].sort(order)) {
    if (!out.has(f.file)) out.set(f.file, []);
    out.get(f.file)!.push(f);
  }
  return out;
}

/** The CLI, in process, on `folder` (run from it: paths come out relative to it). */
function cliFindings(folder: string): Found[] {
  const out: string[] = [];
  const err: string[] = [];
  const code = runCli(['check', '.', '--format', 'json'], { stdout: (s) => out.push(s), stderr: (s) => err.push(s), cwd: folder });
  assert.equal(err.join(''), '', `the CLI on ${folder} wrote to stderr`);
  assert.ok(code === 0 || code === 1, `exit code ${code}`);
  const findings = JSON.parse(out.join('')) as { file: string; range: Parameters<typeof rangeText>[0]; severity: string; code: string; message: string }[];
  return findings.map((f) => ({ file: f.file.split(path.sep).join('/'), code: f.code, range: rangeText(f.range), severity: f.severity, message: f.message }));
}

const isEnd = (e: ServerEvent) => e.kind === 'progress' && e.value.kind === 'end';

/** The real server with `folder` as its workspace folder: every diagnostic published once the first reading is over. */
async function serverFindings(folder: string): Promise<Found[]> {
  const { client } = await LspClient.start({ root: folder, capabilities: { ...DEFAULT_CAPABILITIES, window: { workDoneProgress: true } } });
  try {
    // The reading's progress ends once the diagnostics of every file read are published.
    await client.event(isEnd, `the end of reading ${folder}`);
    const prefix = fileUri(folder) + '/';
    const out: Found[] = [];
    for (const [uri, p] of client.latest) {
      assert.ok(uri.startsWith(prefix), `${uri} is outside ${folder}`);
      const file = decodeURIComponent(uri.slice(prefix.length));
      for (const d of p.diagnostics) {
        const message = typeof d.message === 'string' ? d.message : d.message.value;
        out.push({ file, code: String(d.code), range: rangeText(d.range), severity: SEVERITIES[d.severity!] ?? String(d.severity), message });
      }
    }
    return out;
  } finally {
    await client.dispose();
  }
}

function assertSameByFile(actual: Found[], expected: Found[], what: string): void {
  const a = byFile(actual);
  const e = byFile(expected);
  for (const file of new Set([...a.keys(), ...e.keys()])) assert.deepEqual(a.get(file) ?? [], e.get(file) ?? [], `${what}: ${file}`);
}

/** 12-digit account ids named anywhere in a scenario's JSON files. */
function accountIds(folder: string): Set<string> {
  const ids = new Set<string>();
  for (const f of walk(folder, '.json')) for (const m of fs.readFileSync(f, 'utf8').matchAll(/(?<!\d)\d{12}(?!\d)/g)) ids.add(m[0]);
  return ids;
}

describe('parity: the server publishes what the CLI finds', skip, () => {
  const list = scenarios();
  let parent: string;

  before(() => {
    // Copies in a temporary folder: each scenario, and all of them under one parent.
    parent = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ph-parity-')));
    for (const s of list) fs.cpSync(s.source, path.join(parent, s.name), { recursive: true });
  });
  after(() => fs.rmSync(parent, { recursive: true, force: true }));

  test('the corpus scenarios are there (required when POLICY_HANDSHAKE_REQUIRE_CORPUS=1)', { skip: !requireCorpus && corpusAbsent ? corpusAbsent : false }, () => {
    assert.equal(corpusAbsent, undefined);
    assert.ok(list.filter((s) => s.name.startsWith('corpus-')).length >= 5, list.map((s) => s.name).join(', '));
  });

  for (const s of scenarios()) {
    test(`${s.name} alone`, async (t) => {
      const folder = path.join(parent, s.name);
      const cli = cliFindings(folder);
      assertSameByFile(await serverFindings(folder), cli, s.name);
      t.diagnostic(`${cli.length} findings in ${new Set(cli.map((f) => f.file)).size} files`);
    });
  }

  test('all nested under one parent folder', async (t) => {
    const cli = cliFindings(parent);
    assertSameByFile(await serverFindings(parent), cli, 'nested');
    t.diagnostic(`${cli.length} findings in ${new Set(cli.map((f) => f.file)).size} files`);
  });

  test('the CLI on the parent = the CLI on each scenario alone, for scenarios with their own account ids', (t) => {
    const ids = new Map(list.map((s) => [s.name, accountIds(path.join(parent, s.name))]));
    const distinct = list.filter((s) => list.every((o) => o === s || ![...ids.get(s.name)!].some((id) => ids.get(o.name)!.has(id))));
    assert.ok(distinct.length > 0 || list.length < 2, 'no scenario with account ids of its own');
    const nested = byFile(cliFindings(parent));
    for (const s of distinct) {
      const alone = cliFindings(path.join(parent, s.name)).map((f) => ({ ...f, file: `${s.name}/${f.file}` }));
      const inParent = [...nested].filter(([file]) => file.startsWith(`${s.name}/`)).flatMap(([, found]) => found);
      assertSameByFile(inParent, alone, `${s.name} in the parent`);
    }
    t.diagnostic(`compared: ${distinct.map((s) => s.name).join(', ')}`);
  });
});

/**
 * The manifest decides what a file is: a file it binds is read as a policy of its key or
 * principals whatever its text looks like (a top-level key misspelled, package.json matched by
 * a glob), in the editor with the file closed as in the CLI; and a pattern never "matches no
 * file" for a file that is there.
 */
describe('parity: files the manifest binds that do not look like policies', skip, () => {
  const principal = `arn:aws:iam::${ACCOUNT_B}:role/App`;
  const statement = `[{ "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${HANDSHAKE_KEY_ARN}" }]`;
  let root: string;

  before(() => {
    root = makeWorkspace({
      'policy-handshake.json': JSON.stringify({ keys: [{ policy: 'sec/key.json', arn: HANDSHAKE_KEY_ARN }], principals: [{ arn: principal, policies: ['wl/*'] }] }, null, 2),
      'sec/key.json': `{\n  "Version": "2012-10-17",\n  "Statements": []\n}\n`,
      'wl/p.json': `{\n  "version": "2012-10-17",\n  "statement": ${statement}\n}\n`,
      'wl/package.json': `{\n  "name": "x"\n}\n`,
      'other/package.json': `{\n  "name": "y"\n}\n`,
    });
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  test('the server publishes what the CLI finds: schema findings on the bound files, none on the manifest', async () => {
    const cli = cliFindings(root);
    assertSameByFile(await serverFindings(root), cli, 'bound files');
    assert.deepEqual([...new Set(cli.map((f) => `${f.file} ${f.code}`))].sort(), [
      'sec/key.json schema',
      'wl/p.json schema',
      'wl/p.json version-missing',
      'wl/package.json schema',
      'wl/package.json version-missing',
    ]);
  });

  test('a manifest that comes to bind a file left out brings it in; one that stops binding it takes it out', async () => {
    const manifest = path.join(root, 'policy-handshake.json');
    const text = fs.readFileSync(manifest, 'utf8');
    fs.rmSync(manifest);
    const { client } = await LspClient.start({ root, capabilities: { ...DEFAULT_CAPABILITIES, window: { workDoneProgress: true } } });
    try {
      await client.event(isEnd, 'the end of the reading');
      const keyUri = fileUri(path.join(root, 'sec/key.json'));
      assert.equal(client.published(keyUri), undefined);
      fs.writeFileSync(manifest, text);
      await client.fileEvents([{ uri: fileUri(manifest), type: FileChangeType.Created }]);
      const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => d.code).sort();
      assert.deepEqual(codes(await client.diagnostics(keyUri, (p) => p.diagnostics.length > 0, 'the key policy bound')), ['schema', 'schema']);
      // Its patterns match the files once they are read (no "matches no file" left).
      assert.deepEqual(codes(await client.diagnostics(fileUri(manifest), (p) => p.diagnostics.length === 0, 'the manifest without findings')), []);
      fs.writeFileSync(manifest, JSON.stringify({ principals: [{ arn: principal, policies: ['wl/p.json'] }] }));
      await client.fileEvents([{ uri: fileUri(manifest), type: FileChangeType.Changed }]);
      assert.deepEqual(codes(await client.diagnostics(keyUri, (p) => p.diagnostics.length === 0, 'the key policy no longer bound')), []);
      assert.deepEqual(codes(await client.diagnostics(fileUri(path.join(root, 'wl/package.json')), (p) => p.diagnostics.length === 0, 'package.json no longer bound')), []);
    } finally {
      await client.dispose();
    }
  });
});

/**
 * What the manifest check flags is what the product reads, in the editor as in the CLI: a
 * principal's `policies` written as one string binds no file, and of a key given twice the
 * last is read (each later key is reported).
 */
describe('parity: a manifest with policies as one string and keys given twice', skip, () => {
  let root: string;
  const keyPolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    { "Sid": "Own", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111122223333:root" }, "Action": "kms:*", "Resource": "*" },
    { "Sid": "Workloads", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::${ACCOUNT_B}:root" }, "Action": "kms:Decrypt", "Resource": "*" }
  ]
}
`;
  const grant = `{\n  "Version": "2012-10-17",\n  "Statement": [{ "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${HANDSHAKE_KEY_ARN}" }]\n}\n`;

  before(() => {
    root = makeWorkspace({
      'policy-handshake.json': `{
  "accounts": { "111122223333": { "name": "security" }, "${ACCOUNT_B}": { "name": "old-name" }, "${ACCOUNT_B}": { "name": "workloads" } },
  "keys": [ { "policy": "keys/key.json", "arn": "${HANDSHAKE_KEY_ARN}" } ],
  "principals": [ { "arn": "arn:aws:iam::${ACCOUNT_B}:role/AppReader", "policies": ["roles/app-reader.json"] } ],
  "principals": [ { "arn": "arn:aws:iam::${ACCOUNT_B}:role/Pipeline", "policies": "roles/pipeline.json" } ]
}
`,
      'keys/key.json': keyPolicy,
      'roles/app-reader.json': grant,
      'roles/pipeline.json': grant,
    });
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  test('the server publishes what the CLI finds: the manifest findings, and a key policy no grant is bound to', async () => {
    const cli = cliFindings(root);
    assertSameByFile(await serverFindings(root), cli, 'manifest defects');
    assert.deepEqual(cli.filter((f) => f.file === 'policy-handshake.json').map((f) => [f.code, f.range, f.message]), [
      ['manifest', '1:96-1:110', '"444455556666" is given twice in accounts: merge them into one. This later one is used (JSON keeps the last); the first is ignored.'],
      ['manifest', '4:2-4:14', '"principals" is given twice in the manifest: merge them into one. This later one is used (JSON keeps the last); the first is ignored.'],
      ['manifest', '4:82-4:103', 'principals[0].policies is a string, not a list: put it in brackets. It binds no file to the principal until then.'],
    ]);
    // Neither role's policy is bound (the first "principals" is ignored, the second binds nothing): the key's trust of workloads has no grant.
    assert.deepEqual(cli.filter((f) => f.file === 'keys/key.json').map((f) => [f.code, f.range]), [['root-principal-without-grant', '4:67-4:99']]);
    assert.match(cli.find((f) => f.file === 'keys/key.json')!.message, /workloads \(444455556666\)/);
  });
});

/**
 * What the manifest check flags is not used, in the editor as in the CLI: an account id that is
 * not 12 digits names no account, a template Region that is not a Region name gives the stack
 * no Region, and a parameter list with an item that is not a string gives it no value.
 */
describe('parity: manifest values the schema rejects are not used', skip, () => {
  let root: string;
  const keyPolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    { "Sid": "Own", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111122223333:root" }, "Action": "kms:*", "Resource": "*" }
  ]
}
`;
  // The key's ARN and a kms:ViaService value built from the stack's Region; another kms:ViaService value from a parameter.
  const stack = `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Parameters": { "Services": { "Type": "CommaDelimitedList" } },
  "Resources": { "Role": { "Type": "AWS::IAM::Role", "Properties": {
    "AssumeRolePolicyDocument": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Principal": { "Service": "lambda.amazonaws.com" }, "Action": "sts:AssumeRole" }] },
    "Policies": [{ "PolicyName": "use-key", "PolicyDocument": { "Version": "2012-10-17", "Statement": [
      { "Effect": "Allow", "Action": "kms:Decrypt",
        "Resource": { "Fn::Sub": "arn:\${AWS::Partition}:kms:\${AWS::Region}:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
        "Condition": { "StringEquals": { "kms:ViaService": { "Fn::Sub": "s3.\${AWS::Region}.amazonaws.com" } } } },
      { "Effect": "Allow", "Action": "kms:Encrypt", "Resource": "${HANDSHAKE_KEY_ARN}",
        "Condition": { "StringEquals": { "kms:ViaService": { "Fn::Sub": "\${Services}" } } } }
    ] } }]
  } } }
}
`;

  before(() => {
    root = makeWorkspace({
      'policy-handshake.json': `{
  "accounts": { "111122223333": { "name": "security" }, "${ACCOUNT_B}": { "name": "workloads" }, "44445555666": { "name": "typo" } },
  "keys": [ { "policy": "keys/key.json", "arn": "${HANDSHAKE_KEY_ARN}" } ],
  "templates": [
    { "files": "stacks/*.json", "account": "${ACCOUNT_B}", "region": "US-WEST-2", "parameters": { "Services": ["s3.us-west-2.amazonaws.com", 5] } }
  ]
}
`,
      'keys/key.json': keyPolicy,
      'stacks/app.json': stack,
    });
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  test('the server publishes what the CLI finds: the manifest findings, and nothing built from the values flagged', async () => {
    const cli = cliFindings(root);
    assertSameByFile(await serverFindings(root), cli, 'manifest values');
    assert.deepEqual(cli.filter((f) => f.file === 'policy-handshake.json').map((f) => [f.code, f.range, f.message]), [
      ['manifest', '1:97-1:110', '"44445555666" is not an account id: write the account\'s 12 digits. This entry is not used until then: its name applies to no account.'],
      ['manifest', '4:69-4:80', 'templates[0].region "US-WEST-2" is not a Region name: change it to "us-west-2". It is not used until then: the entry gives its files no Region (AWS::Region).'],
      ['manifest', '4:141-4:142', 'templates[0].parameters.Services[1] is a number, not a string: put it in quotes. "Services" is not used until then: the entry gives its files no value for it.'],
    ]);
    // No "arn:aws:kms:US-WEST-2:…", "s3.US-WEST-2.amazonaws.com" or "s3.us-west-2.amazonaws.com,5" in the stack.
    assert.deepEqual(cli.filter((f) => f.file === 'stacks/app.json' && /US-WEST-2|,5/.test(f.message)), []);
    assert.deepEqual(cli.filter((f) => f.file === 'stacks/app.json').map((f) => f.code).filter((c) => c === 'invalid-arn' || c === 'condition-value-type'), []);
  });

  test('the editor counts the accounts the manifest binds: the one flagged is not among them', async () => {
    const { client } = await LspClient.start({ root });
    try {
      const loaded = await client.logMessage((m) => m.message.startsWith('Manifest loaded'), 'manifest loaded');
      assert.equal(loaded.message, `Manifest loaded: ${path.join(root, 'policy-handshake.json')} (2 accounts, 1 key, 0 principals, 1 template; 3 problems); it governs its folder and below.`);
    } finally {
      await client.dispose();
    }
  });
});
