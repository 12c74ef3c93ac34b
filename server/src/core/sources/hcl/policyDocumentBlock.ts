/**
 * `data "aws_iam_policy_document"` blocks as the policy they render: `statement` blocks
 * (`sid`, `effect` defaulting to Allow, `actions`, `not_actions`, `resources`, `not_resources`,
 * `principals` / `not_principals { type identifiers }`, `condition { test variable values }`),
 * version 2012-10-17. Every node's range is on the HCL it comes from: an element's value on the
 * attribute's expression, a statement on its `statement` block. Lists keep their configured
 * order (the provider sorts them when rendering; the checks do not depend on order).
 * `dynamic` blocks are computed at plan time: a `dynamic "statement"` is an unknown statement, a
 * `dynamic "principals"` or `dynamic "condition"` makes its element unknown. What Terraform rejects and the
 * rendered policy cannot show (`actions = "kms:Decrypt"`, a `principals` block without
 * `identifiers`) is kept by statement for the schema check (`statementBlockProblems`); a nested
 * block the reader cannot read whole makes its element unknown, never absent.
 */
import type { LocalFix } from '../../findings';
import type { JsonNode } from '../../json/jsonDocument';
import { named, type HclNode } from './hclSyntax';
import { core, detach, evalString, jsonNode, link, propertyNode, referenceParts, setValue, toJsonNode, unknownNode, type HclScope } from './hclValues';

export interface HclBlock {
  node: HclNode;
  type: string;
  /** The type keyword's node (`resource`, `statement`…). */
  keyword: HclNode;
  labels: string[];
  body: HclNode | undefined;
}

export interface HclAttribute {
  node: HclNode;
  name: string;
  nameNode: HclNode;
  value: HclNode;
  /** Offset of the `=`. */
  equals: number | undefined;
}

export function blockOf(n: HclNode, text: string): HclBlock | undefined {
  const kids = named(n);
  const keyword = kids[0];
  if (keyword?.type !== 'identifier') return undefined;
  const labels: string[] = [];
  for (let i = 1; i < kids.length; i++) {
    const k = kids[i];
    if (k.type === 'string_lit') labels.push(text.slice(k.start + 1, k.end - 1));
    else if (k.type === 'identifier') labels.push(text.slice(k.start, k.end));
  }
  return { node: n, type: text.slice(keyword.start, keyword.end), keyword, labels, body: kids.find((k) => k.type === 'body') };
}

export function blocksOf(body: HclNode | undefined, text: string, type?: string): HclBlock[] {
  const out: HclBlock[] = [];
  const children = body ? body.children : [];
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    if (c.type !== 'block') continue;
    const b = blockOf(c, text);
    if (b && (type === undefined || b.type === type)) out.push(b);
  }
  return out;
}

export function attributesOf(body: HclNode | undefined, text: string): Map<string, HclAttribute> {
  const out = new Map<string, HclAttribute>();
  const children = body ? body.children : [];
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    if (c.type !== 'attribute') continue;
    const [id, value] = named(c);
    if (id?.type !== 'identifier' || !value) continue;
    const name = text.slice(id.start, id.end);
    if (!out.has(name)) out.set(name, { node: c, name, nameNode: id, value, equals: c.children.find((k) => k.type === '=')?.start });
  }
  return out;
}

const ELEMENTS: [string, string][] = [
  ['sid', 'Sid'],
  ['effect', 'Effect'],
  ['actions', 'Action'],
  ['not_actions', 'NotAction'],
  ['resources', 'Resource'],
  ['not_resources', 'NotResource'],
];

/** The arguments and blocks a `statement` block takes. */
export const STATEMENT_ARGUMENTS: readonly string[] = [...ELEMENTS.map(([hcl]) => hcl), 'principals', 'not_principals', 'condition'];

/** The statement arguments Terraform takes as a set of strings. */
const LIST_ARGUMENTS = new Set(['actions', 'not_actions', 'resources', 'not_resources']);

/**
 * Something Terraform rejects in a `statement` block that the policy it renders cannot show: a
 * single value where it takes a list, a nested block without an argument it requires. At its
 * place in the `.tf` text; the schema check reports it.
 */
export interface BlockProblem {
  offset: number;
  length: number;
  message: string;
  fixes?: LocalFix[];
}

/** By statement node: what Terraform rejects in the `statement` block it was read from. */
const blockProblems = new WeakMap<JsonNode, BlockProblem[]>();

/** What Terraform rejects in the `statement` block a statement node was read from (nothing for any other statement). */
export function statementBlockProblems(statement: JsonNode): readonly BlockProblem[] {
  return blockProblems.get(statement) ?? [];
}

