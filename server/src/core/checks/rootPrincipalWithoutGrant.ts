import type { Check } from './check';
import { leadSentence } from '../findings';
import { accountRootArn, claimsWhenRead } from './accessClaims';
import { addIamGrantFixes, grantCandidates } from '../handshake/addIamGrant';
import { apartGrantRelated, deadGrantRelated, fileLabel, granteeLabel, grantsNotWorkingLead, related, searchedFiles, searchedLabel, trustedAsLabel } from '../handshake/describe';
import { useLabel } from '../handshake/access';
import { analyzeKeyPolicy } from '../handshake/keyPolicyAnalysis';
import { samePrincipal } from '../handshake/keyPolicyTrusts';
import { displayActions } from '../model/kmsActions';
import { grantCoverage, grantRelated, trustGrants } from '../handshake/kmsGrants';
import { accountLabel, principalLabel, type HandshakeWorld } from '../handshake/world';

/**
 * A key-policy statement trusts another account's root (or `*` limited to that account),
 * the account is described in the workspace, and none of its principals has an IAM grant
 * on the key for the trusted actions: nobody there can use the key this way.
 */
export const rootPrincipalWithoutGrant: Check<HandshakeWorld> = {
  id: 'root-principal-without-grant',
  defaultSeverity: 'warning',
  summary: 'The key policy trusts an account whose principals have no IAM grant on the key',
  kinds: ['kms-key-policy'],
  scope: 'workspace',
  run(ctx) {
    const world = ctx.workspace!;
    const analysis = analyzeKeyPolicy(world, ctx.doc);
    for (let i = 0; i < analysis.external.length; i++) {
      const t = analysis.external[i];
      if (t.trust.form !== 'root' && t.trust.form !== 'caller-account') continue;
      if (!t.described || t.capable.size === 0 || t.matches.length > 0) continue;
      // KMS grants on the key to principals of the account give them what they cover.
      const kms = grantCoverage(trustGrants(ctx.doc, t), t.capable, (a) => displayActions(world.catalog, a));
      if (kms.left.size === 0) continue;
      const capable = kms.left;
      const iam = world.accountIam(t.account);
      // The statement's condition shuts out every known role and user of the account (and does not
      // name principals by ARN, which may be ones the workspace does not describe): "grant it in
      // IAM" would be wrong advice; the hover says why the statement applies to none of them.
      if (t.appliesTo && t.appliesTo.length === 0 && iam.rolesAndUsers.length > 0 && !t.statement.principalArnPatterns) continue;
      world.readsAccountSummary(ctx.doc.file, t.account);
      const actions = displayActions(world.catalog, capable);
      const denied = t.removed.length
        ? ` A Deny removes the grant${t.removed.length === 1 ? '' : 's'} of ${[...new Set(t.removed.map((r) => (r.principal ? principalLabel(r.principal) : fileLabel(world, r.doc.file))))].join(', ')}.`
        : '';
      const shut = [...new Set(t.excluded.map((e) => (e.principal ? principalLabel(e.principal) : fileLabel(world, e.doc.file))))];
      const excluded = shut.length
        ? ` ${shut.join(', ')} ${shut.length === 1 ? 'has a grant' : 'have grants'}, but the statement's condition (${t.excluded[0].decidedFalse.join('; ')}) never holds for ${shut.length === 1 ? 'it' : 'them'}.`
        : '';
      const deadWho = [...new Set((t.deadGrants ?? []).map((d) => (d.principal ? principalLabel(d.principal) : fileLabel(world, d.doc.file))))];
      const dead = deadWho.length
        ? ` ${deadWho.join(', ')} ${deadWho.length === 1 ? 'has a grant' : 'have grants'} whose own condition never holds for ${deadWho.length === 1 ? 'it' : 'them'} (${t.deadGrants![0].decidedFalse.join('; ')}).`
        : '';
      // Grants of trusted actions that never hold in a request the statement holds in (the key only
      // through S3, the grant only through SQS): there is a grant, to make agree with the statement.
      const apart = (t.disjoint ?? []).filter((d) => [...d.actions].some((a) => capable.has(a)));
      const apartWho = [...new Set(apart.map((d) => granteeLabel(world, d.principal, d.doc)))];
      const one = capable.size === 1;
      const them = one ? 'it' : 'them';
      // Grants of trusted actions that a Deny removes, whose own condition never holds, or that the
      // statement's condition shuts out: the account has them, they just do not work.
      const relevant = (actions: Iterable<string>) => [...actions].some((a) => capable.has(a));
      const removed = t.removed.filter((r) => relevant(r.actions));
      const deadGrants = (t.deadGrants ?? []).filter((d) => relevant(d.grant.actions.actions));
      const shutOut = t.excluded.filter((e) => relevant(e.grant.actions.actions));
      const broken = removed.length + deadGrants.length + shutOut.length > 0;
      const account = accountLabel(world, t.account, ctx.doc.file);
      // One short sentence first (the Problems panel shows one line): what is wrong, what to do. Then the details.
      let lead: string;
      let meet = '';
      if (apart.length) {
        const grants = apartWho.length === 1 ? 'grant' : 'grants';
        lead = leadSentence((name) => `This statement and ${name} never hold in the same request: make them agree, or remove the trust.`, `the IAM ${grants} of ${apartWho.join(', ')}`, `the account's IAM ${grants}`);
        const d = apart[0];
        const shown = [...d.actions].filter((a) => capable.has(a));
        const others = apartWho.slice(1);
        meet = ` The statement trusts ${trustedAsLabel(world, t.statement, t.account, d.principal, ctx.doc.file) ?? account} for ${displayActions(world.catalog, shown)} ${useLabel(d.key)}, `
          + `and the grant of ${apartWho[0]} (${fileLabel(world, d.doc.file, ctx.doc.file)}) allows ${shown.length === 1 ? 'it' : 'them'} ${useLabel(d.granted)}: no request meets both.`
          + (others.length ? ` Nor does any request meet the statement and the ${others.length === 1 ? 'grant' : 'grants'} of ${others.join(', ')}.` : '');
      } else if (broken) {
        // The account has grants on the key, and none works: what to correct, not a grant to add.
        lead = grantsNotWorkingLead(account, 'The account', { removed, dead: deadGrants, excluded: shutOut });
      } else {
        lead = `Nobody in ${account}${shut.length ? ' that the statement applies to' : ''} can use ${one ? actions : `the ${capable.size} trusted actions`}: grant ${them} in IAM there, or remove the trust.`;
      }
      const message = `${lead}${one ? '' : ` Trusted: ${actions}.`}${meet} No ${apart.length ? 'other ' : ''}IAM grant for ${them} on this key${broken ? ' that works' : ''} (searched ${searchedLabel(iam)}${lead.includes(account) || meet ? '' : ` of ${account}`}).${denied}${excluded}${dead}${kms.note ? ` ${kms.note}` : ''}`;
      // Only principals the statement can apply to: a grant to another one would not work. Nor
      // would one to a principal whose own Deny removes its grant: the Deny would remove it too.
      // Nor a second grant to a principal whose grant never meets the statement: that one is to correct.
      const skipped = new Set([...t.removed.map((r) => r.principal), ...apart.map((d) => d.principal)]);
      const allowed = grantCandidates(world, analysis, t.account).filter((p) => (!t.appliesTo || t.appliesTo.includes(p)) && !skipped.has(p));
      // A principal whose grant has its own condition that never holds has a grant (to correct first):
      // after those with none, its title saying what the new one is.
      const besideDead = new Set(allowed.filter((p) => deadGrants.some((d) => d.principal !== undefined && samePrincipal(d.principal, p))));
      const candidates = [...allowed.filter((p) => !besideDead.has(p)), ...allowed.filter((p) => besideDead.has(p))];
      const withGrant = new Set([...t.removed, ...(t.deadGrants ?? []), ...apart, ...t.excluded].map((g) => g.doc));
      ctx.report(t.trust.node, message, {
        // Nobody of the account can use them through this statement (another one may give more).
        claims: claimsWhenRead(world.catalog, [{ key: analysis.key, principal: accountRootArn(t.account, analysis.key?.partition), actions: capable, can: false, statement: true }]),
        fixes: addIamGrantFixes(world, ctx.doc, analysis.key?.arn, candidates, capable, besideDead),
        related: [
          ...kms.used.map((g) => grantRelated(g, (a) => displayActions(world.catalog, a))),
          ...t.removed.map((r) => related(r.doc, r.grant.statement.node, `Grant of ${r.principal ? principalLabel(r.principal) : 'this policy'} removed by ${r.by}`)),
          ...(t.deadGrants ?? []).map(deadGrantRelated),
          ...apart.map((d) => apartGrantRelated(d, displayActions(world.catalog, d.actions))),
          ...t.excluded.map((e) => related(e.doc, e.grant.statement.node, `Grant of ${e.principal ? principalLabel(e.principal) : 'this policy'}: the statement's condition (${e.decidedFalse.join('; ')}) never holds for it`)),
          // A file with a grant that does not work has its own entry above: it is not one with no grant.
          ...searchedFiles(world, iam.documents.filter((doc) => !withGrant.has(doc)), () => `Searched: no IAM grant of the trusted actions on this key`),
        ],
      });
    }
  },
};
