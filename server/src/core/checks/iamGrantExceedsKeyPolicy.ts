import type { Check } from './check';
import { accessClaim, claimList, throughStatement } from './accessClaims';
import { fileLabel, related } from '../handshake/describe';
import { analyzeIdentityPolicy } from '../handshake/identityAnalysis';
import { keyLabel } from '../handshake/keyIdentity';
import { CROSS_ACCOUNT_ACTIONS, displayActions, intersect, minus } from '../model/kmsActions';
import { principalLabel, type HandshakeWorld } from '../handshake/world';

/**
 * An identity policy grants actions on another account's key that the key policy never
 * allows the principal (or that KMS never allows across accounts): those actions have no
 * effect. Reported on each Action entry; a warning when the entry has no effect at all.
 */
export const iamGrantExceedsKeyPolicy: Check<HandshakeWorld> = {
  id: 'iam-grant-exceeds-key-policy',
  defaultSeverity: 'info',
  summary: 'An IAM grant lists key actions the key policy never allows that principal',
  kinds: ['iam-identity-policy'],
  scope: 'workspace',
  run(ctx) {
    const world = ctx.workspace!;
    for (const ga of analyzeIdentityPolicy(world, ctx.doc)) {
      if (ga.grant.actions.negated) continue;
      const reported = new Set<number>();
      for (const pa of ga.byPrincipal) {
        const keys = pa.keys.filter((k) => k.match.certainty === 'yes');
        if (keys.length === 0 || keys.some((k) => k.undecided)) continue;
        // Without any trust the whole statement is iam-grant-without-key-trust's.
        if (keys.every((k) => intersect(k.allowed, ga.grant.actions.actions).size === 0)) continue;
        const effective = new Set<string>();
        for (const k of keys) for (const a of k.effective) effective.add(a);
        const who = pa.principal ? principalLabel(pa.principal) : 'this policy\'s principal';
        const where = keys.length === 1 ? `${keyLabel(keys[0].key)} (${fileLabel(world, keys[0].keyDoc.file)})` : `the ${keys.length} keys this statement names`;
        for (const e of ga.grant.actions.entries) {
          if (reported.has(e.item.node.offset) || e.actions.length === 0) continue;
          const extra = minus(new Set(e.actions), effective);
          if (extra.size === 0) continue;
          reported.add(e.item.node.offset);
          const never = [...extra].filter((a) => !CROSS_ACCOUNT_ACTIONS.has(a));
          const works = intersect(new Set(e.actions), effective);
          const allows = effective.size ? `it allows ${who} only ${displayActions(world.catalog, effective, 6)}` : `it allows ${who} no action across accounts`;
          const message = e.actions.length === 1
            ? `${displayActions(world.catalog, e.actions)} has no effect on ${where}: ${never.length ? 'KMS never allows it across accounts' : `the key policy does not allow it (${allows})`}.`
            : `Of the ${e.actions.length} actions ${e.item.value} stands for, ${works.size ? `only ${works.size} work on ${where}: ${displayActions(world.catalog, works, 6)}` : `none works on ${where}: ${allows}`}. `
              + `The other ${extra.size} have no effect${never.length ? ` (KMS never allows ${never.length} of them across accounts)` : ''}.`;
          // Through this IAM statement: another statement of the principal may grant more.
          const claims = pa.principal ? claimList(...keys.map((k) => throughStatement(accessClaim(world.catalog, k.key, pa.principal!, extra, false)))) : [];
          ctx.report(e.item.node, message, {
            claims,
            severity: extra.size === e.actions.length ? 'warning' : undefined,
            related: keys.flatMap((k) => k.statements.map((ts) => related(k.keyDoc, ts.statement.node, `Key policy statement trusting ${who}`))),
          });
        }
      }
    }
  },
};
