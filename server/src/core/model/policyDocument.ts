/**
 * A policy document found somewhere in a file, its kind and owner, and the statements
 * it holds. Offsets of nodes are in the document's own text (`json.text`), which is the
 * file text for most sources and the decoded string for policies embedded in a string;
 * `toFileOffset` maps them to the file.
 */
import type { JsonDocument, JsonNode } from '../json/jsonDocument';
import { items, properties, prop, stringValue, type PropertyEntry } from '../json/nodes';
import type { TemplateContext } from './templateValues';
import type { Catalog } from '../catalog/catalog';
import type { KnownActions } from './knownActions';
import type { ConditionEntry } from './conditions';
import type { ActionFact } from './actionFacts';
import type { ResourceFact } from './resourceFacts';
import type { KmsGrant } from './kmsGrants';
import { lastOfEachKey } from './duplicateKeys';

export type PolicyKind = 'kms-key-policy' | 'iam-identity-policy' | 'iam-trust-policy' | 'unknown';

export type PolicySource = 'file' | 'get-key-policy' | 'authorization-details' | 'cloudformation' | 'terraform-plan' | 'terraform';

export interface PolicyOwner {
  /** Key ARN for a key policy (may be partial: account and region only). */
  keyArn?: string;
  /** The account that owns the key or principal, when known. */
  account?: string;
  region?: string;
  partition?: string;
  /** Role/user/group ARNs an identity policy is attached to. */
  principals?: string[];
  /** A human label: logical id in a template, role name in an export. */
  label?: string;
  /**
   * Roles of a template the policy belongs to whose names are generated at deployment (no
   * `RoleName`): their logical ids, with the CDK construct path where the template gives one
   * (`ReaderF7BF189D (AppStack/Reader)`). Messages name the grantee by them.
   */
  unnamedRoles?: string[];
  /** The policy is attached to principals not listed too (a template policy's `Users` or `Groups`). */
  alsoAttached?: boolean;
  /**
   * Those of `principals` the policy is attached to only when a template condition holds
   * (`ManagedPolicyArns: [!If [Cond, !Ref Policy, …]]`): their grants through it are conditional.
   */
  maybePrincipals?: string[];
  /**
   * For a key of a CloudFormation template, whose ARN is known only once deployed: the
   * references that name its ARN (`file#LogicalId` for `Fn::GetAtt` in its own template,
   * `export:ACCOUNT/REGION/NAME` for `Fn::ImportValue` of an export of it). For a Terraform key,
   * `folder/#aws_kms_key.NAME` for `aws_kms_key.NAME.arn` in the files of its module.
   */
  keyRefs?: string[];
  /**
   * For an identity policy of a template's roles: the references that name those roles' ARNs
   * (`file#LogicalId` for `Fn::GetAtt` in their template, `export:ACCOUNT/REGION/NAME` for an
   * export of it), as `keyRefs` name a key. A key policy that names one of them trusts its role.
   */
  roleRefs?: string[];
  /**
   * For a key policy of a template: the template's roles and users, by logical id, as a key
   * policy names them by `Fn::GetAtt X.Arn` (see `TemplatePrincipal`).
   */
  templatePrincipals?: Readonly<Record<string, TemplatePrincipal>>;
}

/** A role or user a template declares: how messages name it, and its ARN when its name is given. */
export interface TemplatePrincipal {
  kind: 'role' | 'user';
  /** Its logical id, with the CDK construct path where the template gives one (`AppRoleDC883459 (DataStack/AppRole)`). */
  label: string;
  /** Its ARN when its name and the template's account are known; undefined when generated at deployment. */
  arn?: string;
}

