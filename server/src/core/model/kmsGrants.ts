/**
 * KMS grants as sources declare them (Terraform `aws_kms_grant`): a grant gives its grantee
 * principal its operations on one key (KMS Developer Guide, "Grants in AWS KMS"). What the
 * handshake makes of them is in `handshake/kmsGrants.ts`.
 */
import type { Span } from '../findings';

/** The operations a grant can carry (lower-case action names, as the handshake writes actions). */
export const GRANTABLE_OPERATIONS: ReadonlySet<string> = new Set([
  'Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext',
  'GenerateDataKeyWithoutPlaintext', 'GenerateMac', 'ReEncryptFrom', 'ReEncryptTo', 'Sign', 'Verify',
  'VerifyMac', 'CreateGrant', 'DescribeKey', 'GetPublicKey', 'RetireGrant',
].map((a) => a.toLowerCase()));

export interface KmsGrant {
  /** How the grant is named in messages (`aws_kms_grant.reader`). */
  label: string;
  /** File the grant is declared in, and its span there (file offsets). */
  file: string;
  span: Span;
  /** The grantee's ARN when it is known. */
  grantee?: string;
  /** Operations it gives (lower-case action names; names KMS does not accept as grant operations are left out). */
  operations: Set<string>;
  /** An encryption-context constraint: the request's context must equal (or contain) these pairs. */
  constraint?: { type: 'equals' | 'subset'; context: Record<string, string> | undefined };
  /** The retiring principal's ARN, when known. */
  retiring?: string;
}

