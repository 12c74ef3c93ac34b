/**
 * A parser for plain, valid JSON that builds the same tree as jsonc-parser's `parseTree`
 * (same nodes, offsets, lengths, values, colon offsets and parent links), in about a third
 * of the time: it reads the text once with no scanner object, visitor or callbacks. It gives
 * up (undefined) on anything past plain JSON — comments, a trailing comma, an escape or a
 * control character in a string, whitespace other than space, tab and line breaks, a byte
 * order mark, empty text, any syntax error — and the caller then runs jsonc-parser, which
 * knows what to say about them. `test/unit/json/strictParser.test.ts` holds the two to the
 * same trees.
 */
// jsonc-parser's node type, which jsonDocument.ts names JsonNode (that module calls this one).
import type { Node as JsonNode } from 'jsonc-parser';

/** A node as built here (jsonc-parser's node type is read-only). */
type Built = { -readonly [K in keyof JsonNode]: JsonNode[K] };

/** Thrown inside the parser when the text is not plain JSON. */
class NotPlain extends Error {}
const NOT_PLAIN = new NotPlain();

/**
 * The tree, with the spaces, tabs and line breaks within the root's text (in strings too),
 * counted as they are read: a policy's length without whitespace needs no second scan.
 */
export function readStrictJson(text: string): { root: JsonNode; whitespace: number } | undefined {
  const reader = new Reader(text);
  try {
    if (reader.skipWhitespace() < 0) return undefined;
    reader.whitespace = 0;
    const root = reader.value(undefined);
    const whitespace = reader.whitespace;
    if (reader.skipWhitespace() >= 0) return undefined;
    // jsonc-parser's root has no parent property at all.
    delete root.parent;
    return { root, whitespace };
  } catch (e) {
    if (e === NOT_PLAIN) return undefined;
    throw e;
  }
}

class Reader {
  private pos = 0;
  private readonly end: number;
  /** Spaces, tabs and line breaks read so far. */
  whitespace = 0;

  constructor(private readonly text: string) {
    this.end = text.length;
  }

  /** Skips spaces, tabs and line breaks; the next character's code, or -1 at the end. */
  skipWhitespace(): number {
    const { text, end } = this;
    const start = this.pos;
    let pos = start;
    while (pos < end) {
      const c = text.charCodeAt(pos);
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) {
        this.whitespace += pos - start;
        this.pos = pos;
        return c;
      }
      pos++;
    }
    this.whitespace += pos - start;
    this.pos = pos;
    return -1;
  }

  value(parent: Built | undefined): Built {
    const c = this.skipWhitespace();
    switch (c) {
      case 123 /* { */: return this.object(parent);
      case 91 /* [ */: return this.array(parent);
      case 34 /* " */: return this.string(parent);
      case 116 /* t */: return this.keyword(parent, 'true', true);
      case 102 /* f */: return this.keyword(parent, 'false', false);
      case 110 /* n */: return this.keyword(parent, 'null', null);
      default:
        if (c === 45 /* - */ || (c >= 48 && c <= 57)) return this.number(parent);
        throw NOT_PLAIN;
    }
  }

  private keyword(parent: Built | undefined, word: string, value: boolean | null): Built {
    const offset = this.pos;
    if (!this.text.startsWith(word, offset)) throw NOT_PLAIN;
    this.pos += word.length;
    return { type: value === null ? 'null' : 'boolean', offset, length: word.length, parent, value };
  }

  /** The string at the current position (its quote), without escapes or control characters; its spaces counted. */
  private stringEnd(): number {
    const { text, end } = this;
    let spaces = 0;
    for (let i = this.pos + 1; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        this.whitespace += spaces;
        return i;
      }
      // Tabs and line breaks are control characters, which a plain string has none of.
      if (c <= 32 || c === 92 /* \ */) {
        if (c !== 32) throw NOT_PLAIN;
        spaces++;
      }
    }
    throw NOT_PLAIN;
  }

  private string(parent: Built | undefined): Built {
    const offset = this.pos;
    const close = this.stringEnd();
    this.pos = close + 1;
    return { type: 'string', offset, length: close + 1 - offset, parent, value: this.text.substring(offset + 1, close) };
  }

  /** A JSON number: `-`, `0` or digits without a leading zero, a fraction, an exponent. */
  private number(parent: Built | undefined): Built {
    const { text, end } = this;
    const offset = this.pos;
    let i = offset;
    if (text.charCodeAt(i) === 45) i++;
    const first = text.charCodeAt(i);
    if (first === 48) i++;
    else if (first >= 49 && first <= 57) i = this.digits(i);
    else throw NOT_PLAIN;
    if (i < end && text.charCodeAt(i) === 46 /* . */) {
      const start = i + 1;
      i = this.digits(start);
      if (i === start) throw NOT_PLAIN;
    }
    const e = i < end ? text.charCodeAt(i) : -1;
    if (e === 101 || e === 69 /* e E */) {
      i++;
      const sign = i < end ? text.charCodeAt(i) : -1;
      if (sign === 43 || sign === 45) i++;
      const start = i;
      i = this.digits(start);
      if (i === start) throw NOT_PLAIN;
    }
    this.pos = i;
    return { type: 'number', offset, length: i - offset, parent, value: Number(text.substring(offset, i)) };
  }

  private digits(from: number): number {
    const { text, end } = this;
    let i = from;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      i++;
    }
    return i;
  }

  private object(parent: Built | undefined): Built {
    const node: Built = { type: 'object', offset: this.pos, length: -1, parent, children: [] };
    const children = node.children as Built[];
    this.pos++;
    let c = this.skipWhitespace();
    if (c !== 125 /* } */) {
      for (;;) {
        if (c !== 34) throw NOT_PLAIN;
        // Every node of a kind is built with its fields in one order (a key as a string value,
        // a property with its colon): the code reading the tree then meets fewer shapes.
        const property: Built = { type: 'property', offset: this.pos, length: -1, parent: node, children: [], colonOffset: -1 };
        const close = this.stringEnd();
        const key: Built = { type: 'string', offset: this.pos, length: close + 1 - this.pos, parent: property, value: this.text.substring(this.pos + 1, close) };
        this.pos = close + 1;
        if (this.skipWhitespace() !== 58 /* : */) throw NOT_PLAIN;
        property.colonOffset = this.pos;
        this.pos++;
        const value = this.value(property);
        (property.children as Built[]).push(key, value);
        property.length = value.offset + value.length - property.offset;
        children.push(property);
        c = this.skipWhitespace();
        if (c === 125) break;
        if (c !== 44 /* , */) throw NOT_PLAIN;
        this.pos++;
        c = this.skipWhitespace();
      }
    }
    this.pos++;
    node.length = this.pos - node.offset;
    return node;
  }

  private array(parent: Built | undefined): Built {
    const node: Built = { type: 'array', offset: this.pos, length: -1, parent, children: [] };
    const children = node.children as Built[];
    this.pos++;
    let c = this.skipWhitespace();
    if (c !== 93 /* ] */) {
      for (;;) {
        children.push(this.value(node));
        c = this.skipWhitespace();
        if (c === 93) break;
        if (c !== 44) throw NOT_PLAIN;
        this.pos++;
      }
    }
    this.pos++;
    node.length = this.pos - node.offset;
    return node;
  }
}
