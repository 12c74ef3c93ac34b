/**
 * CloudFormation YAML read into the same node tree as JSON (`JsonNode`, see jsonDocument.ts):
 * every offset and length is in the YAML text, so sources, checks, fixes and editor features
 * read a template without knowing which syntax it came from.
 *
 * - A mapping is an `object` node; each pair a `property` node spanning key to value end,
 *   its `colonOffset` on the `:`; a key is a `string` node spanning the key as written.
 * - Scalars have the values CloudFormation sees: plain numbers are numbers (`444455556666`
 *   is that account), `true`/`false` booleans, `null`/`~`/nothing null, everything else a
 *   string (`2012-10-17` stays the text). A quoted scalar's node covers its quotes, its
 *   value leaves them out.
 * - A short-form tag (`!Ref x`, `!GetAtt a.b`, `!Sub …`) is the node of its long form
 *   (`{"Ref": "x"}`, `{"Fn::GetAtt": ["a", "b"]}`): an object node spanning tag and value,
 *   whose one property's key node spans the tag.
 * - An alias (`*a`) and a merge key (`<<: *a`) give nodes copied from the anchored node:
 *   their offsets point at the anchor's text, not at the alias. CloudFormation rejects both,
 *   so each is also a warning (as is a tag that is no short form); the tree is still built.
 * - Text with a syntax error (or several YAML documents, which CloudFormation does not read)
 *   has no tree, only problems: nothing is invented from the rest of the file.
 *
 * The whole text is parsed on every change (the JSON path's incremental reparse does not
 * apply here).
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, Scalar, type Document, type Node as YamlNode, type Pair } from 'yaml';
import { DEFAULT_PARSE_LIMITS, type JsonDocument, type JsonNode, type JsonProblem, type ParseLimits } from '../json/jsonDocument';
import { originalOffset, padQuotedContinuations, type Padding } from './quotedIndent';

/** A node while it is built (jsonc-parser's type is read-only). */
type Built = { -readonly [K in keyof JsonNode]: JsonNode[K] };

/** Short forms whose long form keeps the bare name; every other `!X` is `Fn::X`. */
const BARE_NAMES = new Set(['Ref', 'Condition']);

/** The short forms CloudFormation documents; any other `!X` is read as `Fn::X` too, with a warning. */
const KNOWN_TAGS = new Set(['Ref', 'Condition', 'Sub', 'GetAtt', 'Join', 'Select', 'Split', 'If', 'Equals', 'And', 'Or', 'Not',
  'FindInMap', 'ImportValue', 'Base64', 'Cidr', 'GetAZs', 'Transform', 'GetStackOutput', 'Length', 'ToJsonString']);

/** Most nodes a text may expand to through aliases, per character of text (a "billion laughs" text stops here). */
const NODES_PER_CHARACTER = 4;

export function parseYaml(text: string, limits: ParseLimits = DEFAULT_PARSE_LIMITS): JsonDocument {
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { merge: true, uniqueKeys: true, prettyErrors: false });
  } catch (e) {
    return { text, root: undefined, problems: [{ offset: 0, length: 0, kind: 'limit', message: `The YAML could not be parsed: ${String(e)}` }], syntax: 'yaml' };
  }
  let padding: Padding | undefined;
  if (doc.errors.length) {
    // A quoted scalar indented as PyYAML (the AWS CLI, cfn-lint) accepts: read it as they do.
    padding = doc.errors.some((e) => e.code !== 'DUPLICATE_KEY') ? padQuotedContinuations(text) : undefined;
    const relaxed = padding && parseDocument(padding.text, { merge: true, uniqueKeys: true, prettyErrors: false });
    if (relaxed && relaxed.errors.length === 0) {
      doc = relaxed;
    } else {
      padding = undefined;
      // The first error, and every duplicate key: what follows an error is mostly its echo.
      const errors = doc.errors.filter((e, i) => i === 0 || e.code === 'DUPLICATE_KEY');
      const problems: JsonProblem[] = errors.map((e) => ({ ...errorSpan(text, e.pos[0], e.pos[1]), kind: 'syntax', message: errorMessage(e.code, e.message) }));
      return { text, root: undefined, problems, syntax: 'yaml' };
    }
  }
  const reader = new Reader(padding ? padding.text : text, doc, limits.maxDepth, Math.max(10_000, text.length * NODES_PER_CHARACTER));
  try {
    const root = doc.contents ? reader.node(doc.contents as YamlNode, undefined, 0) : undefined;
    if (padding) unpad(padding, root, reader.warnings);
    return { text, root, problems: reader.warnings, syntax: 'yaml' };
  } catch (e) {
    if (e instanceof LimitError) return { text, root: undefined, problems: [{ offset: padding ? originalOffset(padding, e.offset) : e.offset, length: 0, kind: 'limit', message: e.message }], syntax: 'yaml' };
    throw e;
  }
}

