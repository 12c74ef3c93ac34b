/**
 * A real JSON-RPC client for the built server (`dist/server.js --stdio`): spawns it, answers
 * the requests the server makes (settings, registrations), records published diagnostics,
 * and waits on events with a timeout, never on sleeps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeLensRefreshRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type FileEvent,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type RegistrationParams,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
  WorkDoneProgressCreateRequest,
} from 'vscode-languageserver-protocol/node';
import { repoRoot } from '../support/corpus';

export const SERVER_PATH = path.join(repoRoot, 'dist', 'server.js');
export const DEFAULT_TIMEOUT_MS = 20_000;

export function serverMissing(): string | undefined {
  return fs.existsSync(SERVER_PATH) ? undefined : `${SERVER_PATH} not built (run node scripts/bundle.mjs)`;
}

export function fileUri(p: string): string {
  return pathToFileURL(p).href;
}

/** A temporary folder with the given files (relative path → text or bytes). */
export function makeWorkspace(files: Record<string, string | Uint8Array>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ph-proto-')));
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  return root;
}

export interface StartOptions {
  /** Workspace folder (file-system path). */
  root?: string;
  /** Further workspace folders, after `root`. */
  moreFolders?: string[];
  initializationOptions?: unknown;
  /** The `policyHandshake` section answered to `workspace/configuration`. */
  settings?: unknown;
  capabilities?: ClientCapabilities;
}

export const DEFAULT_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    workspaceFolders: true,
    didChangeWatchedFiles: { dynamicRegistration: true },
    didChangeConfiguration: { dynamicRegistration: true },
    codeLens: { refreshSupport: true },
    workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
  },
  textDocument: {
    synchronization: { dynamicRegistration: false },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    completion: { completionItem: { documentationFormat: ['markdown'] } },
  },
};

/** A `window/logMessage` notification: type 1 error, 2 warning, 3 info, 4 log. */
export interface LogMessage { type: number; message: string }

type Waiter = { uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void };

/** What the server sent, in order: diagnostics and work-done progress. */
export type ServerEvent =
  | { kind: 'diagnostics'; uri: string; count: number }
  | { kind: 'progress-created'; token: string | number }
  | { kind: 'progress'; token: string | number; value: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd };

export class LspClient {
  readonly latest = new Map<string, PublishDiagnosticsParams>();
  /** Every publishDiagnostics received, in order. */
  readonly history: PublishDiagnosticsParams[] = [];
  readonly registrations: string[] = [];
  /** The registrations' options, in order (what a watcher watches). */
  readonly registrationOptions: { method: string; registerOptions?: unknown }[] = [];
  private waiters: Waiter[] = [];
  private stderrText = '';
  private exited: Promise<number | null>;
  private versions = new Map<string, number>();
  private lensWaiters: (() => void)[] = [];
  /** `workspace/codeLens/refresh` requests received. */
  lensRefreshes = 0;
  /** Diagnostics and progress messages in the order they arrived. */
  readonly events: ServerEvent[] = [];
  private eventWaiters: { accept: (e: ServerEvent) => boolean; resolve: () => void }[] = [];
  /** `window/logMessage` notifications in the order they arrived. */
  readonly logs: LogMessage[] = [];
  private logWaiters: { accept: (m: LogMessage) => boolean; resolve: (m: LogMessage) => void }[] = [];

