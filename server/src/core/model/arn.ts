/** ARN parsing: `arn:partition:service:region:account:resource`. */
export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the fifth colon (may contain colons and slashes). */
  resource: string;
}

export function parseArn(s: string): Arn | undefined {
  if (!s.startsWith('arn:')) return undefined;
  // The first five colons, found in place: the handshake parses principals on every edit.
  const c2 = s.indexOf(':', 4);
  const c3 = c2 < 0 ? -1 : s.indexOf(':', c2 + 1);
  const c4 = c3 < 0 ? -1 : s.indexOf(':', c3 + 1);
  const c5 = c4 < 0 ? -1 : s.indexOf(':', c4 + 1);
  if (c5 < 0) return undefined;
  return { partition: s.slice(4, c2), service: s.slice(c2 + 1, c3), region: s.slice(c3 + 1, c4), account: s.slice(c4 + 1, c5), resource: s.slice(c5 + 1) };
}

export const ACCOUNT_ID = /^\d{12}$/;

/** `arn:aws:iam::123456789012:root` or a bare 12-digit account id: the account principal. */
export function accountPrincipal(s: string): string | undefined {
  if (ACCOUNT_ID.test(s)) return s;
  const arn = parseArn(s);
  if (arn && arn.service === 'iam' && arn.region === '' && arn.resource === 'root' && ACCOUNT_ID.test(arn.account)) return arn.account;
  return undefined;
}

export function iamPrincipalKind(s: string): 'account' | 'role' | 'assumed-role' | 'user' | 'federated-user' | 'group' | 'other' | undefined {
  if (accountPrincipal(s)) return 'account';
  const arn = parseArn(s);
  if (!arn) return undefined;
  if (arn.service === 'sts') {
    if (arn.resource.startsWith('assumed-role/')) return 'assumed-role';
    if (arn.resource.startsWith('federated-user/')) return 'federated-user';
    return 'other';
  }
  if (arn.service !== 'iam') return 'other';
  if (arn.resource.startsWith('role/')) return 'role';
  if (arn.resource.startsWith('user/')) return 'user';
  if (arn.resource.startsWith('group/')) return 'group';
  return 'other';
}

/**
 * The ARN of an IAM role, user, group or managed policy from its name and path
 * (`arn:aws:iam::111122223333:role/service/Pipeline`): the path defaults to `/`, and is given
 * its leading and trailing slash when written without them.
 */
export function iamEntityArn(partition: string, account: string, kind: string, name: string, path: string | undefined): string {
  const p = !path || path === '/' ? '/' : `${path.startsWith('/') ? '' : '/'}${path}${path.endsWith('/') ? '' : '/'}`;
  return `arn:${partition}:iam::${account}:${kind}${p}${name}`;
}
