import type { Check } from './check';
import { leadSentence } from '../findings';
import { claimsWhenRead } from './accessClaims';
import { addIamGrantFixes } from '../handshake/addIamGrant';
import { principalDocuments } from '../handshake/accountGrants';
import { apartGrantRelated, deadGrantRelated, fileLabel, grantsNotWorkingLead, plural, related, searchedFiles } from '../handshake/describe';
import { useLabel } from '../handshake/access';
import type { PolicyDocument } from '../model/policyDocument';
import { analyzeKeyPolicy } from '../handshake/keyPolicyAnalysis';
import { displayActions } from '../model/kmsActions';
import { grantCoverage, grantRelated, trustGrants } from '../handshake/kmsGrants';
import { samePrincipal } from '../handshake/keyPolicyTrusts';
import { accountLabel, principalLabel, type HandshakeWorld } from '../handshake/world';

/**
 * A key-policy statement names a specific role or user of a described account, and none
 * of that principal's identity policies grants the trusted actions on the key.
 */
export const externalPrincipalWithoutGrant: Check<HandshakeWorld> = {
  id: 'external-principal-without-grant',
  defaultSeverity: 'warning',
  summary: 'The key policy names a role or user of another account that has no IAM grant on the key',
  kinds: ['kms-key-policy'],
  scope: 'workspace',
  run(ctx) {
    const world = ctx.workspace!;
    const analysis = analyzeKeyPolicy(world, ctx.doc);
    for (let i = 0; i < analysis.external.length; i++) {
      const t = analysis.external[i];
      if (t.trust.form !== 'principal' || !t.described || t.capable.size === 0 || t.matches.length > 0) continue;
      const principal = t.trust.principalArn!;
      // A KMS grant on the key to the principal gives it what it covers.
      const kms = grantCoverage(trustGrants(ctx.doc, t), t.capable, (a) => displayActions(world.catalog, a));
      if (kms.left.size === 0) continue;
      // A grant of a policy whose principals are not known (bound to none, a group's with its
      // members not known) may be this principal's: those actions are not reported.
      const unknown = t.unknownGrantees;
      const capable = unknown ? new Set([...kms.left].filter((a) => !unknown.actions.has(a))) : kms.left;
      if (capable.size === 0) continue;
      const maybe = unknown ? [...kms.left].filter((a) => unknown.actions.has(a)) : [];
      const docs = principalDocuments(world, t.account, principal);
      world.readsAccountSummary(ctx.doc.file, t.account);
      const known = world.accountIam(t.account).principals.some((p) => samePrincipal(principal, p));
      const files = [...new Set(docs.map((d) => fileLabel(world, d.file)))].slice(0, 3).join(', ');
      const one = capable.size === 1;
      const them = one ? 'it' : 'them';
      const searched = docs.length === 1
        ? `its identity policy (${files}) does not grant`
        : docs.length
          ? `none of its ${plural(docs.length, 'identity policy', 'identity policies')} (${files}) grants`
          : known ? 'it has no identity policy in the workspace that grants' : `it is not among the ${world.accountIam(t.account).principals.length} known principals of the account, and nothing grants`;
      // Grants of the principal that exist but do not work, each for trusted actions left to report.
      const relevant = (actions: Iterable<string>) => [...actions].filter((a) => capable.has(a));
      const mine = (p: string | undefined) => p !== undefined && samePrincipal(principal, p);
      // A grant whose own condition never holds for the principal: that is why, not a missing grant.
      const dead = (t.deadGrants ?? []).filter((d) => mine(d.principal) && relevant(d.grant.actions.actions).length);
      // A grant that its own Deny removes: another grant would be removed too, so no fix adds one.
      const removed = t.removed.filter((r) => mine(r.principal) && relevant(r.actions).length);
      // A grant that holds only in requests the statement never allows (the key only through S3, the
      // grant only through SQS): that grant is to make agree with the statement, not to add.
      const apart = (t.disjoint ?? []).filter((d) => mine(d.principal) && relevant(d.actions).length);
      // What a grant gives of the trusted actions: "it"/"them" when all of them, else their names.
      const gives = (actions: Iterable<string>) => {
        const given = relevant(actions);
        return given.length === capable.size ? them : displayActions(world.catalog, given);
      };
      const grantsButDenied = removed.length ? `${fileLabel(world, removed[0].doc.file)} grants ${gives(removed[0].actions)} on this key, but ${removed[0].by} removes the grant.` : '';
      const grantsButDead = dead.length ? `${fileLabel(world, dead[0].doc.file)} grants ${gives(dead[0].grant.actions.actions)} on this key, but the grant's own condition (${dead[0].decidedFalse.join('; ')}) never holds for it.` : '';
      const grantsButApart = apart.length
        ? `${fileLabel(world, apart[0].doc.file)} grants ${gives(apart[0].actions)} on this key ${useLabel(apart[0].granted)}, but the statement trusts ${principalLabel(principal)} for ${gives(apart[0].actions)} ${useLabel(apart[0].key)}: no request meets both.`
        : '';
      // Trusted actions that no grant of the principal gives, working or not.
      const covered = new Set([...removed.flatMap((r) => relevant(r.actions)), ...dead.flatMap((d) => relevant(d.grant.actions.actions)), ...apart.flatMap((d) => relevant(d.actions))]);
      const rest = [...capable].filter((a) => !covered.has(a));
      const notGranted = covered.size && rest.length ? ` ${searched[0].toUpperCase()}${searched.slice(1)} ${displayActions(world.catalog, rest)} on this key.` : '';
      const actions = displayActions(world.catalog, capable);
      // One short sentence first (the Problems panel shows one line): what is wrong, what to do. Then the details.
      // The principal's grants are there but do not work: what to correct, not a grant to add.
      const lead = apart.length && !removed.length && !dead.length
        ? leadSentence((who) => `This statement and the IAM grant of ${who} never hold in the same request: make them agree, or remove the trust.`, principalLabel(principal), 'this principal')
        : covered.size
          ? grantsNotWorkingLead(principalLabel(principal), 'This principal', { removed, dead, apart })
          : leadSentence((who) => `${who} cannot use ${one ? actions : `${kms.covered.size ? `${capable.size} other` : `the ${capable.size}`} trusted actions`}: grant ${them} in its IAM policy, or remove the trust.`, principalLabel(principal), 'This principal');
      const unknownNote = maybe.length ? ` ${displayActions(world.catalog, maybe)} ${maybe.length === 1 ? 'is' : 'are'} granted by ${unknownPolicies(world, unknown!.docs)}: it may be ${principalLabel(principal)}'s.` : '';
      const why = [grantsButDenied, grantsButDead, grantsButApart].filter((x) => x).join(' ');
      const message = `${lead} Account ${accountLabel(world, t.account, ctx.doc.file)}: ${why ? `${why}${notGranted}` : `${searched} ${them} on this key.`}`
        + `${one ? '' : ` Trusted: ${actions}.`}${kms.note ? ` ${kms.note}` : ''}${unknownNote}`;
      // A Deny would remove a new grant too; a grant that never meets the statement is to correct, not to duplicate:
      // with such grants, only the trusted actions no grant of the principal gives are granted (and none a Deny takes).
      const correct = removed.length > 0 || apart.length > 0;
      ctx.report(t.trust.node, message, {
        claims: claimsWhenRead(world.catalog, [{ key: analysis.key, principal, actions: capable, can: false, statement: true }]),
        fixes: addIamGrantFixes(world, ctx.doc, analysis.key?.arn, [principal], correct ? new Set(rest) : capable, new Set(dead.length && !correct ? [principal] : [])),
        related: [
          ...kms.used.map((g) => grantRelated(g, (a) => displayActions(world.catalog, a))),
          ...removed.map((r) => related(r.doc, r.grant.statement.node, `Grant of ${principalLabel(principal)} removed by ${r.by}`)),
          ...dead.map(deadGrantRelated),
          ...apart.map((d) => apartGrantRelated(d, displayActions(world.catalog, d.actions))),
          ...searchedFiles(world, dead.length || removed.length || apart.length ? docs.filter((doc) => !dead.some((d) => d.doc === doc) && !removed.some((r) => r.doc === doc) && !apart.some((d) => d.doc === doc)) : docs, (f) => `Identity policy of ${principalLabel(principal)} (${f}): no grant on this key`),
        ],
      });
    }
  },
};

/** "a policy whose principals are not known (Ops/use-key in authorization-details.json)", or "2 policies whose …". */
function unknownPolicies(world: HandshakeWorld, docs: readonly PolicyDocument[]): string {
  const named = docs.slice(0, 2).map((d) => (d.owner.label ? `${d.owner.label} in ${fileLabel(world, d.file)}` : fileLabel(world, d.file)));
  const more = docs.length > 2 ? ` and ${docs.length - 2} more` : '';
  return `${docs.length === 1 ? 'a policy' : `${docs.length} policies`} whose principals are not known (${named.join(', ')}${more})`;
}
