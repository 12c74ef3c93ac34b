/**
 * Completion: what may be written at the cursor in a policy. Inside a string the
 * entries replace the string's content; elsewhere (a new property name or value) they
 * bring their quotes. Pure: spans are file offsets; the LSP layer converts.
 */
import { findNodeAtOffset } from 'jsonc-parser';
import type { Catalog } from '../catalog/catalog';
import type { Span } from '../findings';
import { escapeForStringLiteral } from '../json/embeddedJson';
import type { JsonNode } from '../json/jsonDocument';
import { properties } from '../json/nodes';
import { plainOrQuoted } from '../yaml/yamlEdits';
import { hclString, isBlockNode } from '../sources/hcl/hclEdits';
import { CONDITION_OPERATORS, parseOperator } from '../model/conditions';
import { readStatements, type PolicyDocument, ACTION_ELEMENTS } from '../model/policyDocument';
import type { Workspace } from '../workspace/workspace';
import {
  accountEntries, actionEntries, awsPrincipalEntries, conditionKeyEntries, elementEntries, keyArnEntries,
  operatorEntries, principalTypeEntries, serviceEntries, type CompletionEntry,
} from './completionLists';
import { contentSpan, documentAt, documentIn, fileSpan, isPropertyKey, isTerminated, nodeContext, stringAt, type NodeContext } from './policyPosition';
import { POLICY_ELEMENTS } from './policyTerms';

export type { CompletionEntry } from './completionLists';

export interface CompletionResult {
  items: CompletionEntry[];
  /** The text the chosen entry replaces, in file offsets (empty at the cursor outside strings). */
  replace: Span;
}

/** Condition keys whose values are account ids, and those whose values are principal ARNs. */
const ACCOUNT_KEYS = new Set(['kms:calleraccount', 'aws:principalaccount', 'aws:sourceaccount', 'aws:resourceaccount']);
const PRINCIPAL_ARN_KEYS = new Set(['aws:principalarn', 'kms:granteeprincipal', 'kms:retiringprincipal']);

export function completionsAt(ws: Workspace, path: string, offset: number, catalog: Catalog = ws.catalog): CompletionResult | undefined {
  const at = documentAt(ws, path, offset);
  let found: CompletionResult | undefined;
  if (at) {
    const str = stringAt(at.doc, at.offset);
    found = str ? inString(ws, catalog, at.doc, str, at.offset) : outsideString(ws, catalog, at.doc, at.offset);
  }
  return found ?? (ws.discovered(path)?.json.syntax === 'yaml' ? yamlNewKey(ws, catalog, path, offset) : undefined);
}

/** The key a line being typed is read with: unlike any key a template has, so it never repeats one. */
const DRAFT_KEY_SUFFIX = 'PolicyHandshakeDraftKey';

/**
 * YAML: a key being typed on its own line (`Eff`, `- Eff`, `"Eff`, `'Eff`, or nothing yet on an
 * empty line): until it has its colon the template is not valid YAML, or the line is no node.
 * The line is read as the key it will be (the word typed so far and a colon), which the
 * indentation puts in its mapping; the entries are the names that mapping takes, as in JSON:
 * the statement's elements, the operators of a `Condition`, the condition keys of an operator,
 * principal types. A key begun with a quote is finished in that quote (a closing quote the
 * editor added is replaced too). An element whose value is a mapping (`Condition`, `Principal`,
 * a condition operator) is followed by a line break and the indentation of its block.
 */
