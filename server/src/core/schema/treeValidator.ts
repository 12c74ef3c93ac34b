/**
 * The policy JSON Schemas applied to the parse tree itself. Most documents are valid, and
 * ajv's generated validators need a plain copy of the document first; this one reads the
 * nodes, so a valid document costs no copy. It says only whether a document is valid: for
 * an invalid one the caller runs ajv's validator, which says why.
 *
 * It knows the keywords the policy schemas use (type, enum, pattern, properties, required,
 * additionalProperties, items, if/then/else, allOf, oneOf, not, $ref and boolean schemas)
 * and ignores annotations. A schema with any other keyword is not compiled (`compile`
 * returns undefined) and ajv does all the work. A tree it cannot read as the plain copy
 * would read (a key given twice, a property without a value) gives `undefined` too.
 * `test/unit/core/treeValidator.test.ts` holds it to ajv's answers.
 */
import type { JsonNode } from '../json/jsonDocument';

/** true: valid; false: invalid; undefined: not known here (ask ajv). */
export type TreeValidator = (node: JsonNode) => boolean | undefined;

type Check = (node: JsonNode) => boolean;

/** Thrown inside a check for a tree whose plain copy would differ from what the nodes say. */
class Unsure extends Error {}
const UNSURE = new Unsure();

const ANNOTATIONS = new Set(['$schema', '$id', '$comment', 'title', 'description', 'definitions', 'errorMessage', 'patternErrorMessage', 'markdownDescription', 'defaultSnippets', 'default', 'examples']);

/**
 * The validator of the schema at `id` (`https://…/key-policy.schema.json`, or with a
 * `#/definitions/…` fragment), the schemas given by their `$id`; undefined when a schema
 * uses a keyword this module does not know.
 */
