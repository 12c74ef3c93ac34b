/**
 * Templated JSON policy files: JSON with `${name}` or `${var.name}` placeholders, as Terraform's
 * `templatefile()` and `envsubst` read them (`*.tpl`, `*.tftpl`, `*.json.tpl`, and `*.json` files
 * that hold placeholders). A placeholder is a value known only when the template is rendered:
 * never an error. When the manifest's `templates` entry for the file gives `parameters`, simple
 * placeholders are replaced by their values; anything else becomes the unknown value the checks
 * already treat as unknown (`{"Fn::Terraform": "<source>"}`).
 *
 * AWS policy variables (`${aws:username}`, `${s3:prefix}`, `${*}`) are not placeholders. In a
 * file Terraform renders (see `isTerraformTemplate`) `$${` writes a literal `${` and `%%{` a
 * literal `%{`, so a policy variable there is written `$${aws:username}`: Terraform reads
 * `${aws:username}` as an interpolation, and `templatefile()` fails on it.
 */
import { parseJson, type JsonDocument, type JsonNode, type ParseLimits } from '../json/jsonDocument';
import { makeUnknown } from './hcl/hclValues';

/** Terraform template file names (`x.tpl`, `x.json.tpl`, `x.tftpl`). */
export function isTemplateFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.endsWith('.tpl') || lower.endsWith('.tftpl');
}

/**
 * Whether Terraform renders a file as a template: a `templatefile()` of the workspace reads it
 * (whatever its name), or no `file()` does and its name is a template's (`*.tpl`, `*.tftpl`).
 * Other files with `${name}` placeholders (envsubst's `*.json`) have no `$${` escape.
 */
export function isTerraformTemplate(name: string, binding: { readBy?: 'file' | 'templatefile' } | undefined): boolean {
  return binding?.readBy ? binding.readBy === 'templatefile' : isTemplateFileName(name);
}

/** The content of `${…}` that is an AWS policy variable, not a template placeholder. */
const POLICY_VARIABLE = /^\s*(\*|\?|\$|[A-Za-z0-9.-]+:[^}]*)\s*$/;

