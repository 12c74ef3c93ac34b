/**
 * HCL expressions as policy values. Literals become JSON nodes with their ranges in the `.tf`
 * text; references the module or the manifest's binding decides (`var.NAME`, `local.NAME`, the
 * account, partition and region data sources, role names and ARNs) become strings; anything else
 * (`aws_kms_key.k.arn`, function calls, `for` expressions…) is an unknown value, written as an
 * intrinsic-function object (`{"Fn::Terraform": "<expression>"}`) the checks already treat as
 * unknown, never as an error.
 */
import type { JsonNode } from '../../json/jsonDocument';
import type { TemplateContext } from '../../model/templateValues';
import { childOfType, named, type HclNode } from './hclSyntax';
import { iamEntityArn } from '../../model/arn';

/** The key of the object that stands for a value only known at apply time. */
export const UNKNOWN_KEY = 'Fn::Terraform';

/** What expressions of one module resolve with. */
export interface HclScope {
  text: string;
  template: TemplateContext | undefined;
  /** `variable` blocks' `default` expressions, by name. */
  variables: Map<string, HclNode>;
  /** `locals` entries, by name. */
  locals: Map<string, HclNode>;
  /** Managed resources' argument expressions, by `TYPE.NAME`. */
  resources: Map<string, Map<string, HclNode>>;
  /** The partition resources are in. */
  partition: string;
  /** Literal values of the module's variables from the other files of its folder (see `FileBinding.moduleVariables`). */
  moduleVariables?: { defaults: Record<string, string>; assigned: Record<string, string> };
}

/** The expression below `expression` wrappers and parentheses, when it has no postfix. */
export function core(e: HclNode | undefined): HclNode | undefined {
  let n = e;
  for (let i = 0; n && i < 64; i++) {
    if (n.type !== 'expression' && n.type !== 'literal_value' && n.type !== 'collection_value' && n.type !== 'template_expr') return n;
    const only = onlyNamedChild(n);
    if (!only) return n;
    n = only;
  }
  return n;
}

/** `var.x`, `data.a.b[0].c` as their names (indexes left out); undefined for anything else. */
export function referenceParts(e: HclNode | undefined, text: string): string[] | undefined {
  let n = e;
  for (let inner = onlyNamedChild(n); n && n.type === 'expression' && inner?.type === 'expression'; inner = onlyNamedChild(n)) n = inner;
  if (!n || n.type !== 'expression') return undefined;
  // The named children: a variable, then attributes and indexes.
  let parts: string[] | undefined;
  const kids = n.children;
  for (let i = 0; i < kids.length; i++) {
    const k = kids[i];
    if (!k.named || k.type === 'comment') continue;
    if (!parts) {
      if (k.type !== 'variable_expr') return undefined;
      parts = [text.slice(k.start, k.end)];
    } else if (k.type === 'get_attr') {
      const id = k.children.find((c) => c.named && c.type === 'identifier');
      if (!id) return undefined;
      parts.push(text.slice(id.start, id.end));
    } else if (k.type !== 'index') return undefined;
  }
  return parts;
}

/** The one named child (as `named` counts them), without making the list; undefined when there are none or several. */
function onlyNamedChild(n: HclNode | undefined): HclNode | undefined {
  let only: HclNode | undefined;
  const children = n ? n.children : [];
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    if (!c.named || c.type === 'comment') continue;
    if (only) return undefined;
    only = c;
  }
  return only;
}

/** Decode an HCL quoted-string body (escapes `\n`, `\"`, `\uNNNN`, `\UNNNNNNNN`, `$${`, `%%{`). */
export function decodeHclString(raw: string): string {
  if (!raw.includes('\\') && !raw.includes('$${') && !raw.includes('%%{')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\' && i + 1 < raw.length) {
      const e = raw[++i];
      if (e === 'n') out += '\n';
      else if (e === 't') out += '\t';
      else if (e === 'r') out += '\r';
      else if (e === 'u' || e === 'U') {
        const width = e === 'u' ? 4 : 8;
        const hex = raw.slice(i + 1, i + 1 + width);
        const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === width ? parseInt(hex, 16) : NaN;
        out += Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFD';
        i += width;
      } else out += e;
    } else if ((c === '$' || c === '%') && raw[i + 1] === c && raw[i + 2] === '{') {
      out += c + '{';
      i += 2;
    } else out += c;
  }
  return out;
}

