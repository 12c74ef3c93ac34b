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
