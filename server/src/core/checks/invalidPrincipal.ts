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
    if (/^\d+$/.test(v)) return `"${v}" has ${v.length} digits; an account id has 12.`;
    return `"${v}" is not a principal: use "*", a 12-digit account id, or an IAM role, user or account ARN.`;
  }
  const parts = v.split(':');
  if (parts.length < 6) return `"${v}" is not a complete ARN (arn:partition:iam::account:role/name).`;
  const [, partition, service, region, account] = parts;
  const resource = parts.slice(5).join(':');
  if (hasWildcard(v)) return 'A principal ARN cannot contain wildcards: use "*" with a condition on aws:PrincipalArn instead.';
  if (!isPartition(partition)) return `"${partition}" is not an AWS partition.`;
  if (service !== 'iam' && service !== 'sts') return `A principal ARN is an IAM or STS ARN; "${service}" ARNs cannot be principals.`;
  if (region !== '') return 'IAM and STS principal ARNs have no Region (arn:aws:iam::account:…).';
  // CloudFront origin access identities are IAM users of the account named `cloudfront`.
  const oai = service === 'iam' && account === 'cloudfront' && resource.startsWith('user/CloudFront Origin Access Identity ');
  if (!ACCOUNT_ID.test(account) && !oai) return `The account "${account}" is not a 12-digit account id.`;
  const kinds = service === 'iam' ? /^(root|role\/.+|user\/.+)$/ : /^(assumed-role\/[^/]+\/.+|federated-user\/.+)$/;
  if (!kinds.test(resource)) {
    return service === 'iam'
      ? `"${resource}" is not a principal: IAM principals are root, role/NAME and user/NAME (groups cannot be principals).`
      : `"${resource}" is not a principal: STS principals are assumed-role/ROLE/SESSION and federated-user/NAME.`;
  }
  return undefined;
}

export function servicePrincipalProblem(v: string): string | undefined {
  if (v === '*' || SERVICE_PRINCIPAL.test(v)) return undefined;
  if (hasWildcard(v)) return 'A service principal cannot contain wildcards.';
  if (/^[a-z0-9-]+$/i.test(v)) return `"${v}" is not a service principal: write it as ${v.toLowerCase()}.amazonaws.com.`;
  return `"${v}" is not a service principal (SERVICE.amazonaws.com).`;
}

export function federatedPrincipalProblem(v: string): string | undefined {
  if (v === '*') return undefined;
  if (v.startsWith('arn:')) {
    const parts = v.split(':');
    const resource = parts.slice(5).join(':');
    if (parts.length >= 6 && isPartition(parts[1]) && parts[2] === 'iam' && parts[3] === '' && ACCOUNT_ID.test(parts[4]) && /^(saml-provider|oidc-provider)\/.+/.test(resource) && !hasWildcard(v)) return undefined;
    return `"${v}" is not an identity provider ARN (arn:aws:iam::account:saml-provider/NAME or oidc-provider/HOST).`;
  }
  if (DOMAIN.test(v)) return undefined;
  return `"${v}" is not a federated principal: use an identity provider ARN or a provider domain such as cognito-identity.amazonaws.com.`;
}

function canonicalUserProblem(v: string): string | undefined {
  if (v === '*' || CANONICAL_USER.test(v)) return undefined;
  return 'A canonical user id is 64 hexadecimal characters.';
}

/**
 * An account id written as an unquoted YAML number with a leading zero (`AWS: 012345678901`):
 * YAML reads a number and the zero is lost (a YAML 1.1 reader such as cfn-lint even reads
 * digits 0–7 as octal), so the account CloudFormation sees is not the one written.
 */
function leadingZeroProblem(text: string, value: number): string | undefined {
  if (!/^0[0-9]+$/.test(text)) return undefined;
  return `${text} is read as the number ${value}: the leading zero is lost, so this is not account ${text}. Quote it ('${text}').`;
}

/**
 * A principal written as a plain string other than `"*"` (`"Principal": "arn:aws:iam::…:root"`):
 * AWS refuses it. This check owns the mistake (the grammar leaves it here): one finding, with a
 * quick-fix that puts the value under the principal type it is valid for.
 */
function reportStringPrincipal(ctx: CheckContext, name: string, node: JsonNode): void {
  const v = String(node.value);
  const type = awsPrincipalProblem(v) === undefined ? 'AWS' : SERVICE_PRINCIPAL.test(v) ? 'Service' : undefined;
  ctx.report(node, `A ${name} written as a string must be "*"; name other principals in an object such as {"${type ?? 'AWS'}": ${JSON.stringify(v)}}.`, type ? {
    fixes: [{ title: `Write {"${type}": ${JSON.stringify(v)}}`, id: 'principal-object', isPreferred: true, edits: [{ offset: node.offset, length: node.length, newText: `{"${type}": ${JSON.stringify(v)}}` }] }],
  } : undefined);
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
    for (const s of ctx.statements) {
      for (const name of PRINCIPAL_ELEMENTS) {
        const node = s.elements[name]?.value;
        if (!node || isIntrinsic(node)) continue;
        if (node.type === 'string') {
          if (node.value !== '*') reportStringPrincipal(ctx, name, node);
          continue;
        }
        for (const p of properties(node)) {
          const rule = VALUE_RULES[p.name];
          if (!rule) {
            const suggestion = PRINCIPAL_TYPES.find((t) => t.toLowerCase() === p.name.toLowerCase());
            ctx.report(p.key, `"${p.name}" is not a principal type${suggestion ? `; did you mean "${suggestion}"?` : ` (${PRINCIPAL_TYPES.join(', ')})`}.`);
            continue;
          }
          const values = p.value?.type === 'array' ? p.value.children ?? [] : p.value ? [p.value] : [];
          for (const v of values) {
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
};
