import type { Check } from './check';
import { leadSentence } from '../findings';
import { claimsWhenRead } from './accessClaims';
import { fileLabel, granteeLabel, related, trustedAsLabel } from '../handshake/describe';
import { analyzeIdentityPolicy } from '../handshake/identityAnalysis';
import { keyLabel } from '../handshake/keyIdentity';
import { CROSS_ACCOUNT_ACTIONS, displayActions, intersect, minus } from '../model/kmsActions';
import { principalLabel, type HandshakeWorld } from '../handshake/world';
import { groupByShape, shapeQualifiers, type AccessShape } from '../handshake/access';

/**
 * The actions a key policy allows, each group with how it can be used when not directly for
 * certain: `kms:Decrypt (only through s3.us-west-2.amazonaws.com)`. Without the ways of use
 * (several keys), the actions alone.
 */
function usableLabel(world: HandshakeWorld, actions: Set<string>, shapes: ReadonlyMap<string, AccessShape> | undefined): string {
  return groupByShape(actions, shapes).map((g) => {
    const qualifiers = shapeQualifiers(g.shape);
    return `${displayActions(world.catalog, g.actions, 6)}${qualifiers.length ? ` (${qualifiers.join('; ')})` : ''}`;
  }).join(', ');
}

/**
 * An identity policy grants actions on a key that the key policy never allows the principal
 * (or, for another account's key, that KMS never allows across accounts): those actions have
 * no effect. For a key of the principal's own account, what the key policy allows the account
 * principal (or the principal itself) decides. Reported on each Action entry; a warning when
 * the entry has no effect at all.
 */
export const iamGrantExceedsKeyPolicy: Check<HandshakeWorld> = {
  id: 'iam-grant-exceeds-key-policy',
  defaultSeverity: 'info',
  summary: 'An IAM grant lists key actions the key policy never allows that principal',
  kinds: ['iam-identity-policy'],
  scope: 'workspace',
  run(ctx) {
    const world = ctx.workspace!;
    const gaList = analyzeIdentityPolicy(world, ctx.doc);
    for (let k = 0; k < gaList.length; k++) {
      const ga = gaList[k];
      if (ga.grant.actions.negated) continue;
      const reported = new Set<number>();
      for (let j = 0; j < ga.byPrincipal.length; j++) {
        const pa = ga.byPrincipal[j];
        const keys = pa.keys.filter((k) => k.match.certainty === 'yes');
        if (keys.length === 0 || keys.some((k) => k.undecided)) continue;
        // Without any trust the whole statement is iam-grant-without-key-trust's.
        if (keys.every((k) => intersect(k.allowed, ga.grant.actions.actions).size === 0)) continue;
        const effective = new Set<string>();
        for (let i = 0; i < keys.length; i++) {
          const k = keys[i];
          for (const a of k.effective) effective.add(a);
        }
        // A template's role whose name is generated (a SAM function's, a CDK role) is named by its logical id.
        const who = pa.principal ? principalLabel(pa.principal) : ctx.doc.owner.unnamedRoles?.length ? granteeLabel(world, undefined, ctx.doc) : 'this policy\'s principal';
        // Keys of the principal's own account: every KMS action can work there.
        const sameAccount = keys.every((k) => k.sameAccount);
        const anySameAccount = keys.some((k) => k.sameAccount);
        const where = keys.length === 1 ? `${keyLabel(keys[0].key)} (${fileLabel(world, keys[0].keyDoc.file)})` : `the ${keys.length} keys this statement names`;
        for (let i = 0; i < ga.grant.actions.entries.length; i++) {
          const e = ga.grant.actions.entries[i];
          if (reported.has(e.item.node.offset) || e.actions.length === 0) continue;
          const extra = minus(new Set(e.actions), effective);
          if (extra.size === 0) continue;
          reported.add(e.item.node.offset);
          const never = anySameAccount ? [] : [...extra].filter((a) => !CROSS_ACCOUNT_ACTIONS.has(a));
          const works = intersect(new Set(e.actions), effective);
          const allows = effective.size ? `allows ${who} only ${usableLabel(world, effective, keys.length === 1 ? keys[0].shapes : undefined)}` : `allows ${who} no action${sameAccount ? '' : ' across accounts'}`;
          const theKey = keys.length === 1 ? 'the key' : `the ${keys.length} keys`;
          const neverNote = never.length ? ` KMS never allows ${never.length === extra.size ? (extra.size === 1 ? 'it' : 'them') : `${never.length} of them`} across accounts.` : '';
          // Actions the key policy trusts the principal with but one of its Deny statements removes: the Deny is why.
          const denials = keys.flatMap((k) => [...extra].flatMap((a) => {
            const by = k.deniedBy?.get(a);
            return by ? [{ k, a, by }] : [];
          }));
          const deniedActions = [...new Set(denials.map((d) => d.a))];
          const denyNote = deniedActions.length
            ? ` A Deny in the key policy removes ${deniedActions.length === extra.size ? (extra.size === 1 ? 'it' : 'them') : displayActions(world.catalog, deniedActions)} from ${who}.`
            : '';
          // One short sentence first (the Problems panel shows one line): what is wrong, what to do. Then the details.
          let message: string;
          if (e.actions.length === 1) {
            const action = displayActions(world.catalog, e.actions);
            message = never.length
              ? `${action} never works on another account's key: remove it. KMS allows it only in the key's own account (${where}).`
              : `${action} has no effect on ${theKey}: remove it, or allow it in the key policy. The key policy of ${where} ${allows}.${denyNote}`;
          } else if (works.size) {
            message = `${leadSentence((entry) => `Only ${works.size} of the ${e.actions.length} actions ${entry} stands for work${works.size === 1 ? 's' : ''} on ${theKey}: list ${works.size === 1 ? 'it' : 'them'} instead.`, e.item.value ?? '', 'this entry')}`
              + ` ${works.size === 1 ? 'It is' : 'They are'} ${displayActions(world.catalog, works, 6)}. The other ${extra.size} have no effect on ${where}.${neverNote}${denyNote}`;
          } else {
            const advice = never.length === extra.size ? 'remove it' : 'remove it, or allow them in the key policy';
            message = `${leadSentence((entry) => `None of the ${e.actions.length} actions ${entry} stands for works on ${theKey}: ${advice}.`, e.item.value ?? '', 'this entry')}`
              + ` The key policy of ${where} ${allows}.${neverNote}${denyNote}`;
          }
          // Through this IAM statement: another statement of the principal may grant more.
          const principal = pa.principal;
          const claims = principal ? claimsWhenRead(world.catalog, keys.map((k) => ({ key: k.key, principal, actions: extra, can: false, statement: true }))) : [];
          ctx.report(e.item.node, message, {
            claims,
            severity: extra.size === e.actions.length ? 'warning' : undefined,
            related: [
              ...[...new Map(denials.map((d) => [d.by, d])).values()].map((d) => related(d.k.keyDoc, d.by.node, `Deny removing ${displayActions(world.catalog, denials.filter((x) => x.by === d.by).map((x) => x.a))} from ${who}`)),
              ...keys.flatMap((k) => k.statements.map((ts) => related(k.keyDoc, ts.statement.node, `Key policy statement trusting ${trustedAsLabel(world, ts, ga.account, principal, ctx.doc.file) ?? who}`))),
            ],
          });
        }
      }
    }
  },
};
