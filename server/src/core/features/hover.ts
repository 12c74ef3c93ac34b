/**
 * Hover: what the word under the cursor means in the policy. Principals, actions,
 * condition keys and operators, ARNs, account ids and element names. Pure: spans are
 * file offsets; the LSP layer converts.
 */
import { findNodeAtOffset } from 'jsonc-parser';
import type { Catalog } from '../catalog/catalog';
import type { Span } from '../findings';
import type { JsonNode } from '../json/jsonDocument';
import { properties } from '../json/nodes';
import { parseArn } from '../model/arn';
import { isIntrinsic } from '../model/policyDocument';
import { templateText } from '../model/templateValues';
import type { Workspace } from '../workspace/workspace';
import { actionMarkdown } from './actionHover';
import { arnMarkdown } from './arnHover';
import { conditionKeyMarkdown } from './conditionKeyHover';
import { handshakeHover } from './handshakeHover';
import { documentAt, fileSpan, nodeContext, type NodeContext } from './policyPosition';
import { operatorMarkdown, POLICY_ELEMENTS, PRINCIPAL_TYPES, STATEMENT_ELEMENT_TEXT } from './policyTerms';
import { principalMarkdown } from './principalHover';
import { templatePrincipalAt, templatePrincipalMarkdown } from './templatePrincipalHover';
import { accountLabel } from './workspaceFacts';
import { lookupTable } from '../lookupTable';

export interface HoverResult {
  markdown: string;
  /** The hovered word (a string node, quotes included), in file offsets. */
  span: Span;
}

const VERSIONS = lookupTable<string>({
  '2012-10-17': 'The current policy language version.',
  '2008-10-17': 'An old policy language version: policy variables such as `${aws:username}` are not replaced. Use `2012-10-17`.',
});

/**
 * `full`: the client does not show a place's diagnostics in its hover (Neovim), so the hover
 * never leaves out what a finding at the place says.
 */
export function hoverAt(ws: Workspace, path: string, offset: number, catalog: Catalog = ws.catalog, full = false): HoverResult | undefined {
  const at = documentAt(ws, path, offset);
  if (!at) return undefined;
  const node = findNodeAtOffset(at.doc.root, at.offset, false);
  // An unquoted YAML number (`AWS: 444455556666`) is the string CloudFormation passes on.
  if (!node || (node.type !== 'string' && !(node.type === 'number' && at.doc.json.syntax === 'yaml'))) return undefined;
  const ctx = nodeContext(at.doc, node);
  if (!ctx) return undefined;
  // A role of the key's own template (`!GetAtt Role.Arn`) or an export: the whole reference is the principal.
  const own = !ctx.isKey && ctx.statement && ctx.path[0] === 'Principal' ? templatePrincipalAt(ws, at.doc, ctx.statement, node) : undefined;
  if (own) return { markdown: templatePrincipalMarkdown(ws, at.doc, ctx.statement!, own), span: fileSpan(at.doc, own.node.offset, own.node.length) };
  const markdown = ctx.isKey ? keyMarkdown(catalog, ctx) : valueMarkdown(catalog, ws, ctx, String(node.value));
  const span = fileSpan(at.doc, node.offset, node.length);
  // Principals of other accounts in key policies and key ARNs in identity policies: the handshake too.
  const listed = !full && !ctx.isKey && listsGrantees(ws, path, span);
  const handshake = ctx.isKey ? undefined : handshakeHover(ws, path, offset, { listedByFindings: listed });
  if (!markdown) return handshake ? { markdown: handshake.markdown, span } : undefined;
  // Beside a finding the editor shows above it, the two short paragraphs go without a rule between them.
  return { markdown: handshake ? `${markdown}\n\n${listed ? '' : '---\n\n'}${handshake.markdown}` : markdown, span };
}

/**
 * Findings that say what the handshake section would (who can use the key and where, what was
 * searched, what has no effect): beside one of them the section leaves that out.
 */
const LISTING_CHECKS = new Set([
  'root-principal-broader-than-grants', 'root-principal-without-grant', 'external-principal-without-grant',
  'iam-grant-without-key-trust', 'iam-grant-exceeds-key-policy',
]);

