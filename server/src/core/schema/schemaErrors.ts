/**
 * Turns ajv's errors into one plain-words problem per place: the offending key for an
 * unknown element, the object for a missing one, the value for a wrong type or value.
 * `oneOf`/`anyOf` cascades collapse into the one message of the alternative.
 */
import type { ErrorObject } from 'ajv';
import type { LocalFix } from '../findings';
import type { JsonNode } from '../json/jsonDocument';
import { properties } from '../json/nodes';
import { isIntrinsic } from '../model/policyDocument';
import { editDistance, nearestName } from '../nearestName';

export interface SchemaProblem {
  at: JsonNode;
  message: string;
  fixes?: LocalFix[];
}

/** One step of a JSON pointer walked through the tree. */
interface Step { name: string; inArray: boolean; node: JsonNode; property?: JsonNode }

export interface MapOptions {
  /** Steps above `base` (for a statement validated on its own), used in messages only. */
  prefix?: { name: string; inArray: boolean }[];
  /** CloudFormation documents: intrinsic functions are unknown values, never errors. */
  allowsIntrinsics: boolean;
  /** "key policy", "identity policy", … for messages. */
  kindLabel: string;
  removeProperty(property: JsonNode): LocalFix['edits'][number];
  /**
   * Terraform: statements written as `statement` blocks of a policy document, whose unknown
   * arguments are named and renamed in HCL (`actions`, not `Action`).
   */
  blockStatements?: { is(statement: JsonNode): boolean; arguments: readonly string[] };
}

/** RFC 6901 pointer segments, unescaped (`~1` is `/`, `~0` is `~`). */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Walk a pointer from `base`; undefined when a step is missing. Duplicate keys resolve to the last, as `toValue` does. */
export function resolvePointer(base: JsonNode, pointer: string): Step[] | undefined {
  const steps: Step[] = [];
  let node = base;
  const segs = pointerSegments(pointer);
  for (let j = 0; j < segs.length; j++) {
    const seg = segs[j];
    if (node.type === 'object') {
      let found: { value: JsonNode | undefined; property: JsonNode } | undefined;
      const ps = properties(node);
      for (let i = 0; i < ps.length; i++) {
        const p = ps[i];
        if (p.name === seg) found = p;
      }
      if (!found?.value) return undefined;
      steps.push({ name: seg, inArray: false, node: found.value, property: found.property });
      node = found.value;
    } else if (node.type === 'array') {
      const child = node.children?.[Number(seg)];
      if (!/^\d+$/.test(seg) || !child) return undefined;
      steps.push({ name: seg, inArray: true, node: child });
      node = child;
    } else {
      return undefined;
    }
  }
  return steps;
}

const PRIORITY: Record<string, number> = { type: 0, 'false schema': 1, additionalProperties: 2, required: 3, oneOf: 4, anyOf: 4, not: 5 };