/** Offsets of a tree read from padded text, moved back to the original text. */
function unpad(padding: Padding, root: JsonNode | undefined, warnings: JsonProblem[]): void {
  const stack: Built[] = root ? [root as Built] : [];
  while (stack.length) {
    const n = stack.pop()!;
    const end = originalOffset(padding, n.offset + n.length);
    n.offset = originalOffset(padding, n.offset);
    n.length = end - n.offset;
    if (n.colonOffset !== undefined) n.colonOffset = originalOffset(padding, n.colonOffset);
    if (n.children) for (const c of n.children) stack.push(c as Built);
  }
  for (let k = 0; k < warnings.length; k++) {
    const w = warnings[k];
    const start = originalOffset(padding, w.offset);
    warnings[k] = { ...w, offset: start, length: originalOffset(padding, w.offset + w.length) - start };
  }
}

/** An error's place: the library may point at the indentation before the token at fault; the token is what the finding underlines. */
function errorSpan(text: string, start: number, end: number): { offset: number; length: number } {
  // The library may place an error at the end of the text, or past it.
  start = Math.min(Math.max(0, start), text.length);
  end = Math.min(Math.max(start, end), text.length);
  let i = start;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  if (i === start || i >= text.length || text[i] === '\n' || text[i] === '\r') return { offset: start, length: Math.max(0, end - start) };
  const token = /^[^\s:]+/.exec(text.slice(i, i + 200));
  return { offset: i, length: token ? token[0].length : 1 };
}

function errorMessage(code: string, message: string): string {
  if (code === 'MULTIPLE_DOCS') return 'A template is one YAML document: CloudFormation does not read a second one (after "---").';
  if (code === 'DUPLICATE_KEY') return 'The same key appears twice in this mapping: keep one. The AWS CLI and cfn-lint reject the template, and which of the two values would count is not defined.';
  // The library's message without its position suffix (the finding has its place).
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return first.endsWith('.') ? first : `${first}.`;
}

class LimitError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

class Reader {
  /** What the template does that CloudFormation rejects although YAML reads it (aliases, merge keys, unknown tags), once a place. */
  readonly warnings: JsonProblem[] = [];
  private readonly warned = new Set<number>();
  private count = 0;
  /** Anchored nodes being read: an alias inside its own anchor would never end. */
  private readonly open = new Set<YamlNode>();

  constructor(private readonly text: string, private readonly doc: Document.Parsed, private readonly maxDepth: number, private readonly maxNodes: number) {}

  private warn(offset: number, length: number, message: string): void {
    if (this.warned.has(offset)) return;
    this.warned.add(offset);
    this.warnings.push({ offset, length, kind: 'syntax', severity: 'warning', message });
  }

  private make(type: JsonNode['type'], offset: number, end: number, parent: JsonNode | undefined, value?: unknown): Built {
    if (++this.count > this.maxNodes) throw new LimitError(`The YAML expands to more than ${this.maxNodes} nodes through aliases: the template is not checked.`, offset);
    const node: Built = { type, offset, length: Math.max(0, end - offset), parent };
    if (value !== undefined) node.value = value;
    return node;
  }

  node(y: YamlNode, parent: JsonNode | undefined, depth: number): JsonNode {
    if (depth > this.maxDepth) throw new LimitError(`Nesting deeper than ${this.maxDepth} levels: the document is not checked.`, y.range?.[0] ?? 0);
    if (isAlias(y)) {
      this.warn(y.range![0], y.range![1] - y.range![0], `CloudFormation does not accept YAML aliases (*${y.source}): repeat the value instead. It is read here as the anchored value.`);
      const target = y.resolve(this.doc) as YamlNode | undefined;
      if (!target || this.open.has(target)) return this.make('null', y.range![0], y.range![1], parent, null);
      this.open.add(target);
      try {
        return this.node(target, parent, depth + 1);
      } finally {
        this.open.delete(target);
      }
    }
    const tag = y.tag;
    if (tag && tag.startsWith('!') && !tag.startsWith('!!')) return this.tagged(tag.slice(1), y, parent, depth);
    return this.plain(y, parent, depth);
  }