/** A literal where Terraform takes a list of strings (`actions = "kms:Decrypt"`, `values = 5`), with the fix that puts it in brackets. */
function notAList(a: HclAttribute, scalars: readonly string[]): BlockProblem | undefined {
  const n = core(a.value);
  if (!n || n.broken || !scalars.includes(n.type)) return undefined;
  const { start, end } = a.value;
  return {
    offset: start,
    length: end - start,
    message: `${a.name} is not valid: it must be a list of strings: put the value in brackets.`,
    fixes: [{ title: 'Put the value in a list', id: 'fix-value', isPreferred: true, edits: [{ offset: start, length: 0, newText: '[' }, { offset: end, length: 0, newText: ']' }], syntax: 'hcl' }],
  };
}

/** The values of arguments Terraform takes as a list of strings (`actions`, `identifiers`, `values`…). */
const listValues = new WeakSet<JsonNode>();

function listValue(value: JsonNode | undefined): JsonNode | undefined {
  if (value) listValues.add(value);
  return value;
}

/**
 * What replaces `[offset, offset + length)` of a policy document block instead of `newText`:
 * a fix that writes one value (`"*"`) over a whole argument that takes a list (`resources = […]`)
 * writes it as a list (`["*"]`). Any other edit as it is.
 */
export function blockArgumentText(root: JsonNode, offset: number, length: number, newText: string): string {
  if (newText === '' || /^\s*\[/.test(newText) || length === 0) return newText;
  // Every node is visited: a node's range need not hold its children's (the entries of a
  // condition's test merge blocks, and lie on the first one).
  const stack: JsonNode[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.offset === offset && node.length === length && listValues.has(node)) return `[${newText}]`;
    if (node.children) stack.push(...node.children);
  }
  return newText;
}

/** Literal strings: what a list argument written as one string holds. */
const STRING_LITERALS = ['string_lit', 'quoted_template', 'heredoc_template'];
/** Literals of any scalar type: condition values (JSON takes numbers and booleans there, Terraform only a list). */
const SCALAR_LITERALS = [...STRING_LITERALS, 'numeric_lit', 'bool_lit'];

