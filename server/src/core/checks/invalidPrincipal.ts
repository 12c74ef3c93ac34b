import type { Check, CheckContext } from './check';
import type { JsonNode } from '../json/jsonDocument';
import { properties } from '../json/nodes';
import { ACCOUNT_ID } from '../model/arn';
import { isPartition } from '../model/arnSyntax';
import { isIntrinsic, PRINCIPAL_ELEMENTS } from '../model/policyDocument';
import { lookupTable } from '../lookupTable';
import { hasWildcard } from '../wildcard';

export const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'];

/** Role and user unique ids: valid, but `unique-id-principal` says what they mean. */
const UNIQUE_ID = /^(AROA|AIDA)[A-Z0-9]{12,}$/;
/** Service principals: `name.amazonaws.com`, China, the isolated and sovereign partitions, and `*.amazon.com` ones. */
const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9.-]*\.(amazonaws\.com|amazonaws\.com\.cn|amazon\.com|c2s\.ic\.gov|sc2s\.sgov\.gov|cloud\.adc-e\.uk|csp\.hci\.ic\.gov|amazonaws\.eu)$/i;
/** A domain name (web identity providers: `cognito-identity.amazonaws.com`, `accounts.google.com`, …). */
const DOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(\/[^\s]*)?$/i;
const CANONICAL_USER = /^[0-9a-f]{64}$/i;

/** Why an `AWS` principal value is malformed, or undefined. */
export function awsPrincipalProblem(v: string): string | undefined {
  if (v === '*' || ACCOUNT_ID.test(v) || UNIQUE_ID.test(v)) return undefined;
  if (!v.startsWith('arn:')) {
    if (/^\d+$/.test(v)) return `An account id has 12 digits: correct it. "${v}" has ${v.length}.`;
    return `This is not a principal: use "*", a 12-digit account id, or an IAM role, user or account ARN. "${v}" is none of these.`;
  }
  const parts = v.split(':');
  if (parts.length < 6) return `This principal ARN is incomplete: write arn:partition:iam::account:role/name. "${v}" has fewer parts.`;
  const [, partition, service, region, account] = parts;
  const resource = parts.slice(5).join(':');
  if (hasWildcard(v)) return 'A principal ARN cannot contain wildcards: use "*" with a condition on aws:PrincipalArn instead.';
  if (!isPartition(partition)) return `The partition of this principal ARN is not an AWS partition: correct it. "${partition}" is not one.`;
  if (service !== 'iam' && service !== 'sts') return `A principal ARN is an IAM or STS ARN: name a role, user or account. "${service}" ARNs cannot be principals.`;
  if (region !== '') return 'IAM and STS principal ARNs have no Region: remove it (arn:aws:iam::account:…).';
  // CloudFront origin access identities are IAM users of the account named `cloudfront`.
  const oai = service === 'iam' && account === 'cloudfront' && resource.startsWith('user/CloudFront Origin Access Identity ');
  if (!ACCOUNT_ID.test(account) && !oai) return `The account of this principal ARN is not a 12-digit account id: correct it. "${account}" is not one.`;
  const kinds = service === 'iam' ? /^(root|role\/.+|user\/.+)$/ : /^(assumed-role\/[^/]+\/.+|federated-user\/.+)$/;
  if (!kinds.test(resource)) {
    return service === 'iam'
      ? `This IAM ARN names no principal: use root, role/NAME or user/NAME (groups cannot be principals). "${resource}" is none of these.`
      : `This STS ARN names no principal: use assumed-role/ROLE/SESSION or federated-user/NAME. "${resource}" is neither.`;
  }
  return undefined;
}

export function servicePrincipalProblem(v: string): string | undefined {
  if (v === '*' || SERVICE_PRINCIPAL.test(v)) return undefined;
  if (hasWildcard(v)) return 'A service principal cannot contain wildcards: name the service.';
  if (/^[a-z0-9-]+$/i.test(v)) return `This is not a service principal: write it as ${v.toLowerCase()}.amazonaws.com.`;
  return `This is not a service principal: write SERVICE.amazonaws.com. "${v}" is not of that form.`;
}

export function federatedPrincipalProblem(v: string): string | undefined {
  if (v === '*') return undefined;
  if (v.startsWith('arn:')) {
    const parts = v.split(':');
    const resource = parts.slice(5).join(':');
    if (parts.length >= 6 && isPartition(parts[1]) && parts[2] === 'iam' && parts[3] === '' && ACCOUNT_ID.test(parts[4]) && /^(saml-provider|oidc-provider)\/.+/.test(resource) && !hasWildcard(v)) return undefined;
    return `This is not an identity provider ARN: write arn:aws:iam::account:saml-provider/NAME or oidc-provider/HOST. "${v}" is not one.`;
  }
  if (DOMAIN.test(v)) return undefined;
  return `This is not a federated principal: use an identity provider ARN or a provider domain (cognito-identity.amazonaws.com). "${v}" is neither.`;
}

function canonicalUserProblem(v: string): string | undefined {
  if (v === '*' || CANONICAL_USER.test(v)) return undefined;
  return 'A canonical user id is 64 hexadecimal characters: correct it.';
}

