// A real JSON-RPC client (vscode-languageserver-protocol) for the built server over stdio,
// recording when each publishDiagnostics arrives.
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { dist, loadCore, require } from './context.mjs';
import { now } from './proc.mjs';

const protocol = require('vscode-languageserver-protocol/node');

export const fileUri = (p) => pathToFileURL(p).href;

export class LspClient {
  /**
   * @param {{ rootPath?: string, initializationOptions?: unknown, settings?: unknown, env?: object, args?: string[], server?: string, nodeArgs?: string[] }} opts
   *   `server`: the bundle to run (default `dist/server.js`; another build's, for an A/B comparison).
   *   `nodeArgs`: the flags of the server's node (default: those the VS Code client starts it with, `SERVER_NODE_FLAGS`).
   */
  static async start(opts = {}) {
    const c = new LspClient();
    c.spawnedAt = now();
    c.proc = spawn(process.execPath, [...(opts.nodeArgs ?? loadCore().SERVER_NODE_FLAGS), opts.server ?? join(dist, 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env });
    c.stderr = '';
    c.proc.stderr.on('data', (d) => { c.stderr += d; if (c.stderr.length > 100_000) c.stderr = c.stderr.slice(-50_000); });
    c.exited = new Promise((resolve) => c.proc.on('exit', (code, signal) => resolve({ code, signal })));
    c.conn = protocol.createProtocolConnection(new protocol.StreamMessageReader(c.proc.stdout), new protocol.StreamMessageWriter(c.proc.stdin));
    c.diagnostics = new Map(); // uri -> { version, diagnostics, at }
    c.publishCount = 0;
    c.waiters = new Set();
    c.logs = [];
    c.conn.onNotification('textDocument/publishDiagnostics', (p) => {
      const entry = { ...p, at: now() };
      c.diagnostics.set(p.uri, entry);
      c.publishCount++;
      for (const w of [...c.waiters]) if (w.test(entry)) { c.waiters.delete(w); clearTimeout(w.timer); w.resolve(entry); }
    });
    c.conn.onNotification('window/logMessage', (p) => c.logs.push(p.message));
    c.conn.onRequest('workspace/configuration', (p) => p.items.map(() => opts.settings ?? null));
    c.conn.onRequest('client/registerCapability', () => null);
    c.conn.onRequest('client/unregisterCapability', () => null);
    c.progressCreated = 0;
    c.conn.onRequest('window/workDoneProgress/create', () => { c.progressCreated++; return null; });
    c.conn.onRequest('workspace/diagnostic/refresh', () => null);
    c.conn.onRequest('workspace/codeLens/refresh', () => null);
    c.conn.onRequest('workspace/semanticTokens/refresh', () => null);
    c.conn.onRequest('workspace/inlayHint/refresh', () => null);
    c.progressEnded = 0;
    c.progressWaiters = [];
    c.conn.onNotification('$/progress', (p) => {
      if (p?.value?.kind !== 'end') return;
      c.progressEnded++;
      for (const w of c.progressWaiters.splice(0)) w();
    });
    c.conn.onNotification('window/showMessage', (p) => c.logs.push(p.message));
    c.conn.listen();
    const rootUri = opts.rootPath ? fileUri(opts.rootPath) : null;
    const result = await c.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: opts.rootPath ? [{ uri: rootUri, name: 'bench' }] : null,
      initializationOptions: opts.initializationOptions,
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: {
          synchronization: { dynamicRegistration: false, didSave: true },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          completion: { completionItem: { snippetSupport: false } },
        },
        window: { workDoneProgress: true },
      },
    });
    c.capabilities = result.capabilities;
    c.conn.sendNotification('initialized', {});
    return c;
  }

  get pid() { return this.proc.pid; }

  /** Full (1) or incremental (2) sync, from the server's capabilities. */
  get syncKind() {
    const s = this.capabilities?.textDocumentSync;
    return typeof s === 'number' ? s : s?.change ?? 1;
  }

  open(path, text, version = 1) {
    const uri = fileUri(path);
    this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'json', version, text } });
    return uri;
  }

  change(uri, version, contentChanges) {
    this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  request(method, params) { return this.conn.sendRequest(method, params); }

  /** Resolve with the next publishDiagnostics (or the current one) passing `test`; reject after `timeoutMs`. */
  waitFor(test, timeoutMs, { includeCurrent = false } = {}) {
    if (includeCurrent) for (const e of this.diagnostics.values()) if (test(e)) return Promise.resolve(e);
    return new Promise((resolve, reject) => {
      const w = { test, resolve, timer: setTimeout(() => { this.waiters.delete(w); reject(new Error(`no matching publishDiagnostics within ${timeoutMs} ms`)); }, timeoutMs) };
      this.waiters.add(w);
    });
  }

  /** Resolve when the server has ended a work-done progress (reading the workspace); reject after `timeoutMs`. */
  waitForProgressEnd(timeoutMs) {
    if (this.progressEnded > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no work-done progress ended within ${timeoutMs} ms`)), timeoutMs);
      this.progressWaiters.push(() => { clearTimeout(timer); resolve(); });
    });
  }

  waitForUri(uri, timeoutMs, extra = () => true) {
    return this.waitFor((e) => e.uri === uri && extra(e), timeoutMs);
  }

  async stop() {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      this.conn.sendNotification('exit');
    } catch { /* already gone */ }
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 3000);
    await this.exited;
    clearTimeout(t);
    this.conn.dispose();
  }
}
