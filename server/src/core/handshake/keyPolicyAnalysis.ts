/**
 * The handshake seen from a key policy: for every statement that trusts another account
 * (its root, one of its roles or users, or `*` limited to it), which principals of that
 * account have an IAM grant on the key for the trusted actions.
 */
import type { JsonNode } from '../json/jsonDocument';
import { ownAccount } from '../model/keyAccount';
import { statementsOf, type PolicyDocument, type Statement } from '../model/policyDocument';
import { accountGrants, candidateGrants, iamDenyVector, type AttachedGrant, type DenyVector } from './accountGrants';
import { accessShape, allFalse, andV, ConditionMemo, constant, FALSE, notV, orV, UNKNOWN, type AccessShape } from './access';
import { conditionText, requestContexts, viaServiceEntries, type Caller, type ConditionOutcome, type OrganizationFacts, type RequestContexts } from './callerConditions';
import type { TemplateContext } from '../model/templateValues';
import type { ConditionEntry } from '../model/conditions';
import { grantNamesKey, type Grant, type KeyMatch } from './identityGrants';
import { keyOf, resourceNamesKey, type KeyIdentity } from './keyIdentity';
import { resolvedItems } from '../model/resolvedValues';
import { denyNames, readKeyPolicyTrusts, samePrincipal, sessionOf, sessionsLabel, type KeyPolicyTrusts, type Trust, type TrustStatement } from './keyPolicyTrusts';
import { intersect } from '../model/kmsActions';
import type { HandshakeWorld } from './world';
import { memoOnDocument } from './documentMemo';
import { fileLabel } from './describe';

export interface GrantMatch {
  /** The principal of the trusted account (undefined: a policy whose principal is not known). */
  principal: string | undefined;
  doc: PolicyDocument;
  grant: AttachedGrant['grant'];
  /** The actions the principal can use on the key through this statement pair. */
  actions: Set<string>;
  /** Why the match is conditional; empty when it is not. */
  conditions: string[];
  /** Only through these services (`kms:ViaService` values, or "an AWS service"); undefined when direct calls work. */
  via?: string[];
  /** How the grant names the key when not by its exact ARN: `*`, a wildcard ARN, or `NotResource`. */
  resource?: string;
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
  /** The statement's actions after its own condition and the Deny statements of the key policy. */
  capable: Set<string>;
  /** The request contexts the analysis told apart. */
  contexts: RequestContexts;
  /** The statement's condition never holds for the trusted principal: the entries that decide it. */
  decidedFalse?: string[];
  /** Deny statements of the key policy take every action the statement gives from the trusted principal: the first one that does. */
  deniedBy?: Statement;
  /** Grants the statement's condition shuts out (it never holds for their principal): the first such grant of each principal and document. */
  excluded: { principal: string | undefined; doc: PolicyDocument; grant: Grant; decidedFalse: string[] }[];
  /** Grants whose own condition never holds for their principal (`iam-grant-condition-never-holds` on the IAM side). */
  deadGrants?: { principal: string | undefined; doc: PolicyDocument; grant: Grant; decidedFalse: string[] }[];
  /**
   * Grants that allow trusted actions, but in no request context where the statement holds (the
   * key only through S3, the grant only through SQS): no request meets both, as
   * `KeyTrustResult.disjoint` says on the IAM side. How each side can be used (for the first such action).
   */
  disjoint?: { principal: string | undefined; doc: PolicyDocument; grant: Grant; actions: Set<string>; key: AccessShape; granted: AccessShape }[];
  /**
   * When nothing matches and the statement has a condition: the account's known roles and users
   * it can apply to (undefined: not worked out, every one).
   */
  appliesTo?: string[];
  /**
   * A trust of one principal: the actions that grants of documents whose principal is not known
   * (a policy bound to none, a group's policy with its members not known) may give it, with
   * those documents. Such a grant may be the principal's.
   */
  unknownGrantees?: { actions: Set<string>; docs: PolicyDocument[] };
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
    const refs = doc.owner.keyRefs ? { refs: doc.owner.keyRefs } : {};
    return { key: { account: [...own.accounts][0], region: doc.owner.region, partition: doc.owner.partition ?? 'aws', ...refs }, source: 'inferred' };
  }
  return { source: 'unknown' };
}