function listsGrantees(ws: Workspace, path: string, span: Span): boolean {
  return ws.findings(path).some((f) => LISTING_CHECKS.has(f.checkId) && f.span.offset === span.offset && f.span.length === span.length);
}

function keyMarkdown(catalog: Catalog, ctx: NodeContext): string | undefined {
  const { path, statement } = ctx;
  const name = String(path[path.length - 1]);
  if (!statement) return path.length === 1 ? elementLine(name, POLICY_ELEMENTS[name]) : undefined;
  if (path.length === 1) return elementLine(name, STATEMENT_ELEMENT_TEXT[name]) ?? `\`${name}\` is not a statement element.`;
  const element = path[0];
  if ((element === 'Principal' || element === 'NotPrincipal') && path.length === 2) return elementLine(name, PRINCIPAL_TYPES[name]);
  if (element === 'Condition' && path.length === 2) return operatorMarkdown(name);
  if (element === 'Condition' && path.length === 3) return conditionKeyMarkdown(catalog, name, statement);
  return undefined;
}

function elementLine(name: string, text: string | undefined): string | undefined {
  return text ? `**${name}**: ${text}` : undefined;
}

function valueMarkdown(catalog: Catalog, ws: Workspace, ctx: NodeContext, value: string): string | undefined {
  const { path, statement, doc } = ctx;
  if (!statement) {
    if (path.length === 1 && path[0] === 'Version') return VERSIONS[value] ? `**${value}**: ${VERSIONS[value]}` : `\`${value}\` is not a policy language version: use \`2012-10-17\`.`;
    return plainValue(catalog, ws, value, doc.file);
  }
  const element = path[0];
  if ((element === 'Action' || element === 'NotAction') && path.length <= 2) return actionMarkdown(catalog, value);
  // A principal written with intrinsic functions: the value it stands for, as far as the template's values say it.
  const intrinsic = (element === 'Principal' || element === 'NotPrincipal') && typeof path[1] === 'string' ? intrinsicValue(ctx) : undefined;
  if (intrinsic !== undefined) return principalMarkdown(catalog, ws, doc, statement, { type: String(path[1]), value: intrinsic, negated: element === 'NotPrincipal' });
  if ((element === 'Principal' || element === 'NotPrincipal') && path.length <= 3) {
    const type = path.length === 1 ? '*' : String(path[1]);
    if (path.length === 1 || typeof path[1] === 'string') {
      return principalMarkdown(catalog, ws, doc, statement, { type, value, negated: element === 'NotPrincipal' });
    }
  }
  if ((element === 'Resource' || element === 'NotResource') && path.length <= 2 && value === '*') {
    return doc.kind === 'kms-key-policy' ? '`"*"` in a key policy: this key.' : '`"*"`: every resource.';
  }
  return plainValue(catalog, ws, intrinsicValue(ctx) ?? value, doc.file);
}

/**
 * For a string inside intrinsic functions (`!Sub 'arn:${AWS::Partition}:iam::${Acct}:root'`,
 * `!Ref AWS::AccountId`, a part of `!Join`; in a branch of `!If`): the value the outermost of
 * them stands for, each value the template's binding gives substituted and the others kept as
 * `${Name}` (see `templateText`). Undefined outside intrinsics and for those read as unknown.
 */
function intrinsicValue(ctx: NodeContext): string | undefined {
  let item: JsonNode | undefined;
  for (let n: JsonNode | undefined = ctx.node; n && n !== ctx.doc.root; n = n.parent) {
    if (ctx.statement && n === ctx.statement.node) break;
    if (n.type === 'object' && isIntrinsic(n) && properties(n)[0]?.name !== 'Fn::If') item = n;
  }
  return item && templateText(item, ctx.doc.template);
}

/** Any other string: an ARN or an account id is explained, the rest has no hover. */
/** `file`: the hovered file (account names from its manifest). */
function plainValue(catalog: Catalog, ws: Workspace, value: string, file: string): string | undefined {
  if (parseArn(value)) return arnMarkdown(catalog, ws, value, file);
  if (/^\d{12}$/.test(value)) return `**AWS account** ${accountLabel(ws, value, file)}`;
  return undefined;
}