export interface PolicyDocument {
  /** File the document is in (as given to the engine). */
  file: string;
  kind: PolicyKind;
  /** How the kind was decided: `manifest`, `container`, `content`. */
  kindReason: 'manifest' | 'container' | 'content';
  source: PolicySource;
  owner: PolicyOwner;
  /** The parsed text the nodes belong to. */
  json: JsonDocument;
  /** The policy object node ({Version, Statement}). */
  root: JsonNode;
  /** Maps an offset of `json.text` to the file. Identity for policies that are not embedded in a string. */
  toFileOffset(offset: number): number;
  /** True when the document lives inside a JSON string in the file (edits must be escaped). */
  embedded: boolean;
  /**
   * For a document held in a string of a template (JSON or YAML): the text an edit of the
   * document's own `[offset, offset + length)` writes into the file, undefined when it cannot
   * be written there safely (the range crosses an escape or a folded line break). When absent,
   * an embedded document's edits are escaped as for a JSON string.
   */
  writeInString?: (offset: number, length: number, newText: string) => string | undefined;
  /**
   * For a policy written as JSON text in a Terraform string: a heredoc or a quoted string. An
   * edit's text is escaped for it (`${` and `%{` as `$${` and `%%{`; in a quoted string, as a
   * JSON string's text too), or Terraform would read a template where the policy has text.
   */
  hclString?: 'heredoc' | 'quoted';
  /**
   * For a policy file Terraform renders as a template (`templatefile()`; see
   * `isTerraformTemplate`): `$${` in it writes `${`, and a policy variable must be written so.
   * An edit's text is escaped for it (`${aws:username}` as `$${aws:username}`; placeholders and
   * escapes as they are), or Terraform would read an interpolation where the policy has text.
   */
  templateFile?: boolean;
  /**
   * For a policy read from a Terraform `.tf` file: the AWS policy variables the file writes
   * `${aws:username}` rather than `$${aws:username}` (file offsets, through the `}`), which
   * Terraform reads as interpolations it cannot parse. The policy reads each as the text
   * `${aws:username}`.
   */
  hclPolicyVariables?: readonly { offset: number; length: number }[];
  /** For CloudFormation: the template's Parameters etc. are not known here; intrinsic values are unknown. */
  allowsIntrinsics: boolean;
  /** For managed identity policies: counts against the 6,144 character limit. */
  isManagedPolicy?: boolean;
  /** For managed policies: the policy's ARN when known (AWS managed ones: `arn:aws:iam::aws:policy/…`). */
  policyArn?: string;
  /** For inline identity policies (authorization-details, CloudFormation `Policies`). */
  isInlinePolicy?: boolean;
  /**
   * Set for a document a tool writes from a shorthand of the file (a SAM policy template):
   * what it is expanded from. Its nodes lie over the shorthand; no check reports on it, the
   * handshake reads it as the grant it is.
   */
  expandedFrom?: string;
  /**
   * Set for a policy that exists but whose text is not known where the workspace reads it (a
   * Terraform `policy = var.p` with no value, a plan's policy known only after apply): how to
   * say so (`its policy is known only after apply`). Its root is a policy whose Statement is an
   * unknown value on the place that names it: no check reports on it, and the handshake reads it
   * as a policy that may grant anything (never as one that grants nothing).
   */
  unknownContent?: string;
  /** For CloudFormation (and fragments bound by the manifest's `templates`): the values intrinsic functions resolve with. */
  template?: TemplateContext;
  /** For a key policy: the KMS grants declared on its key in the same source (Terraform `aws_kms_grant`). */
  kmsGrants?: KmsGrant[];
}

/** The names of the statement elements AWS defines. */
export const STATEMENT_ELEMENTS = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'] as const;
export type StatementElement = (typeof STATEMENT_ELEMENTS)[number];
/** The pairs of elements, for loops over both (one list each, not a new array per statement). */
export const ACTION_ELEMENTS = ['Action', 'NotAction'] as const;
export const RESOURCE_ELEMENTS = ['Resource', 'NotResource'] as const;
export const PRINCIPAL_ELEMENTS = ['Principal', 'NotPrincipal'] as const;

export interface Statement {
  index: number;
  node: JsonNode;
  sid?: string;
  effect?: 'Allow' | 'Deny';
  /** Each element present, by name (absent ones are undefined); values may be of any JSON type (schema reports wrong ones). */
  elements: Partial<Record<StatementElement, PropertyEntry>>;
  /** What `knownStatementActions` found, kept with the statement for the other checks of the run. */
  knownActions?: { catalog: Catalog; known: KnownActions | undefined };
  /** The items of the string-or-array elements, read once for all the checks (see `statementItems`). */
  items?: Record<ItemElement, readonly ValueItem[] | undefined>;
  /** The Condition element's entries, read once for all the checks (see `statementConditions`). */
  conditions?: readonly ConditionEntry[];
}

