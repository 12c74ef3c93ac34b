/**
 * The candidate lists completion offers: service prefixes, actions, condition keys,
 * operators, element names, principals and key ARNs. Each entry carries the text to
 * insert; the caller decides the span it replaces.
 */
import type { Catalog, ConditionKeyInfo } from '../catalog/catalog';
import { CONDITION_OPERATORS, parseOperator } from '../model/conditions';
import { STATEMENT_ELEMENTS, type PolicyDocument, type Statement } from '../model/policyDocument';
import type { Workspace } from '../workspace/workspace';
import { baseOperatorText, operatorNames, PRINCIPAL_TYPES, QUALIFIER_TEXT, STATEMENT_ELEMENT_TEXT } from './policyTerms';
import { KEY_PLACEHOLDER, statementCatalogActions, supportedKeys } from './conditionKeySupport';
import { knownAccounts, knownKeyArns, knownPrincipals } from './workspaceFacts';

export interface CompletionEntry {
  label: string;
  kind: 'service' | 'action' | 'conditionKey' | 'operator' | 'element' | 'value' | 'principal' | 'keyArn';
  detail?: string;
  /** Markdown. */
  documentation?: string;
  insertText?: string;
  /**
   * `insertText` is a snippet with a tab stop (`kms:EncryptionContext:${1:key}`). Text added
   * around it holds no `$`, `}` or backslash; the LSP layer sends plain text to clients without snippets.
   */
  snippet?: boolean;
  sortText?: string;
  filterText?: string;
}

/** Service prefixes, those already used in the document first (and `kms` first in key policies). */
export function serviceEntries(catalog: Catalog, used: Set<string>, separator: string): CompletionEntry[] {
  return [...catalog.serviceNames()].map(([prefix, name]) => ({
    label: prefix,
    kind: 'service' as const,
    detail: name,
    insertText: prefix + separator,
    sortText: `${used.has(prefix) ? 0 : 1}_${prefix}`,
  }));
}

/** The actions of one service, `service:*` first, names as the catalog spells them. */
export function actionEntries(catalog: Catalog, written: string): CompletionEntry[] {
  const actions = catalog.actions(written);
  if (!actions.length) return [];
  const service = catalog.serviceNames().get(written.toLowerCase()) ?? written;
  const out: CompletionEntry[] = [{
    label: '*',
    kind: 'action',
    detail: `every ${written} action`,
    documentation: `All ${actions.length} actions of ${service}.`,
    insertText: `${written}:*`,
    filterText: `${written}:*`,
    sortText: '0',
  }];
  for (const a of [...actions].sort((x, y) => x.name.localeCompare(y.name))) {
    out.push({
      label: a.name,
      kind: 'action',
      detail: a.accessLevel,
      documentation: a.description,
      insertText: `${written}:${a.name}`,
      filterText: `${written}:${a.name}`,
      sortText: `1_${a.name.toLowerCase()}`,
    });
  }
  return out;
}

/** Statement element names not yet present (an element and its `Not` form exclude each other). */
export function elementEntries(doc: PolicyDocument, present: Set<string>): CompletionEntry[] {
  const excluded = new Set(present);
  for (const name of present) {
    if (name.startsWith('Not')) excluded.add(name.slice(3));
    else excluded.add(`Not${name}`);
  }
  if (doc.kind === 'iam-identity-policy') excluded.add('Principal').add('NotPrincipal');
  return STATEMENT_ELEMENTS.map((e, i) => ({
    label: e,
    kind: 'element' as const,
    documentation: STATEMENT_ELEMENT_TEXT[e],
    sortText: String(i).padStart(2, '0'),
  })).filter((e) => !excluded.has(e.label));
}

export function principalTypeEntries(present: Set<string>): CompletionEntry[] {
  return Object.keys(PRINCIPAL_TYPES).filter((t) => !present.has(t)).map((t, i) => ({
    label: t,
    kind: 'element' as const,
    documentation: PRINCIPAL_TYPES[t],
    sortText: String(i),
  }));
}

