/**
 * Decides a statement's Condition for one caller, as far as the workspace knows the request:
 * who calls (`aws:PrincipalArn`, `aws:PrincipalAccount`, `kms:CallerAccount`,
 * `aws:PrincipalType`, `aws:PrincipalOrgID`, `aws:PrincipalOrgPaths` from the manifest's
 * organization), and how (`kms:ViaService`, `kms:GrantIsForAWSResource`; `aws:SourceAccount`,
 * `aws:SourceArn` and `aws:PrincipalIsAWSService` as an IAM role or user's request has them).
 *
 * The answer is three-valued (true, false, unknown) for each request context the handshake
 * tells apart: a direct call, and a call through each AWS service the policies name with
 * `kms:ViaService` (plus "any other service"). Entries are ANDed, values ORed, a negated
 * operator is true when no value matches; an absent key makes a positive operator false and a
 * negated one, `…IfExists` and `ForAllValues:` true (IAM User Guide, "Condition operators").
 * Keys, operators and values this module cannot decide are unknown: the statement is then
 * conditional, never absent.
 */
import { conditionEntries, statementConditions, type ConditionEntry } from '../model/conditions';
import { iamPrincipalKind, parseArn } from '../model/arn';
import { isIntrinsic, type Statement } from '../model/policyDocument';
import { properties } from '../json/nodes';
import type { JsonNode } from '../json/jsonDocument';
import { resolveString, type TemplateContext } from '../model/templateValues';
import { matchesWildcard } from '../wildcard';

/** Three-valued logic: false, true, unknown. */
export type Tri = 0 | 1 | 2;
export const FALSE: Tri = 0;
export const TRUE: Tri = 1;
export const UNKNOWN: Tri = 2;

export function and3(a: Tri, b: Tri): Tri {
  return a === FALSE || b === FALSE ? FALSE : a === TRUE && b === TRUE ? TRUE : UNKNOWN;
}
export function or3(a: Tri, b: Tri): Tri {
  return a === TRUE || b === TRUE ? TRUE : a === FALSE && b === FALSE ? FALSE : UNKNOWN;
}
export function not3(a: Tri): Tri {
  return a === UNKNOWN ? UNKNOWN : a === TRUE ? FALSE : TRUE;
}

/** The organization the manifest describes: its id and each member account's OU path. */
export interface OrganizationFacts {
  id: string;
  /** Member account id → OU path (`o-…/r-…/ou-…/`). */
  accounts: ReadonlyMap<string, string>;
}

/** Who calls. */
export interface Caller {
  /** The role or user ARN; undefined when the policy's principal is not known. */
  arn?: string;
  account: string;
  /** The organization the workspace describes, if any. */
  organization?: OrganizationFacts;
}

/**
 * The request contexts told apart: index 0 is a direct call (no service in between); the
 * others are calls through an AWS service, each with the `kms:ViaService` value it carries;
 * the last stands for any service the policies do not name.
 */
export interface RequestContexts {
  /** `kms:ViaService` value of each context (undefined for the direct call). */
  via: (string | undefined)[];
  /** How each context is named in messages. */
  labels: string[];
  /** The account of the resource every context's request is for (`aws:ResourceAccount`: the key's); undefined when not known. */
  resourceAccount?: string;
}

/** A `kms:ViaService` value no written pattern but `*` matches: "any other service". */
const OTHER_SERVICE = '\u0001other-service';

/** `kms:ViaService` values of the given statements (patterns get a value that fits them). */
export function requestContexts(statements: Iterable<Statement>, ctx: TemplateContext | undefined, more: readonly ConditionEntry[] = [], resourceAccount?: string): RequestContexts {
  const via: (string | undefined)[] = [undefined];
  const labels = ['direct calls'];
  const seen = new Set<string>();
  const add = (e: ConditionEntry): void => {
    for (const v of entryValues(e, ctx) ?? []) {
      if (seen.has(v) || v.includes('${')) continue;
      seen.add(v);
      via.push(v.replace(/[*?]/g, 'x'));
      labels.push(v);
    }
  };
  const own = viaServiceEntries(statements);
  for (let i = 0; i < own.length; i++) add(own[i]);
  // `more`: the ViaService entries of further statements, found once (see viaServiceEntries).
  for (let i = 0; i < more.length; i++) add(more[i]);
  via.push(OTHER_SERVICE);
  labels.push('an AWS service');
  return resourceAccount ? { via, labels, resourceAccount } : { via, labels };
}

/**
 * The `kms:ViaService` entries of statements, in order: what requestContexts reads of them.
 * An account's grants are read this way once, not again for every key policy that trusts it.
 */
