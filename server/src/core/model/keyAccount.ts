/**
 * The account a key policy belongs to, and the account of each principal it names.
 *
 * The key's own account is the owner's account when the workspace knows it. Otherwise it
 * is inferred from the default-key-policy pattern: the first statement that allows `kms:*`
 * (or `*`), with no condition, to account principals only — those accounts are taken as
 * the key's own. In CloudFormation, `${AWS::AccountId}` is always the key's own account.
 */
import type { JsonNode } from '../json/jsonDocument';
import { resolveString } from './templateValues';
import { accountPrincipal, parseArn } from './arn';
import { parseAction } from './actionNames';
import { matchesWildcard } from '../wildcard';
import { principalEntries, type PolicyDocument, type Statement, statementItems } from './policyDocument';

/** What a principal value tells about its account. */
export interface PrincipalAccount {
  /** The account part of the ARN (or the bare id), as written; may be a placeholder. */
  account?: string;
  /** `${AWS::AccountId}` in a CloudFormation template: the key's own account. */
  templateAccount: boolean;
  /** The account principal (`arn:…:iam::A:root` or `"A"`). */
  root: boolean;
  /** The value could not be read (an intrinsic function the checks cannot resolve). */
  unknown: boolean;
  /** The value as text, `${AWS::AccountId}` kept. */
  display?: string;
}

/** Stands for `AWS::AccountId` while resolving intrinsic functions; never a real account id. */
const TEMPLATE_ACCOUNT = 'TEMPLATE-ACCOUNT';

/**
 * The account principal's account part, as written: `arn:PARTITION:iam::ACCOUNT:root` or a
 * bare 12-digit id. Documentation placeholders (`ACCOUNT_ID`, `111122223333`) count, so that
 * examples compare with themselves.
 */
function rootAccount(text: string): string | undefined {
  const bare = accountPrincipal(text);
  if (bare) return bare;
  const arn = parseArn(text);
  return arn && arn.service === 'iam' && arn.region === '' && arn.resource === 'root' && arn.account !== '' ? arn.account : undefined;
}

/** The account of an IAM principal value (string or CloudFormation intrinsic). */
export function principalAccount(node: JsonNode): PrincipalAccount {
  let text: string | undefined;
  if (node.type === 'string' || node.type === 'number') text = String(node.value);
  else text = resolveString(node, { account: TEMPLATE_ACCOUNT, partition: 'aws', region: 'us-east-1' });
  if (text === undefined) return { templateAccount: false, root: false, unknown: true };
  const display = text.split(TEMPLATE_ACCOUNT).join('${AWS::AccountId}');
  const rootOf = rootAccount(text);
  // `!Ref AWS::AccountId` (or `!Sub '${AWS::AccountId}'`) is the bare id: the account principal too.
  if (text.includes(TEMPLATE_ACCOUNT)) return { templateAccount: true, root: rootOf === TEMPLATE_ACCOUNT || text === TEMPLATE_ACCOUNT, unknown: false, display };
  if (rootOf !== undefined) return { account: rootOf, templateAccount: false, root: true, unknown: false, display };
  const arn = parseArn(text);
  return { account: arn && arn.account !== '' ? arn.account : undefined, templateAccount: false, root: false, unknown: false, display };
}

/** `kms:*`, `*`, `KMS:*` and spellings like `k*:*`: every KMS action. */
export function isAllKmsAction(action: string): boolean {
  const a = parseAction(action);
  if (!a) return false;
  if (a.service === '*' && a.name === '*') return true;
  return matchesWildcard(a.service, 'kms', true) && /^\*+$/.test(a.name);
}

export interface OwnAccount {
  /** Accounts taken as the key's own. */
  accounts: Set<string>;
  /** How they were found: from the workspace, inferred from the policy, or not at all. */
  source: 'owner' | 'inferred' | 'unknown';
  /** The statement the accounts were inferred from. */
  inferredFrom?: Statement;
}

/** The key's own account(s), from the owner or the default-key-policy pattern. */
export function ownAccount(doc: PolicyDocument, statements: readonly Statement[]): OwnAccount {
  const fromOwner = doc.owner.account ?? (doc.owner.keyArn ? parseArn(doc.owner.keyArn)?.account : undefined);
  if (fromOwner && /^\d{12}$/.test(fromOwner)) return { accounts: new Set([fromOwner]), source: 'owner' };
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i];
    if (s.effect !== 'Allow' || s.elements.Condition || !s.elements.Principal) continue;
    if (!statementItems(s, 'Action').some((a) => a.value !== undefined && isAllKmsAction(a.value))) continue;
    const entries = principalEntries(s.elements.Principal.value);
    if (entries.length === 0 || !entries.every((e) => e.type === 'AWS')) continue;
    const accounts = entries.map((e) => principalAccount(e.item.node));
    if (!accounts.every((a) => a.root)) continue;
    const found = new Set(accounts.map((a) => a.account).filter((a): a is string => !!a));
    return { accounts: found, source: 'inferred', inferredFrom: s };
  }
  return { accounts: new Set(), source: 'unknown' };
}

/** Whether a principal value is the key's own account principal (`:root` or the bare id). */
export function isOwnRoot(p: PrincipalAccount, own: OwnAccount): boolean {
  if (!p.root) return false;
  if (p.templateAccount) return true;
  return p.account !== undefined && own.accounts.has(p.account);
}

/** The key's own account as a text (`Check.documentInput` of checks that read it): findings kept while it stays the same. */
export function ownAccountInput(doc: PolicyDocument, statements: readonly Statement[]): string {
  const own = ownAccount(doc, statements);
  return `${own.source} ${[...own.accounts].sort().join(' ')}`;
}
