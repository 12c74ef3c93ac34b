/**
 * The catalog actions a statement's `Action` element stands for, when that can be known
 * for certain: every entry a plain string naming known actions. Checks that reason about
 * "no action of the statement …" use it and stay silent otherwise.
 */
import type { ActionInfo, Catalog } from '../catalog/catalog';
import { hasWildcard } from '../wildcard';
import { expandActionString, parseAction } from './actions';
import { valueItems, type Statement } from './policyDocument';

export interface KnownActions {
  actions: ActionInfo[];
}

/**
 * The actions of a statement with an `Action` element whose entries are all known.
 * Undefined for `NotAction` statements, intrinsic or non-string entries, unknown actions,
 * and service wildcards (`*`, `*:Get*`), which stand for nearly everything.
 */
export function knownStatementActions(catalog: Catalog, statement: Statement): KnownActions | undefined {
  // Several checks ask about the same statement of one run: computed once (shared result).
  const memo = computed.get(statement);
  if (memo && memo.catalog === catalog) return memo.known;
  const known = readKnownActions(catalog, statement);
  computed.set(statement, { catalog, known });
  return known;
}

const computed = new WeakMap<Statement, { catalog: Catalog; known: KnownActions | undefined }>();

function readKnownActions(catalog: Catalog, statement: Statement): KnownActions | undefined {
  if (statement.elements.NotAction) return undefined;
  const el = statement.elements.Action;
  if (!el?.value) return undefined;
  const items = valueItems(el.value);
  if (items.length === 0) return undefined;
  // Catalog entries are unique objects: the same action from two entries is the same object.
  const seen = new Set<ActionInfo>();
  for (const item of items) {
    if (item.value === undefined) return undefined;
    const parsed = parseAction(item.value);
    if (!parsed || parsed.service === '*' || hasWildcard(parsed.service)) return undefined;
    const expanded = expandActionString(catalog, item.value);
    if (expanded.length === 0) return undefined;
    for (const a of expanded) seen.add(a);
  }
  return { actions: [...seen] };
}

/** `kms:Decrypt, kms:Encrypt and 3 more` for messages. */
export function describeActions(actions: ActionInfo[], max = 3): string {
  const names = actions.slice(0, max).map((a) => `${a.service}:${a.name}`);
  const rest = actions.length - names.length;
  return rest > 0 ? `${names.join(', ')} and ${rest} more` : names.join(', ');
}