export function compile(schemas: readonly object[], id: string): TreeValidator | undefined {
  const byId = new Map<string, unknown>();
  for (let i = 0; i < schemas.length; i++) {
    const s = schemas[i];
    byId.set(String((s as { $id?: unknown }).$id), s);
  }
  const compiled = new Map<string, Check>();
  const resolve = (ref: string, base: string): Check => {
    const url = new URL(ref, base);
    const key = url.href;
    let check = compiled.get(key);
    if (!check) {
      // Set before compiling, so that a schema that refers to itself finds it.
      let target: Check | undefined;
      compiled.set(key, (n) => target!(n));
      const doc = byId.get(url.href.replace(/#.*$/, ''));
      if (doc === undefined) throw new Error(`unknown schema ${ref}`);
      target = schemaCheck(pointer(doc, url.hash), url.href.replace(/#.*$/, ''));
      check = target;
      compiled.set(key, target);
    }
    return check;
  };
  const schemaCheck = (schema: unknown, base: string): Check => {
    if (schema === true) return () => true;
    if (schema === false) return () => false;
    if (!schema || typeof schema !== 'object') throw new Error('not a schema');
    const s = schema as Record<string, unknown>;
    const checks: Check[] = [];
    const keywords = Object.keys(s);
    for (let j = 0; j < keywords.length; j++) {
      const keyword = keywords[j];
      if (ANNOTATIONS.has(keyword) || keyword === 'then' || keyword === 'else') continue;
      const value = s[keyword];
      switch (keyword) {
        case '$ref': checks.push(resolve(String(value), base)); break;
        case 'type': checks.push(typeCheck(value)); break;
        case 'enum': checks.push(enumCheck(value)); break;
        case 'pattern': {
          const re = new RegExp(String(value), 'u');
          checks.push((n) => n.type !== 'string' || re.test(n.value as string));
          break;
        }
        case 'required': {
          const names = value as string[];
          checks.push((n) => {
            if (n.type !== 'object') return true;
            for (let i = 0; i < names.length; i++) {
              const name = names[i];
              if (!hasKey(n, name)) return false;
            }
            return true;
          });
          break;
        }
        case 'properties': case 'additionalProperties': {
          if (keyword === 'additionalProperties' && s.properties !== undefined) break;
          checks.push(objectCheck(s.properties as Record<string, unknown> | undefined, s.additionalProperties, base));
          break;
        }
        case 'items': {
          const item = schemaCheck(value, base);
          checks.push((n) => {
            if (n.type !== 'array' || !n.children) return true;
            for (let i = 0; i < n.children.length; i++) {
              const c = n.children[i];
              if (!item(c)) return false;
            }
            return true;
          });
          break;
        }
        case 'if': {
          const cond = schemaCheck(value, base);
          const then = s.then === undefined ? () => true : schemaCheck(s.then, base);
          const otherwise = s.else === undefined ? () => true : schemaCheck(s.else, base);
          checks.push((n) => (cond(n) ? then(n) : otherwise(n)));
          break;
        }
        case 'allOf': {
          const all = (value as unknown[]).map((x) => schemaCheck(x, base));
          checks.push((n) => {
            for (let i = 0; i < all.length; i++) {
              const c = all[i];
              if (!c(n)) return false;
            }
            return true;
          });
          break;
        }
        case 'oneOf': {
          const one = (value as unknown[]).map((x) => schemaCheck(x, base));
          checks.push((n) => {
            let valid = 0;
            for (let i = 0; i < one.length; i++) {
              const c = one[i];
              if (c(n) && ++valid > 1) return false;
            }
            return valid === 1;
          });
          break;
        }
        case 'not': {
          const inner = schemaCheck(value, base);
          checks.push((n) => !inner(n));
          break;
        }
        default: throw new Error(`keyword ${keyword}`);
      }
    }
    if (checks.length === 1) return checks[0];
    return (n) => {
      for (let i = 0; i < checks.length; i++) {
        const c = checks[i];
        if (!c(n)) return false;
      }
      return true;
    };
  };
  const objectCheck = (properties: Record<string, unknown> | undefined, additional: unknown, base: string): Check => {
    const known = new Map<string, Check>();
    const list = Object.entries(properties ?? {});
    for (let i = 0; i < list.length; i++) {
      const [name, schema] = list[i];
      known.set(name, schemaCheck(schema, base));
    }
    const rest = additional === undefined ? undefined : schemaCheck(additional, base);
    return (n) => {
      if (n.type !== 'object') return true;
      const children = n.children ?? [];
      assertUniqueKeys(children);
      for (let i = 0; i < children.length; i++) {
        const p = children[i];
        const check = known.get(propertyKey(p)) ?? rest;
        if (check && !check(p.children![1])) return false;
      }
      return true;
    };
  };
  let root: Check;
  try {
    const hash = id.indexOf('#');
    root = resolve(id, hash < 0 ? id : id.slice(0, hash));
  } catch {
    return undefined;
  }
  return (node) => {
    try {
      return root(node);
    } catch (e) {
      if (e === UNSURE) return undefined;
      throw e;
    }
  };
}

/** The part of a schema document a JSON pointer fragment (`#/definitions/statement`) names. */
function pointer(doc: unknown, hash: string): unknown {
  let at = doc;
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    at = (at as Record<string, unknown>)[decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~')];
    if (at === undefined) throw new Error(`no ${hash}`);
  }
  return at;
}

/** The JSON Schema types of a node (a whole number is a number and an integer). */
function isType(n: JsonNode, type: string): boolean {
  switch (type) {
    case 'integer': return n.type === 'number' && Number.isInteger(n.value);
    case 'string': case 'number': case 'boolean': case 'null': case 'object': case 'array': return n.type === type;
    default: throw new Error(`type ${type}`);
  }
}

function typeCheck(value: unknown): Check {
  const types = Array.isArray(value) ? (value as string[]) : [String(value)];
  for (let i = 0; i < types.length; i++) {
    const t = types[i];
    isType({ type: 'null', offset: 0, length: 0 } as JsonNode, t);
  }
  if (types.includes('integer')) return (n) => types.some((t) => isType(n, t));
  // Node types are named as JSON Schema types.
  const allowed = new Set<string>(types);
  return (n) => allowed.has(n.type);
}

function enumCheck(value: unknown): Check {
  const allowed = value as unknown[];
  if (allowed.some((v) => v !== null && typeof v === 'object')) throw new Error('enum of objects');
  return (n) => n.type !== 'object' && n.type !== 'array' && allowed.includes(n.type === 'null' ? null : n.value);
}

/** Whether an object node has the key; a property without a key or a value is `Unsure`. */
function hasKey(n: JsonNode, name: string): boolean {
  const ps = n.children ?? [];
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i];
    if (propertyKey(p) === name) return true;
  }
  return false;
}

function propertyKey(p: JsonNode): string {
  const key = p.children?.[0];
  if (!key || key.type !== 'string' || p.children!.length < 2) throw UNSURE;
  return key.value as string;
}

/** Throws `Unsure` when an object node gives a key twice (its plain copy keeps only the last value). */
function assertUniqueKeys(children: JsonNode[]): void {
  if (children.length < 2) return;
  if (children.length <= 8) {
    for (let i = 1; i < children.length; i++) {
      const key = propertyKey(children[i]);
      for (let j = 0; j < i; j++) if (propertyKey(children[j]) === key) throw UNSURE;
    }
    return;
  }
  const seen = new Set<string>();
  for (let i = 0; i < children.length; i++) {
    const p = children[i];
    const key = propertyKey(p);
    if (seen.has(key)) throw UNSURE;
    seen.add(key);
  }
}
