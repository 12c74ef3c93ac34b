/**
 * Nothing leaves the process: with sockets, HTTP, DNS, UDP, fetch and child processes
 * replaced by throwing functions (`node -r noNetwork.js`), the core, the CLI and the
 * language server work exactly as without, and never try.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CompletionRequest,
  createProtocolConnection,
  HoverRequest,
  InitializeRequest,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { repoRoot } from '../../support/corpus';
import { writeWorkspace } from './workspaceFixture';
import { needs } from '../../support/needs';

const PRELOAD = path.join(__dirname, 'noNetwork.js');
const CLI = path.join(repoRoot, 'dist', 'cli.js');
const SERVER = path.join(repoRoot, 'dist', 'server.js');
const notBuilt = (f: string) => (fs.existsSync(f) ? undefined : `${f} not built (node scripts/bundle.mjs)`);

test('the preload blocks what it should (so the tests below mean something)', () => {
  for (const code of [
    "require('http').get('http://127.0.0.1:9')",
    "require('net').connect(9, '127.0.0.1')",
    "require('dns').lookup('example.com', () => {})",
    "require('child_process').execSync('true')",
    "fetch('http://127.0.0.1:9')",
  ]) {
    const r = spawnSync(process.execPath, ['-r', PRELOAD, '-e', code], { encoding: 'utf8' });
    assert.notEqual(r.status, 0, code);
    assert.match(r.stderr, /BLOCKED /, code);
  }
});

test('the CLI with networking and processes disabled: same output, no attempt', needs('build', notBuilt(CLI)), () => {
  // The example workspace: a manifest, both sides of a grant, an authorization-details export.
  const args = [CLI, 'check', path.join(repoRoot, 'examples'), '--format', 'json'];
  const plain = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: repoRoot });
  const isolated = spawnSync(process.execPath, ['-r', PRELOAD, ...args], { encoding: 'utf8', cwd: repoRoot });
  assert.doesNotMatch(isolated.stderr, /BLOCKED/);
  assert.equal(isolated.status, plain.status);
  assert.ok(JSON.parse(isolated.stdout).length > 0, 'findings expected on the examples');
  assert.equal(isolated.stdout, plain.stdout);
});

test('the core (workspace, handshake, editor features) with networking disabled', () => {
  const core = (m: string) => JSON.stringify(path.join(repoRoot, 'out', 'server', 'src', 'core', m));
  const script = `
    require(${JSON.stringify(path.join(repoRoot, 'out', 'server', 'src', 'runtime', 'catalogFiles.js'))}).installCatalogFiles();
    const { Workspace } = require(${core('workspace/workspace.js')});
    const { hoverAt } = require(${core('features/hover.js')});
    const { completionsAt } = require(${core('features/completion.js')});
    const fixture = require(${JSON.stringify(path.join(__dirname, 'workspaceFixture.js'))});
    const ws = new Workspace();
    ws.updateFiles(Object.entries(fixture.HANDSHAKE_WORKSPACE).map(([path, text]) => ({ path, text })));
    let hovers = 0, completions = 0, findings = 0;
    for (const p of ws.filePaths()) {
      findings += ws.findings(p).length;
      const text = ws.text(p);
      for (let o = 0; o < text.length; o += 7) { if (hoverAt(ws, p, o)) hovers++; if (completionsAt(ws, p, o)) completions++; }
    }
    process.stdout.write(JSON.stringify({ findings, hovers, completions }));`;
  const plain = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  const isolated = spawnSync(process.execPath, ['-r', PRELOAD, '-e', script], { encoding: 'utf8' });
  assert.equal(plain.status, 0, plain.stderr);
  assert.doesNotMatch(isolated.stderr, /BLOCKED/);
  assert.equal(isolated.stdout, plain.stdout);
  const r = JSON.parse(isolated.stdout) as { findings: number; hovers: number; completions: number };
  assert.ok(r.findings > 0 && r.hovers > 0 && r.completions > 0, isolated.stdout);
});

test('the language server with networking and processes disabled: diagnostics, hover, completion', needs('build', notBuilt(SERVER)), async () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ph-nonet-')));
  const files = writeWorkspace(root);
  const child = spawn(process.execPath, ['-r', PRELOAD, SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += String(d); });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const published = new Map<string, PublishDiagnosticsParams>();
  let onPublish: () => void = () => undefined;
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => { published.set(p.uri, p); onPublish(); });
  connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
  connection.onRequest('client/registerCapability', () => null);
  connection.onNotification('window/logMessage', () => undefined);
  connection.listen();
  const deadline = <T>(p: Promise<T> | Thenable<T>, what: string) => Promise.race([
    Promise.resolve(p),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}; stderr: ${stderr}`)), 20_000)),
  ]);
  try {
    const rootUri = pathToFileURL(root).href;
    await deadline(connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri, workspaceFolders: [{ uri: rootUri, name: 'ws' }], capabilities: {} }), 'initialize');
    await connection.sendNotification('initialized', {});
    const keyUri = pathToFileURL(files['/ws/keys/app-data.json']).href;
    const text = fs.readFileSync(files['/ws/keys/app-data.json'], 'utf8');
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: keyUri, languageId: 'json', version: 1, text } });
    await deadline(new Promise<void>((resolve) => {
      onPublish = () => { if ((published.get(keyUri)?.diagnostics.length ?? 0) > 0) resolve(); };
      onPublish();
    }), 'diagnostics of the key policy');
    const codes = published.get(keyUri)!.diagnostics.map((d) => d.code);
    assert.ok(codes.includes('cross-account-action-ineffective'), codes.join());
    const at = text.indexOf('arn:aws:iam::444455556666:root');
    const position = { line: text.slice(0, at).split('\n').length - 1, character: at - text.lastIndexOf('\n', at) - 1 };
    const hover = await deadline(connection.sendRequest(HoverRequest.type, { textDocument: { uri: keyUri }, position }), 'hover');
    assert.ok(hover, 'hover on the external principal');
    await deadline(connection.sendRequest(CompletionRequest.type, { textDocument: { uri: keyUri }, position }), 'completion');
    await deadline(connection.sendRequest('shutdown'), 'shutdown');
    await connection.sendNotification('exit');
    const code = await deadline(new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c))), 'exit');
    assert.equal(code, 0);
    assert.doesNotMatch(stderr, /BLOCKED/);
  } finally {
    connection.dispose();
    child.kill();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
