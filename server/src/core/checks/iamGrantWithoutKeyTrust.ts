import type { Check } from './check';
import { leadSentence } from '../findings';
import { claimsWhenRead } from './accessClaims';
import { fileLabel, granteeLabel, related, trustedAsLabel } from '../handshake/describe';
import { analyzeIdentityPolicy, type KeyTrustResult } from '../handshake/identityAnalysis';
import { keyLabel } from '../handshake/keyIdentity';
import { keyPolicyTrusts } from '../handshake/keyPolicyAnalysis';
import { displayActions, intersect } from '../model/kmsActions';
import { grantCoverage, grantRelated, grantsTo } from '../handshake/kmsGrants';
import { accountLabel, principalLabel, type HandshakeWorld } from '../handshake/world';
import { prop } from '../json/nodes';
import { useLabel } from '../handshake/access';

/**
 * An identity policy grants KMS actions on a key whose key policy is in the workspace, but no
 * statement of that key policy trusts the policy's principal (or its account) for those
 * actions: the grant has no effect. For a key of another account the key policy must trust
 * the principal or its account; for a key of the principal's own account it must allow the
 * account principal (delegate to IAM) or name the principal ("Default key policy").
 */
export const iamGrantWithoutKeyTrust: Check<HandshakeWorld> = {
  id: 'iam-grant-without-key-trust',
  defaultSeverity: 'warning',
  summary: 'An IAM grant on a key whose key policy does not trust the principal or let IAM policies of its account grant it',
  kinds: ['iam-identity-policy'],
  scope: 'workspace',
  run(ctx) {
    const world = ctx.workspace!;
    const gaList = analyzeIdentityPolicy(world, ctx.doc);
    for (let j = 0; j < gaList.length; j++) {
      const ga = gaList[j];
      const untrusted: { principal: string | undefined; keys: KeyTrustResult[]; kms?: ReturnType<typeof grantCoverage> }[] = [];
      const display = (a: Set<string>) => displayActions(world.catalog, a);
      for (let i = 0; i < ga.byPrincipal.length; i++) {
        const pa = ga.byPrincipal[i];
        const keys = pa.keys.filter((k) => k.match.certainty === 'yes');
        if (keys.length === 0 || keys.some((k) => k.undecided)) continue;
        if (!keys.every((k) => intersect(k.allowed, ga.grant.actions.actions).size === 0)) continue;
        // KMS grants on the key to the principal give it what they cover: the grant is then not all it has.
        const kms = pa.principal ? grantCoverage(keys.flatMap((k) => grantsTo(k.keyDoc, pa.principal!)), ga.grant.actions.actions, display) : undefined;
        if (kms && kms.left.size === 0) continue;
        untrusted.push({ principal: pa.principal, keys, kms });
      }
      if (untrusted.length === 0) continue;
      const kmsNote = untrusted.map((u) => u.kms?.note).filter((n) => n).join(' ');
      const keys = untrusted[0].keys;
      const at = keys[0].match.resource?.node ?? ga.grant.statement.elements.Resource?.value ?? ga.grant.statement.node;
      // A template's role whose name is generated (a SAM function's, a CDK role) is named by its logical id.
      const roles = ctx.doc.owner.unnamedRoles ?? [];
      const unknown = roles.length ? granteeLabel(world, undefined, ctx.doc) : 'this policy\'s principal';
      // In the first sentence, when the whole name does not fit: its logical id alone.
      const short = roles.length === 1 ? `role ${roles[0].split(' ')[0]}` : 'this policy\'s principal';
      const who = untrusted.map((u) => (u.principal ? principalLabel(u.principal) : unknown)).join(', ');
      const keyAccount = keys[0].key.account;
      const keysText = keys.length === 1
        ? `The key policy of ${keyLabel(keys[0].key)} (${fileLabel(world, keys[0].keyDoc.file, ctx.doc.file)})`
        : `The ${keys.length} key policies of ${accountLabel(world, keyAccount, ctx.doc.file)} this statement names (${keys.map((k) => fileLabel(world, k.keyDoc.file, ctx.doc.file)).join(', ')})`;
      const one = untrusted.length === 1;
      // Keys of the principal's own account: the key policy does not let IAM policies of its account grant the key.
      const sameAccount = keys.every((k) => k.sameAccount);
      const rootArn = `arn:${keys[0].key.partition}:iam::${ga.account}:root`;
      // Every key trusts the principal's account (or organization, or everyone) by a statement whose
      // condition never holds for it: that is the reason, not a missing trust.
      const shut = keys.every((k) => k.excluded.length > 0) ? keys[0].excluded[0] : undefined;
      // Or the key policy and the grant allow the action in different request contexts only (the
      // key through one service, the grant through another): no request meets both.
      const apart = !shut && one && keys.length === 1 ? keys[0].disjoint?.[0] : undefined;
      const actions = displayActions(world.catalog, ga.grant.actions.actions);
      const account = accountLabel(world, ga.account, ctx.doc.file);
      const trusts = keys.length === 1 ? 'trusts' : 'trust';
      // One short sentence first (the Problems panel shows one line): what is wrong, what to do. Then
      // the details. In the first sentence, a name that does not fit gives way to `shortName`.
      const shortName = one ? short : `the ${untrusted.length} principals of this policy`;
      let lead: string;
      let why: string;
      if (apart) {
        lead = leadSentence((name) => `The key policy and this grant never hold in the same request for ${name}: make them agree, or remove this grant.`, who, short);
        why = `${keysText} trusts ${trustedAsLabel(world, apart.statement, ga.account, untrusted[0].principal, ctx.doc.file) ?? who} for ${displayActions(world.catalog, [apart.action])} ${useLabel(apart.key)}, and this grant allows it ${useLabel(apart.grant)}: no request meets both, so the grant has no effect.`;
      } else if (shut) {
        const shutAs = one ? trustedAsLabel(world, shut.statement, ga.account, untrusted[0].principal, ctx.doc.file) : undefined;
        lead = leadSentence((name) => `The key ${keys.length === 1 ? 'policy\'s condition never holds' : 'policies\' conditions never hold'} for ${name}: correct ${keys.length === 1 ? 'it' : 'them'} there, or remove this grant.`, who, shortName);
        why = `${keysText} ${trusts} ${shutAs ?? `principals of ${account}`} for ${actions} only under a condition (${shut.decidedFalse.join('; ')}) that never holds for ${who}: the grant has no effect.`;
      } else if (sameAccount) {
        lead = leadSentence((name) => `IAM policies cannot grant ${name} ${keys.length === 1 ? 'this key' : 'these keys'}: `
          + `allow the account principal in the key ${keys.length === 1 ? 'policy' : 'policies'} or name ${one ? 'it' : 'them'} there.`, who, shortName);
        why = `${keysText} ${keys.length === 1 ? 'allows' : 'allow'} no IAM policy of account ${account} to grant ${actions}; add the account principal (${rootArn}) or name ${who} there. The grant has no effect.`;
      } else {
        lead = leadSentence((name) => `${keys.length === 1 ? 'The key policy does not trust' : `None of the ${keys.length} key policies trusts`} ${name} for these actions: `
          + `allow ${one ? 'it' : 'them'} there, or remove this grant.`, who, shortName);
        why = `${keysText} ${trusts} neither ${who} nor account ${account} for ${actions}: the grant has no effect.`;
      }
      const message = `${lead} ${why}${kmsNote ? ` ${kmsNote}` : ''}`;
      ctx.report(at, message, {
        claims: claimsWhenRead(world.catalog, untrusted.flatMap((u) => (u.principal ? u.keys.map((k) => ({ key: k.key, principal: u.principal!, actions: ga.grant.actions.actions, can: false, statement: true })) : []))),
        related: [...untrusted.flatMap((u) => u.kms?.used ?? []).map((g) => grantRelated(g, display)), ...keys.map((k) => {
          const keyShut = k.excluded[0];
          const met = k.disjoint?.[0];
          if (met && !keyShut) return related(k.keyDoc, met.statement.statement.node, `This statement allows ${displayActions(world.catalog, [met.action])} ${useLabel(met.key)}`);
          if (keyShut) return related(k.keyDoc, keyShut.statement.statement.node, `This statement's condition (${keyShut.decidedFalse.join('; ')}) never holds for ${who}`);
          const trusts = keyPolicyTrusts(world, k.keyDoc);
          const near = trusts.statements.find((ts) => ts.trusts.some((t) => t.account === ga.account));
          const node = near?.statement.node ?? prop(k.keyDoc.root, 'Statement')?.key ?? k.keyDoc.root;
          const as = near && untrusted.length === 1 ? trustedAsLabel(world, near, ga.account, untrusted[0].principal, ctx.doc.file) : undefined;
          const add = k.sameAccount ? `allow the account principal (${rootArn}) or ${who} here` : `add a statement trusting ${who} here`;
          return related(k.keyDoc, node, near ? (as ? `This statement trusts ${as} for other actions` : `This statement trusts other principals of ${account}`) : `Key policy of ${keyLabel(k.key)}: ${add}`);
        })],
      });
    }
  },
};
