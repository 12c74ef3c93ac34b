import type { Check } from './check';
import { claimsWhenRead } from './accessClaims';
import { granteeLabel, related } from '../handshake/describe';
import { analyzeKeyPolicy, matchesByPrincipal, type TrustAnalysis } from '../handshake/keyPolicyAnalysis';
import { displayActions } from '../model/kmsActions';
import { narrowRootFixes } from '../handshake/narrowRootPrincipal';
import type { Trust, TrustStatement } from '../handshake/keyPolicyTrusts';
import type { LocalFix } from '../findings';
import type { PolicyDocument } from '../model/policyDocument';
import { matchNote } from '../handshake/describe';
import { accountLabel, type HandshakeWorld } from '../handshake/world';
import { viaLabel } from '../handshake/access';

/** At most this many principals are named in the message (related information lists all). */
const MAX_LISTED = 5;

/**
 * A key-policy statement trusts another account's root and some principals of that account
 * have IAM grants on the key: the trust is wider than the grants that use it. Offers the
 * narrowing fixes.
 */
export const rootPrincipalBroaderThanGrants: Check<HandshakeWorld> = {
  id: 'root-principal-broader-than-grants',
  defaultSeverity: 'info',
  summary: 'The key policy trusts a whole account where only some principals have grants',
  kinds: ['kms-key-policy'],
  scope: 'workspace',
  run(ctx) {
    const world = ctx.workspace!;
    const analysis = analyzeKeyPolicy(world, ctx.doc);
    for (let i = 0; i < analysis.external.length; i++) {
      const t = analysis.external[i];
      if (t.trust.form !== 'root' && t.trust.form !== 'caller-account') continue;
      if (!t.described || t.matches.length === 0 || t.statement.principalArnPatterns) continue;
      const groups = matchesByPrincipal(t.matches);
      // A principal whose only grants are policies or statements not known (a Terraform value,
      // a dynamic block) may use the key: it is named, never left out.
      const unknownOnly = (g: (typeof groups)[number]) => g.matches.every((m) => m.grant.unknown !== undefined);
      const who = groups.map((g) => {
        const first = g.matches[0];
        const on = first.resource ? ` on ${first.resource === 'NotResource' ? 'every key NotResource leaves' : `"${first.resource}"`}` : '';
        const qualifier = unknownOnly(g) ? `; ${first.grant.unknown}` : g.conditional ? '; conditional' : '';
        // Where each grant is, the related entries say.
        return `${granteeLabel(world, g.principal, first.doc)} (${displayActions(world.catalog, g.actions, 4)}${on}${g.via ? `; ${viaLabel(g.via)}` : ''}${qualifier})`;
      });
      const maybe = groups.filter(unknownOnly).length;
      const verb = maybe === 0 ? (who.length === 1 ? 'uses' : 'use') : maybe === groups.length ? 'may use' : 'use or may use';
      const matching = groups.map((g) => g.principal).filter((p): p is string => !!p);
      // A grant whose principal is not known (a policy not bound to one, a group's policy
      // with its members not known): narrowing to the principals named would cut it off.
      const allKnown = matching.length === groups.length;
      const shown = who.length > MAX_LISTED ? `${who.slice(0, MAX_LISTED).join(', ')} and ${who.length - MAX_LISTED} more` : who.join(', ');
      // One short sentence first (the Problems panel shows one line): what is wrong, what to do. Then who (the related entries say where).
      const count = who.length === 1 ? 'one' : String(who.length);
      // A policy with no principal known, but for a template's role of generated name, may be several principals' (a group's members).
      const uncounted = groups.some((g) => !g.principal && !g.matches[0].doc.owner.unnamedRoles?.length);
      // `"*"` limited by kms:CallerAccount (or aws:PrincipalAccount) to this account and others:
      // narrowing that principal would cut the other accounts off.
      const sharedStar = t.trust.form === 'caller-account' && t.statement.trusts.some((o) => o !== t.trust);
      const them = who.length === 1 ? 'it' : 'them';
      const advice = !allKnown ? 'name the principals that need it.'
        : sharedStar ? `give ${them} a statement of ${who.length === 1 ? 'its' : 'their'} own, and leave ${t.account} out of this one's condition.`
          : `narrow the principal to ${them}.`;
      const lead = `Trusts all of ${accountLabel(world, t.account, ctx.doc.file)}, but only ${count} of its ${uncounted ? 'IAM grants' : 'principals'} ${verb} this key: ${advice}`;
      const message = `${lead} ${who.length === 1 ? 'It is' : 'They are'} ${shown}. While the account is trusted, any new IAM grant in it widens access to the key.`;
      // The principals named can use their actions; the account's other known roles and users cannot use the trusted ones.
      // Through this statement (the claim says so), the account's other known roles and users get none of the trusted actions.
      // (Not when a grant's principal is not known: any of them may be it.)
      const others = allKnown ? world.accountIam(t.account).rolesAndUsers.filter((p) => !matching.includes(p)) : [];
      const claims = claimsWhenRead(world.catalog, [
        ...t.matches.filter((m) => m.principal).map((m) => ({ key: analysis.key, principal: m.principal!, actions: m.actions, can: true, conditional: m.conditions.length > 0, via: m.via })),
        ...others.map((p) => ({ key: analysis.key, principal: p, actions: t.capable, can: false, statement: true })),
      ]);
      ctx.report(t.trust.node, message, {
        // About ten per finding (each role with a grant, all of them, others of the account, the condition form): made when asked for.
        claims,
        fixes: allKnown ? lazyNarrowFixes(world, ctx.doc, t.statement, t.trust, matching, t.account, groups.filter(unknownOnly).map((g) => g.principal!), brokenGrantees(t, matching)) : undefined,
        // Where each grant is (the message says what it grants).
        related: t.matches.map((m) => related(m.doc, m.at, m.grant.unknown !== undefined
          ? `${granteeLabel(world, m.principal, m.doc)} may have a grant here: ${m.grant.unknown}`
          : `Grant of ${granteeLabel(world, m.principal, m.doc)}${matchNote(m)}`)),
      });
    }
  },
};

/**
 * The fixes as a function of what they read, made outside `run`: a closure made there would
 * hold the whole key-policy analysis (every matched grant) for as long as the finding lives,
 * which the workspace means to let go of once the findings are out.
 */
function lazyNarrowFixes(world: HandshakeWorld, doc: PolicyDocument, statement: TrustStatement, trust: Trust, matching: string[], account: string, unknown: string[], broken: string[]): () => LocalFix[] {
  return () => narrowRootFixes(doc, statement, trust, matching, world.accountIam(account).rolesAndUsers, unknown, broken);
}

/**
 * The principals, other than those that use the key, with a grant on it that does not work: a
 * Deny removes it, its own condition or the statement's never holds for them, or no request
 * meets both its condition and the statement's.
 */
function brokenGrantees(t: TrustAnalysis, matching: string[]): string[] {
  const out = new Set<string>();
  for (const list of [t.removed, t.deadGrants ?? [], t.disjoint ?? [], t.excluded]) {
    for (const g of list) if (g.principal && !matching.includes(g.principal)) out.add(g.principal);
  }
  return [...out];
}
