/**
 * What a key policy trusts: for each Allow statement, the principals it names (account
 * roots, bare account ids, role and user ARNs, `*` limited by `kms:CallerAccount` /
 * `aws:PrincipalAccount`, `*` limited to an organization) and the KMS actions it allows. Also
 * the Deny statements that take actions away again. Whether a statement's condition holds for
 * a given caller is decided later, per caller (`callerConditions.ts`).
 */
import type { Catalog } from '../catalog/catalog';
import type { JsonNode } from '../json/jsonDocument';
import { accountPrincipal, iamPrincipalKind, parseArn, ACCOUNT_ID } from '../model/arn';
import { positiveConditionValues, statementConditions } from '../model/conditions';
import { isIntrinsic, statementsOf, unknownStatementNodes, type PolicyDocument, type PolicyOwner, type Statement } from '../model/policyDocument';
import type { ResolvedValue } from '../model/resolvedValues';
import type { TemplateContext } from '../model/templateValues';
import { crossAccountOnly, statementKmsActions, type StatementKmsActions } from '../model/kmsActions';
import { resolvedPrincipals } from '../model/resolvedValues';
import { sharedSet } from '../arrays';

export type TrustForm =
  /** `arn:aws:iam::B:root` or `"B"`. */
  | 'root'
  /** `*` limited to account B by `kms:CallerAccount` / `aws:PrincipalAccount`. */
  | 'caller-account'
  /** A role, user or assumed-role ARN of account B. */
  | 'principal'
  /**
   * A role or user of the key's own template whose ARN is known only once deployed (`Fn::GetAtt
   * Role.Arn`), or a principal another stack of the key's account exports (`Fn::ImportValue`).
   */
  | 'template-principal'
  /** `*` limited to an organization (`aws:PrincipalOrgID` / `aws:PrincipalOrgPaths`): its member accounts come from the manifest. */
  | 'organization'
  /** `*` without an account condition. */
  | 'public';

export interface Trust {
  form: TrustForm;
  /** The principal value node in the key policy (string or intrinsic function). */
  node: JsonNode;
  /** The principal value (resolved). */
  value: string;
  /** For a principal an `Fn::If` chooses (`node` is the `Fn::If`): the branch that writes it. */
  written?: JsonNode;
  /** The account trusted (all forms but organization and public). */
  account?: string;
  /** For `principal`: the role/user ARN (an assumed-role ARN stays as written). */
  principalArn?: string;
  /** For `organization`: the organization ids the condition names, when it names them. */
  organizations?: string[];
  /** For `template-principal`: the reference that names it (see `PolicyOwner.roleRefs`), and how messages name it. */
  ref?: string;
  label?: string;
}

export interface TrustStatement {
  statement: Statement;
  actions: StatementKmsActions;
  /** The statement's actions that KMS honours across accounts. */
  capable: Set<string>;
  trusts: Trust[];
  /** `aws:PrincipalArn` patterns callers are limited to (undefined: not limited): the statement is already narrowed. */
  principalArnPatterns?: string[];
  /** Condition keys the handshake never decides (`callerConditions.ts` decides the others per caller). */
  conditionKeys: string[];
}

export interface KeyPolicyDeny {
  statement: Statement;
  actions: Set<string>;
  /** `*` for everyone, else account ids and principal ARNs. */
  principals: string[];
  /** Some principal of the statement is not known (an unresolved template value). */
  unresolved: boolean;
  /** A `NotPrincipal` Deny: everyone (`principals` is `*`) but these account ids and principal ARNs. */
  except?: string[];
}

export interface KeyPolicyTrusts {
  statements: TrustStatement[];
  denies: KeyPolicyDeny[];
  /**
   * Some Allow statement names a principal whose value is not known (an unresolved template
   * value), or a statement's content is not known at all (a Terraform `dynamic "statement"`):
   * the policy may trust principals not read here.
   */
  unresolved: boolean;
}

