/**
 * String values of policy elements as the handshake and the checks read them: plain strings, and
 * CloudFormation intrinsic functions resolved with the template context the manifest
 * gives (`Fn::If` counts both branches, each a value or a list, `AWS::NoValue` none). Unresolved values stay
 * unknown (`value` undefined), never errors.
 */
import type { JsonNode } from '../json/jsonDocument';
import { items, properties, stringValue } from '../json/nodes';
import { isIntrinsic } from './policyDocument';
import { resolveString, templateKeyRef, type TemplateContext } from './templateValues';

export interface ResolvedValue {
  /** The node written in the policy (a string or an intrinsic function object). */
  node: JsonNode;
  /** The value, resolved when it was an intrinsic function; undefined when unknown. */
  value: string | undefined;
  intrinsic: boolean;
  /** For a value an `Fn::If` chooses: the branch that writes it (`node` is the `Fn::If`). */
  written?: JsonNode;
  /**
   * For an unknown value that names a resource of a template (`Fn::GetAtt`, `Fn::ImportValue`):
   * the reference (see `PolicyOwner.keyRefs`, `PolicyOwner.roleRefs`).
   */
  keyRef?: string;
}

/**
 * The values of a string-or-array element, intrinsic functions resolved. `file`: the
 * template the element is in, for references to its resources.
 */
export function resolvedItems(node: JsonNode | undefined, ctx: TemplateContext | undefined, file?: string): ResolvedValue[] {
  const out: ResolvedValue[] = [];
  const ns = items(node);
  for (let i = 0; i < ns.length; i++) {
    const n = ns[i];
    addValue(n, n, ctx, out, 0, file);
  }
  return out;
}

function addValue(shown: JsonNode, n: JsonNode | undefined, ctx: TemplateContext | undefined, out: ResolvedValue[], depth: number, file?: string): void {
  if (!n) return;
  if (n.type === 'string') { out.push(shown === n ? { node: shown, value: String(n.value), intrinsic: false } : { node: shown, value: String(n.value), intrinsic: true, written: n }); return; }
  // A bare account id written as a number still names the account.
  if (n.type === 'number') { out.push({ node: shown, value: String(n.value), intrinsic: false }); return; }
  // An `Fn::If` branch may be a list of values.
  if (n.type === 'array' && shown !== n && depth < 8) {
    const cs = n.children ?? [];
    for (let i = 0; i < cs.length; i++) addValue(shown, cs[i], ctx, out, depth + 1, file);
    return;
  }
  if (!isIntrinsic(n)) { if (n.type !== 'object') out.push({ node: shown, value: undefined, intrinsic: false }); return; }
  const [p] = properties(n);
  if (p.name === 'Ref' && stringValue(p.value) === 'AWS::NoValue') return;
  if (p.name === 'Fn::If' && p.value?.type === 'array' && depth < 8) {
    const branches = p.value.children ?? [];
    addValue(shown, branches[1], ctx, out, depth + 1, file);
    addValue(shown, branches[2], ctx, out, depth + 1, file);
    return;
  }
  const value = resolveString(n, ctx);
  const keyRef = value === undefined ? templateKeyRef(n, file, ctx) : undefined;
  const resolved: ResolvedValue = keyRef ? { node: shown, value, intrinsic: true, keyRef } : { node: shown, value, intrinsic: true };
  if (shown !== n) resolved.written = n;
  out.push(resolved);
}

/** One principal of a Principal element: its type (`AWS`, `Service`, … or `*` for the bare string form). */
export interface ResolvedPrincipal { type: string; value: ResolvedValue }

/** The principals of a Principal element, intrinsic functions resolved; `file`: the template it is in, for references to its resources. */
export function resolvedPrincipals(node: JsonNode | undefined, ctx: TemplateContext | undefined, file?: string): ResolvedPrincipal[] {
  if (!node) return [];
  if (node.type === 'string') return [{ type: '*', value: { node, value: String(node.value), intrinsic: false } }];
  if (node.type !== 'object' || isIntrinsic(node)) return [];
  const out: ResolvedPrincipal[] = [];
  const ps = properties(node);
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i];
    const vs = resolvedItems(p.value, ctx, file);
    for (let i = 0; i < vs.length; i++) {
      const v = vs[i];
      out.push({ type: p.name, value: v });
    }
  }
  return out;
}
