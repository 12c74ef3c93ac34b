/**
 * The shape of a resource ARN in a policy: `arn:partition:service:region:account:resource`,
 * where any part may hold `*`/`?` wildcards. Pure string rules; what a service's ARNs look
 * like in detail is in `arnFormats.ts`.
 */
import { hasWildcard, matchesWildcard } from '../wildcard';

/** The partitions AWS has; `aws-iso-*` and other `aws-…` names are accepted as well. */
export const KNOWN_PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc'];

const PARTITION_SHAPE = /^aws(-[a-z]+)*$/;
const SERVICE_SHAPE = /^[a-z0-9*?][a-z0-9.*?-]*$/;
const REGION_SHAPE = /^[a-z0-9*?-]*$/;

/** Account parts that are not account ids: AWS-owned resources (`arn:aws:iam::aws:policy/…`). */
const NAMED_ACCOUNTS = new Set(['aws']);

export function isPartition(p: string): boolean {
  if (hasWildcard(p)) return KNOWN_PARTITIONS.some((k) => matchesWildcard(p, k));
  return PARTITION_SHAPE.test(p);
}

function accountProblem(account: string): string | undefined {
  if (account === '' || NAMED_ACCOUNTS.has(account) || /^\d{12}$/.test(account)) return undefined;
  if (hasWildcard(account) && /^[0-9*?]+$/.test(account)) {
    // A wildcard account must still be able to stand for twelve digits.
    const fixed = account.replace(/\*/g, '').length;
    if (fixed <= 12 && (account.includes('*') || fixed === 12)) return undefined;
  }
  return `the account "${account}" is not a 12-digit account id (or empty, or a wildcard)`;
}

/**
 * Why a string is not a valid resource ARN, or undefined when it is one (or `*`). Policy
 * variables must have been replaced before (see `replaceVariables`).
 */
export function arnProblem(s: string): string | undefined {
  if (s === '*') return undefined;
  if (!s.startsWith('arn:')) {
    if (/^arn:/i.test(s)) return 'an ARN starts with lower-case "arn:"';
    return 'it is neither "*" nor an ARN (arn:partition:service:region:account:resource)';
  }
  const parts = s.split(':');
  if (parts.length < 6) {
    // `arn:aws:s3:*` — a trailing wildcard may stand for the missing parts.
    if (hasWildcard(parts[parts.length - 1])) return undefined;
    return `an ARN has six colon-separated parts (arn:partition:service:region:account:resource); this one has ${parts.length}`;
  }
  const [, partition, service, region, account] = parts;
  if (!isPartition(partition)) return `"${partition}" is not an AWS partition (${KNOWN_PARTITIONS.slice(0, 4).join(', ')}, …)`;
  if (!SERVICE_SHAPE.test(service)) {
    if (service === '') return 'the service part is empty';
    if (SERVICE_SHAPE.test(service.toLowerCase())) return `the service "${service}" must be lower case`;
    return `"${service}" is not a service name`;
  }
  if (!REGION_SHAPE.test(region)) return `"${region}" is not a Region name`;
  const acct = accountProblem(account);
  // An empty resource part names nothing, but IAM accepts it (AWS managed policies have one).
  return acct;
}