const ACCOUNT_KEYS = ['kms:calleraccount', 'aws:principalaccount'];
const ORG_KEYS = ['aws:principalorgid', 'aws:principalorgpaths'];

interface CallerLimits { accounts?: string[]; organization: boolean; organizations?: string[]; principalArns?: string[]; otherKeys: string[] }

/** Keys `callerConditions.ts` decides for a caller (lower case). */
const DECIDED_KEYS = new Set([
  'aws:principalarn', 'aws:principalaccount', 'kms:calleraccount', 'aws:principaltype', 'aws:principalorgid',
  'aws:principalorgpaths', 'kms:viaservice', 'kms:grantisforawsresource', 'aws:sourceaccount', 'aws:sourcearn',
  'aws:sourceowner', 'aws:principalisawsservice',
]);

function callerLimits(s: Statement, ctx: TemplateContext | undefined): CallerLimits {
  const otherKeys: string[] = [];
  for (const e of statementConditions(s)) if (!DECIDED_KEYS.has(e.key.toLowerCase()) && !otherKeys.includes(e.key)) otherKeys.push(e.key);
  const out: CallerLimits = { organization: !!positiveConditionValues(s, ORG_KEYS, ctx), otherKeys };
  const accounts = positiveConditionValues(s, ACCOUNT_KEYS, ctx)?.values;
  const organizations = positiveConditionValues(s, 'aws:principalorgid', ctx)?.values;
  const principalArns = positiveConditionValues(s, 'aws:principalarn', ctx, true)?.values;
  if (accounts) out.accounts = accounts;
  if (organizations) out.organizations = organizations;
  if (principalArns) out.principalArns = principalArns;
  return out;
}

function trustOf(node: JsonNode, value: string, written: JsonNode | undefined): Trust | undefined {
  const account = accountPrincipal(value);
  if (account) return written ? { form: 'root', node, value, account, written } : { form: 'root', node, value, account };
  const kind = iamPrincipalKind(value);
  if (kind === 'role' || kind === 'user' || kind === 'assumed-role') {
    const arn = parseArn(value)!;
    if (ACCOUNT_ID.test(arn.account)) return { form: 'principal', node, value, account: arn.account, principalArn: value };
  }
  return undefined;
}

export function readKeyPolicyTrusts(doc: PolicyDocument, catalog: Catalog, ctx: TemplateContext | undefined): KeyPolicyTrusts {
  const statements: TrustStatement[] = [];
  const denies: KeyPolicyDeny[] = [];
  // A statement not known may trust anyone.
  let unresolved = unknownStatementNodes(doc.root).length > 0;
  // In a text being edited, statements an edit did not touch keep their node: and what they trust.
  const kept = doc.json.edited && !doc.embedded;
  for (const s of statementsOf(doc)) {
    let read = kept ? keptTrusts.get(s.node) : undefined;
    if (!read || read.catalog !== catalog || read.ctx !== ctx || read.index !== s.index) {
      read = { catalog, ctx, index: s.index, ...readStatementTrusts(s, catalog, ctx, doc) };
      // What a template's roles are may change with the rest of the template: read those again.
      if (kept && !read.ofTemplate) keptTrusts.set(s.node, read);
    }
    if (read.unresolved) unresolved = true;
    if (read.trust) statements.push(read.trust);
    if (read.deny) denies.push(read.deny);
  }
  return { statements, denies, unresolved };
}

interface StatementTrusts {
  trust?: TrustStatement;
  deny?: KeyPolicyDeny;
  /** The statement names a principal whose value is not known. */
  unresolved: boolean;
  /** It names a role or user of its template (`Fn::GetAtt`) or an export: read with the rest of the template. */
  ofTemplate?: boolean;
}

/** By statement node, in texts being edited: what the statement trusts, and what it was read with. */
const keptTrusts = new WeakMap<JsonNode, StatementTrusts & { catalog: Catalog; ctx: TemplateContext | undefined; index: number }>();