/** The trusts of a key policy (they depend on the document alone). */
export function keyPolicyTrusts(world: Pick<HandshakeWorld, 'catalog' | 'templateContext'>, doc: PolicyDocument): KeyPolicyTrusts {
  return memoOnDocument(doc, 'trusts', () => {
    const ctx = world.templateContext(doc.file);
    const read = readKeyPolicyTrusts(doc, world.catalog, ctx);
    const key = keyOfPolicy(doc).key;
    if (!key) return read;
    const statements = read.statements.filter((t) => appliesToKey(t.statement, key, ctx));
    const denies = read.denies.filter((d) => appliesToKey(d.statement, key, ctx));
    return statements.length === read.statements.length && denies.length === read.denies.length ? read : { ...read, statements, denies };
  });
}

/**
 * Whether a key-policy statement applies to its key: a `Resource` naming the key (`*`, its ARN, a
 * pattern that may fit it), a `NotResource` that does not. A statement whose `Resource` names only
 * other keys, aliases, or nothing (`"NotResource": "*"`) allows and denies nothing on this key.
 * Values not known (template values) and a statement with neither element are taken to apply.
 */
function appliesToKey(s: Statement, key: KeyIdentity, ctx: TemplateContext | undefined): boolean {
  const resource = s.elements.Resource?.value;
  const notResource = s.elements.NotResource?.value;
  if (resource) {
    const values = resolvedItems(resource, ctx);
    return values.length === 0 || values.some((v) => v.value === undefined || resourceNamesKey(v.value, key) !== 'no');
  }
  if (notResource) {
    const values = resolvedItems(notResource, ctx);
    return !values.some((v) => v.value !== undefined && resourceNamesKey(v.value, key) === 'yes');
  }
  return true;
}

export function analyzeKeyPolicy(world: HandshakeWorld, doc: PolicyDocument): KeyPolicyAnalysis {
  return world.memo(doc, 'key-analysis', () => {
    const { key, source } = keyOfPolicy(doc);
    const trusts = keyPolicyTrusts(world, doc);
    const external: TrustAnalysis[] = [];
    if (key) {
      const organization = world.organizationFor(doc.file);
      const memos = new Map<string, ConditionMemo>();
      const memoFor = (account: string) => {
        let m = memos.get(account);
        if (!m) memos.set(account, (m = new ConditionMemo(accountContexts(world, doc, trusts, account))));
        return m;
      };
      for (const ts of trusts.statements) {
        for (const trust of ts.trusts) {
          if (trust.form === 'organization') {
            // `*` limited to an organization: each member account the manifest names, where the condition holds.
            if (!organization || (trust.organizations && !trust.organizations.includes(organization.id))) continue;
            for (const account of organization.accounts.keys()) {
              if (account === key.account) continue;
              const t = analyzeTrust(world, doc, key, trusts, ts, { ...trust, account }, organization, memoFor(account));
              if (t.capable.size) external.push(t);
            }
            continue;
          }
          if (!trust.account || trust.account === key.account) continue;
          external.push(analyzeTrust(world, doc, key, trusts, ts, trust, organization, memoFor(trust.account)));
        }
      }
    }
    return { key, accountSource: source, trusts, external };
  });
}

/** The request contexts for one account's callers: direct, and each service the key policy or the account's KMS statements name. */
function accountContexts(world: HandshakeWorld, doc: PolicyDocument, trusts: KeyPolicyTrusts, account: string): RequestContexts {
  const statements: Statement[] = [...trusts.statements.map((t) => t.statement), ...trusts.denies.map((d) => d.statement)];
  const more = world.accountIam(account).described ? accountViaServices(world, account) : [];
  return requestContexts(statements, world.templateContext(doc.file), more, keyOfPolicy(doc).key?.account);
}