/** The statement elements whose value is a string or an array of strings. */
export const ITEM_ELEMENTS = ['Action', 'NotAction', 'Resource', 'NotResource'] as const;
export type ItemElement = (typeof ITEM_ELEMENTS)[number];

/** `valueItems` of a statement element, read once per statement (shared: do not modify). */
export function statementItems(s: Statement, name: ItemElement): readonly ValueItem[] {
  const items = (s.items ??= { Action: undefined, NotAction: undefined, Resource: undefined, NotResource: undefined });
  return (items[name] ??= valueItems(s.elements[name]?.value));
}

/** The Statement element's value as a list of statement object nodes (a single object counts). */
export function statementNodes(policy: JsonNode): JsonNode[] {
  const st = prop(policy, 'Statement')?.value;
  const out: JsonNode[] = [];
  const ns = items(st);
  for (let i = 0; i < ns.length; i++) addStatementNode(out, ns[i], 0);
  return out;
}

/** Adds a statement object node to `out`, or the statements of both branches of an `Fn::If` (a function, not a closure made per call). */
function addStatementNode(out: JsonNode[], n: JsonNode | undefined, depth: number): void {
  if (!n || n.type !== 'object') return;
  if (!isIntrinsic(n)) { out.push(n); return; }
  // CloudFormation `{"Fn::If": [cond, statement, statement-or-AWS::NoValue]}`: both branches count.
  const [p] = properties(n);
  if (p.name === 'Fn::If' && p.value?.type === 'array' && depth < 8) {
    addStatementNode(out, p.value.children?.[1], depth + 1);
    addStatementNode(out, p.value.children?.[2], depth + 1);
  }
}

/**
 * Every element slot present from the start, in one order: every statement's `elements` has
 * the same shape, so the checks' `s.elements.Action` reads stay monomorphic (objects built
 * key by key in each statement's own order gave the engine one shape per order).
 */
function noElements(): Statement['elements'] {
  return { Sid: undefined, Effect: undefined, Principal: undefined, NotPrincipal: undefined, Action: undefined, NotAction: undefined, Resource: undefined, NotResource: undefined, Condition: undefined };
}

/** The statements of a policy object node (a new list on every call). */
export function readStatements(policy: JsonNode): readonly Statement[] {
  return statementNodes(policy).map(readStatement);
}

function readStatement(node: JsonNode, index: number): Statement {
  const elements = noElements();
  const ps = node.children ?? [];
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i];
    const key = p.children?.[0];
    if (!key || key.type !== 'string') continue;
    // The last of duplicate keys counts, as JSON readers take it (the schema check reports
    // the others). Each element is set by its own name: a slot looked up by the key's text (a
    // string cut from the file) costs a search of the engine's string table on every read and write.
    const value = p.children?.[1];
    switch (String(key.value)) {
      case 'Sid': elements.Sid = { key, name: 'Sid', value, property: p }; break;
      case 'Effect': elements.Effect = { key, name: 'Effect', value, property: p }; break;
      case 'Principal': elements.Principal = { key, name: 'Principal', value, property: p }; break;
      case 'NotPrincipal': elements.NotPrincipal = { key, name: 'NotPrincipal', value, property: p }; break;
      case 'Action': elements.Action = { key, name: 'Action', value, property: p }; break;
      case 'NotAction': elements.NotAction = { key, name: 'NotAction', value, property: p }; break;
      case 'Resource': elements.Resource = { key, name: 'Resource', value, property: p }; break;
      case 'NotResource': elements.NotResource = { key, name: 'NotResource', value, property: p }; break;
      case 'Condition': elements.Condition = { key, name: 'Condition', value, property: p }; break;
    }
  }
  const effectValue = stringValue(elements.Effect?.value);
  const sid = stringValue(elements.Sid?.value);
  return {
    index,
    node,
    sid,
    effect: effectValue === 'Allow' || effectValue === 'Deny' ? effectValue : undefined,
    elements,
    knownActions: undefined,
    items: undefined,
    conditions: undefined,
  };
}