  private constructor(readonly child: ChildProcess, readonly connection: ProtocolConnection, private settings: unknown) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.stderr!.on('data', (d) => { this.stderrText += String(d); });
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.record({ kind: 'diagnostics', uri: p.uri, count: p.diagnostics.length });
      this.latest.set(p.uri, p);
      this.history.push(p);
      const ready = this.waiters.filter((w) => w.uri === p.uri && w.accept(p));
      this.waiters = this.waiters.filter((w) => !ready.includes(w));
      for (const w of ready) w.resolve(p);
    });
    connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((i) => (i.section === 'policyHandshake' ? this.settings ?? null : null)));
    connection.onRequest(RegistrationRequest.method, (params: RegistrationParams) => {
      for (const r of params.registrations) {
        this.registrations.push(r.method);
        this.registrationOptions.push({ method: r.method, registerOptions: r.registerOptions });
      }
      return null;
    });
    connection.onRequest(CodeLensRefreshRequest.method, () => {
      this.lensRefreshes++;
      for (const r of this.lensWaiters.splice(0)) r();
      return null;
    });
    connection.onRequest(WorkDoneProgressCreateRequest.method, (params: { token: string | number }) => {
      this.record({ kind: 'progress-created', token: params.token });
      return null;
    });
    connection.onNotification('$/progress', (params: { token: string | number; value: ServerEvent & { kind: string } }) => {
      this.record({ kind: 'progress', token: params.token, value: params.value as never });
    });
    // Server log messages (window/logMessage) are recorded, and kept out of the test output.
    connection.onNotification('window/logMessage', (p: LogMessage) => {
      this.logs.push(p);
      const ready = this.logWaiters.filter((w) => w.accept(p));
      this.logWaiters = this.logWaiters.filter((w) => !ready.includes(w));
      for (const w of ready) w.resolve(p);
    });
    connection.listen();
  }

  static async start(options: StartOptions = {}): Promise<{ client: LspClient; init: InitializeResult }> {
    const child = spawn(process.execPath, [SERVER_PATH, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(child, connection, options.settings);
    const root = options.root;
    const init = await client.withTimeout(
      connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: root ? fileUri(root) : null,
        workspaceFolders: root ? [root, ...(options.moreFolders ?? [])].map((f) => ({ uri: fileUri(f), name: path.basename(f) })) : null,
        capabilities: options.capabilities ?? DEFAULT_CAPABILITIES,
        initializationOptions: options.initializationOptions,
      }),
      'initialize',
    );
    await connection.sendNotification(InitializedNotification.type, {});
    return { client, init };
  }

  get stderr(): string {
    return this.stderrText;
  }

  withTimeout<T>(p: Promise<T> | Thenable<T>, what: string, ms = DEFAULT_TIMEOUT_MS): Promise<T> {
    let timer: NodeJS.Timeout;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}; server stderr: ${this.stderrText.slice(-2000)}`)), ms);
    });
    return Promise.race([Promise.resolve(p), timeout]).finally(() => clearTimeout(timer));
  }

  /** The next (or latest) diagnostics for `uri` that satisfy `accept`. */
  diagnostics(uri: string, accept: (p: PublishDiagnosticsParams) => boolean = () => true, what = `diagnostics for ${uri}`): Promise<PublishDiagnosticsParams> {
    const last = this.latest.get(uri);
    if (last && accept(last)) return Promise.resolve(last);
    const p = new Promise<PublishDiagnosticsParams>((resolve) => this.waiters.push({ uri, accept, resolve }));
    return this.withTimeout(p, what);
  }

  private record(e: ServerEvent): void {
    this.events.push(e);
    const ready = this.eventWaiters.filter((w) => w.accept(e));
    this.eventWaiters = this.eventWaiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  }

  /** Resolves when an event passing `accept` has arrived (at once when one already has). */
  event(accept: (e: ServerEvent) => boolean, what: string): Promise<void> {
    if (this.events.some(accept)) return Promise.resolve();
    return this.withTimeout(new Promise<void>((resolve) => this.eventWaiters.push({ accept, resolve })), what);
  }

  /** The first `window/logMessage` (already received or still to come) that passes `accept`. */
  logMessage(accept: (m: LogMessage) => boolean, what: string): Promise<LogMessage> {
    const found = this.logs.find(accept);
    if (found) return Promise.resolve(found);
    return this.withTimeout(new Promise<LogMessage>((resolve) => this.logWaiters.push({ accept, resolve })), what);
  }

  /** The latest diagnostics published for `uri`, if any were. */
  published(uri: string): PublishDiagnosticsParams | undefined {
    return this.latest.get(uri);
  }

  /** The next `workspace/codeLens/refresh` request. */
  nextLensRefresh(): Promise<void> {
    return this.withTimeout(new Promise<void>((resolve) => this.lensWaiters.push(resolve)), 'workspace/codeLens/refresh');
  }

  /** Diagnostics published for exactly this document version. */
  diagnosticsForVersion(uri: string, version: number): Promise<PublishDiagnosticsParams> {
    return this.diagnostics(uri, (p) => p.version === version, `diagnostics of ${uri} version ${version}`);
  }

  async open(uri: string, text: string, languageId = 'json', version = 1): Promise<void> {
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
  }

  /** Replace the whole text; returns the new version. */
  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  async close(uri: string): Promise<void> {
    this.versions.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async fileEvents(changes: FileEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  /** New settings: answered to later `workspace/configuration` requests, and pushed with the change notification. */
  async setSettings(settings: unknown, push = false): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: push ? { policyHandshake: settings } : null });
  }

  version(uri: string): number | undefined {
    return this.versions.get(uri);
  }

  /** Orderly shutdown; resolves with the exit code. */
  async shutdown(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    await this.withTimeout(this.connection.sendRequest(ShutdownRequest.type), 'shutdown');
    await this.connection.sendNotification(ExitNotification.type);
    const code = await this.withTimeout(this.exited, 'server exit');
    this.connection.dispose();
    return code;
  }

  /** For `after` hooks: never leaves a server running. */
  async dispose(): Promise<void> {
    try {
      await this.shutdown();
    } catch {
      this.child.kill();
    }
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
}