function readStatementTrusts(s: Statement, catalog: Catalog, ctx: TemplateContext | undefined, doc: Pick<PolicyDocument, 'file' | 'owner'>): StatementTrusts {
  const none = { unresolved: false };
  const principal = s.elements.Principal?.value;
  const notPrincipal = principal ? undefined : s.elements.NotPrincipal?.value;
  const named = principal ?? notPrincipal;
  if (!named) return none;
  const actions = statementKmsActions(catalog, s);
  if (actions.actions.size === 0) return none;
  // An Allow with NotPrincipal lets in everyone but those named; the KMS documentation does not
  // describe it, so the policy may trust callers not read here.
  if (notPrincipal && s.effect !== 'Deny') return { unresolved: s.effect === 'Allow' };
  // A principal computed as a whole (a template function, a Terraform block the reader cannot read) names principals not known here.
  const principals = isIntrinsic(named)
    ? [{ type: '*', value: { node: named, value: undefined, intrinsic: true } }]
    : resolvedPrincipals(named, ctx, doc.owner.keyRefs ? doc.file : undefined).filter((p) => p.type === 'AWS' || p.type === '*');
  if (s.effect === 'Deny') {
    const values = principals.map((p) => p.value.value);
    const names = values.filter((v): v is string => v !== undefined).map((v) => (v === '*' ? '*' : accountPrincipal(v) ?? v));
    // A Deny with NotPrincipal takes the actions from everyone but those named.
    const deny: KeyPolicyDeny = notPrincipal
      ? { statement: s, actions: sharedSet(actions.actions), principals: ['*'], unresolved: values.includes(undefined), except: names }
      : { statement: s, actions: sharedSet(actions.actions), principals: names, unresolved: values.includes(undefined) };
    return { deny, unresolved: false };
  }
  if (s.effect !== 'Allow') return none;
  const limits = callerLimits(s, ctx);
  const trusts: Trust[] = [];
  let unresolved = false;
  let ofTemplate = false;
  for (const p of principals) {
    const v = p.value.value;
    if (v === undefined) {
      const t = templatePrincipalTrust(p.value, doc.owner);
      if (t) ofTemplate = true;
      // A caller-account condition naming another account: no one can match.
      if (t && !(limits.accounts && !limits.accounts.includes(t.account!))) trusts.push(t);
      else if (!t) unresolved = true;
      continue;
    }
    if (v === '*') {
      const accounts = limits.accounts ?? accountsOfArns(limits.principalArns);
      if (accounts?.length) {
        for (const a of accounts) if (ACCOUNT_ID.test(a)) trusts.push({ form: 'caller-account', node: p.value.node, value: v, account: a });
      } else {
        trusts.push(limits.organization ? { form: 'organization', node: p.value.node, value: v, organizations: limits.organizations } : { form: 'public', node: p.value.node, value: v });
      }
      continue;
    }
    const t = trustOf(p.value.node, v, p.value.written);
    // A caller-account condition on a named principal of another account: no one can match.
    if (t && limits.accounts && !limits.accounts.includes(t.account!)) continue;
    if (t) trusts.push(t);
  }
  if (trusts.length === 0) return { unresolved };
  return {
    ...(ofTemplate ? { ofTemplate } : {}),
    trust: {
      statement: s,
      // Trusts live as long as their key policy: equal action sets are one set.
      actions: { ...actions, actions: sharedSet(actions.actions) },
      capable: sharedSet(crossAccountOnly(actions.actions)),
      trusts,
      principalArnPatterns: limits.principalArns,
      conditionKeys: limits.otherKeys,
    },
    unresolved,
  };
}