export function schemaProblems(base: JsonNode, rawErrors: ErrorObject[], options: MapOptions): SchemaProblem[] {
  const errors = collapseAlternatives(rawErrors.filter((e) => e.keyword !== 'if'));
  // A value of the wrong type gets that one message, not also its enum or pattern.
  const typeErrorAt = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const sorted = errors
    .filter((e) => e.keyword === 'type' || !typeErrorAt.has(e.instancePath))
    .sort((a, b) => (PRIORITY[a.keyword] ?? 9) - (PRIORITY[b.keyword] ?? 9));
  const out: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i];
    const steps = resolvePointer(base, e.instancePath);
    if (!steps) continue;
    const nodes = [base, ...steps.map((s) => s.node)];
    if (options.allowsIntrinsics && nodes.some(isIntrinsic)) continue;
    const problem = describe(e, base, steps, options);
    if (!problem) continue;
    const key = `${problem.at.offset}:${problem.at.length}:${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(problem);
  }
  return out;
}

/** Drop the errors of the branches of a failed `oneOf`/`anyOf`; the alternative itself explains. */
function collapseAlternatives(errors: ErrorObject[]): ErrorObject[] {
  const alternatives = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  if (!alternatives.length) return errors;
  return errors.filter((e) => !alternatives.some((a) => a !== e && e.schemaPath.startsWith(a.schemaPath + '/') && isAtOrBelow(e.instancePath, a.instancePath)));
}

function isAtOrBelow(p: string, ancestor: string): boolean {
  return p === ancestor || p.startsWith(ancestor + '/');
}

function describe(e: ErrorObject, base: JsonNode, steps: Step[], o: MapOptions): SchemaProblem | undefined {
  const node = steps.length ? steps[steps.length - 1].node : base;
  const all = [...(o.prefix ?? []), ...steps];
  const names = all.map((s) => s.name);
  const inArray = all.map((s) => s.inArray);
  const schema = (e.parentSchema ?? {}) as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const where = context(names, inArray);
      if (where === 'statement element' && o.blockStatements?.is(node)) return unknownArgument(node, String(e.params.additionalProperty), o.blockStatements.arguments);
      return unknownElement(node, String(e.params.additionalProperty), schema, where);
    }
    case 'required': {
      const missing = String(e.params.missingProperty);
      if (properties(node).some((p) => p.name === missing)) return undefined; // written, value not parsed
      return { at: node, message: `Missing ${missing}: ${container(names, inArray, o)} must have one.` };
    }
    case 'oneOf':
    case 'anyOf':
    case 'not': {
      const exclusive = exclusiveNames(e);
      if (!exclusive) break;
      const present = properties(node).filter((p) => exclusive.includes(p.name));
      if (present.length >= 2) {
        const later = present[present.length - 1];
        return { at: later.key, message: `A statement cannot have both ${present[0].name} and ${later.name}: keep one of them.` };
      }
      if (present.length === 0 && e.keyword !== 'not') {
        return { at: node, message: `Missing ${exclusive.join(' or ')}: ${container(names, inArray, o)} must have one of them.` };
      }
      return undefined;
    }
    case 'false schema': {
      const step = steps[steps.length - 1];
      if (!step?.property) return undefined;
      const key = step.property.children![0];
      return {
        at: key,
        message: `${step.name} is not allowed in ${article(o.kindLabel)}: remove it.`,
        fixes: [{ title: `Remove ${step.name}`, id: 'remove-element', edits: [o.removeProperty(step.property)] }],
      };
    }
    case 'enum':
      return wrongValue(node, names, inArray, schema, e);
  }
  const text = (e.keyword === 'pattern' ? schema.patternErrorMessage : undefined) ?? schema.errorMessage ?? e.message ?? 'is not valid';
  return { at: node, message: `${label(names, inArray)} is not valid: it ${String(text)}.` };
}

/** The element names of a `oneOf` of `required`s or a `not` of one `required`: mutually exclusive elements. */
function exclusiveNames(e: ErrorObject): string[] | undefined {
  const s = e.schema as unknown;
  if (e.keyword === 'not') {
    const req = (s as { required?: unknown })?.required;
    return Array.isArray(req) && req.length === 2 ? req.map(String) : undefined;
  }
  if (!Array.isArray(s)) return undefined;
  const names: string[] = [];
  const branches = s as { required?: unknown; [k: string]: unknown }[];
  for (let i = 0; i < branches.length; i++) {
    const branch = branches[i];
    if (!branch || !Array.isArray(branch.required) || branch.required.length !== 1 || Object.keys(branch).length !== 1) return undefined;
    names.push(String(branch.required[0]));
  }
  return names;
}

function unknownElement(obj: JsonNode, name: string, schema: Record<string, unknown>, where: string): SchemaProblem | undefined {
  let property: JsonNode | undefined;
  const ps = properties(obj);
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i];
    if (p.name === name) property = p.property;
  }
  const key = property?.children?.[0];
  if (!key) return undefined;
  const known = Object.entries((schema.properties ?? {}) as Record<string, unknown>)
    .filter(([k, v]) => typeof v === 'object' && k !== '$schema')
    .map(([k]) => k);
  const written = new Set(properties(obj).map((p) => p.name));
  const suggestion = nearestName(name, known.filter((k) => !written.has(k)));
  if (suggestion) {
    const close = suggestion.toLowerCase() === name.toLowerCase() || editDistance(suggestion.toLowerCase(), name.toLowerCase()) <= 1;
    return {
      at: key,
      message: `Unknown ${where} "${name}": did you mean "${suggestion}"?`,
      fixes: [{ title: `Change to "${suggestion}"`, id: 'rename-element', isPreferred: close, edits: [{ offset: key.offset, length: key.length, newText: JSON.stringify(suggestion) }] }],
    };
  }
  return { at: key, message: `Unknown ${where} "${name}"${known.length ? `: expected ${listNames(known)}` : ''}.` };
}

/** An argument a `statement` block does not take (Terraform rejects the configuration), with the nearest one it takes. */
function unknownArgument(obj: JsonNode, name: string, known: readonly string[]): SchemaProblem | undefined {
  const key = properties(obj).find((p) => p.name === name)?.key;
  if (!key) return undefined;
  const suggestion = nearestName(name, known);
  if (!suggestion) return { at: key, message: `A statement block has no argument "${name}": it takes ${listNames([...known])}.` };
  return {
    at: key,
    message: `A statement block has no argument "${name}": did you mean "${suggestion}"? Terraform rejects it, and the policy is read without it.`,
    fixes: [{ title: `Change to ${suggestion}`, id: 'rename-element', isPreferred: true, edits: [{ offset: key.offset, length: key.length, newText: suggestion }], syntax: 'hcl' }],
  };
}

function wrongValue(node: JsonNode, names: string[], inArray: boolean[], schema: Record<string, unknown>, e: ErrorObject): SchemaProblem {
  const allowed = (e.params.allowedValues ?? []) as unknown[];
  const text = String(schema.errorMessage ?? `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`);
  const problem: SchemaProblem = { at: node, message: `${label(names, inArray)} is not valid: it ${text}.` };
  if (node.type === 'string') {
    const written = String(node.value).trim().toLowerCase();
    const right = allowed.find((v) => typeof v === 'string' && v.toLowerCase() === written);
    if (typeof right === 'string') {
      problem.fixes = [{ title: `Change to "${right}"`, id: 'fix-value', isPreferred: true, edits: [{ offset: node.offset, length: node.length, newText: JSON.stringify(right) }] }];
    }
  }
  return problem;
}

/** Where an unknown key was found, in words. */
function context(names: string[], inArray: boolean[]): string {
  if (names.length === 0) return 'top-level element';
  const rest = inStatement(names, inArray);
  if (!rest) return 'property';
  if (rest.length === 0) return 'statement element';
  const last = rest[rest.length - 1];
  if (rest.length === 1 && (last === 'Principal' || last === 'NotPrincipal')) return 'principal type';
  return 'property';
}

/** The path below the statement, or undefined when the path is not inside a statement. */
function inStatement(names: string[], inArray: boolean[]): string[] | undefined {
  if (names[0] !== 'Statement') return undefined;
  return inArray[1] ? names.slice(2) : names.slice(1);
}

function container(names: string[], inArray: boolean[], o: MapOptions): string {
  const rest = inStatement(names, inArray);
  if (names.length === 0) return `${article(o.kindLabel)}`;
  if (rest && rest.length === 0) return `every statement of ${article(o.kindLabel)}`;
  return label(names, inArray);
}

/** A node's name in messages: `Action`, `Each entry of Action`, `The value of condition key "kms:ViaService"`. */
export function label(names: string[], inArray: boolean[]): string {
  if (names.length === 0) return 'The policy';
  const rest = inStatement(names, inArray);
  if (!rest) return pathText(names, inArray);
  if (rest.length === 0) return names.length === 1 ? 'Statement' : 'Each entry of Statement';
  const [el, a, b, c] = rest;
  if (el === 'Condition') {
    if (rest.length === 1) return 'Condition';
    if (rest.length === 2) return `Condition operator "${a}"`;
    if (rest.length === 3) return `The value of condition key "${b}"`;
    if (rest.length === 4) return `Each value of condition key "${b}"`;
    void c;
  }
  if (el === 'Principal' || el === 'NotPrincipal') {
    if (rest.length === 2) return `${el} ${a}`;
    if (rest.length === 3) return `Each entry of ${el} ${a}`;
  }
  if (rest.length === 1) return el;
  if (rest.length === 2 && inArray[inArray.length - 1]) return `Each entry of ${el}`;
  return rest.join('.');
}

/** `keys[0].arn` */
function pathText(names: string[], inArray: boolean[]): string {
  return names.map((n, i) => (inArray[i] ? `[${n}]` : i ? `.${n}` : n)).join('');
}

function listNames(names: string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

function article(s: string): string {
  return /^[aeiou]/i.test(s) ? `an ${s}` : `a ${s}`;
}
