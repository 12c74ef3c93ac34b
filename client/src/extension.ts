/**
 * The VS Code side: starts the Policy Handshake language server (dist/server.js, over
 * IPC) for JSON documents, restarts it when it dies (a bounded number of times), and
 * offers `policyHandshake.restartServer`. Activation does no work beyond starting the
 * server process; nothing is written to the workspace.
 */
import * as path from 'path';
import { commands, Location, Position, Range, Uri, window, workspace, type ExtensionContext, type FileSystemWatcher, type LogOutputChannel } from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type Message,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { SettingTraceChannel } from './traceChannel';

/** What `activate` returns, for editor tests and other extensions. */
export interface PolicyHandshakeApi {
  client: LanguageClient;
}

const CLIENT_ID = 'policyHandshake';
const CLIENT_NAME = 'Policy Handshake';
/** At most this many restarts within the window; then the server stays down until restarted by hand. */
export const MAX_RESTARTS = 5;
export const RESTART_WINDOW_MS = 3 * 60 * 1000;

let client: LanguageClient | undefined;

/** The command the server's code lenses run: `[uri, position, locations]` as LSP values. */
export const SHOW_REFERENCES_COMMAND = 'policyHandshake.showReferences';

interface LspPosition { line: number; character: number }
interface LspLocation { uri: string; range: { start: LspPosition; end: LspPosition } }

/** Peeks the locations of a lens (the IAM statements granting a key) the way a references lens does. */
export async function showReferences(uri: string, position: LspPosition, locations: LspLocation[]): Promise<void> {
  const pos = (p: LspPosition) => new Position(p.line, p.character);
  await commands.executeCommand(
    'editor.action.showReferences',
    Uri.parse(uri),
    pos(position),
    locations.map((l) => new Location(Uri.parse(l.uri), new Range(pos(l.range.start), pos(l.range.end)))),
  );
}

/** Restarts a crashed server unless it crashed MAX_RESTARTS times within RESTART_WINDOW_MS. */
export class BoundedRestartHandler implements ErrorHandler {
  private readonly restarts: number[] = [];

  constructor(private readonly output: LogOutputChannel, private readonly now: () => number = Date.now) {}

  error(_error: Error, _message: Message | undefined, count: number | undefined): ErrorHandlerResult {
    // A few bad messages in a row are survivable; a stream of them means the connection is broken.
    return { action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown };
  }

  closed(): CloseHandlerResult {
    const t = this.now();
    while (this.restarts.length && t - this.restarts[0] > RESTART_WINDOW_MS) this.restarts.shift();
    if (this.restarts.length >= MAX_RESTARTS) {
      const message = `The ${CLIENT_NAME} server stopped ${MAX_RESTARTS} times in ${RESTART_WINDOW_MS / 60000} minutes and will not be restarted. Run "Policy Handshake: Restart Language Server" to start it again.`;
      this.output.warn(message);
      return { action: CloseAction.DoNotRestart, message };
    }
    this.restarts.push(t);
    this.output.warn(`The ${CLIENT_NAME} server stopped; restarting it.`);
    return { action: CloseAction.Restart, handled: true };
  }
}

function createClient(context: ExtensionContext, output: LogOutputChannel, trace: LogOutputChannel, watcher: FileSystemWatcher): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'json' },
      { scheme: 'file', language: 'jsonc' },
      { scheme: 'untitled', language: 'json' },
      { scheme: 'untitled', language: 'jsonc' },
      // CloudFormation YAML templates (the server reads only those that are templates).
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
      { scheme: 'file', pattern: '**/*.{yaml,yml,template}' },
      // Terraform configuration (the server reads only files that hold policies).
      { scheme: 'file', language: 'terraform' },
      { scheme: 'file', pattern: '**/*.tf' },
      // Templated JSON policies (Terraform templatefile): only JSON templates with a policy are read.
      { scheme: 'file', pattern: '**/*.{tpl,tftpl}' },
    ],
    synchronize: { fileEvents: watcher },
    // VS Code's own JSON support underlines syntax errors in open JSON documents
    // and shows its own outline of JSON documents: the server adds symbols only where they say more.
    // Code lenses peek their IAM statements through the command registered in `activate`.
    initializationOptions: { reportSyntaxErrors: false, jsonOutline: true, showReferencesCommand: true },
    outputChannel: output,
    // Traces follow policyHandshake.trace.server alone (see SettingTraceChannel).
    traceOutputChannel: trace,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler: new BoundedRestartHandler(output),
  };
  // The trace setting `policyHandshake.trace.server` is read by the client from its id;
  // the trace channel's level follows it, which is what turns tracing on.
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}

export async function activate(context: ExtensionContext): Promise<PolicyHandshakeApi> {
  const output = window.createOutputChannel(CLIENT_NAME, { log: true });
  const trace = new SettingTraceChannel(
    window.createOutputChannel(`${CLIENT_NAME} Trace`),
    () => workspace.getConfiguration(CLIENT_ID).get('trace.server'),
    (listener) => workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration(`${CLIENT_ID}.trace.server`)) listener(); }),
  );
  // Folders too: a folder created with its files in it may be reported only as the folder.
  const watcher = workspace.createFileSystemWatcher('**/*');
  context.subscriptions.push(output, trace, watcher);
  const api = {} as PolicyHandshakeApi;
  const start = async () => {
    const c = createClient(context, output, trace, watcher);
    client = c;
    api.client = c;
    await c.start();
  };
  context.subscriptions.push(
    commands.registerCommand(SHOW_REFERENCES_COMMAND, showReferences),
    commands.registerCommand('policyHandshake.restartServer', async () => {
      const old = client;
      client = undefined;
      if (old) await old.stop().catch((e) => output.error(`Stopping the server failed: ${String(e)}`));
      await start();
    }),
  );
  try {
    await start();
  } catch (e) {
    output.error(`Starting the server failed: ${String(e)}`);
  }
  return api;
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop();
}