export function viaServiceEntries(statements: Iterable<Statement>): ConditionEntry[] {
  const out: ConditionEntry[] = [];
  for (const s of statements) {
    for (const e of statementConditions(s)) if (isViaService(e)) out.push(e);
  }
  return out;
}

function isViaService(e: ConditionEntry): boolean {
  return e.key.toLowerCase() === 'kms:viaservice';
}

/** The contexts when no policy names a service. */
export const DIRECT_AND_SERVICES: RequestContexts = { via: [undefined, OTHER_SERVICE], labels: ['direct calls', 'an AWS service'] };

/** The grant operations `kms:GrantIsForAWSResource` applies to (lower-case action names). */
export const GRANT_OPERATIONS: ReadonlySet<string> = new Set(['creategrant', 'listgrants', 'revokegrant']);

export interface ConditionOutcome {
  /** Whether the condition holds, per request context. */
  holds: Tri[];
  /** Condition keys that could not be decided (as written). */
  undecided: string[];
  /** Entries that are false in every context, described (`aws:PrincipalArn ArnEquals role/X`). */
  decidedFalse: string[];
}

const ALWAYS = (n: number): ConditionOutcome => ({ holds: new Array<Tri>(n).fill(TRUE), undecided: [], decidedFalse: [] });

/**
 * Whether a statement's Condition holds for the caller, per request context. `grantOperation`:
 * the action is CreateGrant, ListGrants or RevokeGrant (`kms:GrantIsForAWSResource` is in
 * their requests only).
 */
export function conditionOutcome(s: Statement, caller: Caller, contexts: RequestContexts, grantOperation: boolean, ctx: TemplateContext | undefined): ConditionOutcome {
  const condition = s.elements.Condition?.value;
  const n = contexts.via.length;
  if (!condition) return ALWAYS(n);
  if (hasIntrinsicBlock(condition)) return { holds: new Array<Tri>(n).fill(UNKNOWN), undecided: ['a condition computed by a template function'], decidedFalse: [] };
  return entriesOutcome(statementConditions(s), caller, contexts, grantOperation, ctx);
}

/** The same for a Condition element given as a node (statements not read as `Statement`). */
export function conditionNodeOutcome(condition: JsonNode | undefined, caller: Caller, contexts: RequestContexts, grantOperation: boolean, ctx: TemplateContext | undefined): ConditionOutcome {
  const n = contexts.via.length;
  if (!condition) return ALWAYS(n);
  if (hasIntrinsicBlock(condition)) return { holds: new Array<Tri>(n).fill(UNKNOWN), undecided: ['a condition computed by a template function'], decidedFalse: [] };
  return entriesOutcome(conditionEntries(condition), caller, contexts, grantOperation, ctx);
}

function entriesOutcome(entries: readonly ConditionEntry[], caller: Caller, contexts: RequestContexts, grantOperation: boolean, ctx: TemplateContext | undefined): ConditionOutcome {
  const n = contexts.via.length;
  const holds = new Array<Tri>(n).fill(TRUE);
  const undecided: string[] = [];
  const decidedFalse: string[] = [];
  for (const e of entries) {
    let anyUnknown = false;
    let allFalse = true;
    for (let i = 0; i < n; i++) {
      const r = entryHolds(e, caller, contexts.via[i], grantOperation, ctx, contexts.resourceAccount);
      if (r === UNKNOWN) anyUnknown = true;
      if (r !== FALSE) allFalse = false;
      holds[i] = and3(holds[i], r);
    }
    if (anyUnknown && !undecided.includes(e.key)) undecided.push(e.key);
    if (allFalse) decidedFalse.push(`${e.operator.text} ${e.key} ${describeValues(e, ctx)}`);
  }
  return { holds, undecided, decidedFalse };
}

/** A statement's condition in words: `ArnEquals aws:PrincipalArn arn:…; Bool kms:GrantIsForAWSResource true`. */
export function conditionText(s: Statement, ctx: TemplateContext | undefined): string {
  return statementConditions(s).map((e) => `${e.operator.text} ${e.key} ${describeValues(e, ctx)}`).join('; ');
}

function describeValues(e: ConditionEntry, ctx: TemplateContext | undefined): string {
  const values = entryValues(e, ctx);
  if (!values) return '(a value not known here)';
  return values.length === 1 ? values[0] : `[${values.join(', ')}]`;
}

/** A condition (or an operator block of it) computed by a CloudFormation intrinsic function. */
function hasIntrinsicBlock(condition: JsonNode): boolean {
  return isIntrinsic(condition) || properties(condition).some((op) => isIntrinsic(op.value));
}