/**
 * A principal of a key policy of a template that names a role or user of the template
 * (`Fn::GetAtt Role.Arn`) or an export (`Fn::ImportValue`): a principal of the key's own
 * account (a template and the exports it imports are all of one account), by its reference.
 * A role whose ARN the template gives is that ARN. Undefined for anything else, or when the
 * key's account is not known.
 */
function templatePrincipalTrust(value: ResolvedValue, owner: PolicyOwner): Trust | undefined {
  const ref = value.keyRef;
  const account = owner.account;
  if (ref === undefined || !account || !ACCOUNT_ID.test(account)) return undefined;
  const hash = ref.lastIndexOf('#');
  if (ref.startsWith('export:')) {
    return { form: 'template-principal', node: value.node, value: ref, account, ref, label: `the principal exported as ${ref.split('/').slice(2).join('/')}` };
  }
  const declared = hash < 0 ? undefined : owner.templatePrincipals?.[ref.slice(hash + 1)];
  if (!declared) return undefined;
  if (declared.arn) return trustOf(value.node, declared.arn, value.written);
  return { form: 'template-principal', node: value.node, value: ref, account, ref, label: `${declared.kind} ${declared.label}` };
}

/** Accounts of `aws:PrincipalArn` values (when every value names one). */
function accountsOfArns(arns: string[] | undefined): string[] | undefined {
  if (!arns?.length) return undefined;
  const out = new Set<string>();
  for (const a of arns) {
    const acct = parseArn(a)?.account;
    if (!acct || !ACCOUNT_ID.test(acct)) return undefined;
    out.add(acct);
  }
  return [...out];
}

/** Role/user ARN equality; an assumed-role ARN names its role (whatever the role's path). */
export function samePrincipal(named: string, principal: string): boolean {
  if (named === principal) return true;
  const a = parseArn(named);
  const b = parseArn(principal);
  if (!a || !b || a.account !== b.account) return false;
  if (a.service === 'sts' && a.resource.startsWith('assumed-role/') && b.resource.startsWith('role/')) {
    const roleName = a.resource.split('/')[1];
    return b.resource.split('/').pop() === roleName;
  }
  return false;
}

/**
 * The session name when `named` is an assumed-role session ARN and the principal is its role
 * (`alice` of `arn:aws:sts::B:assumed-role/App/alice`): such a principal lets in only the
 * role's sessions of that name, not the role. Undefined when `named` names the principal whole.
 */
export function sessionOf(named: string, principal: string): string | undefined {
  if (named === principal) return undefined;
  const a = parseArn(named);
  if (!a || a.service !== 'sts' || !a.resource.startsWith('assumed-role/')) return undefined;
  return a.resource.split('/').slice(2).join('/') || undefined;
}

/** `only sessions named alice`, `only sessions named alice or bob` */
export function sessionsLabel(names: readonly string[]): string {
  return `only sessions named ${names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`}`;
}

/** Whether a Deny statement of the key policy names the caller: `*`, its account, or its ARN (unknown when the caller's ARN is not known and the Deny names a role or user of its account). */
export function denyNames(d: KeyPolicyDeny, account: string, principal: string | undefined): 'yes' | 'no' | 'maybe' {
  if (d.except) {
    // NotPrincipal: a caller is spared only when every identity of its request is named (its
    // session, its role, its account); an exception naming anything of the caller's account is
    // not decided here, one naming only others leaves the caller denied.
    if (d.unresolved || d.except.includes('*')) return 'maybe';
    const ours = d.except.some((p) => p === account || p.split(':')[4] === account || (principal !== undefined && samePrincipal(p, principal)));
    return ours ? 'maybe' : 'yes';
  }
  let out: 'no' | 'maybe' = d.unresolved ? 'maybe' : 'no';
  for (const p of d.principals) {
    if (p === '*' || p === account) return 'yes';
    if (principal !== undefined) { if (samePrincipal(p, principal)) return 'yes'; }
    else if (p.split(':')[4] === account) out = 'maybe';
  }
  return out;
}
