/**
 * KMS grants as sources declare them (Terraform `aws_kms_grant`): a grant gives its grantee
 * principal its operations on one key (KMS Developer Guide, "Grants in AWS KMS"). What the
 * handshake makes of them is in `handshake/kmsGrants.ts`.
 */
import type { Span } from '../findings';

/**
 * The operations a grant can carry, as CreateGrant's `Operations` spells them (case-sensitive,
 * no `kms:` prefix; KMS API Reference, `GrantOperation`). ListGrants, RevokeGrant and the key
 * management actions cannot be granted.
 */
export const GRANT_OPERATIONS: readonly string[] = [
  'Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext',
  'GenerateDataKeyWithoutPlaintext', 'GenerateMac', 'ReEncryptFrom', 'ReEncryptTo', 'Sign', 'Verify',
  'VerifyMac', 'DeriveSharedSecret', 'Encapsulate', 'Decapsulate', 'CreateGrant', 'DescribeKey', 'GetPublicKey', 'RetireGrant',
];

const EXACT_OPERATIONS: ReadonlySet<string> = new Set(GRANT_OPERATIONS);

/** The action a grant operation gives (lower case, as the handshake writes actions), or undefined for a name CreateGrant rejects. */
export function grantedAction(operation: string): string | undefined {
  return EXACT_OPERATIONS.has(operation) ? operation.toLowerCase() : undefined;
}

/** A literal string an `aws_kms_grant` argument writes: its value, and the span of its text between the quotes (file offsets). */
export interface GrantValue { value: string; span: Span }

/**
 * What an `aws_kms_grant` writes as literal strings, for the checks: its operations and its
 * grantee and retiring principals. Values from references, variables and templates are not here.
 */
export interface GrantDeclaration {
  /** `aws_kms_grant.NAME`. */
  label: string;
  operations: GrantValue[];
  principals: (GrantValue & { argument: 'grantee_principal' | 'retiring_principal' })[];
}

export interface KmsGrant {
  /** How the grant is named in messages (`aws_kms_grant.reader`). */
  label: string;
  /** File the grant is declared in, and its span there (file offsets). */
  file: string;
  span: Span;
  /** The grantee's ARN when it is known. */
  grantee?: string;
  /** Operations it gives (lower-case action names; names CreateGrant rejects are left out, see `grantedAction`). */
  operations: Set<string>;
  /** An encryption-context constraint: the request's context must equal (or contain) these pairs. */
  constraint?: { type: 'equals' | 'subset'; context: Record<string, string> | undefined };
  /** The retiring principal's ARN, when known. */
  retiring?: string;
}