export function operatorEntries(present: Set<string>): CompletionEntry[] {
  return operatorNames().filter((o) => !present.has(o.name)).map(({ name, rank }) => {
    const op = parseOperator(name);
    const docs = [baseOperatorText(op.base!)!];
    if (op.set) docs.push(QUALIFIER_TEXT[op.set]);
    if (op.ifExists) docs.push(QUALIFIER_TEXT.IfExists);
    return {
      label: name,
      kind: 'operator' as const,
      detail: op.base === 'Null' ? 'checks whether a key is present' : `compares ${CONDITION_OPERATORS[op.base!]} values`,
      documentation: docs.join('\n\n'),
      sortText: `${rank}_${name}`,
    };
  });
}

/**
 * What to type for a key with a placeholder: `kms:EncryptionContext:${EncryptionContextKey}` →
 * the snippet `kms:EncryptionContext:${1:key}`, the cursor on the part still to write.
 */
function keyInsertText(key: string): { text: string; filter: string; snippet?: boolean } {
  const i = key.search(KEY_PLACEHOLDER);
  if (i < 0) return { text: key, filter: key };
  const literal = key.slice(0, i);
  return { text: `${literal.replace(/[$}\\]/g, '\\$&')}\${1:key}`, filter: literal, snippet: true };
}

/**
 * Condition keys for a statement: those its actions support first, then global keys,
 * then the other keys of the services it uses (and of `kms` in a key policy).
 */
export function conditionKeyEntries(catalog: Catalog, doc: PolicyDocument, statement: Statement | undefined, present: Set<string>): CompletionEntry[] {
  const out = new Map<string, CompletionEntry>();
  const add = (key: string, info: ConditionKeyInfo | undefined, rank: number, why: string) => {
    const lower = key.toLowerCase();
    if (out.has(lower) || present.has(lower)) return;
    const insert = keyInsertText(key);
    out.set(lower, {
      label: key,
      kind: 'conditionKey',
      detail: info ? `${info.type}, ${why}` : why,
      documentation: info?.description || undefined,
      insertText: insert.text,
      filterText: insert.filter,
      ...(insert.snippet ? { snippet: true } : {}),
      sortText: `${rank}_${lower}`,
    });
  };
  const sa = statementCatalogActions(catalog, statement);
  for (const a of sa.actions) {
    for (const k of supportedKeys(catalog, a)) add(k, catalog.conditionKey(k), 0, 'supported by the statement\'s actions');
  }
  for (const g of catalog.globalConditionKeys()) add(g.key, g, 1, 'global');
  const services = new Set(sa.services);
  if (doc.kind === 'kms-key-policy') services.add('kms');
  for (const s of services) for (const k of catalog.conditionKeys(s)) add(k.key, k, 2, s);
  return [...out.values()];
}

/** Values for `Principal.AWS`: `*`, the account principals and the roles and users the workspace knows. */
export function awsPrincipalEntries(ws: Workspace, doc: PolicyDocument): CompletionEntry[] {
  const partition = doc.owner.partition ?? 'aws';
  const out: CompletionEntry[] = [{ label: '*', kind: 'principal', detail: 'everyone', documentation: 'Any principal of any account: restrict it with conditions such as `kms:CallerAccount` or `aws:PrincipalOrgID`.', sortText: '9' }];
  for (const a of knownAccounts(ws)) {
    out.push({
      label: `arn:${partition}:iam::${a.id}:root`,
      kind: 'principal',
      detail: a.name ? `account principal of ${a.name}` : 'account principal',
      documentation: 'Lets the account\'s administrators delegate through IAM policies; nobody in the account can use it until an IAM policy there grants it.',
      sortText: `1_${a.id}`,
    });
  }
  for (const arn of knownPrincipals(ws)) out.push({ label: arn, kind: 'principal', detail: 'known in the workspace', sortText: `0_${arn}` });
  return out;
}

export function keyArnEntries(ws: Workspace): CompletionEntry[] {
  return knownKeyArns(ws).map((arn) => ({ label: arn, kind: 'keyArn' as const, detail: 'key known in the workspace', sortText: `0_${arn}` }));
}

export function accountEntries(ws: Workspace): CompletionEntry[] {
  return knownAccounts(ws).map((a) => ({ label: a.id, kind: 'value' as const, detail: a.name, sortText: `0_${a.id}` }));
}