/** The policy values of an entry as strings; undefined when one is not known. */
function entryValues(e: ConditionEntry, ctx: TemplateContext | undefined): string[] | undefined {
  const node = e.valueNode;
  if (!node) return undefined;
  const list = node.type === 'array' ? node.children ?? [] : [node];
  const out: string[] = [];
  for (const n of list) {
    if (n.type === 'string' || n.type === 'number' || n.type === 'boolean') out.push(String(n.value));
    else if (isIntrinsic(n)) {
      const v = resolveString(n, ctx);
      if (v === undefined) return undefined;
      out.push(v);
    } else return undefined;
  }
  return out;
}

/** The request's values for a key: present values, `null` when absent, undefined when not known here. */
type RequestValues = string[] | null | undefined;

/** The caller's account is outside the described organization: its org id and paths are other ones, or absent. */
const OUTSIDE_ORG = '\u0001outside-organization';

function requestValues(key: string, caller: Caller, via: string | undefined, grantOperation: boolean, resourceAccount: string | undefined): RequestValues {
  switch (key) {
    case 'aws:resourceaccount':
      return resourceAccount ? [resourceAccount] : undefined;
    case 'aws:resourceorgid': {
      const org = caller.organization;
      if (!org || !resourceAccount) return undefined;
      return org.accounts.has(resourceAccount) ? [org.id] : [OUTSIDE_ORG];
    }
    case 'aws:resourceorgpaths': {
      const org = caller.organization;
      if (!org || !resourceAccount) return undefined;
      const path = org.accounts.get(resourceAccount);
      return path ? [path] : [OUTSIDE_ORG];
    }
    case 'aws:principalarn': {
      const arn = caller.arn && principalArnValue(caller.arn);
      return arn ? [arn] : undefined;
    }
    case 'aws:principalaccount':
    case 'kms:calleraccount':
      return [caller.account];
    case 'aws:principaltype': {
      const kind = caller.arn ? iamPrincipalKind(caller.arn) : undefined;
      return kind === 'role' || kind === 'assumed-role' ? ['AssumedRole'] : kind === 'user' ? ['User'] : undefined;
    }
    case 'aws:principalorgid': {
      const org = caller.organization;
      if (!org) return undefined;
      return org.accounts.has(caller.account) ? [org.id] : [OUTSIDE_ORG];
    }
    case 'aws:principalorgpaths': {
      const org = caller.organization;
      if (!org) return undefined;
      const path = org.accounts.get(caller.account);
      return path ? [path] : [OUTSIDE_ORG];
    }
    case 'kms:viaservice':
      return via === undefined ? null : [via];
    case 'kms:grantisforawsresource':
      // In the requests of the grant operations only: true when an integrated service calls.
      return grantOperation ? [via === undefined ? 'false' : 'true'] : null;
    // A role or user calling: these are set only when a service principal acts for a resource.
    case 'aws:sourceaccount':
    case 'aws:sourcearn':
    case 'aws:sourceowner':
      return null;
    case 'aws:principalisawsservice':
      return ['false'];
    default:
      return undefined;
  }
}

/** `aws:PrincipalArn` of a caller: the role's ARN for its sessions; undefined when that cannot be told (an assumed-role ARN does not give the role's path). */
function principalArnValue(arn: string): string | undefined {
  const kind = iamPrincipalKind(arn);
  return kind === 'role' || kind === 'user' ? arn : undefined;
}