/** The value of an expression when it is a literal or resolves to one; undefined otherwise. */
export function evalString(e: HclNode | undefined, scope: HclScope, depth = 0): string | undefined {
  const n = core(e);
  if (!n || n.broken || depth > 32) return undefined;
  switch (n.type) {
    case 'string_lit':
    case 'quoted_template': {
      let out = '';
      const parts = n.children;
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i];
        if (part.type === 'quoted_template_start' || part.type === 'quoted_template_end') continue;
        if (part.type === 'template_literal') out += decodeHclString(scope.text.slice(part.start, part.end));
        else if (part.type === 'template_interpolation') {
          const v = evalString(childOfType(part, 'expression'), scope, depth + 1);
          if (v === undefined) return undefined;
          out += v;
        } else return undefined;
      }
      return out;
    }
    case 'numeric_lit':
    case 'bool_lit':
      return scope.text.slice(n.start, n.end);
    case 'expression': {
      const parts = referenceParts(n, scope.text);
      return parts ? resolveReference(parts, scope, depth) : undefined;
    }
    case 'function_call':
      return evalCall(n, scope, depth);
    default:
      return undefined;
  }
}

/**
 * `format(SPEC, ARGS...)` and `join(SEP, [ITEMS...])` when every part is known. Only the verbs
 * whose result is certain for a string are read (`%s`, `%v`, `%%`; `%d` of an integer); a
 * width, a flag, another verb or a count of arguments that does not match is unknown.
 */
function evalCall(n: HclNode, scope: HclScope, depth: number): string | undefined {
  const [fn, argList] = named(n);
  const name = fn?.type === 'identifier' ? scope.text.slice(fn.start, fn.end) : '';
  const args = argList ? named(argList).filter((a) => a.type === 'expression') : [];
  // `f(list...)`: the expansion symbol makes the arguments a list known only as a whole.
  if (argList?.children.some((c) => c.type === '...' || c.type === 'ellipsis')) return undefined;
  if (name === 'format') {
    const spec = evalString(args[0], scope, depth + 1);
    if (spec === undefined) return undefined;
    let next = 1;
    let out = '';
    for (let i = 0; i < spec.length; i++) {
      if (spec[i] !== '%') { out += spec[i]; continue; }
      const verb = spec[++i];
      if (verb === '%') { out += '%'; continue; }
      if (verb !== 's' && verb !== 'v' && verb !== 'd') return undefined;
      const v = evalString(args[next++], scope, depth + 1);
      if (v === undefined || (verb === 'd' && !/^-?\d+$/.test(v))) return undefined;
      out += v;
    }
    return next === args.length ? out : undefined;
  }
  if (name === 'join' && args.length === 2) {
    const sep = evalString(args[0], scope, depth + 1);
    const list = core(args[1]);
    if (sep === undefined || list?.type !== 'tuple') return undefined;
    const items: string[] = [];
    for (const item of named(list).filter((c) => c.type === 'expression')) {
      const v = evalString(item, scope, depth + 1);
      if (v === undefined) return undefined;
      items.push(v);
    }
    return items.join(sep);
  }
  return undefined;
}

/** A map's own entry (never an inherited `__proto__`, `constructor`). */
function own(m: Record<string, string> | undefined, key: string): string | undefined {
  return m && Object.prototype.hasOwnProperty.call(m, key) ? m[key] : undefined;
}

