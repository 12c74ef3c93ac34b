/** The list of checks. Only lists: each check lives in its own module. */
import type { Check } from './check';
import { catalogChecks } from './groups/catalog';
import { elementsChecks } from './groups/elements';
import { handshakeChecks } from './groups/handshake';
import { kmsChecks } from './groups/kms';
import { principalMissing } from './principalMissing';
import { principalNotAllowed } from './principalNotAllowed';

/**
 * Every check. Groups: grammar and catalog (`schema`, `unknown-*`), statement elements
 * (ARNs, principals, conditions, Sids), KMS rules, and the cross-account handshake.
 */
export const allChecks: Check<any>[] = [
  principalNotAllowed,
  principalMissing,
  ...catalogChecks,
  ...elementsChecks,
  ...kmsChecks,
  ...handshakeChecks,
];

/** Ids reported by the engine itself rather than by a check module. */
export const engineCheckIds = [
  { id: 'json-syntax', defaultSeverity: 'error', summary: 'JSON that does not parse: a missing comma, quote or bracket' },
  { id: 'yaml-syntax', defaultSeverity: 'error', summary: 'Malformed CloudFormation YAML template' },
  { id: 'file-skipped', defaultSeverity: 'info', summary: 'File not checked: over the size or nesting limit' },
  { id: 'internal-error', defaultSeverity: 'warning', summary: 'A check failed on this document; the others ran' },
] as const;

export function allCheckMetadata(): { id: string; defaultSeverity: string; summary: string; scope?: 'document' | 'workspace' }[] {
  return [...engineCheckIds, ...allChecks.map((c) => ({ id: c.id, defaultSeverity: c.defaultSeverity, summary: c.summary, ...(c.scope ? { scope: c.scope } : {}) }))];
}
