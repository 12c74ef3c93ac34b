/**
 * KMS grants: the third way a principal reaches a key, next to the key policy and IAM. A grant
 * gives its grantee principal its operations on one key, with no key-policy statement and no
 * IAM statement needed (KMS Developer Guide, "Grants in AWS KMS"). The sources that declare
 * grants (Terraform `aws_kms_grant`) attach them to the key policy of the key they are on.
 */
import type { Span } from '../findings';
import type { KmsGrant } from '../model/kmsGrants';
import type { PolicyDocument } from '../model/policyDocument';
import { samePrincipal } from './keyPolicyTrusts';

export type { KmsGrant };

/** The grants on a key-policy document's key. */
export function keyGrants(doc: PolicyDocument): readonly KmsGrant[] {
  return doc.kmsGrants ?? [];
}

/** Grants on the key whose grantee is this role or user (an assumed-role session of the role included). */
export function grantsTo(doc: PolicyDocument, principal: string): KmsGrant[] {
  return keyGrants(doc).filter((g) => g.grantee !== undefined && (samePrincipal(g.grantee, principal) || samePrincipal(principal, g.grantee)));
}

/** Grants on the key to roles, users or sessions of the account (not to the account itself, which needs IAM to delegate). */
export function grantsToAccount(doc: PolicyDocument, account: string): KmsGrant[] {
  return keyGrants(doc).filter((g) => {
    if (!g.grantee) return false;
    const parts = g.grantee.split(':');
    return parts[4] === account && parts.length >= 6 && parts[5] !== 'root';
  });
}

/** The operations a list of grants gives, together. */
export function grantedOperations(grants: readonly KmsGrant[]): Set<string> {
  const out = new Set<string>();
  for (const g of grants) for (const o of g.operations) out.add(o);
  return out;
}

/** `encryption context equal to {"Department":"Finance"}`, or nothing. */
export function constraintLabel(g: KmsGrant): string {
  if (!g.constraint) return '';
  const ctx = g.constraint.context ? JSON.stringify(g.constraint.context) : 'pairs known at apply time';
  return `encryption context ${g.constraint.type === 'equals' ? 'equal to' : 'containing'} ${ctx}`;
}

/**
 * What KMS grants give out of a set of actions: the actions they cover, the actions left, and a
 * sentence naming the grants and their grantees (empty when they cover nothing).
 */
export function grantCoverage(grants: readonly KmsGrant[], actions: ReadonlySet<string>, display: (actions: Set<string>) => string): { covered: Set<string>; left: Set<string>; note: string; used: KmsGrant[] } {
  const used = grants.filter((g) => [...g.operations].some((o) => actions.has(o)));
  const granted = grantedOperations(used);
  const covered = new Set([...actions].filter((a) => granted.has(a)));
  const left = new Set([...actions].filter((a) => !granted.has(a)));
  if (covered.size === 0) return { covered, left, note: '', used };
  const who = [...new Set(used.map((g) => principalName(g.grantee!)))].join(', ');
  const constrained = used.filter((g) => g.constraint).map((g) => `${g.label}: ${constraintLabel(g)}`);
  const note = `${who} ${used.length === 1 ? 'has' : 'have'} ${display(covered)} through the KMS grant${used.length === 1 ? '' : 's'} ${used.map((g) => g.label).join(', ')}`
    + `${constrained.length ? ` (${constrained.join('; ')})` : ''}.`;
  return { covered, left, note, used };
}

/** `role/AppReader` (the ARN's resource part). */
function principalName(arn: string): string {
  const parts = arn.split(':');
  return parts.length >= 6 ? parts.slice(5).join(':') : arn;
}

/** Related information at a grant's declaration. */
export function grantRelated(g: KmsGrant, display: (actions: Set<string>) => string): { file: string; span: Span; message: string } {
  return { file: g.file, span: g.span, message: `KMS grant ${g.label}: ${display(g.operations)} for ${g.grantee ? principalName(g.grantee) : 'a grantee known at apply time'}` };
}

/** The grants on the key to the role or user a key-policy trust names, or to the roles and users of the account it trusts. */
export function trustGrants(doc: PolicyDocument, t: { trust: { form: string; principalArn?: string }; account: string }): KmsGrant[] {
  return t.trust.form === 'principal' && t.trust.principalArn ? grantsTo(doc, t.trust.principalArn) : grantsToAccount(doc, t.account);
}