/**
 * An account id written as an unquoted YAML number with a leading zero (`AWS: 012345678901`):
 * YAML reads a number and the zero is lost (a YAML 1.1 reader such as cfn-lint even reads
 * digits 0–7 as octal), so the account CloudFormation sees is not the one written.
 */
function leadingZeroProblem(text: string, value: number): string | undefined {
  if (!/^0[0-9]+$/.test(text)) return undefined;
  // What CloudFormation itself makes of it is not documented: the message says what YAML readers do, not which number results.
  return `${text} is an unquoted number, not an account id: quote it ('${text}'). YAML readers drop the leading zero (this product reads ${value}) or, reading YAML 1.1, take digits 0–7 as octal, so the account CloudFormation sees is not the one written.`;
}

/**
 * A principal written as a plain string other than `"*"` (`"Principal": "arn:aws:iam::…:root"`):
 * AWS refuses it. This check owns the mistake (the grammar leaves it here): one finding, with a
 * quick-fix that puts the value under the principal type it is valid for.
 */
function reportStringPrincipal(ctx: CheckContext, name: string, node: JsonNode): void {
  const v = String(node.value);
  const type = awsPrincipalProblem(v) === undefined ? 'AWS' : SERVICE_PRINCIPAL.test(v) ? 'Service' : undefined;
  ctx.report(node, `A ${name} written as a string must be "*": name other principals in an object. Write {"${type ?? 'AWS'}": ${JSON.stringify(v)}}.`, type ? {
    fixes: [{ title: `Write {"${type}": ${JSON.stringify(v)}}`, id: 'principal-object', isPreferred: true, edits: [{ offset: node.offset, length: node.length, newText: `{"${type}": ${JSON.stringify(v)}}` }] }],
  } : undefined);
}

/**
 * Why a grant's grantee or retiring principal is not one CreateGrant takes (an IAM or STS ARN of
 * an account root, a role, a user, an assumed-role or federated-user session, or a service
 * principal), or undefined. A malformed ARN gets the message a key policy's principal gets.
 */
export function grantPrincipalProblem(v: string): string | undefined {
  if (v.startsWith('arn:')) return awsPrincipalProblem(v);
  if (v !== '*' && SERVICE_PRINCIPAL.test(v)) return undefined;
  if (ACCOUNT_ID.test(v)) return `A grant principal is an ARN: write arn:aws:iam::${v}:root for the account. Grants take no bare account id.`;
  return `This is not a grant principal: name an IAM role, user or account by ARN, or a service principal. "${v}" is none of these.`;
}

const VALUE_RULES = lookupTable<(v: string) => string | undefined>({
  AWS: awsPrincipalProblem,
  Service: servicePrincipalProblem,
  Federated: federatedPrincipalProblem,
  CanonicalUser: canonicalUserProblem,
});

/** Malformed principals: account ids, ARN shapes, service principals, wildcards inside ARNs, unknown principal types. */
export const invalidPrincipal: Check = {
  id: 'invalid-principal',
  defaultSeverity: 'error',
  summary: 'Malformed principal: account id, ARN shape, service principal, wildcard inside an ARN',
  statementLocal: true,
  kinds: ['kms-key-policy', 'iam-trust-policy', 'unknown'],
  run(ctx) {
    for (let n = 0; n < ctx.statements.length; n++) {
      const s = ctx.statements[n];
      for (let k = 0; k < PRINCIPAL_ELEMENTS.length; k++) {
        const name = PRINCIPAL_ELEMENTS[k];
        const node = s.elements[name]?.value;
        if (!node || isIntrinsic(node)) continue;
        if (node.type === 'string') {
          if (node.value !== '*') reportStringPrincipal(ctx, name, node);
          continue;
        }
        const ps = properties(node);
        for (let j = 0; j < ps.length; j++) {
          const p = ps[j];
          const rule = VALUE_RULES[p.name];
          if (!rule) {
            const suggestion = PRINCIPAL_TYPES.find((t) => t.toLowerCase() === p.name.toLowerCase());
            ctx.report(p.key, `Unknown principal type "${p.name}": ${suggestion ? `did you mean "${suggestion}"?` : `use ${PRINCIPAL_TYPES.slice(0, -1).join(', ')} or ${PRINCIPAL_TYPES[PRINCIPAL_TYPES.length - 1]}.`}`);
            continue;
          }
          const values = p.value?.type === 'array' ? p.value.children ?? [] : p.value ? [p.value] : [];
          for (let i = 0; i < values.length; i++) {
            const v = values[i];
            if (v.type === 'number' && p.name === 'AWS') {
              const problem = leadingZeroProblem(ctx.doc.json.text.slice(v.offset, v.offset + v.length), Number(v.value));
              if (problem) ctx.report(v, problem, { fixes: [{ title: 'Quote the account id', id: 'quote-account-id', isPreferred: true, edits: [{ offset: v.offset, length: v.length, newText: JSON.stringify(ctx.doc.json.text.slice(v.offset, v.offset + v.length)) }] }] });
              continue;
            }
            if (v.type !== 'string') continue;
            const problem = rule(String(v.value));
            if (problem) ctx.report(v, problem);
          }
        }
      }
    }
  },
  grants(ctx) {
    for (const g of ctx.grants) {
      for (const p of g.principals) {
        const problem = grantPrincipalProblem(p.value);
        if (problem) ctx.report(p.span, problem);
      }
    }
  },
};
