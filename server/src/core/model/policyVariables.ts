/**
 * The policy's `Version` and the policy variables (`${aws:username}`) it enables. With
 * `2012-10-17` a `${…}` in a Resource or a String/ARN condition value is replaced at request
 * time; with `2008-10-17` or no Version it is literal text.
 */
import type { JsonNode } from '../json/jsonDocument';
import { prop } from '../json/nodes';
import { isIntrinsic } from './policyDocument';

export const CURRENT_VERSION = '2012-10-17';
export const OLD_VERSION = '2008-10-17';

/**
 * The Version as written: a string, `missing` when absent, `unknown` when it is not a
 * plain string (a CloudFormation intrinsic, a number…).
 */
export function policyVersion(policy: JsonNode): string | 'missing' | 'unknown' {
  const p = prop(policy, 'Version');
  if (!p) return 'missing';
  if (p.value?.type === 'string') return String(p.value.value);
  return 'unknown';
}

/** Whether `${…}` in the document is a policy variable (true) or literal text (false). */
export function variablesEnabled(policy: JsonNode): boolean {
  const v = policyVersion(policy);
  return v === CURRENT_VERSION || (v === 'unknown' && isIntrinsic(prop(policy, 'Version')?.value));
}

export interface VariableSpan { start: number; end: number; name: string }

/** Each `${…}` of a string (offsets in the string); an unclosed `${` is not a variable. */
export function findVariables(s: string): VariableSpan[] {
  const out: VariableSpan[] = [];
  let i = s.indexOf('${');
  while (i >= 0) {
    const close = s.indexOf('}', i + 2);
    if (close < 0) break;
    out.push({ start: i, end: close + 1, name: s.slice(i + 2, close) });
    i = s.indexOf('${', close + 1);
  }
  return out;
}

export function hasVariable(s: string): boolean {
  return findVariables(s).length > 0;
}

/**
 * The string with every variable replaced: `${*}`, `${?}`, `${$}` stand for the literal
 * character, anything else for `replacement` (by default `*`, "some value").
 */
export function replaceVariables(s: string, replacement = '*'): string {
  const vars = findVariables(s);
  if (vars.length === 0) return s;
  let out = '';
  let last = 0;
  for (let i = 0; i < vars.length; i++) {
    const v = vars[i];
    out += s.slice(last, v.start);
    out += v.name === '*' || v.name === '?' || v.name === '$' ? v.name : replacement;
    last = v.end;
  }
  return out + s.slice(last);
}

/**
 * Whether a policy holds `${…}` that AWS reads as policy variables under 2012-10-17:
 * `'yes'`, `'maybe'` (a CloudFormation template, where `${…}` may be Fn::Sub's own) or `'no'`.
 * Terraform renders `$${x}` and `&{x}` as `${x}`, and its own interpolations are unknown
 * values, not text: its documents are judged by their string values.
 */
export function policyVariablesIn(doc: { root: JsonNode; source: string; allowsIntrinsics?: boolean; json: { text: string } }): 'yes' | 'maybe' | 'no' {
  if (doc.source === 'terraform' || doc.source === 'terraform-plan') return stringsHold(doc.root, '${', 0) ? 'yes' : 'no';
  if (!doc.json.text.slice(doc.root.offset, doc.root.offset + doc.root.length).includes('${')) return 'no';
  return doc.allowsIntrinsics ? 'maybe' : 'yes';
}

function stringsHold(node: JsonNode | undefined, needle: string, depth: number): boolean {
  if (!node || depth > 64) return false;
  if (node.type === 'string') return typeof node.value === 'string' && node.value.includes(needle);
  // A value known at apply time only (`{"Fn::Terraform": "<expression>"}`): its text is Terraform's, not the policy's.
  if (isIntrinsic(node)) return false;
  return (node.children ?? []).some((c) => stringsHold(c, needle, depth + 1));
}