  /** A node without its short-form tag. */
  private plain(y: YamlNode, parent: JsonNode | undefined, depth: number): JsonNode {
    const [start, end] = this.range(y);
    if (isMap(y)) {
      const obj = this.make('object', start, end, parent);
      obj.children = [];
      this.pairs(y.items as Pair[], obj, depth, new Set(), obj.children);
      return coverLast(obj, start, end);
    }
    if (isSeq(y)) {
      const arr = this.make('array', start, end, parent);
      arr.children = (y.items as YamlNode[]).map((item) => (item == null ? this.make('null', end, end, arr, null) : this.node(item, arr, depth + 1)));
      return coverLast(arr, start, end);
    }
    if (isScalar(y)) return this.scalar(y, start, end, parent);
    return this.make('null', start, end, parent, null);
  }

  private scalar(y: Scalar, start: number, end: number, parent: JsonNode | undefined): JsonNode {
    const v = y.value;
    if (typeof v === 'number') return Number.isFinite(v) ? this.make('number', start, end, parent, v) : this.make('string', start, end, parent, String(y.source ?? v));
    if (typeof v === 'bigint') return this.make('number', start, end, parent, Number(v));
    if (typeof v === 'boolean') return this.make('boolean', start, end, parent, v);
    if (v === null || v === undefined) return this.make('null', start, end, parent, null);
    return this.make('string', start, end, parent, String(v));
  }

  /**
   * The pairs of a mapping as property nodes of `obj`, in order. A merge key's pairs come
   * where it stands, except keys the mapping sets itself (they win, as YAML says).
   */
  private pairs(items: Pair[], obj: JsonNode, depth: number, skip: Set<string>, out: JsonNode[]): void {
    const own = new Set<string>(skip);
    for (let i = 0; i < items.length; i++) {
      const p = items[i];
      if (!isMergeKey(p) && p.key != null) own.add(this.keyName(p.key as YamlNode));
    }
    for (let k = 0; k < items.length; k++) {
      const p = items[k];
      if (!isPair(p)) continue;
      if (isMergeKey(p)) {
        const at = (p.key as Scalar).range!;
        this.warn(at[0], at[1] - at[0], 'CloudFormation does not accept YAML merge keys (<<): write the keys out. They are read here as merged.');
        const sources = isSeq(p.value) ? (p.value.items as YamlNode[]) : [p.value as YamlNode];
        for (let j = 0; j < sources.length; j++) {
          const s = sources[j];
          const target = (isAlias(s) ? s.resolve(this.doc) : s) as YamlNode | undefined;
          if (!isMap(target) || this.open.has(target)) continue;
          this.open.add(target);
          try {
            this.pairs(target.items as Pair[], obj, depth, own, out);
          } finally {
            this.open.delete(target);
          }
          const qs = target.items as Pair[];
          for (let i = 0; i < qs.length; i++) {
            const q = qs[i];
            if (q.key != null) own.add(this.keyName(q.key as YamlNode));
          }
        }
        continue;
      }
      if (p.key == null) continue;
      const name = this.keyName(p.key as YamlNode);
      if (skip.has(name)) continue;
      out.push(this.property(p, name, obj, depth));
    }
  }

  private keyName(key: YamlNode): string {
    if (isScalar(key)) return String(key.value);
    return this.text.slice(...this.range(key));
  }

  private property(p: Pair, name: string, obj: JsonNode, depth: number): JsonNode {
    const keyNode = p.key as YamlNode;
    const [keyStart, keyEnd] = this.range(keyNode);
    const colon = this.colonAfter(keyEnd);
    const value = p.value as YamlNode | null;
    const prop = this.make('property', keyStart, keyEnd, obj);
    prop.colonOffset = colon;
    const key = this.make('string', keyStart, keyEnd, prop, name);
    const valueNode = value == null ? this.make('null', colon + 1, colon + 1, prop, null) : this.node(value, prop, depth + 1);
    prop.children = [key, valueNode];
    prop.length = Math.max(keyEnd, valueNode.offset + valueNode.length) - keyStart;
    return prop;
  }

