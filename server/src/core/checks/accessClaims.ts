/**
 * The `claims` of handshake findings: what a finding states about who can use which key,
 * in a form tests and JSON output can read (see `AccessClaim`).
 */
import type { Catalog } from '../catalog/catalog';
import type { AccessClaim } from '../findings';
import { keyPattern, type KeyIdentity } from '../handshake/keyIdentity';
import { displayAction } from '../model/kmsActions';
import { detach } from '../strings';

/** `arn:aws:iam::B:root`: every principal of the account. */
export function accountRootArn(account: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${account}:root`;
}

/** A claim about a key; undefined when the key's account is not known either. */
export function accessClaim(catalog: Catalog, key: KeyIdentity | undefined, principal: string, actions: Iterable<string>, can: boolean, conditional = false, via?: string[]): AccessClaim | undefined {
  if (!key) return undefined;
  const names = actionNames(catalog, actions);
  if (names.length === 0) return undefined;
  const claim: AccessClaim = { key: keyPattern(key), principal, actions: names, can };
  if (can && conditional) claim.conditional = true;
  // "an AWS service" stands for any service: a pattern every service value fits.
  if (can && via?.length) claim.via = via.map((v) => (v === 'an AWS service' ? '*' : v));
  return claim;
}

/** The claim, about what the finding's statement gives (see `AccessClaim.statement`). */
export function throughStatement(claim: AccessClaim | undefined): AccessClaim | undefined {
  return claim && { ...claim, statement: true };
}

export function claimList(...claims: (AccessClaim | undefined)[]): AccessClaim[] {
  return claims.filter((c): c is AccessClaim => !!c);
}

/** What `accessClaim` is given for one claim; `statement`: through the finding's statement (`throughStatement`). */
export interface ClaimInput {
  key: KeyIdentity | undefined;
  principal: string;
  actions: Iterable<string>;
  can: boolean;
  conditional?: boolean;
  via?: string[];
  statement?: boolean;
}

/**
 * The claims, made when first read (a finding's `claims` as a function): the server never
 * reads them. Made here, the function holds only its arguments, not the reporting check's scope.
 */
export function claimsWhenRead(catalog: Catalog, inputs: readonly ClaimInput[]): () => AccessClaim[] {
  return () => claimList(...inputs.map((c) => {
    const claim = accessClaim(catalog, c.key, c.principal, c.actions, c.can, c.conditional, c.via);
    return c.statement ? throughStatement(claim) : claim;
  }));
}

/**
 * Most claims of a workspace name one of a few action lists (a key policy's trusted actions
 * given to each of an account's roles): one frozen list per catalog and set of actions is
 * shared by all of them, instead of an array of fresh strings per claim that lives as long as
 * the finding. Bounded: the lists are forgotten past MAX_SHARED_LISTS.
 */
const sharedLists = new WeakMap<Catalog, Map<string, string[]>>();
const MAX_SHARED_LISTS = 4096;

function actionNames(catalog: Catalog, actions: Iterable<string>): string[] {
  const sorted = [...new Set(actions)].sort();
  const id = sorted.join(' ');
  let lists = sharedLists.get(catalog);
  if (!lists) sharedLists.set(catalog, (lists = new Map()));
  let names = lists.get(id);
  if (!names) {
    if (lists.size >= MAX_SHARED_LISTS) lists.clear();
    // Read back from JSON: flat strings, not the concatenations that built them.
    names = Object.freeze(JSON.parse(JSON.stringify(sorted.map((a) => displayAction(catalog, a))))) as string[];
    lists.set(detach(id), names);
  }
  return names;
}

