/**
 * The VS Code side: starts the Policy Handshake language server (dist/server.js, over
 * IPC) for JSON documents, restarts it when it dies (a bounded number of times), and
 * offers `policyHandshake.restartServer`. Activation does no work beyond starting the
 * server process; nothing is written to the workspace.
 */
import * as path from 'path';
import { commands, Location, Position, Range, Uri, window, workspace, type ExtensionContext, type TextDocument, type FileSystemWatcher, type LogOutputChannel } from 'vscode';
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
  type Middleware,
} from 'vscode-languageclient/node';
import { DOCUMENT_SELECTOR } from './documentSelector';
import { serverOptions } from './serverOptions';
import { GoneDocuments } from './goneDocuments';
import { explicitChecksMiddleware } from './explicitChecks';
import { SettingTraceChannel } from './traceChannel';
import { KEY_ACCESS_CHANGED, KEY_ACCESS_REQUEST, KEY_ACCESS_VIEW, KeyAccessTreeProvider, OPEN_PLACE_COMMAND, placeUri, toVsRange, type WireKey } from './keyAccessView';

/** What `activate` returns, for editor tests and other extensions. */
export interface PolicyHandshakeApi {
  client: LanguageClient;
  /** What the Key access view shows. */
  keyAccess: KeyAccessTreeProvider;
}

const CLIENT_ID = 'policyHandshake';
const CREATE_MANIFEST_REQUEST = 'policyHandshake/manifestDraft';
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

export const CREATE_MANIFEST_COMMAND = 'policyHandshake.createManifest';

interface ManifestDraft { uri: string; text: string; notes: string[] }

/**
 * Proposes a policy-handshake.json for a workspace folder from what the server read there, as
 * an unsaved document at the manifest's place: nothing is written until the user saves it.
 * Returns the draft document (for tests), or undefined when there is nothing to propose.
 */
export async function createManifest(c: LanguageClient | undefined, output: LogOutputChannel): Promise<TextDocument | undefined> {
  const folders = workspace.workspaceFolders ?? [];
  const folder = folders.length > 1 ? (await window.showWorkspaceFolderPick({ placeHolder: 'The folder the manifest governs' })) : folders[0];
  if (!folder) { void window.showInformationMessage('Open a folder first: the manifest describes the policies in it.'); return undefined; }
  if (!c?.isRunning()) { void window.showWarningMessage('The Policy Handshake server is not running.'); return undefined; }
  const draft = await c.sendRequest<ManifestDraft | null>(CREATE_MANIFEST_REQUEST, { folder: folder.uri.toString() });
  if (!draft) return undefined;
  const target = Uri.parse(draft.uri);
  // An untitled document with the manifest's path: Save writes it there, after the user has read it.
  const doc = await workspace.openTextDocument(target.with({ scheme: 'untitled' }));
  const editor = await window.showTextDocument(doc);
  await editor.edit((b) => b.replace(new Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), draft.text));
  for (const n of draft.notes) output.info(`Draft manifest: ${n}`);
  const exists = await workspace.fs.stat(target).then(() => true, () => false);
  void window.showInformationMessage(
    `Draft ${workspace.asRelativePath(target)}${exists ? ' (the folder already has one: compare before saving)' : ''}: review it${draft.notes.length ? ` (${draft.notes.length} things to check, listed in the Output)` : ''}, then save.`,
  );
  return doc;
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

function createClient(context: ExtensionContext, output: LogOutputChannel, trace: LogOutputChannel, watcher: FileSystemWatcher, middleware: Middleware): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const clientOptions: LanguageClientOptions = {
    // By language, and by every file ending the server's sources registry reads (documentSelector.ts).
    documentSelector: DOCUMENT_SELECTOR.map((e) => ({ ...e })),
    synchronize: { fileEvents: watcher },
    // VS Code's own JSON support underlines syntax errors in open JSON documents
    // and shows its own outline of JSON documents: the server adds symbols only where they say more.
    // Code lenses peek their IAM statements through the command registered in `activate`.
    // The Key access view asks again when the server says its data changed.
    initializationOptions: { reportSyntaxErrors: false, jsonOutline: true, showReferencesCommand: true, keyAccessView: true },
    outputChannel: output,
    // Traces follow policyHandshake.trace.server alone (see SettingTraceChannel).
    traceOutputChannel: trace,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler: new BoundedRestartHandler(output),
    // Documents of deleted files are closed for the server by GoneDocuments, which also decides which closes VS Code reports are sent.
    middleware,
  };
  // The trace setting `policyHandshake.trace.server` is read by the client from its id;
  // the trace channel's level follows it, which is what turns tracing on.
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions(module, TransportKind.ipc), clientOptions);
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
  const keyAccess = new KeyAccessTreeProvider(() => client?.isRunning() ? client.sendRequest<WireKey[]>(KEY_ACCESS_REQUEST, null) : undefined);
  api.keyAccess = keyAccess;
  // A deleted file leaves the server's model once no tab shows it (VS Code may hold its document for minutes).
  const gone = new GoneDocuments(() => client, watcher, DOCUMENT_SELECTOR.map((e) => ({ ...e })), output);
  context.subscriptions.push(keyAccess, window.registerTreeDataProvider(KEY_ACCESS_VIEW, keyAccess), gone);
  const start = async () => {
    // The server is told only the check settings the user set (see explicitChecks.ts).
    const checks = explicitChecksMiddleware((scope) => {
      const config = workspace.getConfiguration(CLIENT_ID, scope ? Uri.parse(scope) : undefined);
      return (key) => config.inspect(key);
    });
    const c = createClient(context, output, trace, watcher, { ...gone.middleware, workspace: checks });
    client = c;
    api.client = c;
    await c.start();
    c.onNotification(KEY_ACCESS_CHANGED, () => keyAccess.refresh());
    keyAccess.refresh();
    void gone.serverStarted().catch((e) => output.error(`Closing documents of deleted files failed: ${String(e)}`));
  };
  context.subscriptions.push(
    commands.registerCommand(SHOW_REFERENCES_COMMAND, showReferences),
    commands.registerCommand(OPEN_PLACE_COMMAND, async (uri: string, range: LspLocation['range']) => {
      await window.showTextDocument(placeUri(uri), { selection: toVsRange(range), preview: true });
    }),
    commands.registerCommand(`${KEY_ACCESS_VIEW}.refresh`, () => keyAccess.refresh()),
    commands.registerCommand(CREATE_MANIFEST_COMMAND, () => createManifest(client, output)),
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