/**
 * A document's statements. For a text being edited (`JsonDocument.edited`) the list is read
 * once per version, and a statement whose node an edit kept (see `reparse`) is the same
 * object as before, so what is kept by statement stays (`knownStatementActions`, …).
 */
export function statementsOf(doc: PolicyDocument): readonly Statement[] {
  if (!doc.json.edited) return readStatements(doc.root);
  let list = editedLists.get(doc);
  if (!list) {
    list = statementNodes(doc.root).map((node, index) => {
      const kept = editedStatements.get(node);
      if (kept && kept.index === index) return kept;
      const s = readStatement(node, index);
      editedStatements.set(node, s);
      return s;
    });
    editedLists.set(doc, list);
  }
  return list;
}

const editedLists = new WeakMap<PolicyDocument, readonly Statement[]>();
const editedStatements = new WeakMap<JsonNode, Statement>();

/**
 * The statements of a policy whose content is not known: a value computed by the template in
 * place of a statement (a Terraform `dynamic "statement"` block, an expression in a
 * `jsonencode` Statement list) or of the whole Statement list. A CloudFormation `Fn::If`
 * (whose branches are read) and `AWS::NoValue` (no statement) are not among them.
 */
export function unknownStatementNodes(policy: JsonNode): JsonNode[] {
  const st = prop(policy, 'Statement')?.value;
  if (!st) return [];
  const unknown = (n: JsonNode) => isIntrinsic(n) && !prop(n, 'Fn::If') && stringValue(prop(n, 'Ref')?.value) !== 'AWS::NoValue';
  if (st.type === 'array') return (st.children ?? []).filter(unknown);
  return unknown(st) ? [st] : [];
}

/**
 * A CloudFormation intrinsic function object (`{"Ref": …}`, `{"Fn::Sub": …}`): its value is
 * unknown unless resolved; never an error.
 */
export function isIntrinsic(node: JsonNode | undefined): boolean {
  if (!node || node.type !== 'object' || node.children?.length !== 1) return false;
  const name = stringValue(node.children[0].children?.[0]);
  return name === 'Ref' || name === 'Condition' || (name !== undefined && name.startsWith('Fn::'));
}

/**
 * A value of a string-or-array element: each item with its node; `value` undefined for
 * intrinsic functions (unknown) and for non-strings.
 */
export interface ValueItem {
  node: JsonNode;
  value: string | undefined;
  intrinsic: boolean;
  /**
   * The value's facts, kept with the item for the other checks of the run (see
   * `itemActionFact`, `itemResourceFact`): a memo lookup by a string costs far more than
   * reading a field.
   */
  actionFact?: ActionFact | null;
  resourceFact?: ResourceFact;
}

export function valueItems(node: JsonNode | undefined): ValueItem[] {
  return items(node).map((n) => ({
    node: n,
    value: n.type === 'string' ? String(n.value) : undefined,
    intrinsic: isIntrinsic(n),
    actionFact: undefined,
    resourceFact: undefined,
  }));
}

/** The principal map of a Principal/NotPrincipal value: `"*"` becomes `{AWS: ["*"]}`-like with `star` set. */
export interface PrincipalEntry {
  /** AWS, Service, Federated, CanonicalUser; `*` for the bare wildcard form. */
  type: string;
  item: ValueItem;
}

export function principalEntries(node: JsonNode | undefined): PrincipalEntry[] {
  if (!node) return [];
  if (node.type === 'string') return [{ type: '*', item: { node, value: String(node.value), intrinsic: false } }];
  if (node.type !== 'object' || isIntrinsic(node)) return [];
  const out: PrincipalEntry[] = [];
  // A type given twice (`"AWS"` and `"AWS"`): the last one counts, as JSON readers take it.
  const ps = lastOfEachKey(node);
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i];
    const items = valueItems(p.value);
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      out.push({ type: p.name, item });
    }
  }
  return out;
}
