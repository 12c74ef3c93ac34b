/**
 * How a check is reported, as the editor's `policyHandshake.checks.<id>` and the CLI's
 * `--check ID=LEVEL` say it: one reading for both.
 */
import type { Finding, Severity, SeveritySetting } from './findings';

/** The levels a check can be set to. */
export const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['off', 'hint', 'info', 'warning', 'error'];

export function isSeveritySetting(value: unknown): value is SeveritySetting {
  return typeof value === 'string' && (SEVERITY_SETTINGS as readonly string[]).includes(value);
}

/**
 * The severity a finding is reported with, or undefined when its check is off. A check set
 * explicitly gets that severity for every finding, even where the check reports a case
 * lower than its default (duplicate-sid in a key policy); a check not set keeps each
 * finding's own severity.
 */
export function effectiveSeverity(finding: Finding, checks: Readonly<Record<string, SeveritySetting>>): Severity | undefined {
  const setting = checks[finding.checkId];
  if (setting === undefined) return finding.severity;
  if (setting === 'off') return undefined;
  return setting;
}
