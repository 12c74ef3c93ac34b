/**
 * KMS action sets of statements: action strings expanded with the catalog (wildcards,
 * `NotAction`), kept as lower-case action names (`decrypt`), and the actions KMS honours
 * across accounts.
 */
import type { Catalog } from '../catalog/catalog';
import { parseAction } from './actionNames';
import type { JsonNode } from '../json/jsonDocument';
import { valueItems, type Statement, type ValueItem } from './policyDocument';
import { matchesWildcard } from '../wildcard';
import { boundedMemoFor } from '../recentCache';

/** The KMS actions that work across accounts (KMS Developer Guide, "Cross-account use"). */
export const CROSS_ACCOUNT_ACTIONS: ReadonlySet<string> = new Set([
  'Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext',
  'GenerateDataKeyWithoutPlaintext', 'GenerateMac', 'ReEncryptFrom', 'ReEncryptTo', 'Sign', 'Verify',
  'VerifyMac', 'DeriveSharedSecret', 'CreateGrant', 'DescribeKey', 'GetKeyRotationStatus', 'GetPublicKey',
  'ListGrants', 'RetireGrant', 'RevokeGrant',
].map((a) => a.toLowerCase()));

export type ActionSet = ReadonlySet<string>;

/**
 * Per catalog: the answers of `kmsActionsOf` by spelling. Texts can hold any spelling that
 * could name KMS, so the map starts over when it holds MAX_SPELLINGS.
 */
const cache = new WeakMap<Catalog, Map<string, string[]>>();
const MAX_SPELLINGS = 10_000;

/** Every KMS action name of the catalog, lower case. */
export function allKmsActions(catalog: Catalog): string[] {
  return kmsActionsOf(catalog, 'kms:*');
}

const NONE: string[] = [];

/** The KMS actions (lower-case names) an action string stands for; other services give none. */
export function kmsActionsOf(catalog: Catalog, action: string): string[] {
  if (!mayNameKms(action)) return NONE;
  return boundedMemoFor(cache, catalog, action, MAX_SPELLINGS, (copy) => {
    const a = parseAction(copy);
    if (!a || !(a.service === '*' ? a.name === '*' : matchesWildcard(a.service, 'kms', true))) return NONE;
    return catalog.expandActionName('kms', a.name).map((x) => x.name.toLowerCase());
  });
}

/**
 * Whether an action string can stand for KMS actions: most name other services, and a service
 * part that cannot match `kms` starts with something other than k, K, * or ?.
 */
function mayNameKms(action: string): boolean {
  const first = action.charCodeAt(0);
  return first === 107 || first === 75 || first === 42 || first === 63;
}

/** Whether an Action or NotAction value is plain strings (one or an array) none of which can name KMS. */
function namesNoKms(node: JsonNode): boolean {
  if (node.type === 'string') return !mayNameKms(String(node.value));
  if (node.type !== 'array') return false;
  const children = node.children ?? [];
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    if (c.type !== 'string' || mayNameKms(String(c.value))) return false;
  }
  return true;
}

/** `kms:` plus the catalog's spelling of a lower-case action name. */
export function displayAction(catalog: Catalog, name: string): string {
  return `kms:${catalog.action('kms', name)?.name ?? name}`;
}

export function displayActions(catalog: Catalog, names: Iterable<string>, max = 8): string {
  const list = [...names].sort().map((n) => displayAction(catalog, n));
  return list.length > max ? `${list.slice(0, max).join(', ')} and ${list.length - max} more` : list.join(', ');
}

/** One entry of Action/NotAction with the KMS actions it stands for. */
export interface ActionEntry { item: ValueItem; actions: string[] }

export interface StatementKmsActions {
  /** The KMS actions the statement applies to. */
  actions: Set<string>;
  /** Entries of `Action` (empty for `NotAction`, and when no entry can name a KMS action). */
  entries: ActionEntry[];
  /** The statement uses NotAction. */
  negated: boolean;
  /** An entry could not be read (intrinsic function): the set may miss actions. */
  partial: boolean;
}

export function statementKmsActions(catalog: Catalog, s: Statement): StatementKmsActions {
  const action = s.elements.Action?.value;
  const notAction = s.elements.NotAction?.value;
  let partial = false;
  const read = (items: ValueItem[]) => items.map((item) => {
    if (item.value === undefined) partial = true;
    return { item, actions: item.value === undefined ? [] : kmsActionsOf(catalog, item.value) };
  });
  if (action) {
    // Most statements of identity policies name no KMS action: their entries are not made.
    if (namesNoKms(action)) return { actions: new Set(), entries: [], negated: false, partial: false };
    const entries = read(valueItems(action));
    return { actions: new Set(entries.flatMap((e) => e.actions)), entries, negated: false, partial };
  }
  if (notAction) {
    const excluded = new Set(read(valueItems(notAction)).flatMap((e) => e.actions));
    return { actions: new Set(allKmsActions(catalog).filter((a) => !excluded.has(a))), entries: [], negated: true, partial };
  }
  return { actions: new Set(), entries: [], negated: false, partial };
}

export function intersect(a: ActionSet, b: ActionSet): Set<string> {
  const out = new Set<string>();
  for (const x of a) if (b.has(x)) out.add(x);
  return out;
}

export function minus(a: ActionSet, b: ActionSet): Set<string> {
  const out = new Set<string>();
  for (const x of a) if (!b.has(x)) out.add(x);
  return out;
}

export function crossAccountOnly(a: ActionSet): Set<string> {
  return intersect(a, CROSS_ACCOUNT_ACTIONS);
}
