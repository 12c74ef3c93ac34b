/**
 * Identity-policy grants of decryption on all KMS keys, as the Security Hub controls KMS.1
 * and KMS.2 read them: `kms:Decrypt` or `kms:ReEncryptFrom` allowed (however the actions
 * are written) on a Resource that matches every key, or every key of an account. Only
 * Resource is read: a condition does not change the answer.
 */
import { parseArn } from '../model/arn';
import { patternCovers } from '../wildcardCovers';
import { hasWildcard, matchesWildcard } from '../wildcard';
import type { Grant } from './identityGrants';
import type { ResolvedValue } from '../model/resolvedValues';

/** The actions KMS.1 and KMS.2 look for (lower case, as action sets hold them). */
export const DECRYPTION_ACTIONS = ['decrypt', 'reencryptfrom'];

/** What a Resource value matching all keys covers: every key, or every key of one account (in one Region). */
export interface AllKeysScope {
  /** The account whose keys all match; undefined when keys of every account do. */
  account?: string;
  /** The Region written in the ARN, when it is one Region. */
  region?: string;
}

/**
 * Whether a Resource value matches every KMS key (`*`, `arn:aws:kms:*:*:key/*`), or every key
 * of an account (`arn:aws:kms:*:111122223333:key/*`, `arn:aws:kms:us-west-2:111122223333:*`).
 */
export function allKeysScope(resource: string): AllKeysScope | undefined {
  if (/^\*+$/.test(resource)) return {};
  const arn = parseArn(resource);
  if (!arn || !matchesWildcard(arn.service, 'kms', true)) return undefined;
  // The resource part has to match every key id: `key/*`, `*`, `k*`.
  if (!patternCovers(arn.resource, 'key/*')) return undefined;
  const oneAccount = arn.account !== '' && !hasWildcard(arn.account);
  const oneRegion = arn.region !== '' && !hasWildcard(arn.region);
  return { account: oneAccount ? arn.account : undefined, region: oneRegion ? arn.region : undefined };
}

export interface DecryptionOnAllKeys {
  /** The decryption actions the statement allows (lower case, sorted). */
  actions: string[];
  /** The Resource entries that match all keys. */
  resources: { value: ResolvedValue; scope: AllKeysScope }[];
}

/** The grant allows decryption on all keys (an Allow with `Resource`, not `NotResource`). */
export function decryptionOnAllKeys(g: Grant): DecryptionOnAllKeys | undefined {
  if (g.effect !== 'Allow' || g.negatedResource) return undefined;
  const actions = DECRYPTION_ACTIONS.filter((a) => g.actions.actions.has(a));
  if (actions.length === 0) return undefined;
  const resources: DecryptionOnAllKeys['resources'] = [];
  for (const r of g.resources) {
    const scope = r.value === undefined ? undefined : allKeysScope(r.value);
    if (scope) resources.push({ value: r, scope });
  }
  return resources.length ? { actions, resources } : undefined;
}

/**
 * The actions among `actions` that a Deny of the same policy (`grants`) always removes on every
 * key the Resource entry `entry` matches: those are not allowed on all keys. A Deny counts only
 * when it surely applies: no condition (an empty `Condition` is none), its actions named for
 * certain (a `NotAction` with a value not known may leave any action out), and a `Resource`
 * entry that covers every such key, or a `NotResource` whose values all are known and none of
 * which can be a KMS key. `partition`: the policy's, when known (`"*"` matches keys of it only).
 */
export function deniedOnAllKeys(grants: readonly Grant[], entry: string, actions: readonly string[], partition: string | undefined): Set<string> {
  const out = new Set<string>();
  const keys = keysOf(entry, partition);
  if (!keys) return out;
  for (const d of grants) {
    if (d.effect !== 'Deny' || d.unknown !== undefined || !unconditioned(d)) continue;
    if (d.actions.negated && d.actions.partial) continue;
    const removed = actions.filter((a) => d.actions.actions.has(a) && !out.has(a));
    if (removed.length === 0) continue;
    const covers = d.negatedResource
      ? d.resources.length > 0 && d.resources.every((r) => r.value !== undefined && neverAKey(r.value))
      : d.resources.some((r) => r.value !== undefined && coversKeys(r.value, keys));
    if (covers) for (const a of removed) out.add(a);
  }
  return out;
}

/** The keys a Resource entry matching all keys stands for, as the parts of their ARNs (patterns). */
function keysOf(entry: string, partition: string | undefined): { partition: string; region: string; account: string } | undefined {
  if (/^\*+$/.test(entry)) return { partition: partition ?? '*', region: '*', account: '*' };
  const arn = parseArn(entry);
  return arn && { partition: arn.partition, region: arn.region, account: arn.account };
}

/** A statement without a condition, or with an empty one. */
function unconditioned(g: Grant): boolean {
  const c = g.statement.elements.Condition?.value;
  return c === undefined || (c.type === 'object' && !c.children?.length);
}

/** Whether a Resource value matches every key of `keys` (ARN parts compared as IAM does, case-sensitively). */
function coversKeys(value: string, keys: { partition: string; region: string; account: string }): boolean {
  if (/^\*+$/.test(value)) return true;
  const arn = parseArn(value);
  return !!arn && patternCovers(arn.partition, keys.partition, false) && patternCovers(arn.service, 'kms', false)
    && patternCovers(arn.region, keys.region, false) && patternCovers(arn.account, keys.account, false) && patternCovers(arn.resource, 'key/*', false);
}

/** Whether a resource value can never match a KMS key: an ARN of another service. */
function neverAKey(value: string): boolean {
  const arn = parseArn(value);
  return !!arn && !matchesWildcard(arn.service, 'kms', true);
}
