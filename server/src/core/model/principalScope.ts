/**
 * Whether a statement that names every principal (`"*"`, `{"AWS": "*"}`) is narrowed by its
 * conditions to callers of known accounts or organizations.
 *
 * An Allow is narrowed by one condition entry (entries are ANDed) whose operator is positive
 * (StringEquals, StringEqualsIgnoreCase, StringLike, ArnEquals, ArnLike; not `…IfExists`, not
 * `ForAllValues:`, which both pass when the key is absent) on one of the keys below, with
 * every value fixed where it names the account or organization (no `*`, `?` or policy
 * variable there). CloudFormation intrinsic values are unknown and count as fixed.
 */
import type { JsonNode } from '../json/jsonDocument';
import { conditionEntries, type ConditionEntry } from './conditions';
import { parseArn } from './arn';
import { isIntrinsic, type PrincipalEntry } from './policyDocument';
import { properties } from '../json/nodes';
import { lookupTable } from '../lookupTable';

export type ScopeKind = 'account' | 'organization' | 'principal' | 'source' | 'network';

type ValueShape = 'id' | 'orgPath' | 'arn' | 'userId';

/** Condition keys that identify who calls (lower case) and how their values are read. */
const SCOPING_KEYS = lookupTable<{ kind: ScopeKind; shape: ValueShape }>({
  'kms:calleraccount': { kind: 'account', shape: 'id' },
  'aws:principalaccount': { kind: 'account', shape: 'id' },
  'aws:principalorgid': { kind: 'organization', shape: 'id' },
  'aws:principalorgpaths': { kind: 'organization', shape: 'orgPath' },
  'aws:principalarn': { kind: 'principal', shape: 'arn' },
  'aws:userid': { kind: 'principal', shape: 'userId' },
  // A service acting for a resource of a given account (service principals).
  'aws:sourceaccount': { kind: 'source', shape: 'id' },
  'aws:sourceowner': { kind: 'source', shape: 'id' },
  'aws:sourcearn': { kind: 'source', shape: 'arn' },
  // A network perimeter owned by one account.
  'aws:sourcevpc': { kind: 'network', shape: 'id' },
  'aws:sourcevpce': { kind: 'network', shape: 'id' },
});

/** Keys that give the caller's account itself. */
const ACCOUNT_KEYS = new Set(['kms:calleraccount', 'aws:principalaccount']);