/** How a template expression starts (a name, a call, a literal): `${}` and `${ }` are policy-variable mistakes, not placeholders. */
const TEMPLATE_EXPRESSION = /^\s*[A-Za-z_0-9("[!-]/;

/** A placeholder the parameters can replace: `name` or `var.name`. */
const SIMPLE = /^\s*(?:var\.)?([A-Za-z_][A-Za-z0-9_-]*)\s*$/;

interface Placeholder {
  /** Offsets of `$` and one past the closing `}`. */
  start: number;
  end: number;
  /** The text between the braces. */
  expr: string;
}

/**
 * The `${…}` of `text[from, to)` that `keep` keeps, in order (bounded: at most `max` of them),
 * each a placeholder or not (a policy variable, or a `${}` mistake), skipping `$${` escapes
 * where the text has them. A `${` without its closing brace ends the scan.
 */
function interpolations(text: string, escapes: boolean, keep: (expr: string, placeholder: boolean) => boolean, max: number, from = 0, to = text.length): Placeholder[] {
  const out: Placeholder[] = [];
  for (let i = text.indexOf('${', from); i >= 0 && i < to && out.length < max; i = text.indexOf('${', i + 2)) {
    if (escapes && i > 0 && text[i - 1] === '$') continue;
    const end = closingBrace(text, i, to);
    if (end < 0) break;
    const expr = text.slice(i + 2, end - 1);
    if (keep(expr, isPlaceholder(expr))) out.push({ start: i, end, expr });
    i = end - 2;
  }
  return out;
}

/** Whether the text between `${` and `}` is a template placeholder (not a policy variable, not `${}`). */
function isPlaceholder(expr: string): boolean {
  return TEMPLATE_EXPRESSION.test(expr) && !POLICY_VARIABLE.test(expr);
}

/** One past the brace that closes the `${` at `i` (nested braces and quoted strings inside are skipped), or -1. */
function closingBrace(text: string, i: number, to = text.length): number {
  let depth = 0;
  let quote = false;
  for (let j = i + 2; j < to && j < i + 4096; j++) {
    const c = text[j];
    if (quote) { if (c === '\\') j++; else if (c === '"') quote = false; continue; }
    if (c === '"') quote = true;
    else if (c === '{') depth++;
    else if (c === '}') { if (depth === 0) return j + 1; depth--; }
    else if (c === '\n' && depth === 0) return -1;
  }
  return -1;
}

/** The placeholders of a text (bounded: at most `max`), skipping `$${` escapes and policy variables. */
function placeholders(text: string, escapes: boolean, max = 10_000): Placeholder[] {
  return interpolations(text, escapes, (_expr, placeholder) => placeholder, max);
}

/**
 * The AWS policy variables (`${aws:username}`, `${*}`) of `text[from, to)` of a file Terraform
 * renders that are not escaped as `$${`: Terraform reads each as an interpolation, and
 * `templatefile()` fails on it. Offsets of `$` and one past `}`.
 */
export function unescapedPolicyVariables(text: string, from: number, to: number, max = 100): { start: number; end: number }[] {
  return interpolations(text, true, (expr, placeholder) => !placeholder && POLICY_VARIABLE.test(expr), max, from, to);
}

/**
 * Whether an edit of a templated file's text replaces a placeholder (`${account_id}`) by text
 * that does not write it: the checks read the rendered value, and an edit built from it would
 * put that value (`111122223333`) where the template has its placeholder. Removals are not.
 */
export function replacesPlaceholder(text: string, offset: number, length: number, newText: string): boolean {
  if (newText === '' || !text.slice(offset, offset + length).includes('${')) return false;
  const found = interpolations(text, true, (_expr, placeholder) => placeholder, 10_000, offset, offset + length);
  return found.some((p) => !newText.includes(text.slice(p.start, p.end)));
}

/**
 * Text an edit writes into a file Terraform renders (see `isTerraformTemplate`): each `${` and
 * `%{` Terraform would read as an interpolation or a directive where the policy has text is
 * escaped as `$${` and `%%{` (`${aws:username}` → `$${aws:username}`). What is written as the
 * template writes it already stays: a `$${` or `%%{` escape, a `${name}` placeholder, a
 * `%{ if … }` directive (an edit may copy the file's own text). A `$` or `%` that ends the text
 * before the `{` that `next` says follows it is doubled for the same reason.
 */
export function templateFileText(text: string, next?: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length - 1; i++) {
    const c = text[i];
    if ((c !== '$' && c !== '%') || text[i + 1] !== '{') continue;
    // An escape: `$${`, `%%{`.
    if (i > 0 && text[i - 1] === c) continue;
    if (c === '$') {
      const end = closingBrace(text, i);
      const expr = end < 0 ? '' : text.slice(i + 2, end - 1);
      if (end >= 0 && isPlaceholder(expr)) { i = end - 1; continue; }
    } else if (DIRECTIVE.test(text.slice(i, i + 12))) {
      continue;
    }
    out += text.slice(last, i) + c;
    last = i;
  }
  out += text.slice(last);
  return next === '{' && /[$%]$/.test(out) ? out + out[out.length - 1] : out;
}

/** How a template directive starts: `%{ if x }`, `%{~ for … }`, `%{ endif }`. */
const DIRECTIVE = /^%\{~?\s*(?:if|else|endif|for|endfor)\b/;

/** Whether a JSON text holds a template placeholder (a cheap search first). */
export function hasPlaceholder(text: string, escapes = false): boolean {
  return text.includes('${') && placeholders(text, escapes, 1).length > 0;
}

/**
 * The text with each placeholder made valid JSON of the same length, so that offsets stay the
 * same: one outside a string becomes a string (`${x}` → `"_x_"`-like), quotes and backslashes
 * inside one within a string become `_`.
 */
function mask(text: string, found: Placeholder[]): string {
  let out = '';
  let last = 0;
  let inString = false;
  let scanned = 0;
  for (let i = 0; i < found.length; i++) {
    const p = found[i];
    // Whether the placeholder starts inside a JSON string: scan the text before it.
    for (let i = scanned; i < p.start; i++) {
      const c = text.charCodeAt(i);
      if (inString) { if (c === 92) i++; else if (c === 34) inString = false; }
      else if (c === 34) inString = true;
    }
    scanned = p.end;
    const inner = text.slice(p.start, p.end).replace(/["\\\n\r]/g, '_');
    out += text.slice(last, p.start) + (inString ? inner : `"${inner.slice(1, -1)}"`);
    last = p.end;
  }
  return out + text.slice(last);
}

/**
 * Parse a templated JSON text: placeholders replaced by the parameters' values where they are
 * simple and given, unknown values elsewhere. The document's text is the file's own.
 */
export function parseTemplatedJson(text: string, limits: ParseLimits, parameters: Record<string, string> | undefined, escapes: boolean): JsonDocument {
  const found = placeholders(text, escapes);
  const json = parseJson(found.length ? mask(text, found) : text, limits);
  json.text = text;
  // The masked text's whitespace is not the file's (line breaks in placeholders are masked).
  if (found.length) json.whitespace = undefined;
  if (json.root && (found.length || escapes)) resolve(json.root, text, found, parameters, escapes, 0);
  return json;
}

function resolve(n: JsonNode, text: string, found: Placeholder[], parameters: Record<string, string> | undefined, escapes: boolean, depth: number): void {
  if (depth > 512) return;
  if (n.type === 'property') {
    // Keys keep their text; values are resolved.
    const value = n.children?.[1];
    if (value) resolve(value, text, found, parameters, escapes, depth + 1);
    return;
  }
  if (n.type === 'object' || n.type === 'array') {
    const cs = n.children ?? [];
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i];
      resolve(c, text, found, parameters, escapes, depth + 1);
    }
    return;
  }
  if (n.type !== 'string') return;
  const inside = found.filter((p) => p.start >= n.offset && p.end <= n.offset + n.length);
  if (inside.length === 0) {
    if (escapes && typeof n.value === 'string' && (n.value.includes('$${') || n.value.includes('%%{'))) (n as { value: unknown }).value = unescape(n.value);
    return;
  }
  const raw = text.slice(n.offset, n.offset + n.length);
  const values = inside.map((p) => SIMPLE.exec(p.expr)?.[1]).map((name) => (name !== undefined ? parameters?.[name] : undefined));
  if (values.some((v) => v === undefined)) { makeUnknown(n, raw); return; }
  // A placeholder outside a string is the whole value.
  if (text[n.offset] !== '"') { (n as { value: unknown }).value = values[0]; return; }
  let value = n.value as string;
  inside.forEach((p, i) => { value = value.replace(text.slice(p.start, p.end), values[i]!); });
  if (escapes) value = unescape(value);
  (n as { value: unknown }).value = value;
}

/** A template's text as Terraform renders it: `$${` is `${`, `%%{` is `%{`. */
function unescape(s: string): string {
  return s.replace(/([$%])\1\{/g, '$1{');
}

/**
 * A JSON text's parse (`parse()`), read again as a template when it is a bare policy (a
 * top-level `Statement`) holding placeholders. CloudFormation's `${Param}` in `Fn::Sub` is not a
 * placeholder of this kind: a template is not a bare policy.
 */
export function parseWithPlaceholders(text: string, limits: ParseLimits, parameters: Record<string, string> | undefined, parse: () => JsonDocument): JsonDocument {
  if (!text.includes('${')) return parse();
  const json = parse();
  if (json.root && !isBarePolicy(json.root)) return json;
  if (!json.root && (!text.includes('"Statement"') || text.includes('"Resources"'))) return json;
  if (!hasPlaceholder(text)) return json;
  return parseTemplatedJson(text, limits, parameters, false);
}

function isBarePolicy(root: JsonNode): boolean {
  return root.type === 'object' && !!root.children?.some((p) => p.children?.[0]?.value === 'Statement');
}
