/**
 * Hover, completion, code lens and go-to-definition: the pure functions of
 * core/features (file offsets in, plain values out) behind LSP handlers. A capability is
 * announced only when its function is connected in `featureProviders` below.
 */
import {
  CompletionItemKind,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  type CodeLens,
  type CompletionItem,
  type CompletionList,
  type Hover,
  type Location,
} from 'vscode-languageserver/node';
import { codeLens } from '../core/features/codeLens';
import { completionsAt, type CompletionResult } from '../core/features/completion';
import type { CompletionEntry } from '../core/features/completionLists';
import { definition } from '../core/features/definition';
import { hoverAt, type HoverResult } from '../core/features/hover';
import { manifestLens } from '../core/features/manifestLens';
import type { Span } from '../core/findings';
import type { LineIndex } from '../core/positions';
import type { Workspace } from '../core/workspace/workspace';
import { toRange } from './convert';

export interface LensInfo {
  span: Span;
  title: string;
  /** A client command to run when the lens is clicked (shown as a plain label without one). */
  command?: string;
  arguments?: unknown[];
  /** Places to peek when the lens is clicked, like a references lens (the command is then SHOW_REFERENCES_COMMAND). */
  references?: DefinitionTarget[];
}

/**
 * The client command a lens with references runs: arguments `[uri, position, locations]`
 * as LSP values; the VS Code client turns them into VS Code values for
 * `editor.action.showReferences` (which takes no plain JSON).
 */
export const SHOW_REFERENCES_COMMAND = 'policyHandshake.showReferences';

export interface DefinitionTarget {
  file: string;
  span: Span;
}

export interface FeatureProviders {
  hoverAt?: (ws: Workspace, path: string, offset: number, full?: boolean) => HoverResult | undefined;
  completionsAt?: (ws: Workspace, path: string, offset: number) => CompletionResult | undefined;
  /** `folder`: the workspace folder holding the file, when it is in one. */
  codeLenses?: (ws: Workspace, path: string, folder?: string) => LensInfo[];
  definitionAt?: (ws: Workspace, path: string, offset: number) => DefinitionTarget[] | DefinitionTarget | undefined;
}

/** The connected feature functions (a missing one leaves its capability unannounced). */
export const featureProviders: FeatureProviders = {
  hoverAt: (ws, path, offset, full) => hoverAt(ws, path, offset, ws.catalog, full),
  completionsAt: (ws, path, offset) => completionsAt(ws, path, offset),
  // The governing manifest on the first line, then the cross-account principals.
  codeLenses: (ws, path, folder) => [...manifestLens(ws, path, folder), ...codeLens(ws, path)],
  definitionAt: (ws, path, offset) => definition(ws, path, offset),
};

/** Said under every hover while the workspace is being read: what other files grant or trust is not all known yet. */
export const READING_NOTE = '_Policy Handshake is still reading the workspace: what other files grant or trust may change this._';

export function toHover(result: HoverResult | undefined, index: LineIndex, reading = false): Hover | null {
  if (!result?.markdown) return null;
  const value = reading ? `${result.markdown}\n\n---\n\n${READING_NOTE}` : result.markdown;
  return { contents: { kind: MarkupKind.Markdown, value }, range: toRange(index, result.span) };
}

const COMPLETION_KINDS: Record<CompletionEntry['kind'], CompletionItemKind> = {
  action: CompletionItemKind.Function,
  service: CompletionItemKind.Module,
  conditionKey: CompletionItemKind.Property,
  operator: CompletionItemKind.Operator,
  principal: CompletionItemKind.Reference,
  keyArn: CompletionItemKind.Reference,
  element: CompletionItemKind.Field,
  value: CompletionItemKind.Value,
};

/** A snippet as plain text, for clients without snippets: tab stops keep nothing, escapes are undone. */
export function snippetAsPlainText(snippet: string): string {
  return snippet.replace(/\\([$}\\])|\$\{\d+:[^}]*\}|\$\d+/g, (_m, escaped: string | undefined) => escaped ?? '');
}

export function toCompletionList(result: CompletionResult | undefined, index: LineIndex, markdown: boolean, snippets = false): CompletionList | null {
  if (!result) return null;
  const range = toRange(index, result.replace);
  const items = result.items.map((e): CompletionItem => {
    const item: CompletionItem = { label: e.label, kind: COMPLETION_KINDS[e.kind] ?? CompletionItemKind.Text };
    if (e.detail) item.detail = e.detail;
    if (e.documentation) item.documentation = markdown ? { kind: MarkupKind.Markdown, value: e.documentation } : e.documentation;
    if (e.sortText) item.sortText = e.sortText;
    if (e.filterText) item.filterText = e.filterText;
    const text = e.insertText ?? e.label;
    if (e.snippet && snippets) item.insertTextFormat = InsertTextFormat.Snippet;
    item.textEdit = { range, newText: e.snippet && !snippets ? snippetAsPlainText(text) : text };
    // Text of several lines carries its own indentation (a YAML block below its key): the client adds none.
    if (text.includes('\n')) item.insertTextMode = InsertTextMode.asIs;
    return item;
  });
  return { isIncomplete: false, items };
}

export function toCodeLenses(
  lenses: LensInfo[],
  index: LineIndex,
  uri?: string,
  target?: (file: string) => { uri: string; index: LineIndex } | undefined,
): CodeLens[] {
  return lenses.map((l) => {
    const range = toRange(index, l.span);
    const locations = uri && target && l.references ? toLocations(l.references, target) : null;
    if (locations) return { range, command: { title: l.title, command: SHOW_REFERENCES_COMMAND, arguments: [uri, range.start, locations] } };
    // Clients need a command to show a lens; an empty command id makes it a plain label.
    return { range, command: { title: l.title, command: l.command ?? '', arguments: l.arguments } };
  });
}

export function toLocations(
  result: DefinitionTarget[] | DefinitionTarget | undefined,
  target: (file: string) => { uri: string; index: LineIndex } | undefined,
): Location[] | null {
  if (!result) return null;
  const out: Location[] = [];
  for (const t of Array.isArray(result) ? result : [result]) {
    const f = target(t.file);
    if (f) out.push({ uri: f.uri, range: toRange(f.index, t.span) });
  }
  return out.length ? out : null;
}
