import type { Check, CheckContext, ReportOptions } from './check';
import type { LocalFix, Span } from '../findings';
import type { JsonNode } from '../json/jsonDocument';
import { stringNodes } from '../json/nodes';
import { valueSpan } from '../json/stringRange';
import { statementConditions } from '../model/conditions';
import { variablesEnabled } from '../model/policyVariables';
import { PRINCIPAL_ELEMENTS, principalEntries, type Statement } from '../model/policyDocument';
import { unescapedPolicyVariables } from '../sources/templatedJson';

/** A problem in one `${…}` of a string, at characters [start, end) of the value. */
interface VariableProblem { start: number; end: number; message: string; replacement?: string }

/**
 * The syntax problems of the policy variables of a string: `${` without `}`, `${}`, a space in
 * the variable text, a default value not in single quotes (`${aws:username, 'guest'}`).
 */
export function variableProblems(s: string): VariableProblem[] {
  const out: VariableProblem[] = [];
  let i = s.indexOf('${');
  while (i >= 0) {
    const close = s.indexOf('}', i + 2);
    const next = s.indexOf('${', i + 2);
    if (close < 0 || (next >= 0 && next < close)) {
      const end = next >= 0 ? next : s.length;
      out.push({ start: i, end, message: `The policy variable "${s.slice(i, end)}" has no closing brace: add } after the variable text.` });
      i = next;
      continue;
    }
    const whole = s.slice(i, close + 1);
    const inner = s.slice(i + 2, close);
    const comma = inner.indexOf(',');
    const name = comma >= 0 ? inner.slice(0, comma) : inner;
    const fallback = comma >= 0 ? inner.slice(comma + 1) : undefined;
    if (inner.trim() === '') {
      out.push({ start: i, end: close + 1, message: `Empty policy variable "${whole}": remove it or name a variable inside it.` });
    } else if (/\s/.test(name)) {
      out.push({ start: i, end: close + 1, message: `A space is not supported in the policy variable text "${whole}": remove it.`, replacement: `\${${name.replace(/\s+/g, '')}${comma >= 0 ? `,${fallback}` : ''}}` });
    } else if (fallback !== undefined && !/^ ?'[^']*'$/.test(fallback)) {
      out.push({ start: i, end: close + 1, message: `The default value of the policy variable "${whole}" must begin and end with a single quote: \${${name}, 'default'}.` });
    }
    i = s.indexOf('${', close + 1);
  }
  return out;
}

/** An AWS policy variable (`${aws:username}`, `${saml:sub}`, `${*}`), not a template placeholder such as `${bucket}`. */
const AWS_VARIABLE = /\$\{\s*(?:[A-Za-z0-9.-]+:[^}]*|[*?$])\s*\}/;

/** Elements where policy variables are not replaced (only Resource and Condition values are). */
function unsupportedElementValues(s: Statement): { element: string; nodes: JsonNode[] }[] {
  const out: { element: string; nodes: JsonNode[] }[] = [];
  const elements = ['Sid', 'Effect', 'Action', 'NotAction'] as const;
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i];
    const v = s.elements[element]?.value;
    if (v) out.push({ element, nodes: stringNodes(v) });
  }
  for (let i = 0; i < PRINCIPAL_ELEMENTS.length; i++) {
    const element = PRINCIPAL_ELEMENTS[i];
    const entries = principalEntries(s.elements[element]?.value);
    if (entries.length) out.push({ element, nodes: entries.map((e) => e.item.node).filter((n) => n.type === 'string') });
  }
  return out;
}

/**
 * Whether a string of the document can hold `${`: its text has `${`, or a backslash (an
 * escape can write either character). Nodes built from Terraform can take values from
 * other files: they are always read.
 */
function mayHoldVariables(ctx: CheckContext): boolean {
  const { json, root } = ctx.doc;
  if (json.syntax === 'hcl' || !root) return true;
  // The document's own text only: a file can hold many documents.
  const text = json.text.slice(root.offset, root.offset + root.length);
  return text.includes('${') || text.includes('\\');
}

type Report = (span: Span, message: string, options?: ReportOptions) => void;

function reportProblems(ctx: CheckContext, node: JsonNode, report: Report): void {
  if (node.type !== 'string') return;
  const ps = variableProblems(String(node.value));
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i];
    const span = valueSpan(ctx.doc.json.text, node, p.start, p.end);
    // The variable as the file writes it: in a template file `$${…}` for `${…}` (the engine escapes the fix's text so too).
    const written = ctx.doc.json.text.slice(span.offset, span.offset + span.length);
    const fixes: LocalFix[] | undefined = p.replacement !== undefined && written.replace(/^\$\$\{/, '${') === String(node.value).slice(p.start, p.end)
      ? [{ title: `Change to "${p.replacement}"`, id: 'remove-space-in-variable', isPreferred: true, edits: [{ ...span, newText: p.replacement }] }]
      : undefined;
    // A string of Terraform HCL (`jsonencode`, a policy document block) writes `${` as `$${`.
    if (fixes && ctx.doc.json.syntax === 'hcl') fixes[0] = { ...fixes[0], edits: [{ ...span, newText: `$${p.replacement}` }], syntax: 'hcl' };
    report(span, p.message, fixes ? { fixes } : undefined);
  }
}