/** The value a reference resolves to in the module and the binding; undefined when unknown. */
export function resolveReference(parts: string[], scope: HclScope, depth = 0): string | undefined {
  const [head, a, b, c] = parts;
  // data.TYPE.NAME.ATTRIBUTE, or TYPE.NAME.ATTRIBUTE of a managed resource.
  const t = scope.template;
  if (head === 'var' && a && parts.length === 2) {
    // The manifest's parameters, then what a variables file Terraform loads assigns, then a default (this file's, or another's of the module).
    const mv = scope.moduleVariables;
    return t?.parameters?.[a] ?? own(mv?.assigned, a) ?? evalString(scope.variables.get(a), scope, depth + 1) ?? own(mv?.defaults, a);
  }
  if (head === 'local' && a && parts.length === 2) return evalString(scope.locals.get(a), scope, depth + 1);
  // The module's own folder: paths built on it are relative to the file's folder.
  if (head === 'path' && a === 'module' && parts.length === 2) return '.';
  if (head === 'data' && parts.length === 4) {
    if (a === 'aws_caller_identity' && (c === 'account_id' || c === 'id')) return t?.account;
    if (a === 'aws_partition' && c === 'partition') return scope.partition;
    if (a === 'aws_region' && (c === 'name' || c === 'region' || c === 'id')) return t?.region;
    return undefined;
  }
  if (parts.length === 3 && b) {
    const args = scope.resources.get(`${head}.${a}`);
    if (!args) return undefined;
    if (head === 'aws_iam_role' || head === 'aws_iam_user' || head === 'aws_iam_group' || head === 'aws_iam_policy') {
      const name = evalString(args.get('name'), scope, depth + 1);
      if (b === 'name' || (b === 'id' && head !== 'aws_iam_policy')) return name;
      if (b === 'arn') return iamArn(head.slice('aws_iam_'.length), name, evalString(args.get('path'), scope, depth + 1), scope, args);
    }
  }
  return undefined;
}

/** `arn:PARTITION:iam::ACCOUNT:KIND/PATH/NAME` when the name, path and account are known. */
export function iamArn(kind: string, name: string | undefined, path: string | undefined, scope: HclScope, args?: Map<string, HclNode>): string | undefined {
  const account = scope.template?.account;
  if (!name || !account) return undefined;
  if (args?.has('path') && path === undefined) return undefined;
  return iamEntityArn(scope.partition, account, kind, name, path);
}

// ---- JSON nodes ----

/** jsonc-parser's node type with its fields writable: these trees are built here. */
type Writable = { -readonly [K in keyof JsonNode]: JsonNode[K] };
const w = (n: JsonNode) => n as Writable;

export function jsonNode(type: JsonNode['type'], offset: number, length: number, value?: unknown): JsonNode {
  return { type, offset, length, value } as JsonNode;
}

/** Give a node built here another value (the text it renders to). */
export function setValue(n: JsonNode, value: unknown): void {
  w(n).value = value;
}

/** Detach a node from its parent (it is about to be given another). */
export function detach(n: JsonNode): JsonNode {
  w(n).parent = undefined;
  return n;
}

/** Set `parent` on every child (jsonc-parser's trees have them). */
export function link(n: JsonNode, children: JsonNode[]): JsonNode {
  w(n).children = children;
  for (let i = 0; i < children.length; i++) w(children[i]).parent = n;
  return n;
}

/** A property node over `[offset, end)` with its key and value. */
export function propertyNode(key: JsonNode, value: JsonNode, offset: number, end: number, colonOffset?: number): JsonNode {
  const p = jsonNode('property', offset, Math.max(0, end - offset));
  if (colonOffset !== undefined) w(p).colonOffset = colonOffset;
  return link(p, [key, value]);
}

/** The unknown value over a range: `{"Fn::Terraform": "<source>"}` with every node on the range. */
export function unknownNode(offset: number, length: number, source: string): JsonNode {
  const obj = jsonNode('object', offset, length);
  const key = jsonNode('string', offset, length, UNKNOWN_KEY);
  const value = jsonNode('string', offset, length, source.length > 200 ? source.slice(0, 200) : source);
  return link(obj, [propertyNode(key, value, offset, offset + length)]);
}

/** Turn a node into the unknown value in place (keeps its parent's reference). */
export function makeUnknown(n: JsonNode, source: string): void {
  const u = unknownNode(n.offset, n.length, source);
  w(n).type = 'object';
  w(n).value = undefined;
  link(n, u.children!);
}