/**
 * The `kms:ViaService` entries of an account's grants (allows, then denies), found once per
 * account: every key policy that trusts the account reads them (their values are read in
 * each key policy's template context).
 */
function accountViaServices(world: HandshakeWorld, account: string): ConditionEntry[] {
  return world.accountMemo(account, 'via-services', () => {
    const grants = accountGrants(world, account);
    const statements: Statement[] = [];
    for (const g of grants.allows) statements.push(g.grant.statement);
    for (const list of grants.deniesByPrincipal.values()) for (const g of list) statements.push(g.grant.statement);
    for (const list of grants.deniesByDocument.values()) for (const g of list) statements.push(g.grant.statement);
    return viaServiceEntries(statements);
  });
}

/**
 * What a trust statement gives the caller once its own condition and the key policy's Deny
 * statements are decided for it: its cross-account actions left in some request context, and,
 * when none is left, the entries that decide that its condition never holds for the caller, or
 * else the first Deny that takes the actions away.
 */
export function statementReach(trusts: KeyPolicyTrusts, ts: TrustStatement, caller: Caller, memo: ConditionMemo, ctx: TemplateContext | undefined): { actions: Set<string>; decidedFalse?: string[]; deniedBy?: Statement } {
  const actions = new Set<string>();
  let decidedFalse: string[] | undefined;
  let deniedBy: Statement | undefined;
  for (const a of ts.capable) {
    const own = memo.outcome(ts.statement, caller, a, ctx);
    if (allFalse(own.holds)) { decidedFalse ??= own.decidedFalse; continue; }
    const deny = keyDenyVector(trusts, caller, a, memo, ctx);
    if (!allFalse(andV(own.holds, notV(deny.v)))) actions.add(a);
    else deniedBy ??= deny.by?.statement;
  }
  if (actions.size) return { actions };
  return decidedFalse ? { actions, decidedFalse } : { actions, deniedBy };
}

/** Whether the key policy's Deny statements take an action away from the caller, per request context. */
export function keyDenyVector(trusts: KeyPolicyTrusts, caller: Caller, action: string, memo: ConditionMemo, ctx: TemplateContext | undefined): DenyVector {
  let v = constant(memo.size, FALSE);
  let by: Statement | undefined;
  const undecided: string[] = [];
  for (const d of trusts.denies) {
    if (!d.actions.has(action)) continue;
    const names = denyNames(d, caller.account, caller.arn);
    if (names === 'no') continue;
    const o = memo.outcome(d.statement, caller, action, ctx);
    const dv = names === 'yes' ? o.holds : o.holds.map((x) => (x === FALSE ? FALSE : UNKNOWN));
    if (allFalse(dv)) continue;
    by ??= d.statement;
    for (const k of names === 'yes' ? o.undecided : [...o.undecided, 'its principal']) if (!undecided.includes(k)) undecided.push(k);
    v = orV(v, dv);
  }
  return { v, by: by && { statement: by }, undecided };
}