/** A nested block without arguments Terraform requires, reported on its keyword. */
function missingArguments(b: HclBlock, attrs: Map<string, HclAttribute>, required: readonly string[]): BlockProblem | undefined {
  const missing = required.filter((r) => !attrs.has(r));
  if (missing.length === 0) return undefined;
  const names = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(', ')} or ${missing[missing.length - 1]}`;
  return { offset: b.keyword.start, length: b.keyword.end - b.keyword.start, message: `${b.type} is not valid: it has no ${names} argument, which Terraform requires.` };
}

/** A list (`type = ["AWS"]`) where Terraform takes one string. */
function notAString(a: HclAttribute): BlockProblem | undefined {
  const n = core(a.value);
  if (n?.type !== 'tuple' && n?.type !== 'object') return undefined;
  return { offset: a.value.start, length: a.value.end - a.value.start, message: `${a.name} is not valid: it must be one string, not a ${n.type === 'tuple' ? 'list' : 'map'}.` };
}

/** The policy document blocks of the file by name, for `source_policy_documents` / `override_policy_documents`. */
export interface DocumentBlocks {
  get(name: string): HclBlock | undefined;
  /** Called with the name of every block merged into another one, and the depth of the merge (0: into the block asked for). */
  merged?(name: string, depth: number): void;
  /** How many more blocks may be merged in (documents that merge each other cannot multiply the work). */
  budget: { left: number };
}

/**
 * The policy a data block renders; undefined when it is not valid HCL yet. Source and
 * override documents that are blocks of the same file are merged in: the sources' statements
 * first, then this block's and the overrides' statements, each replacing the statement with
 * the same non-empty Sid or added at the end. Any other source or override is an unknown statement.
 */
export function policyDocumentNode(block: HclBlock, scope: HclScope, blocks?: DocumentBlocks, depth = 0): JsonNode | undefined {
  if (block.node.broken || depth > 8) return undefined;
  const { text } = scope;
  const root = jsonNode('object', block.node.start, block.node.end - block.node.start);
  const attrs = attributesOf(block.body, text);
  const props: JsonNode[] = [];
  const version = attrs.get('version');
  props.push(version ? attributeProperty('Version', version, scope)! : synthetic('Version', '2012-10-17', block.keyword));
  const policyId = attrs.get('policy_id');
  if (policyId) props.push(attributeProperty('Id', policyId, scope)!);
  const statements = blocksOf(block.body, text, 'statement');
  const body = block.body ?? block.node;
  const list = jsonNode('array', body.start, body.end - body.start);
  const own = statements.map((s) => statementNode(s, scope));
  const merge = (name: string) => {
    const a = attrs.get(name);
    const docs = a && blocks && mergedStatements(a, scope, blocks, depth);
    if (docs) attrs.delete(name);
    return docs;
  };
  const sources = merge('source_policy_documents');
  const overrides = merge('override_policy_documents');
  // Duplicate Sids among the block's own statements stay (duplicate-sid reports them).
  const items: JsonNode[] = [];
  for (const s of sources ?? []) addStatement(items, s, items);
  const fromSources = [...items];
  for (const s of own) addStatement(items, s, fromSources);
  for (const s of overrides ?? []) addStatement(items, s, items);
  // Statements computed at plan time (dynamic blocks, merged documents) are unknown ones: the
  // policy may hold more than its static statements show.
  for (const d of blocksOf(block.body, text, 'dynamic')) {
    if (d.labels[0] === 'statement') items.push(unknownNode(d.node.start, d.node.end - d.node.start, text.slice(d.node.start, d.node.end)));
  }
  for (const name of ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json', 'statement']) {
    const a = attrs.get(name);
    if (a) items.push(unknownNode(a.node.start, a.node.end - a.node.start, text.slice(a.node.start, a.node.end)));
  }
  link(list, items);
  const first = statements[0]?.keyword ?? block.keyword;
  props.push(propertyNode(jsonNode('string', first.start, first.end - first.start, 'Statement'), list, first.start, body.end));
  return link(root, props);
}

/** Put a statement in a list: in place of the one of `replaceable` with the same non-empty Sid, else at the end. */
function addStatement(list: JsonNode[], s: JsonNode, replaceable: JsonNode[]): void {
  const sid = sidOf(s);
  const same = sid ? list.findIndex((x) => sidOf(x) === sid && replaceable.includes(x)) : -1;
  if (same >= 0) list[same] = s;
  else list.push(s);
}

function sidOf(s: JsonNode): string | undefined {
  const p = s.type === 'object' ? s.children?.find((c) => c.children?.[0]?.value === 'Sid') : undefined;
  const v = p?.children?.[1];
  return v?.type === 'string' && v.value ? String(v.value) : undefined;
}

/** The statements of `[data.aws_iam_policy_document.X.json, …]` when every entry is a block of the file; else undefined. */
function mergedStatements(a: HclAttribute, scope: HclScope, blocks: DocumentBlocks, depth: number): JsonNode[] | undefined {
  const list = core(a.value);
  if (list?.type !== 'tuple') return undefined;
  const out: JsonNode[] = [];
  const names: string[] = [];
  for (const item of named(list).filter((c) => c.type === 'expression')) {
    const parts = referenceParts(item, scope.text);
    const block = parts && parts.length === 4 && parts[0] === 'data' && parts[1] === 'aws_iam_policy_document' && parts[3] === 'json' ? blocks.get(parts[2]) : undefined;
    if (block && --blocks.budget.left < 0) return undefined;
    const doc = block && policyDocumentNode(block, scope, blocks, depth + 1);
    const statements = doc?.children?.find((p) => p.children?.[0]?.value === 'Statement')?.children?.[1];
    if (!statements || statements.type !== 'array') return undefined;
    out.push(...(statements.children ?? []));
    names.push(parts![2]);
  }
  for (const n of names) blocks.merged?.(n, depth);
  return out;
}

function statementNode(s: HclBlock, scope: HclScope): JsonNode {
  const { text } = scope;
  const obj = jsonNode('object', s.node.start, s.node.end - s.node.start);
  const attrs = attributesOf(s.body, text);
  const props: JsonNode[] = [];
  const problems: BlockProblem[] = [];
  const problem = (p: BlockProblem | undefined) => { if (p) problems.push(p); };
  for (const [hcl, name] of ELEMENTS) {
    const a = attrs.get(hcl);
    const p = a && attributeProperty(name, a, scope);
    if (a && LIST_ARGUMENTS.has(hcl)) {
      problem(notAList(a, STRING_LITERALS));
      listValue(p?.children?.[1]);
    }
    if (p) props.push(p);
    else if (name === 'Effect') props.push(synthetic('Effect', 'Allow', s.keyword));
  }
  // An argument the block does not take (`action = [...]`) is kept under its own name: the
  // schema check reports it (Terraform rejects it) instead of the policy silently lacking it.
  for (const [hcl, a] of attrs) {
    if (STATEMENT_ARGUMENTS.includes(hcl)) continue;
    const p = attributeProperty(hcl, a, scope) ?? propertyNode(jsonNode('string', a.nameNode.start, a.nameNode.end - a.nameNode.start, hcl), unknownNode(a.value.start, a.value.end - a.value.start, text.slice(a.value.start, a.value.end)), a.node.start, a.node.end, a.equals);
    props.push(p);
  }
  // `dynamic "principals"` / `dynamic "condition"`: blocks computed at plan time, which make their element unknown.
  const nested = blocksOf(s.body, text);
  const ofType = (type: string) => nested.filter((b) => b.type === type);
  const computed = (label: string) => nested.filter((d) => d.type === 'dynamic' && d.labels[0] === label);
  for (const [hcl, name] of [['principals', 'Principal'], ['not_principals', 'NotPrincipal']]) {
    const p = principalProperty(name, ofType(hcl), computed(hcl), scope, problem);
    if (p) props.push(p);
  }
  const condition = conditionProperty(ofType('condition'), computed('condition'), scope, problem);
  if (condition) props.push(condition);
  if (problems.length) blockProblems.set(obj, problems);
  return renderVariables(link(obj, props), 0);
}

/**
 * The data source renders `&{name}` as the policy variable `${name}` (the AWS provider's
 * escape: `${` is Terraform's interpolation): string values are read as the policy holds them.
 */
function renderVariables(n: JsonNode, depth: number): JsonNode {
  if (depth > 32) return n;
  if (n.type === 'string' && typeof n.value === 'string' && n.value.includes('&{')) setValue(n, n.value.replace(/&\{/g, '${'));
  const cs = n.children;
  if (cs) for (let i = 0; i < cs.length; i++) renderVariables(cs[i], depth + 1);
  return n;
}

/** `name = value` as the JSON property `"Name": value`, the key on the attribute name. */
function attributeProperty(jsonName: string, a: HclAttribute, scope: HclScope): JsonNode | undefined {
  const value = toJsonNode(a.value, scope);
  if (!value) return undefined;
  const key = jsonNode('string', a.nameNode.start, a.nameNode.end - a.nameNode.start, jsonName);
  return propertyNode(key, value, a.node.start, a.node.end, a.equals);
}

/** A property HCL leaves to its default, placed on the keyword of the block that implies it. */
function synthetic(name: string, value: string, at: HclNode): JsonNode {
  const length = at.end - at.start;
  return propertyNode(jsonNode('string', at.start, length, name), jsonNode('string', at.start, length, value), at.start, at.end);
}

/**
 * `principals { type identifiers }` blocks as one principal map; blocks of one type merge. A
 * block without `identifiers` names principals of its type not known here; one whose type is
 * missing or not known, or a `dynamic "principals"` block (`computed`), makes the whole element
 * unknown: the policy names principals the reader cannot tell (Terraform rejects a block
 * without `type` or `identifiers`).
 */
function principalProperty(name: string, blocks: HclBlock[], computed: HclBlock[], scope: HclScope, problem: (p: BlockProblem | undefined) => void): JsonNode | undefined {
  if (blocks.length === 0 && computed.length === 0) return undefined;
  const { text } = scope;
  const byType = new Map<string, { key: HclAttribute; values: JsonNode[]; node: HclNode }>();
  let unknownType = computed.length > 0;
  for (const b of blocks) {
    if (b.node.broken) continue;
    const attrs = attributesOf(b.body, text);
    const type = attrs.get('type');
    const ids = attrs.get('identifiers');
    problem(missingArguments(b, attrs, ['type', 'identifiers']));
    if (type) problem(notAString(type));
    if (ids) problem(notAList(ids, STRING_LITERALS));
    const typeName = type && evalString(type.value, scope);
    if (!type || typeName === undefined) { unknownType = true; continue; }
    const value = ids ? listValue(toJsonNode(ids.value, scope)) : unknownNode(b.node.start, b.node.end - b.node.start, text.slice(b.node.start, b.node.end));
    if (!value) continue;
    const entry = byType.get(typeName);
    if (entry) entry.values.push(value);
    else byType.set(typeName, { key: type, values: [value], node: b.node });
  }
  if (unknownType) return unknownElement(name, [...blocks, ...computed], text);
  const first = blocks[0];
  const keyNode = jsonNode('string', first.keyword.start, first.keyword.end - first.keyword.start, name);
  // `type = "*"` renders the bare wildcard principal.
  const star = byType.get('*');
  if (star && byType.size === 1) {
    const v = star.values[0];
    const item = v.type === 'array' ? v.children?.[0] : v;
    if (item) return propertyNode(keyNode, detach(item), first.node.start, first.node.end);
  }
  const obj = jsonNode('object', first.node.start, first.node.end - first.node.start);
  const props: JsonNode[] = [];
  for (const [type, e] of byType) {
    const key = jsonNode('string', e.key.value.start, e.key.value.end - e.key.value.start, type);
    props.push(propertyNode(key, mergeValues(e.values, e.node), e.node.start, e.node.end, e.key.equals));
  }
  return propertyNode(keyNode, link(obj, props), first.node.start, blocks[blocks.length - 1].node.end);
}

/** An element its blocks do not give whole (one is computed at plan time, or lacks an argument): an unknown value over all of them, the key on the first one's keyword. */
function unknownElement(name: string, blocks: HclBlock[], text: string): JsonNode {
  const first = blocks.reduce((a, b) => (b.node.start < a.node.start ? b : a));
  const end = Math.max(...blocks.map((b) => b.node.end));
  const keyNode = jsonNode('string', first.keyword.start, first.keyword.end - first.keyword.start, name);
  return propertyNode(keyNode, unknownNode(first.node.start, end - first.node.start, text.slice(first.node.start, end)), first.node.start, end);
}

/** One value, or the items of several values in one array (on the first block's range). */
function mergeValues(values: JsonNode[], at: HclNode): JsonNode {
  if (values.length === 1) return values[0];
  const items: JsonNode[] = [];
  for (const v of values) items.push(...(v.type === 'array' ? v.children ?? [] : [v]));
  return link(jsonNode('array', at.start, at.end - at.start), items);
}

/**
 * `condition { test variable values }` blocks as the Condition map: one operator object per
 * test. A block whose arguments are missing or not known here, or a `dynamic "condition"` block
 * (`computed`), makes the whole Condition unknown: the statement is conditional in a way the
 * reader cannot tell, never unconditional.
 */
function conditionProperty(blocks: HclBlock[], computed: HclBlock[], scope: HclScope, problem: (p: BlockProblem | undefined) => void): JsonNode | undefined {
  if (blocks.length === 0 && computed.length === 0) return undefined;
  const { text } = scope;
  const byTest = new Map<string, { key: HclAttribute; node: HclNode; variables: Map<string, { key: HclAttribute; values: JsonNode[]; node: HclNode }> }>();
  let unknown = computed.length > 0;
  for (const b of blocks) {
    if (b.node.broken) continue;
    const attrs = attributesOf(b.body, text);
    const test = attrs.get('test');
    const variable = attrs.get('variable');
    const values = attrs.get('values');
    problem(missingArguments(b, attrs, ['test', 'variable', 'values']));
    if (test) problem(notAString(test));
    if (variable) problem(notAString(variable));
    if (values) problem(notAList(values, SCALAR_LITERALS));
    const testName = test && evalString(test.value, scope);
    const variableName = variable && evalString(variable.value, scope);
    const value = values && listValue(toJsonNode(values.value, scope));
    if (!test || !variable || testName === undefined || variableName === undefined || !value) { unknown = true; continue; }
    let t = byTest.get(testName);
    if (!t) byTest.set(testName, (t = { key: test, node: b.node, variables: new Map() }));
    const v = t.variables.get(variableName);
    if (v) v.values.push(value);
    else t.variables.set(variableName, { key: variable, values: [value], node: b.node });
  }
  if (unknown) return unknownElement('Condition', [...blocks, ...computed], text);
  const first = blocks[0];
  const last = blocks[blocks.length - 1];
  const keyNode = jsonNode('string', first.keyword.start, first.keyword.end - first.keyword.start, 'Condition');
  const obj = jsonNode('object', first.node.start, first.node.end - first.node.start);
  const ops: JsonNode[] = [];
  for (const [testName, t] of byTest) {
    const opObj = jsonNode('object', t.node.start, t.node.end - t.node.start);
    const entries: JsonNode[] = [];
    for (const [variableName, v] of t.variables) {
      const key = jsonNode('string', v.key.value.start, v.key.value.end - v.key.value.start, variableName);
      entries.push(propertyNode(key, mergeValues(v.values, v.node), v.node.start, v.node.end, v.key.equals));
    }
    const key = jsonNode('string', t.key.value.start, t.key.value.end - t.key.value.start, testName);
    ops.push(propertyNode(key, link(opObj, entries), t.node.start, t.node.end, t.key.equals));
  }
  return propertyNode(keyNode, link(obj, ops), first.node.start, last.node.end);
}
