import type { Check } from './check';
import type { ContainerSpan } from '../findings';
import type { JsonNode } from '../json/jsonDocument';
import { prop, properties } from '../json/nodes';
import { CURRENT_VERSION, policyVariablesIn, policyVersion } from '../model/policyVariables';

/**
 * A policy without `Version`: AWS evaluates it with the 2008-10-17 language, where
 * `${…}` is literal text. Applies to every policy, CloudFormation documents included.
 */
export const versionMissing: Check = {
  id: 'version-missing',
  defaultSeverity: 'warning',
  summary: 'Policy without Version (2008-10-17 semantics, no policy variables)',
  run(ctx) {
    const root = ctx.doc.root;
    if (policyVersion(root) !== 'missing') return;
    const text = ctx.doc.json.text;
    const variables = policyVariablesIn(ctx.doc);
    const hasDollarBrace = variables !== 'no';
    const literal = hasDollarBrace ? ' The ${…} in this document are read as literal text, not as policy variables.' : '';
    const at = prop(root, 'Statement')?.key ?? { offset: root.offset, length: 1 };
    // In Terraform's jsonencode({...}) the element is written in HCL: `Version = "…"`.
    const hcl = ctx.doc.json.syntax === 'hcl';
    const member = hcl ? `Version = "${CURRENT_VERSION}"` : `"Version": "${CURRENT_VERSION}"`;
    ctx.report(at, `The policy has no Version: add "Version": "${CURRENT_VERSION}". Without it AWS applies the 2008-10-17 policy language.${literal}`, {
      // Variables the missing Version leaves as text are an error (Access Analyzer's VARIABLE_UNSUPPORTED_IN_VERSION);
      // in a template, ${…} may be Fn::Sub's own.
      severity: variables === 'yes' ? 'error' : undefined,
      fixes: [{ title: `Add "Version": "${CURRENT_VERSION}"`, id: 'add-version', isPreferred: true, edits: [addFirstPropertyEdit(text, root, member, hcl)], ...(hcl ? { syntax: 'hcl' as const } : {}) }],
    });
  },
};

/**
 * An edit inserting `member` as the first property of an object, in the object's own layout.
 * `hcl`: the object is an HCL object (Terraform's `jsonencode({...})`), whose elements on their
 * own lines take no comma.
 */
export function addFirstPropertyEdit(text: string, obj: JsonNode, member: string, hcl = false): { offset: number; length: number; newText: string; into: ContainerSpan } {
  return { ...addFirstPropertyText(text, obj, member, hcl), into: { offset: obj.offset, length: obj.length } };
}

function addFirstPropertyText(text: string, obj: JsonNode, member: string, hcl: boolean): { offset: number; length: number; newText: string } {
  const first = properties(obj)[0]?.property ?? obj.children?.[0];
  if (!first) return { offset: obj.offset + 1, length: 0, newText: hcl ? ` ${member} ` : member };
  const between = text.slice(obj.offset + 1, first.offset);
  const newline = between.lastIndexOf('\n');
  if (newline < 0) return { offset: first.offset, length: 0, newText: `${member}, ` };
  // The first property starts its own line: repeat its line break and indentation.
  const indent = between.slice(newline + 1);
  const lineBreak = between[newline - 1] === '\r' ? '\r\n' : '\n';
  return { offset: first.offset, length: 0, newText: `${member}${hcl ? '' : ','}${lineBreak}${/^[ \t]*$/.test(indent) ? indent : ''}` };
}
