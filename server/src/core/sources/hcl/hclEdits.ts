/**
 * Fix edits written in Terraform's own syntax, for policies read from HCL: a statement added to
 * a `jsonencode` list or as a `statement` block of a policy document, a condition added to a
 * statement. Values are written as HCL expressions (`Key = value`, `[a, b]`), strings with `${`
 * and `%{` escaped so Terraform does not read them as templates.
 */
import type { JsonNode } from '../../json/jsonDocument';
import { prop } from '../../json/nodes';
import type { ValueEdit } from '../../model/valueEdits';
import { isUnknownValue } from './hclValues';

/** A string as an HCL quoted string. */
export function hclString(s: string): string {
  return JSON.stringify(s).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}

/**
 * Text written into a Terraform string that holds JSON (a heredoc, or a quoted string where it
 * is escaped as a JSON string's text first): `${` and `%{` as `$${` and `%%{`, so Terraform
 * reads them as text, not as a template; a `$` or `%` that ends the text before the `{` that
 * `next` says follows it is doubled for the same reason.
 */
export function hclTemplateText(text: string, quoted: boolean, next?: string): string {
  // A quoted string's escapes are JSON's but for `\b` and `\f`, which HCL writes as `\uNNNN`.
  const body = quoted ? JSON.stringify(text).slice(1, -1).replace(/\\([\\bf])/g, (m, c: string) => (c === 'b' ? '\\u0008' : c === 'f' ? '\\u000c' : m)) : text;
  const escaped = body.replace(/([$%])\{/g, '$1$1{');
  return next === '{' && /[$%]$/.test(escaped) ? escaped + escaped[escaped.length - 1] : escaped;
}

function hclKey(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : hclString(k);
}

/** HCL text written as it is by `hclValue` (a template string that keeps a variable: `"arn:aws:iam::${var.a}:role/R"`). */
export class HclText {
  constructor(readonly text: string) {}
}

/** A JSON-like value as an HCL expression; objects one element a line at `indent` + `unit`. */
export function hclValue(v: unknown, indent: string, unit = '  '): string {
  if (v instanceof HclText) return v.text;
  if (typeof v === 'string') return hclString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map((x) => hclValue(x, indent, unit)).join(', ')}]`;
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  const inner = indent + unit;
  return `{\n${entries.map(([k, x]) => `${inner}${hclKey(k)} = ${hclValue(x, inner, unit)}`).join('\n')}\n${indent}}`;
}

/** The whitespace that starts the line `offset` is on. */
function lineIndent(text: string, offset: number): string {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n') start--;
  return /^[ \t]*/.exec(text.slice(start, offset))![0];
}

/** Whether a node is a policy document block (its range starts with `data` or `statement`, not `{`). */
export function isBlockNode(text: string, node: JsonNode): boolean {
  return /^[a-z]/.test(text.slice(node.offset, node.offset + 1));
}

/** Whether a node is an object written as an HCL object expression (`{ … }`), not a value known at plan time only. */
export function isHclObject(text: string, node: JsonNode): boolean {
  return node.type === 'object' && text[node.offset] === '{' && text[node.offset + node.length - 1] === '}' && !isUnknownValue(node);
}

/** Append a statement to a `jsonencode` Statement list (an HCL tuple): `{ Sid = …, … }` after its last item. */
export function appendHclListItem(text: string, list: JsonNode, value: Record<string, unknown>): ValueEdit {
  const items = list.children ?? [];
  const last = items[items.length - 1];
  if (!last) {
    const indent = lineIndent(text, list.offset);
    return { offset: list.offset + 1, length: 0, newText: `\n${indent}  ${hclValue(value, indent + '  ')}\n${indent}` };
  }
  const indent = lineIndent(text, last.offset);
  const multiLine = /\n/.test(text.slice(list.offset, last.offset));
  const at = last.offset + last.length;
  return { offset: at, length: 0, newText: multiLine ? `,\n${indent}${hclValue(value, indent)}` : `, ${hclValue(value, indent)}` };
}

/** A `statement` block for a policy document block, at `indent`. */
export function statementBlock(statement: { Sid?: string; Effect?: string; Action: string[]; Resource: string }, indent: string, unit = '  '): string {
  const i = indent + unit;
  const lines = [
    ...(statement.Sid ? [`${i}sid       = ${hclString(statement.Sid)}`] : []),
    ...(statement.Effect && statement.Effect !== 'Allow' ? [`${i}effect    = ${hclString(statement.Effect)}`] : []),
    `${i}actions   = ${hclValue(statement.Action, i)}`,
    `${i}resources = ${hclValue([statement.Resource], i)}`,
  ];
  return `${indent}statement {\n${lines.join('\n')}\n${indent}}`;
}

/** Add a `statement` block before the closing brace of a policy document block. */
export function appendStatementBlock(text: string, block: JsonNode, statement: Parameters<typeof statementBlock>[0]): ValueEdit {
  const close = block.offset + block.length - 1;
  const indent = lineIndent(text, block.offset) + '  ';
  // After the last non-blank line of the block, so the new block follows the others.
  let at = close;
  while (at > block.offset && /[ \t]/.test(text[at - 1])) at--;
  return { offset: at, length: 0, newText: `${text[at - 1] === '\n' ? '' : '\n'}\n${statementBlock(statement, indent)}\n` };
}

/**
 * Add an element to a statement: in a `jsonencode` object `Name = value`, in a `statement`
 * block its HCL block (given as text by the caller), before the closing brace.
 */
export function insertHclElement(text: string, statement: JsonNode, element: string): ValueEdit {
  const close = statement.offset + statement.length - 1;
  const oneLine = !/\n/.test(text.slice(statement.offset, close));
  if (oneLine) {
    let at = close;
    while (at > statement.offset && /[ \t]/.test(text[at - 1])) at--;
    const before = text.slice(statement.offset + 1, at).trim();
    // An element of several lines continues at the indentation of the statement's line.
    const lines = element.replace(/\n/g, `\n${lineIndent(text, statement.offset)}`);
    return { offset: at, length: 0, newText: `${before && !before.endsWith(',') ? ',' : ''} ${lines}${text[close - 1] === ' ' ? '' : ' '}` };
  }
  let at = close;
  while (at > statement.offset && /[ \t]/.test(text[at - 1])) at--;
  const indent = lineIndent(text, statement.offset) + '  ';
  return { offset: at, length: 0, newText: `${text[at - 1] === '\n' ? '' : '\n'}${indent}${element.replace(/\n/g, `\n${indent}`)}\n` };
}

/**
 * Add `key` with `value` under a condition operator of a statement read from HCL: in a policy
 * document's `statement` block one more `condition` block (its conditions are blocks of their
 * own); in `jsonencode`, `Condition = { Operator = { "key" = value } }`, or the entry added to the
 * statement's `Condition` object and to that object's operator when they exist. Undefined when
 * the Condition or the operator is a value known only at plan time.
 */
export function addHclConditionEdit(text: string, statement: JsonNode, condition: JsonNode | undefined, operator: string, key: string, value: unknown): ValueEdit | undefined {
  if (isBlockNode(text, statement)) {
    return insertHclElement(text, statement, `condition {\n  test     = ${hclString(operator)}\n  variable = ${hclString(key)}\n  values   = ${hclValue(Array.isArray(value) ? value : [value], '')}\n}`);
  }
  if (!condition) return insertHclElement(text, statement, `Condition = ${hclValue({ [operator]: { [key]: value } }, '')}`);
  if (!isHclObject(text, condition)) return undefined;
  const entries = prop(condition, operator)?.value;
  if (entries && !isHclObject(text, entries)) return undefined;
  return entries
    ? insertHclElement(text, entries, `${hclKey(key)} = ${hclValue(value, '')}`)
    : insertHclElement(text, condition, `${hclKey(operator)} = ${hclValue({ [key]: value }, '')}`);
}

/**
 * A removal of one item or property (the edit covers it, and the comma that separates it) as
 * HCL writes it: when the item has its line to itself (a comma and a `#` or `//` comment may
 * follow it), that line goes, comment included, and the lines around it stay as they are; when
 * it starts its line and more follows, it goes with what separates it from the next item.
 * Any other edit as it is.
 */