const NEGATED = new Set(['StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'ArnNotEquals', 'ArnNotLike']);

/** Whether one entry holds for the caller in one request context. */
export function entryHolds(e: ConditionEntry, caller: Caller, via: string | undefined, grantOperation: boolean, ctx: TemplateContext | undefined, resourceAccount?: string): Tri {
  const op = e.operator;
  if (!op.base || op.problem) return UNKNOWN;
  const family = familyOf(op.base);
  if (!family) return UNKNOWN;
  const policy = entryValues(e, ctx);
  if (!policy || policy.length === 0) return UNKNOWN;
  // A policy variable takes a request value this module does not follow.
  if (policy.some((p) => p.includes('${'))) return UNKNOWN;
  const request = requestValues(e.key.toLowerCase(), caller, via, grantOperation, resourceAccount);
  if (request === undefined) return UNKNOWN;
  if (request !== null && request.length === 1 && request[0] === OUTSIDE_ORG) {
    // Outside the described organization: in no organization (the key is absent) or in another one.
    const absent = compare(e, policy, null, caller);
    return absent === compare(e, policy, request, caller) ? absent : UNKNOWN;
  }
  return compare(e, policy, request, caller);
}

/** An entry's operator applied to the request's values (`null`: the key is absent). */
function compare(e: ConditionEntry, policy: string[], request: string[] | null, caller: Caller): Tri {
  const op = e.operator;
  const family = familyOf(op.base!);
  if (family === 'Null') {
    const absent = request === null || request.length === 0;
    let out: Tri = FALSE;
    for (const p of policy) {
      const want = p.toLowerCase();
      if (want !== 'true' && want !== 'false') return UNKNOWN;
      out = or3(out, (want === 'true') === absent ? TRUE : FALSE);
    }
    return out;
  }
  const negated = NEGATED.has(op.base!);
  if (request === null || request.length === 0) {
    if (op.ifExists || op.set === 'ForAllValues') return TRUE;
    if (op.set === 'ForAnyValue') return FALSE;
    return negated ? TRUE : FALSE;
  }
  const one = (r: string): Tri => {
    let m: Tri = FALSE;
    for (const p of policy) m = or3(m, valueMatches(op.base!, r, p, caller.organization));
    return negated ? not3(m) : m;
  };
  if (op.set === 'ForAnyValue') {
    let out: Tri = FALSE;
    for (const r of request) out = or3(out, one(r));
    return out;
  }
  if (op.set === 'ForAllValues') {
    let out: Tri = TRUE;
    for (const r of request) out = and3(out, one(r));
    return out;
  }
  return request.length === 1 ? one(request[0]) : UNKNOWN;
}

type Family = 'String' | 'ARN' | 'Bool' | 'Null';

function familyOf(base: string): Family | undefined {
  if (base.startsWith('String')) return 'String';
  if (base.startsWith('Arn')) return 'ARN';
  if (base === 'Bool') return 'Bool';
  if (base === 'Null') return 'Null';
  return undefined;
}

/** Whether a request value matches one policy value under an operator (negation aside). */
function valueMatches(base: string, request: string, policy: string, org: OrganizationFacts | undefined): Tri {
  if (request === OUTSIDE_ORG) {
    // Another organization's id or path (or none): it can equal only values that are not this organization's.
    const ours = org && (policy === org.id || (policy.startsWith(`${org.id}/`) && !/[*?]/.test(policy.slice(0, org.id.length))));
    return ours ? FALSE : UNKNOWN;
  }
  switch (base) {
    case 'StringEquals':
    case 'StringNotEquals':
      return request === policy ? TRUE : FALSE;
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return request.toLowerCase() === policy.toLowerCase() ? TRUE : FALSE;
    case 'StringLike':
    case 'StringNotLike':
      return matchesWildcard(policy, request) ? TRUE : FALSE;
    case 'ArnEquals':
    case 'ArnLike':
    case 'ArnNotEquals':
    case 'ArnNotLike':
      return arnMatches(policy, request) ? TRUE : FALSE;
    case 'Bool':
      return request.toLowerCase() === policy.toLowerCase() ? TRUE : FALSE;
    default:
      return UNKNOWN;
  }
}

/** ARN operators: the six colon-separated parts match one by one; wildcards never cross a colon. */
function arnMatches(pattern: string, value: string): boolean {
  const p = splitArn(pattern);
  const v = splitArn(value);
  if (!p || !v) return false;
  for (let i = 0; i < 6; i++) if (!matchesWildcard(p[i], v[i])) return false;
  return true;
}

function splitArn(s: string): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < 5; i++) {
    const c = s.indexOf(':', start);
    if (c < 0) return undefined;
    parts.push(s.slice(start, c));
    start = c + 1;
  }
  parts.push(s.slice(start));
  return parts;
}

/** Whether an ARN is a role or user ARN of an account (for principals named by the manifest). */
export function callerAccountOf(arn: string): string | undefined {
  return parseArn(arn)?.account;
}

/**
 * What a caller's requests carry for an entry's key, for messages (`kms:CallerAccount is
 * 444455556666`, `aws:SourceAccount is absent`); undefined when it is not known here or
 * differs by request context (`kms:ViaService`, `kms:GrantIsForAWSResource`).
 */
export function requestValueText(e: ConditionEntry, caller: Caller, resourceAccount: string | undefined): string | undefined {
  const k = e.key.toLowerCase();
  if (k === 'kms:viaservice' || k === 'kms:grantisforawsresource') return undefined;
  const values = requestValues(k, caller, undefined, false, resourceAccount);
  if (values === undefined) return undefined;
  if (values === null || values.length === 0) return `${e.key} is absent`;
  if (values[0] === OUTSIDE_ORG) return `${e.key} is not the described organization's`;
  return `${e.key} is ${values.join(', ')}`;
}
