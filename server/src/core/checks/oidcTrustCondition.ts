import type { Check } from './check';
import { parseArn } from '../model/arn';
import { statementConditions } from '../model/conditions';
import { principalEntries } from '../model/policyDocument';

const GITHUB = 'token.actions.githubusercontent.com';

/**
 * The host an OIDC principal stands for, in lower case: the part after `oidc-provider/` of a
 * provider ARN, or the name itself (`accounts.google.com`, `cognito-identity.amazonaws.com`).
 * Undefined for SAML providers.
 */
function oidcHost(value: string): string | undefined {
  const arn = parseArn(value);
  if (arn) return arn.resource.startsWith('oidc-provider/') ? arn.resource.slice('oidc-provider/'.length).toLowerCase() : undefined;
  return value.toLowerCase();
}

/**
 * Role trust statements for OIDC identity providers that let in more callers than meant: no
 * condition on the provider's claims (`<provider>:aud`, `:sub`…), for GitHub no condition on
 * `token.actions.githubusercontent.com:sub` or a wildcard in it, and (a suggestion) the `aud`
 * claim compared with ForAnyValue/ForAllValues, which fits only an IdP that sends several.
 */
export const oidcTrustCondition: Check = {
  id: 'oidc-trust-condition',
  defaultSeverity: 'warning',
  summary: 'OIDC principal in a role trust policy without a condition on its claims, or GitHub without a specific repository',
  kinds: ['iam-trust-policy'],
  statementLocal: true,
  run(ctx) {
    for (let k = 0; k < ctx.statements.length; k++) {
      const s = ctx.statements[k];
      if (s.effect !== 'Allow' || !s.elements.Principal) continue;
      const providers = principalEntries(s.elements.Principal.value).filter((e) => e.type === 'Federated' && e.item.value !== undefined);
      if (providers.length === 0) continue;
      const conditions = statementConditions(s);
      const keys = conditions.map((c) => c.key.toLowerCase());
      for (let i = 0; i < providers.length; i++) {
        const p = providers[i];
        const host = oidcHost(p.item.value!);
        if (!host) continue;
        if (host === GITHUB) {
          if (!keys.includes(`${GITHUB}:sub`)) {
            // One short sentence first (the Problems panel shows one line): what is wrong, what to do. Then how.
            ctx.report(p.item.node, `Any GitHub repository's workflows may assume this role: add a condition on ${GITHUB}:sub. `
              + `Without it, workflows of any repository, other people's included, can; name your repository and branch (repo:my-org/my-repo:ref:refs/heads/main).`);
          }
        } else if (!keys.some((k) => k.startsWith(`${host}:`))) {
          ctx.report(p.item.node, 'Anyone with a token from this OIDC provider may assume this role: add conditions on its aud and sub claims. '
            + `${p.item.value} is trusted without a condition on ${host}:aud, ${host}:sub or another claim; name the application and users the role is for.`);
        }
      }
      for (let j = 0; j < conditions.length; j++) {
        const c = conditions[j];
        const key = c.key.toLowerCase();
        if (key === `${GITHUB}:sub`) {
          for (let i = 0; i < c.values.length; i++) {
            const item = c.values[i];
            if (item.value === undefined || !/[*?]/.test(item.value) || !c.operator.base?.includes('Like')) continue;
            ctx.report(item.node, `This wildcard lets any matching GitHub workflow assume the role: name the repository and branch, or list them. "${item.value}" matches more than one repository and branch; write repo:my-org/my-repo:ref:refs/heads/main.`);
          }
        }
        if (key.endsWith(':aud') && c.operator.set && providers.some((p) => key === `${oidcHost(p.item.value!)}:aud`)) {
          ctx.report(c.keyNode, `${c.key} is compared with ${c.operator.set}: that fits only an identity provider whose tokens carry several audiences. If yours sends one (most do), remove "${c.operator.set}:"; ${c.operator.set === 'ForAllValues' ? 'ForAllValues is also true when the claim is absent' : 'keep it only for a multivalued aud claim'}.`, { severity: 'info' });
        }
      }
    }
  },
};