function yamlNewKey(ws: Workspace, catalog: Catalog, path: string, offset: number): CompletionResult | undefined {
  const text = ws.text(path);
  if (text === undefined) return undefined;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = text.length;
  const typing = /^[ ]*(?:-[ ]+)*(["']?)([A-Za-z][\w:/.-]*)?$/.exec(text.slice(lineStart, offset));
  if (!typing) return undefined;
  const quote = typing[1];
  const rest = text.slice(offset, lineEnd);
  const closed = quote !== '' && rest.startsWith(quote);
  if ((closed ? rest.slice(1) : rest).trim() !== '') return undefined;
  const typed = typing[2] ?? '';
  const start = offset - typed.length;
  const keyStart = start - quote.length;
  const draft = ws.discoverDraft(path, `${text.slice(0, offset)}${DRAFT_KEY_SUFFIX}${quote}:${text.slice(lineEnd)}`);
  const at = draft.json.syntax === 'yaml' ? documentIn(draft, keyStart) : undefined;
  if (!at || at.offset !== keyStart) return undefined;
  const key = findNodeAtOffset(at.doc.root, keyStart, true);
  if (key?.type !== 'string' || key.offset !== keyStart || key.value !== typed + DRAFT_KEY_SUFFIX || !isPropertyKey(key)) return undefined;
  const ctx = nodeContext(at.doc, key);
  if (!ctx) return undefined;
  const property = key.parent!;
  const containerPath = ctx.path.slice(0, -1);
  // A mapping value goes on the lines below the key, indented one step further.
  const block = `:\n${' '.repeat(keyStart - lineStart + indentStep(text))}`;
  const items = keyEntries(catalog, at.doc, ctx, containerPath, property.parent, property).map((i) => {
    const name = i.insertText ?? i.label;
    const written = i.snippet ? name : quote === '"' ? JSON.stringify(name).slice(1, -1) : quote === "'" ? name.replace(/'/g, "''") : plainOrQuoted(name);
    const mapping = i.kind === 'operator' || (ctx.statement && containerPath.length === 0 && MAPPING_ELEMENTS.has(i.label));
    return { ...i, insertText: `${written}${quote}${mapping ? block : ': '}`, filterText: i.filterText ?? i.label };
  });
  return result(at.doc, items, start, closed ? offset + 1 : offset);
}

/** Statement elements whose value is written as a mapping. */
const MAPPING_ELEMENTS = new Set(['Principal', 'NotPrincipal', 'Condition']);

/** The indentation step of a YAML text: that of its first indented line (2 when none is). */
function indentStep(text: string): number {
  const first = /\n( +)\S/.exec(text);
  return first ? Math.min(first[1].length, 8) : 2;
}

function result(doc: PolicyDocument, items: CompletionEntry[], start: number, end: number): CompletionResult | undefined {
  if (!items.length) return undefined;
  // A policy held in a JSON string: what is inserted is escaped as the file holds it.
  // In a snippet a backslash escapes: those the string escaping writes are doubled.
  // A policy written as JSON text in a template says how (and whether) text goes into its string.
  const write = doc.writeInString;
  const escape = write ? (t: string) => write(start, end - start, t) : doc.embedded ? escapeForStringLiteral : undefined;
  const inFile = escape
    ? items.flatMap((i) => {
      const escaped = escape(i.insertText ?? i.label);
      if (escaped === undefined) return [];
      return [{ ...i, insertText: i.snippet ? escaped.replace(/\\/g, '\\\\') : escaped, filterText: i.filterText === undefined ? undefined : escape(i.filterText) }];
    })
    : items;
  if (!inFile.length) return undefined;
  return { items: inFile, replace: fileSpan(doc, start, end - start) };
}

/** Names of the other properties of an object (the one being edited left out). */
function presentNames(obj: JsonNode | undefined, editing?: JsonNode): Set<string> {
  return new Set(properties(obj).filter((p) => p.property !== editing).map((p) => p.name));
}

function inString(ws: Workspace, catalog: Catalog, doc: PolicyDocument, node: JsonNode, offset: number): CompletionResult | undefined {
  const ctx = nodeContext(doc, node);
  if (!ctx) return undefined;
  const content = contentSpan(doc, node);
  const terminated = isTerminated(doc, node);
  const end = terminated ? content.end : offset;
  if (ctx.isKey) {
    const property = node.parent!;
    const items = keyEntries(catalog, doc, ctx, ctx.path.slice(0, -1), property.parent, property);
    if (property.colonOffset !== undefined) return result(doc, items, content.offset, end);
    // No colon yet: the entry brings its closing quote and colon.
    const closed = items.map((i) => ({ ...i, insertText: `${i.insertText ?? i.label}": `, filterText: i.filterText ?? i.insertText ?? i.label }));
    return result(doc, closed, content.offset, terminated ? node.offset + node.length : offset);
  }
  const element = ctx.statement ? ctx.path[0] : undefined;
  if ((element === 'Action' || element === 'NotAction') && ctx.path.length <= 2) {
    return actionCompletion(catalog, doc, content.offset, end, offset);
  }
  return result(doc, valueEntries(ws, catalog, doc, ctx, ctx.path), content.offset, end);
}

function actionCompletion(catalog: Catalog, doc: PolicyDocument, start: number, end: number, offset: number): CompletionResult | undefined {
  const text = doc.json.text.slice(start, end);
  const colon = text.indexOf(':');
  if (colon < 0 || offset <= start + colon) {
    const used = new Set<string>();
    for (const s of readStatements(doc.root)) {
      for (const name of ACTION_ELEMENTS) {
        for (const v of [s.elements[name]?.value].flatMap((n) => (n?.type === 'array' ? n.children ?? [] : n ? [n] : []))) {
          if (v.type === 'string' && String(v.value).includes(':')) used.add(String(v.value).split(':')[0].toLowerCase());
        }
      }
    }
    if (doc.kind === 'kms-key-policy') used.add('kms');
    return result(doc, serviceEntries(catalog, used, colon < 0 ? ':' : ''), start, colon < 0 ? end : start + colon);
  }
  return result(doc, actionEntries(catalog, text.slice(0, colon)), start, end);
}

/** Property names for the object at `containerPath` (relative to the statement, or to the policy outside statements). */
function keyEntries(catalog: Catalog, doc: PolicyDocument, ctx: NodeContext, containerPath: (string | number)[], obj: JsonNode | undefined, editing?: JsonNode): CompletionEntry[] {
  const present = presentNames(obj, editing);
  if (!ctx.statement) {
    if (containerPath.length || obj !== doc.root) return [];
    return Object.keys(POLICY_ELEMENTS).filter((k) => !present.has(k)).map((k, i) => ({ label: k, kind: 'element' as const, documentation: POLICY_ELEMENTS[k], sortText: String(i) }));
  }
  if (containerPath.length === 0) return elementEntries(doc, present);
  const element = containerPath[0];
  if ((element === 'Principal' || element === 'NotPrincipal') && containerPath.length === 1) return principalTypeEntries(present);
  if (element === 'Condition' && containerPath.length === 1) return operatorEntries(present);
  if (element === 'Condition' && containerPath.length === 2) {
    return conditionKeyEntries(catalog, doc, ctx.statement, new Set([...present].map((k) => k.toLowerCase())));
  }
  return [];
}

/** Values for the element at `path`; entries bring no quotes (the caller adds them outside strings). */
function valueEntries(ws: Workspace, catalog: Catalog, doc: PolicyDocument, ctx: NodeContext, path: (string | number)[]): CompletionEntry[] {
  const value = (label: string, detail?: string, sortText?: string): CompletionEntry => ({ label, kind: 'value', detail, sortText });
  if (!ctx.statement) {
    if (path.length === 1 && path[0] === 'Version') return [value('2012-10-17', 'current', '0'), value('2008-10-17', 'outdated: no policy variables', '1')];
    return [];
  }
  const element = path[0];
  const depth = typeof path[path.length - 1] === 'number' ? path.length - 1 : path.length;
  if (element === 'Effect' && depth === 1) return [value('Allow', undefined, '0'), value('Deny', undefined, '1')];
  if ((element === 'Principal' || element === 'NotPrincipal') && depth === 1 && typeof path[1] !== 'number') return [value('*', 'everyone')];
  if ((element === 'Principal' || element === 'NotPrincipal') && depth === 2 && path[1] === 'AWS') return awsPrincipalEntries(ws, doc);
  if ((element === 'Resource' || element === 'NotResource') && depth === 1) {
    const star = value('*', doc.kind === 'kms-key-policy' ? 'this key' : 'every resource', '1');
    return doc.kind === 'kms-key-policy' ? [star] : [...keyArnEntries(ws), star];
  }
  if (element === 'Condition' && depth === 3) {
    const operator = parseOperator(String(path[1]));
    const key = String(path[2]).toLowerCase();
    const type = operator.base ? CONDITION_OPERATORS[operator.base] : undefined;
    const keyType = catalog.conditionKey(key)?.type ?? '';
    if (type === 'Bool' || type === 'Null' || /Bool$/.test(keyType)) return [value('true', undefined, '0'), value('false', undefined, '1')];
    if (ACCOUNT_KEYS.has(key)) return accountEntries(ws);
    if (PRINCIPAL_ARN_KEYS.has(key)) return awsPrincipalEntries(ws, doc).filter((e) => e.label !== '*');
  }
  return [];
}

function outsideString(ws: Workspace, catalog: Catalog, doc: PolicyDocument, offset: number): CompletionResult | undefined {
  if (doc.json.syntax === 'yaml') return yamlEmptyValue(ws, catalog, doc, offset);
  const wide = findNodeAtOffset(doc.root, offset, true);
  // `"Effect": |` — a property still without a value.
  if (wide?.type === 'property' && !wide.children?.[1] && wide.colonOffset !== undefined && offset > wide.colonOffset) {
    const obj = wide.parent;
    const ctx = obj ? nodeContext(doc, obj) : undefined;
    if (!ctx) return undefined;
    return quotedValues(ws, catalog, doc, ctx, [...ctx.path, String(wide.children?.[0]?.value)], offset);
  }
  const node = findNodeAtOffset(doc.root, offset, false);
  if (!node || (node.type !== 'object' && node.type !== 'array') || offset <= node.offset) return undefined;
  const ctx = nodeContext(doc, node);
  if (!ctx) return undefined;
  if (node.type === 'array') return quotedValues(ws, catalog, doc, ctx, [...ctx.path, node.children?.length ?? 0], offset, true);
  if (doc.json.syntax === 'hcl') return hclMembers(catalog, doc, ctx, node, offset);
  const [before, after] = commas(doc.json.text, offset, true);
  const items = keyEntries(catalog, doc, ctx, ctx.path, node).map((i) => ({
    ...i,
    insertText: `${before}"${i.insertText ?? i.label}": ${after}`,
    filterText: `"${i.filterText ?? i.insertText ?? i.label}"`,
  }));
  return result(doc, items, offset, offset);
}

/**
 * Terraform `jsonencode`: a new member of an HCL object, `Name = ` (a name that is no HCL
 * identifier quoted: `"aws:SourceAccount" = `). Members are separated by a comma or a line
 * break, and a comma cannot start a line: a comma goes before the entry only after a member on
 * its line, and after it only before one. None in a policy document block, whose arguments are
 * not the policy's element names.
 */
function hclMembers(catalog: Catalog, doc: PolicyDocument, ctx: NodeContext, node: JsonNode, offset: number): CompletionResult | undefined {
  const text = doc.json.text;
  if (isBlockNode(text, node)) return undefined;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = text.indexOf('\n', offset);
  const before = text.slice(lineStart, offset).trim();
  const after = text.slice(offset, lineEnd < 0 ? text.length : lineEnd).trim();
  const comma = before !== '' && !/[{,]$/.test(before) ? ', ' : '';
  const next = after !== '' && !/^(?:[},#]|\/\/|\/\*)/.test(after) ? ', ' : '';
  // A snippet's tab stop is the editor's, not text of the string: it is quoted as it is.
  const key = (name: string, snippet?: boolean) => (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name) ? name : snippet ? `"${name}"` : hclString(name));
  const items = keyEntries(catalog, doc, ctx, ctx.path, node).map((i) => ({
    ...i,
    insertText: `${comma}${key(i.insertText ?? i.label, i.snippet)} = ${next}`,
    filterText: key(i.filterText ?? i.insertText ?? i.label, i.snippet && i.filterText === undefined),
  }));
  return result(doc, items, offset, offset);
}

/**
 * YAML: a value not written yet (`Effect: |`, a list item `- |`), which YAML reads as null:
 * values as YAML scalars (an action list item gets the services, as a scalar being typed
 * does). A new key is completed by `yamlNewKey`.
 */
function yamlEmptyValue(ws: Workspace, catalog: Catalog, doc: PolicyDocument, offset: number): CompletionResult | undefined {
  const node = findNodeAtOffset(doc.root, offset, true);
  if (node?.type !== 'null' || node.length !== 0 || node.offset !== offset) return undefined;
  const parent = node.parent;
  const container = parent?.type === 'property' ? parent.parent : parent;
  const ctx = container ? nodeContext(doc, container) : undefined;
  if (!ctx || !parent) return undefined;
  const path = parent.type === 'property' ? [...ctx.path, String(parent.children?.[0]?.value)] : [...ctx.path, parent.children!.indexOf(node)];
  const element = ctx.statement ? path[0] : undefined;
  const space = /[:-]$/.test(doc.json.text.slice(0, offset)) ? ' ' : '';
  if ((element === 'Action' || element === 'NotAction') && path.length <= 2) {
    const services = actionCompletion(catalog, doc, offset, offset, offset);
    return services && { ...services, items: services.items.map((i) => ({ ...i, insertText: space + (i.insertText ?? i.label) })) };
  }
  const items = valueEntries(ws, catalog, doc, ctx, path).map((i) => ({
    ...i,
    insertText: space + plainOrQuoted(i.insertText ?? i.label),
    filterText: i.filterText ?? i.label,
  }));
  return result(doc, items, offset, offset);
}

function quotedValues(ws: Workspace, catalog: Catalog, doc: PolicyDocument, ctx: NodeContext, path: (string | number)[], offset: number, inArray = false): CompletionResult | undefined {
  const [before, after] = commas(doc.json.text, offset, inArray);
  const items = valueEntries(ws, catalog, doc, ctx, path).map((i) => ({
    ...i,
    insertText: `${before}${JSON.stringify(i.insertText ?? i.label)}${after}`,
    filterText: JSON.stringify(i.filterText ?? i.label),
  }));
  return result(doc, items, offset, offset);
}

/**
 * The commas an entry inserted at `offset` needs: one before when it follows a value
 * (only in a list of members, `checkBefore`), one after when a member follows it.
 */
function commas(text: string, offset: number, checkBefore: boolean): [string, string] {
  let i = offset - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  let j = offset;
  while (j < text.length && /\s/.test(text[j])) j++;
  const before = checkBefore && i >= 0 && !'{[,:'.includes(text[i]) ? ', ' : '';
  const after = j < text.length && (text[j] === '"' || text[j] === '{' || text[j] === '[') ? ', ' : '';
  return [before, after];
}

