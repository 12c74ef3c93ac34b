/**
 * The handshake seen from a key policy: for every statement that trusts another account
 * (its root, one of its roles or users, or `*` limited to it), which principals of that
 * account have an IAM grant on the key for the trusted actions.
 */
import type { JsonNode } from '../json/jsonDocument';
import { ownAccount } from '../model/keyAccount';
import { statementsOf, type PolicyDocument } from '../model/policyDocument';
import { accountGrants, candidateGrants, deniedByIam, type AttachedGrant } from './accountGrants';
import { grantNamesKey } from './identityGrants';
import { keyOf, type KeyIdentity } from './keyIdentity';
import { deniedByKeyPolicy, readKeyPolicyTrusts, trustCovers, type KeyPolicyTrusts, type Trust, type TrustStatement } from './keyPolicyTrusts';
import { intersect, minus } from './kmsActions';
import type { HandshakeWorld } from './world';
import { memoOnDocument } from './documentMemo';

export interface GrantMatch {
  /** The principal of the trusted account (undefined: a policy whose principal is not known). */
  principal: string | undefined;
  doc: PolicyDocument;
  grant: AttachedGrant['grant'];
  /** The actions the principal can use on the key through this statement pair. */
  actions: Set<string>;
  /** Why the match is conditional; empty when it is not. */
  conditions: string[];
  /** Where the grant names the key (its resource entry, else the statement). */
  at: JsonNode;
}

export interface RemovedGrant {
  principal: string | undefined;
  doc: PolicyDocument;
  grant: AttachedGrant['grant'];
  /** Actions the grant would give but a Deny takes away. */
  actions: Set<string>;
  by: string;
}

export interface TrustAnalysis {
  statement: TrustStatement;
  trust: Trust;
  account: string;
  described: boolean;
  matches: GrantMatch[];
  /** Grants that would match but are removed by an unconditioned Deny. */
  removed: RemovedGrant[];
  /** The statement's actions after Deny statements of the key policy. */
  capable: Set<string>;
}

export interface KeyPolicyAnalysis {
  key?: KeyIdentity;
  /** How the key's account is known. */
  accountSource: 'owner' | 'inferred' | 'unknown';
  trusts: KeyPolicyTrusts;
  /** One entry per trust of another account (root, caller-account or principal form). */
  external: TrustAnalysis[];
}

/** The key of a key policy: from its owner, else its account inferred from the default statement. */
export function keyOfPolicy(doc: PolicyDocument): { key?: KeyIdentity; source: KeyPolicyAnalysis['accountSource'] } {
  return memoOnDocument(doc, 'key', () => readKeyOfPolicy(doc));
}

function readKeyOfPolicy(doc: PolicyDocument): { key?: KeyIdentity; source: KeyPolicyAnalysis['accountSource'] } {
  const key = keyOf(doc);
  if (key) return { key, source: 'owner' };
  const own = ownAccount(doc, statementsOf(doc));
  if (own.source === 'inferred' && own.accounts.size === 1) {
    return { key: { account: [...own.accounts][0], region: doc.owner.region, partition: doc.owner.partition ?? 'aws' }, source: 'inferred' };
  }
  return { source: 'unknown' };
}

/** The trusts of a key policy (they depend on the document alone). */
export function keyPolicyTrusts(world: Pick<HandshakeWorld, 'catalog' | 'templateContext'>, doc: PolicyDocument): KeyPolicyTrusts {
  return memoOnDocument(doc, 'trusts', () => readKeyPolicyTrusts(doc, world.catalog, world.templateContext(doc.file)));
}

export function analyzeKeyPolicy(world: HandshakeWorld, doc: PolicyDocument): KeyPolicyAnalysis {
  return world.memo(doc, 'key-analysis', () => {
    const { key, source } = keyOfPolicy(doc);
    const trusts = keyPolicyTrusts(world, doc);
    const external: TrustAnalysis[] = [];
    if (key) {
      for (const ts of trusts.statements) {
        for (const trust of ts.trusts) {
          if (!trust.account || trust.account === key.account) continue;
          external.push(analyzeTrust(world, key, trusts, ts, trust));
        }
      }
    }
    return { key, accountSource: source, trusts, external };
  });
}

function analyzeTrust(world: HandshakeWorld, key: KeyIdentity, trusts: KeyPolicyTrusts, ts: TrustStatement, trust: Trust): TrustAnalysis {
  const account = trust.account!;
  const iam = world.accountIam(account);
  const capable = minus(ts.capable, deniedByKeyPolicy(trusts, account, trust.principalArn));
  const out: TrustAnalysis = { statement: ts, trust, account, described: iam.described, matches: [], removed: [], capable };
  if (!iam.described || capable.size === 0) return out;
  const grants = accountGrants(world, account);
  for (const g of candidateGrants(grants, key)) {
    const wanted = intersect(g.grant.actions.actions, capable);
    if (wanted.size === 0) continue;
    const named = grantNamesKey(g.grant, key);
    if (named.certainty === 'no') continue;
    for (const principal of g.principals.length ? g.principals : [undefined]) {
      if (!trustCovers(ts, trust, principal)) continue;
      const keyDenied = deniedByKeyPolicy(trusts, account, principal);
      const iamDenied = deniedByIam(grants, principal, g.doc, key);
      const actions = minus(minus(wanted, keyDenied), iamDenied.actions);
      const lost = minus(wanted, actions);
      if (lost.size) {
        out.removed.push({ principal, doc: g.doc, grant: g.grant, actions: lost, by: iamDenied.by.length ? `a Deny in ${iamDenied.by[0].doc.file}` : 'a Deny in the key policy' });
      }
      if (actions.size === 0) continue;
      const conditions: string[] = [];
      if (ts.conditionKeys.length) conditions.push(`the key policy statement's condition on ${ts.conditionKeys.join(', ')}`);
      if (g.grant.conditionKeys.length) conditions.push(`the IAM statement's condition on ${g.grant.conditionKeys.join(', ')}`);
      if (named.certainty === 'maybe' && named.note) conditions.push(named.note);
      out.matches.push({ principal, doc: g.doc, grant: g.grant, actions, conditions, at: named.resource?.node ?? g.grant.statement.node });
    }
  }
  return out;
}

/** Matches grouped by principal, principals sorted; documents whose principal is not known last. */
export function matchesByPrincipal(matches: GrantMatch[]): { principal: string | undefined; matches: GrantMatch[]; actions: Set<string>; conditional: boolean }[] {
  const groups = new Map<string | undefined, GrantMatch[]>();
  for (const m of matches) groups.set(m.principal, [...(groups.get(m.principal) ?? []), m]);
  const out = [...groups.entries()].map(([principal, list]) => {
    const actions = new Set<string>();
    for (const m of list) for (const a of m.actions) actions.add(a);
    return { principal, matches: list, actions, conditional: list.every((m) => m.conditions.length > 0) };
  });
  return out.sort((a, b) => (a.principal === undefined ? 1 : 0) - (b.principal === undefined ? 1 : 0) || (a.principal ?? '').localeCompare(b.principal ?? ''));
}
