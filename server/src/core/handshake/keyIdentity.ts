/**
 * Which key a key policy belongs to, and whether an IAM `Resource` value names it. A key
 * is known by its ARN (manifest, get-key-policy bound by the manifest) or, for a
 * CloudFormation key, by its account and region only.
 */
import { parseArn, ACCOUNT_ID } from '../model/arn';
import type { PolicyDocument } from '../model/policyDocument';
import { patternCovers } from '../wildcardCovers';
import { hasWildcard, matchesWildcard, wildcardsIntersect } from '../wildcard';

export interface KeyIdentity {
  /** The full key ARN when known. */
  arn?: string;
  account: string;
  region?: string;
  partition: string;
  /** For a key of a template: the references that name it (see `PolicyOwner.keyRefs`). */
  refs?: string[];
}

/** The key a key-policy document belongs to; undefined when not even its account is known. */
export function keyOf(doc: PolicyDocument): KeyIdentity | undefined {
  const o = doc.owner;
  const arn = o.keyArn ? parseArn(o.keyArn) : undefined;
  const refs = o.keyRefs ? { refs: o.keyRefs } : {};
  if (arn && arn.service === 'kms' && ACCOUNT_ID.test(arn.account)) {
    const full = arn.resource.startsWith('key/') && !hasWildcard(o.keyArn!) && arn.region !== '';
    return { arn: full ? o.keyArn : undefined, account: arn.account, region: arn.region && !hasWildcard(arn.region) ? arn.region : o.region, partition: arn.partition || 'aws', ...refs };
  }
  if (o.account && ACCOUNT_ID.test(o.account)) return { account: o.account, region: o.region, partition: o.partition ?? 'aws', ...refs };
  return undefined;
}

/** How the key is named in messages: its ARN, or what is known of it. */
export function keyLabel(key: KeyIdentity): string {
  return key.arn ?? `a key of ${key.account}${key.region ? ` in ${key.region}` : ''}`;
}

/** The ARN pattern every ARN of the key fits (the key id is `*` when unknown). */
export function keyPattern(key: KeyIdentity): string {
  return key.arn ?? `arn:${key.partition}:kms:${key.region ?? '*'}:${key.account}:key/*`;
}

export type MatchCertainty = 'yes' | 'maybe' | 'no';

/**
 * Whether an IAM resource value names the key: `*`, a wildcard, or the exact key ARN.
 * An alias ARN never names a key. With a partial key identity the answer may be `maybe`.
 */
export function resourceNamesKey(resource: string, key: KeyIdentity): MatchCertainty {
  if (key.arn) return matchesWildcard(resource, key.arn) ? 'yes' : 'no';
  const pattern = keyPattern(key);
  if (!wildcardsIntersect(resource, pattern)) return 'no';
  return patternCovers(resource, pattern) ? 'yes' : 'maybe';
}

/**
 * The account an IAM resource value aims at when it names KMS keys of one account
 * (`arn:aws:kms:*:A:key/*`, an exact key ARN); undefined for `*` and for other accounts' wildcards.
 */
export function targetAccount(resource: string): string | undefined {
  const arn = parseArn(resource);
  if (!arn || !matchesWildcard(arn.service, 'kms') || !ACCOUNT_ID.test(arn.account)) return undefined;
  return arn.account;
}