  /** `!Name value` as the long form `{"Fn::Name": value}` (`Ref` and `Condition` bare). */
  private tagged(short: string, y: YamlNode, parent: JsonNode | undefined, depth: number): JsonNode {
    const [start, end] = this.range(y);
    const tagStart = this.tagStart(start, short);
    const name = BARE_NAMES.has(short) ? short : `Fn::${short}`;
    if (!KNOWN_TAGS.has(short)) this.warn(tagStart, short.length + 1, `!${short} is not a CloudFormation short form: it is read as ${name}, which is not an intrinsic function.`);
    const obj = this.make('object', tagStart, end, parent);
    const prop = this.make('property', tagStart, end, obj);
    prop.colonOffset = tagStart + short.length + 1;
    const key = this.make('string', tagStart, tagStart + short.length + 1, prop, name);
    let value: JsonNode;
    if (short === 'GetAtt' && isScalar(y) && typeof y.value === 'string') value = this.dottedGetAtt(y, start, end, prop);
    else value = this.plain(y, prop, depth + 1);
    prop.children = [key, value];
    obj.children = [prop];
    return obj;
  }

  /** `!GetAtt Res.Attr.Name` as `[Res, Attr.Name]`: split at the first dot, each part on its own text. */
  private dottedGetAtt(y: Scalar, start: number, end: number, parent: JsonNode): JsonNode {
    const s = String(y.value);
    const arr = this.make('array', start, end, parent);
    const dot = s.indexOf('.');
    const quoted = y.type === Scalar.QUOTE_DOUBLE || y.type === Scalar.QUOTE_SINGLE;
    const from = quoted ? start + 1 : start;
    const to = quoted ? end - 1 : end;
    // Offsets of the parts are exact for plain and simply quoted text (no escapes); otherwise the whole scalar.
    const exact = to - from === s.length;
    if (dot < 0) {
      arr.children = [this.make('string', start, end, arr, s)];
    } else {
      arr.children = [
        this.make('string', exact ? from : start, exact ? from + dot : end, arr, s.slice(0, dot)),
        this.make('string', exact ? from + dot + 1 : start, exact ? to : end, arr, s.slice(dot + 1)),
      ];
    }
    return arr;
  }

  /** A node's start and end in the text; the end leaves out the line breaks and spaces a block node's range takes in. */
  private range(y: YamlNode): [number, number] {
    const r = y.range;
    if (!r) return [0, 0];
    let end = r[1];
    while (end > r[0] && isSpace(this.text.charCodeAt(end - 1))) end--;
    return [r[0], end];
  }

  /** Where the tag `!short` before a node starts (an anchor may stand between them). */
  private tagStart(valueStart: number, short: string): number {
    const tag = `!${short}`;
    const found = this.text.lastIndexOf(tag, valueStart - tag.length);
    return found >= 0 && onlyPropsBetween(this.text, found + tag.length, valueStart) ? found : valueStart;
  }

  private colonAfter(keyEnd: number): number {
    let i = keyEnd;
    while (i < this.text.length && this.text[i] !== ':' && isSpace(this.text.charCodeAt(i))) i++;
    return this.text[i] === ':' ? i : keyEnd;
  }
}

function isMergeKey(p: Pair): boolean {
  return isScalar(p.key) && (p.key.value === '<<' || typeof p.key.value === 'symbol') && (p.key as Scalar).source === '<<';
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** Whether only spaces, line breaks, comments and an anchor stand between two offsets. */
function onlyPropsBetween(text: string, from: number, to: number): boolean {
  const between = text.slice(from, to);
  return /^(\s|#[^\n]*|&[^\s]+)*$/.test(between);
}

/**
 * A collection covers its last child: an empty value at the end (`Resource: ` being typed) lies
 * after the collection's last character as YAML counts it. Merged pairs that lie elsewhere do not count.
 */
function coverLast(node: JsonNode, start: number, end: number): JsonNode {
  const last = node.children?.[node.children.length - 1];
  if (last && last.offset >= start && last.offset <= end + 1) (node as { length: number }).length = Math.max(node.length, last.offset + last.length - start);
  return node;
}