const POSITIVE = new Set(['StringEquals', 'StringEqualsIgnoreCase', 'StringLike', 'ArnEquals', 'ArnLike']);
const NEGATIVE = new Set(['StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'ArnNotEquals', 'ArnNotLike']);

export interface Restriction {
  /** The narrowing entry; absent when the condition is built by an intrinsic function (unknown). */
  entry?: ConditionEntry;
  kind: ScopeKind | 'unknown';
}

/** A condition (or an operator block of it) computed by a CloudFormation intrinsic: its entries are unknown. */
function hasIntrinsicBlock(condition: JsonNode | undefined): boolean {
  return isIntrinsic(condition) || properties(condition).some((op) => isIntrinsic(op.value));
}

/** Operators that compare values literally: `*` and `?` are plain characters there. */
const LITERAL = new Set(['StringEquals', 'StringEqualsIgnoreCase', 'StringNotEquals', 'StringNotEqualsIgnoreCase']);

/** Whether one condition value pins the account, organization or principal. */
function valueRestricts(shape: ValueShape, node: JsonNode, value: string | undefined, intrinsic: boolean, literal: boolean): boolean {
  if (intrinsic) return true;
  if (value === undefined) return node.type === 'number';
  // A policy variable takes the caller's own value; wildcards match anything unless compared literally.
  const isFixed = (s: string) => !s.includes('${') && (literal || (!s.includes('*') && !s.includes('?')));
  switch (shape) {
    case 'id':
      return value !== '' && isFixed(value);
    case 'orgPath': {
      const org = value.split('/')[0];
      return org !== '' && isFixed(org);
    }
    case 'userId': {
      const id = value.split(':')[0];
      return id !== '' && isFixed(id);
    }
    case 'arn': {
      if (isFixed(value)) return true;
      const arn = parseArn(value);
      return !!arn && arn.account !== '' && isFixed(arn.account);
    }
  }
}

function scoping(entry: ConditionEntry, operators: Set<string>): Restriction | undefined {
  const spec = SCOPING_KEYS[entry.key.toLowerCase()];
  const base = entry.operator.base;
  if (!spec || !base || !operators.has(base) || entry.operator.problem) return undefined;
  if (entry.values.length === 0) return undefined;
  const literal = LITERAL.has(base);
  if (!entry.values.every((v) => valueRestricts(spec.shape, v.node, v.value, v.intrinsic, literal))) return undefined;
  return { entry, kind: spec.kind };
}

/** The condition entry that narrows an Allow statement to known callers, if any. */
export function allowRestriction(condition: JsonNode | undefined): Restriction | undefined {
  if (hasIntrinsicBlock(condition)) return { kind: 'unknown' };
  const entries = conditionEntries(condition);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (entry.operator.ifExists || entry.operator.set === 'ForAllValues') continue;
    const r = scoping(entry, POSITIVE);
    if (r) return r;
  }
  return undefined;
}

/**
 * For a Deny statement: its condition says "deny everyone outside X" — every entry is a
 * negative operator on a scoping key with fixed values (a missing key also matches a
 * negative operator, so `IfExists` is fine here). Any other entry would narrow the Deny.
 */
export function denyOutsideRestriction(condition: JsonNode | undefined): Restriction | undefined {
  const entries = conditionEntries(condition);
  if (entries.length === 0) return undefined;
  let first: Restriction | undefined;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (entry.operator.set) return undefined;
    // `BoolIfExists aws:PrincipalIsAWSService "false"` (the documented pattern) spares AWS
    // service principals acting directly; every IAM caller still meets it.
    if (exemptsServicePrincipals(entry)) continue;
    const r = scoping(entry, NEGATIVE);
    if (!r) return undefined;
    first ??= r;
  }
  return first;
}

/** `Bool`/`BoolIfExists` `aws:PrincipalIsAWSService` `"false"`: true for every IAM role and user. */
function exemptsServicePrincipals(entry: ConditionEntry): boolean {
  return entry.operator.base === 'Bool' && entry.key.toLowerCase() === 'aws:principalisawsservice'
    && entry.values.length > 0 && entry.values.every((v) => String(v.value ?? v.node.value).toLowerCase() === 'false');
}

/**
 * The accounts an Allow statement's callers are limited to by `kms:CallerAccount` or
 * `aws:PrincipalAccount` (string values; intrinsic values are skipped); undefined when no
 * such condition applies.
 */
export function conditionAccounts(condition: JsonNode | undefined): string[] | undefined {
  let out: string[] | undefined;
  const entries = conditionEntries(condition);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (!ACCOUNT_KEYS.has(entry.key.toLowerCase())) continue;
    if (entry.operator.ifExists || entry.operator.set === 'ForAllValues') continue;
    if (!entry.operator.base || !POSITIVE.has(entry.operator.base)) continue;
    if (!entry.values.every((v) => valueRestricts('id', v.node, v.value, v.intrinsic, LITERAL.has(entry.operator.base!)))) continue;
    const values = entry.values.map((v) => v.value ?? (v.node.type === 'number' ? String(v.node.value) : undefined)).filter((v): v is string => v !== undefined);
    // Two entries on account keys are ANDed: keep the accounts both allow.
    out = out ? out.filter((a) => values.includes(a)) : values;
  }
  return out;
}

/** Principal entries that name everyone: `"*"` or `{"AWS": "*"}` (also inside an array). */
export function wildcardPrincipals(entries: PrincipalEntry[]): PrincipalEntry[] {
  return entries.filter((e) => (e.type === '*' || e.type === 'AWS') && e.item.value === '*');
}