/** Whether a node is the unknown value. */
export function isUnknownValue(n: JsonNode | undefined): boolean {
  return n?.type === 'object' && n.children?.length === 1 && n.children[0].children?.[0]?.value === UNKNOWN_KEY;
}

/**
 * An HCL expression (a `jsonencode` argument, an attribute of a policy document block) as a
 * JSON node. Undefined when the expression is not valid HCL yet.
 */
export function toJsonNode(e: HclNode, scope: HclScope, depth = 0): JsonNode | undefined {
  if (e.broken) return undefined;
  const n = core(e) ?? e;
  const src = () => scope.text.slice(e.start, e.end);
  if (depth > 128) return unknownNode(e.start, e.end - e.start, src());
  switch (n.type) {
    case 'object': {
      const obj = jsonNode('object', n.start, n.end - n.start);
      const props: JsonNode[] = [];
      const elems = n.children;
      for (let i = 0; i < elems.length; i++) {
        const elem = elems[i];
        if (elem.type !== 'object_elem') continue;
        const [k, v] = named(elem);
        if (!k || !v) continue;
        const keyCore = core(k);
        let keyName: string | undefined;
        if (keyCore?.type === 'variable_expr') keyName = scope.text.slice(keyCore.start, keyCore.end);
        else keyName = evalString(k, scope);
        if (keyName === undefined) continue;
        const value = toJsonNode(v, scope, depth + 1);
        if (!value) return undefined;
        const key = jsonNode('string', k.start, k.end - k.start, keyName);
        const sep = elem.children.find((c) => !c.named && (c.type === '=' || c.type === ':'));
        props.push(propertyNode(key, value, elem.start, elem.end, sep?.start));
      }
      return link(obj, props);
    }
    case 'tuple': {
      const arr = jsonNode('array', n.start, n.end - n.start);
      const kids: JsonNode[] = [];
      const items = n.children;
      for (let i = 0; i < items.length; i++) {
        const c = items[i];
        if (!c.named || c.type !== 'expression') continue;
        const v = toJsonNode(c, scope, depth + 1);
        if (!v) return undefined;
        kids.push(v);
      }
      return link(arr, kids);
    }
    case 'function_call': {
      // concat([...], [...], x): the lists' items, in order; a list that is not literal is one unknown item.
      const [fn, args] = named(n);
      if (fn?.type !== 'identifier' || scope.text.slice(fn.start, fn.end) !== 'concat') {
        // format() and join() of known parts are strings; any other call is known at plan time only.
        const v = evalString(e, scope);
        return v !== undefined ? jsonNode('string', e.start, e.end - e.start, v) : unknownNode(e.start, e.end - e.start, src());
      }
      const arr = jsonNode('array', n.start, n.end - n.start);
      const kids: JsonNode[] = [];
      for (const arg of named(args).filter((a) => a.type === 'expression')) {
        const list = core(arg);
        if (list?.type !== 'tuple') { kids.push(unknownNode(arg.start, arg.end - arg.start, scope.text.slice(arg.start, arg.end))); continue; }
        const v = toJsonNode(arg, scope, depth + 1);
        if (!v) return undefined;
        for (const c of v.children ?? []) kids.push(c);
      }
      return link(arr, kids);
    }
    case 'numeric_lit': {
      const v = Number(scope.text.slice(n.start, n.end));
      return Number.isFinite(v) ? jsonNode('number', n.start, n.end - n.start, v) : unknownNode(n.start, n.end - n.start, src());
    }
    case 'bool_lit':
      return jsonNode('boolean', n.start, n.end - n.start, scope.text.slice(n.start, n.end) === 'true');
    case 'null_lit':
      return jsonNode('null', n.start, n.end - n.start, null);
    default: {
      const v = evalString(e, scope);
      return v !== undefined ? jsonNode('string', e.start, e.end - e.start, v) : unknownNode(e.start, e.end - e.start, src());
    }
  }
}