function analyzeTrust(world: HandshakeWorld, doc: PolicyDocument, key: KeyIdentity, trusts: KeyPolicyTrusts, ts: TrustStatement, trust: Trust, organization: OrganizationFacts | undefined, memo: ConditionMemo): TrustAnalysis {
  const account = trust.account!;
  const iam = world.accountIam(account);
  const keyCtx = world.templateContext(doc.file);
  // What the statement gives the trusted principal: its own condition and the key policy's Denies decide.
  const { actions: capable, decidedFalse, deniedBy } = statementReach(trusts, ts, { account, arn: trust.principalArn, organization }, memo, keyCtx);
  const out: TrustAnalysis = { statement: ts, trust, account, described: iam.described, matches: [], removed: [], capable, contexts: memo.contexts, decidedFalse, excluded: [] };
  if (deniedBy) out.deniedBy = deniedBy;
  if (!iam.described || capable.size === 0) return out;
  const grants = accountGrants(world, account);
  for (const g of candidateGrants(grants, key)) {
    const wanted = intersect(g.grant.actions.actions, capable);
    if (wanted.size === 0) continue;
    const named = grantNamesKey(g.grant, key);
    if (named.certainty === 'no') continue;
    const grantCtx = world.templateContext(g.doc.file);
    for (const principal of g.principals.length ? g.principals : [undefined]) {
      if (trust.form === 'principal' && !principal) {
        const u = (out.unknownGrantees ??= { actions: new Set(), docs: [] });
        for (const a of wanted) u.actions.add(a);
        if (!u.docs.includes(g.doc)) u.docs.push(g.doc);
      }
      if (trust.form === 'principal' && (!principal || !samePrincipal(trust.principalArn!, principal))) continue;
      const caller: Caller = { account, arn: principal, organization };
      const bounded = principal !== undefined && iam.bounded.includes(principal);
      const session = trust.form === 'principal' && principal ? sessionOf(trust.principalArn!, principal) : undefined;
      const groups = new Map<string, GrantMatch>();
      const lost = new Set<string>();
      let lostBy: string | undefined;
      for (const a of wanted) {
        const so = memo.outcome(ts.statement, caller, a, keyCtx);
        const to = memo.outcome(g.grant.statement, caller, a, grantCtx);
        const pair = andV(so.holds, to.holds);
        // The two statements never apply together to this caller: nothing to match.
        if (allFalse(pair)) {
          if (allFalse(so.holds)) {
            if (!out.excluded.some((e) => e.principal === principal && e.doc === g.doc)) out.excluded.push({ principal, doc: g.doc, grant: g.grant, decidedFalse: so.decidedFalse });
          } else if (allFalse(to.holds)) {
            const dead = (out.deadGrants ??= []);
            if (!dead.some((d) => d.principal === principal && d.grant === g.grant)) dead.push({ principal, doc: g.doc, grant: g.grant, decidedFalse: to.decidedFalse });
          } else {
            // Each holds in some request, never both in the same one.
            const apart = (out.disjoint ??= []);
            const d = apart.find((x) => x.principal === principal && x.grant === g.grant);
            if (d) d.actions.add(a);
            else apart.push({ principal, doc: g.doc, grant: g.grant, actions: new Set([a]), key: accessShape(so.holds, memo.contexts), granted: accessShape(to.holds, memo.contexts) });
          }
          continue;
        }
        const kd = keyDenyVector(trusts, caller, a, memo, keyCtx);
        const id = iamDenyVector(world, grants, principal, g.doc, key, caller, a, memo, g.grant);
        const v = andV(pair, notV(orV(kd.v, id.v)));
        if (allFalse(v)) {
          lost.add(a);
          const by = id.by ?? kd.by;
          const decided = by && by.statement.elements.Condition ? ` (its condition: ${conditionText(by.statement, by.doc ? world.templateContext(by.doc.file) : keyCtx)})` : '';
          lostBy ??= `${id.by?.doc ? `a Deny in ${fileLabel(world, id.by.doc.file)}` : 'a Deny in the key policy'}${decided}`;
          continue;
        }
        const shape = accessShape(v, memo.contexts);
        const conditions = shape.certain ? [] : reasons(so, to, kd, id);
        // The key policy names a session of the role (`assumed-role/App/alice`), not the role: only sessions of that name.
        if (session) conditions.push(sessionsLabel([session]));
        // A permissions boundary limits what the principal's policies give it: not evaluated here.
        if (bounded) conditions.push(BOUNDARY_REASON);
        if (principal !== undefined && g.doc.owner.maybePrincipals?.includes(principal)) conditions.push(maybeAttachedReason(g.doc));
        const signature = `${shape.via?.join(',') ?? ''}|${conditions.join(';')}`;
        let m = groups.get(signature);
        if (!m) groups.set(signature, (m = { principal, doc: g.doc, grant: g.grant, actions: new Set(), conditions, via: shape.via, resource: wildcardNaming(g.grant, named, key), at: named.resource?.node ?? g.grant.statement.node }));
        m.actions.add(a);
      }
      if (lost.size) out.removed.push({ principal, doc: g.doc, grant: g.grant, actions: lost, by: lostBy! });
      for (const m of groups.values()) {
        if (named.certainty === 'maybe' && named.note) m.conditions.push(named.note);
        out.matches.push(m);
      }
    }
  }
  if (out.matches.length === 0 && ts.statement.elements.Condition) {
    out.appliesTo = iam.rolesAndUsers.filter((p) => {
      const caller: Caller = { account, arn: p, organization };
      return [...capable].some((a) => !allFalse(memo.outcome(ts.statement, caller, a, keyCtx).holds));
    });
  }
  return out;
}

