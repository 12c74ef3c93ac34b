/**
 * What the workspace knows about accounts, principals and keys (manifest and document
 * owners), in the forms hover and completion use.
 */
import type { Workspace } from '../workspace/workspace';

/** Role and user ARNs known in the workspace, sorted (groups cannot be principals). */
export function knownPrincipals(ws: Workspace): string[] {
  return ws.knownPrincipals().filter((arn) => !/^arn:[^:]*:iam::[^:]*:group\//.test(arn));
}

/** Full key ARNs known in the workspace, sorted (partial owners such as `arn:aws:kms:r:a:key/*` left out). */
export function knownKeyArns(ws: Workspace): string[] {
  return ws.knownKeyArns().filter((arn) => /:key\/[^*?]+$/.test(arn));
}

export function knownAccounts(ws: Workspace): { id: string; name?: string }[] {
  return ws.knownAccounts();
}

/** `` `111122223333` (security)`` or just the id; the name as the manifest governing `file` (the hovered one) gives it. */
export function accountLabel(ws: Workspace, id: string, file: string): string {
  const name = ws.accountName(id, file);
  return name ? `\`${id}\` (${name})` : `\`${id}\``;
}