export function hclRemovalEdit(text: string, root: JsonNode, edit: ValueEdit): ValueEdit {
  if (edit.newText !== '' || edit.length <= 0) return edit;
  const end = edit.offset + edit.length;
  let node: JsonNode | undefined = root;
  while (node) {
    const children: JsonNode[] = node.children ?? [];
    const covered = children.filter((c) => edit.offset <= c.offset && c.offset + c.length <= end);
    if ((node.type === 'array' || node.type === 'object') && covered.length === 1) return lineRemoval(text, children, covered[0]) ?? edit;
    if (covered.length) return edit;
    node = children.find((c) => c.offset <= edit.offset && end <= c.offset + c.length);
  }
  return edit;
}

function lineRemoval(text: string, siblings: JsonNode[], child: JsonNode): ValueEdit | undefined {
  let start = child.offset;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  if (start > 0 && text[start - 1] !== '\n') return undefined;
  const childEnd = child.offset + child.length;
  const lineEnd = text.indexOf('\n', childEnd);
  const rest = text.slice(childEnd, lineEnd < 0 ? text.length : lineEnd);
  if (/^[ \t]*,?[ \t]*(?:(?:#|\/\/).*)?\r?$/.test(rest)) {
    return { offset: start, length: (lineEnd < 0 ? text.length : lineEnd + 1) - start, newText: '' };
  }
  const next = siblings.find((c) => c.offset >= childEnd);
  return next && /^[ \t]*,?[ \t]*$/.test(text.slice(childEnd, next.offset)) ? { offset: child.offset, length: next.offset - child.offset, newText: '' } : undefined;
}