/** `"*"`, a wildcard key ARN or `NotResource …`: how a grant names the key when not by its ARN. */
function wildcardNaming(grant: AttachedGrant['grant'], named: KeyMatch, key: KeyIdentity): string | undefined {
  if (grant.negatedResource) return 'NotResource';
  const value = named.resource?.value;
  return value !== undefined && value !== key.arn ? value : undefined;
}

/** Why a grant through a policy a template attaches under a condition (`Fn::If` in `ManagedPolicyArns`) is only conditional. */
export function maybeAttachedReason(doc: PolicyDocument): string {
  return `whether ${doc.owner.label ?? 'its policy'} is attached (an Fn::If of ManagedPolicyArns)`;
}

/** Why a grant of a principal with a permissions boundary is only conditional. */
export const BOUNDARY_REASON = 'its permissions boundary (not evaluated here)';

/** Why a match is conditional: the conditions that could not be decided, side by side. */
function reasons(so: ConditionOutcome, to: ConditionOutcome, kd: DenyVector, id: DenyVector): string[] {
  const out: string[] = [];
  if (so.undecided.length) out.push(`the key policy statement's condition on ${so.undecided.join(', ')}`);
  if (to.undecided.length) out.push(`the IAM statement's condition on ${to.undecided.join(', ')}`);
  if (kd.undecided.length) out.push(`a Deny of the key policy (${kd.undecided.join(', ')})`);
  if (id.undecided.length) out.push(`a Deny of the identity policy (${id.undecided.join(', ')})`);
  if (id.unknown) out.push(`a statement not known that may deny (${id.unknown.join(', ')})`);
  if (out.length === 0) out.push('conditions that depend on the request');
  return out;
}

/** Matches grouped by principal, principals sorted; documents whose principal is not known last. */
export function matchesByPrincipal(matches: GrantMatch[]): { principal: string | undefined; matches: GrantMatch[]; actions: Set<string>; conditional: boolean; via?: string[] }[] {
  // A policy whose principal is not known is a grantee of its own: two such policies are not one principal.
  const groups = new Map<string | PolicyDocument, GrantMatch[]>();
  for (let i = 0; i < matches.length; i++) {
    const m = matches[i];
    const key = m.principal ?? m.doc;
    const list = groups.get(key);
    if (list) list.push(m);
    else groups.set(key, [m]);
  }
  const out = [...groups.values()].map((list) => {
    const principal = list[0].principal;
    const actions = new Set<string>();
    for (const m of list) for (const a of m.actions) actions.add(a);
    // Only through services when every match is: the union of them.
    const via = list.every((m) => m.via) ? [...new Set(list.flatMap((m) => m.via!))] : undefined;
    return { principal, matches: list, actions, conditional: list.every((m) => m.conditions.length > 0), via };
  });
  return out.sort((a, b) => (a.principal === undefined ? 1 : 0) - (b.principal === undefined ? 1 : 0) || (a.principal ?? '').localeCompare(b.principal ?? ''));
}