/**
 * In a file Terraform renders as a template: each AWS policy variable of the statement's text
 * written `${…}`, not `$${…}`, that no other finding of this check covers. Terraform reads it
 * as an interpolation, and `templatefile()` fails on it.
 */
function reportUnescaped(ctx: CheckContext, s: Statement, reported: readonly Span[]): void {
  const text = ctx.doc.json.text;
  const found = unescapedPolicyVariables(text, s.node.offset, s.node.offset + s.node.length);
  for (let i = 0; i < found.length; i++) {
    const { start, end } = found[i];
    if (reported.some((r) => r.offset < end && start < r.offset + r.length)) continue;
    const variable = text.slice(start, end);
    ctx.report({ offset: start, length: end - start },
      `templatefile() fails on ${variable}: write $${variable}. In a template file Terraform reads \${…} as an interpolation; $\${ writes a literal \${.`,
      { fixes: [{ title: `Change to "$${variable}"`, id: 'escape-policy-variable', isPreferred: true, edits: [{ offset: start, length: end - start, newText: `$${variable}` }] }] });
  }
}

/**
 * In a policy read from a Terraform file: each AWS policy variable of the statement the file
 * writes `${…}`, not `$${…}`, that no other finding of this check covers. Terraform reads it as
 * an interpolation and cannot parse the file (the reader reads it as the text `${…}`).
 */
function reportHclUnescaped(ctx: CheckContext, s: Statement, variables: readonly Span[], reported: readonly Span[]): void {
  const { doc } = ctx;
  const text = doc.json.text;
  const lengths = ctx.shared('hclPolicyVariables', () => new Map(variables.map((v) => [v.offset, v.length])));
  const to = s.node.offset + s.node.length;
  for (let i = text.indexOf('${', s.node.offset); i >= 0 && i < to; i = text.indexOf('${', i + 2)) {
    // The document's text may be a heredoc's or a quoted string's decoded: its offsets map to the file.
    const at = doc.toFileOffset(i);
    const length = lengths.get(at);
    if (length === undefined || doc.toFileOffset(i + length) !== at + length) continue;
    if (reported.some((r) => r.offset < i + length && i < r.offset + r.length)) continue;
    const variable = text.slice(i, i + length);
    // In a heredoc or a quoted string the engine writes `${` as `$${`; in HCL the fix writes it.
    const edit = { offset: i, length, newText: doc.hclString ? variable : `$${variable}` };
    ctx.report({ offset: i, length },
      `Terraform cannot parse ${variable}: write $${variable}. In a Terraform string \${…} is an interpolation; $\${ writes a literal \${.`,
      { fixes: [{ title: `Change to "$${variable}"`, id: 'escape-policy-variable', isPreferred: true, edits: [edit], ...(doc.hclString ? {} : { syntax: 'hcl' as const }) }] });
  }
}

/**
 * Policy variables written wrong, in a policy whose Version enables them (2012-10-17): in
 * Resource/NotResource and condition values, `${` without `}`, an empty `${}`, a space in the
 * variable text, an unquoted default value; in other elements, any AWS policy variable (it is
 * not replaced there). In a file Terraform renders as a template, whatever the Version: an AWS
 * policy variable written `${aws:username}`, not `$${aws:username}` (one finding a variable:
 * where another one is reported, its fix writes the escape); so too in a Terraform `.tf` file's
 * strings, heredocs and policy document blocks.
 */
export const policyVariableSyntax: Check = {
  id: 'policy-variable-syntax',
  defaultSeverity: 'error',
  summary: 'Policy variable written wrong (missing brace, empty, space, unquoted default) or in an element that takes none',
  statementLocal: true,
  run(ctx) {
    const template = ctx.doc.templateFile === true;
    const hcl = ctx.doc.hclPolicyVariables;
    const variables = variablesEnabled(ctx.doc.root);
    if ((!variables && !template && !hcl) || !mayHoldVariables(ctx)) return;
    for (let k = 0; k < ctx.statements.length; k++) {
      const s = ctx.statements[k];
      const reported: Span[] = [];
      const report: Report = (span, message, options) => { reported.push(span); ctx.report(span, message, options); };
      if (variables) reportStatement(ctx, s, report);
      if (template) reportUnescaped(ctx, s, reported);
      if (hcl) reportHclUnescaped(ctx, s, hcl, reported);
    }
  },
};

function reportStatement(ctx: CheckContext, s: Statement, report: Report): void {
  const elements = ['Resource', 'NotResource'] as const;
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i];
    const ns = stringNodes(s.elements[element]?.value);
    for (let i = 0; i < ns.length; i++) {
      const n = ns[i];
      reportProblems(ctx, n, report);
    }
  }
  const cs = statementConditions(s);
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i];
    for (let i = 0; i < c.values.length; i++) {
      const v = c.values[i];
      reportProblems(ctx, v.node, report);
    }
  }
  const list = unsupportedElementValues(s);
  for (let j = 0; j < list.length; j++) {
    const { element, nodes } = list[j];
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i];
      const text = String(n.value);
      const m = AWS_VARIABLE.exec(text);
      if (!m) continue;
      report(valueSpan(ctx.doc.json.text, n, m.index, m.index + m[0].length),
        `Policy variables are replaced only in the Resource and Condition elements: ${m[0]} in ${element} is literal text. Remove it from this element.`);
    }
  }
}
