/**
 * Fix edits in a YAML document's own style. Fixes are written as JSON text against the node
 * tree; here each edit is recognised by its shape and written as YAML:
 * - one scalar replaced by a JSON literal: the literal in the style of the text it replaces (a
 *   plain scalar stays plain when it can, a single-quoted one single-quoted, a double-quoted
 *   one keeps JSON's escapes, which are YAML's too); part of a scalar replaced by name text
 *   (an action or service name) as it is; an intrinsic function of a string in place of
 *   another (`!Ref Acct` narrowed to `!Sub 'arn:…${Acct}…'`) in the form of the one it replaces;
 * - a scalar replaced by a list: one block sequence item a line (in a block sequence, the new
 *   items follow the old one's dash; as a mapping value, a block sequence below the key; in a
 *   flow collection, a flow sequence); a value (`!Sub 'arn:…:root'`) replaced by a list of
 *   copies of itself that differ from it in one string each: each copy is the old text with
 *   that string written in its scalar's style, so tags and the other parts stay as they are
 *   written (a value over several lines, in a block sequence only, its lines moved right as
 *   far as its new place needs); any other item (a `Ref` replaced by `Fn::Sub` values) is
 *   written in block or flow style as its place needs, an intrinsic function in short form
 *   where the value it replaces is one or the document writes that function so (a function of
 *   a list in place of a short form on one line, in flow style: `!Sub ['…', {Account: !Select […]}]`);
 * - a value replaced by a list that stays one value (`whole`: an `Fn::If` branch): a flow sequence;
 * - a property added first or last in a block mapping (the edit names the mapping: a block
 *   mapping ends where its last value does, so the place alone does not say which): a
 *   `name: value` block at the column of its siblings, an intrinsic function in it written in
 *   short form (`!Sub …`) when the document writes that function so, else in long form;
 * - an item or property removed from a block collection: its lines removed.
 * Flow collections (`[…]`, `{…}`) are JSON-like, and JSON edits in them are YAML already.
 * Any other edit has no YAML form: undefined (the fix is not offered).
 */
import type { JsonDocument, JsonNode } from '../json/jsonDocument';

export interface Edit {
  offset: number;
  length: number;
  newText: string;
  /** The object a property is added to, when the edit adds one. */
  into?: { offset: number; length: number };
  /** A list in place of an item of a list is one value (a flow sequence there), not items of it. */
  whole?: boolean;
}

/** The YAML form of a JSON-text edit of `doc`; undefined when it has none. */
export function yamlEdit(doc: JsonDocument, edit: Edit): Edit | undefined {
  const { text } = doc;
  const { offset, length, newText } = edit;
  if (length > 0 && newText !== '') {
    const scalar = yamlReplacement(text, offset, length, newText);
    if (scalar !== undefined) return { offset, length, newText: scalar };
    return listReplacement(doc, edit);
  }
  if (!doc.root) return undefined;
  if (length === 0) return insertion(doc, edit);
  if (newText === '') return removal(doc, edit);
  return undefined;
}

/** What replaces `text[offset, offset + length)` (one line, one scalar) instead of `newText` (one JSON value); undefined when that is not the edit. */
export function yamlReplacement(text: string, offset: number, length: number, newText: string): string | undefined {
  if (length === 0 || newText.includes('\n')) return undefined;
  const old = text.slice(offset, offset + length);
  if (old.includes('\n')) return undefined;
  // Part of a scalar's content replaced by plain name characters (an action or service name):
  // the same text in any scalar style.
  if (NAME_TEXT.test(old) && NAME_TEXT.test(newText)) return newText;
  let value: unknown;
  try {
    value = JSON.parse(newText);
  } catch {
    return undefined;
  }
  const ref = refName(value);
  // `{"Ref": name}` in place of a scalar or a tagged scalar is CloudFormation's short form.
  if (ref !== undefined) return `!Ref ${isSafePlain(ref) ? ref : singleQuoted(ref)}`;
  const fn = intrinsicOf(value);
  if (fn && typeof fn[1] === 'string') {
    // A function of a string in place of another (a `Ref` that becomes a `Fn::Sub`), in its form:
    // short (`!Sub 'arn:…'`), long (`Fn::Sub: 'arn:…'`), or a flow mapping (`{Fn::Sub: 'arn:…'}`).
    if (old.startsWith('!')) return `!${fn[0].replace(/^Fn::/, '')} ${plainOrQuoted(fn[1])}`;
    if (/^(Ref|Condition|Fn::[A-Za-z]+):[ \t]/.test(old)) return `${fn[0]}: ${plainOrQuoted(fn[1])}`;
    return old.startsWith('{') ? flowText(value, new Set()) : undefined;
  }
  if (fn) {
    // A function of a list in place of a value (a `Ref` of an ARN parameter that becomes a
    // `Fn::Sub` list), in flow style: its functions in short form in place of a short form.
    if (old.startsWith('!')) return flowText(value, intrinsicNames(value, new Set()));
    if (/^(Ref|Condition|Fn::[A-Za-z]+):[ \t]/.test(old)) return `${fn[0]}: ${flowText(fn[1], new Set())}`;
    return old.startsWith('{') ? flowText(value, new Set()) : undefined;
  }
  if (typeof value !== 'string') {
    // A number or boolean is YAML as it is; a list or map in place of a scalar is a list replacement.
    return value === null || typeof value === 'object' || /^[&*!|>]/.test(old) ? undefined : newText;
  }
  return scalarLike(old, value);
}

/** The name of `{"Ref": name}`, else undefined. */
function refName(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  const name = (value as Record<string, unknown>).Ref;
  return keys.length === 1 && typeof name === 'string' ? name : undefined;
}

/** A string written like `old` was: double-quoted, single-quoted, or plain when it reads back the same. */
function scalarLike(old: string, value: string): string {
  if (old.startsWith('"')) return JSON.stringify(value);
  if (old.startsWith("'")) return singleQuoted(value);
  return isSafePlain(value) ? value : singleQuoted(value);
}

/** Text that means the same inside any YAML scalar style (and is not a JSON literal). */
const NAME_TEXT = /^[A-Za-z0-9_*.\-/][A-Za-z0-9_:*.\-/]*$/;

function singleQuoted(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * Whether a string can be written as a plain scalar and read back as that same string:
 * no indicator first, no `: ` or ` #`, no trailing colon or space, and not a number,
 * boolean or null to a YAML reader (1.1 or 1.2).
 */
export function isSafePlain(s: string): boolean {
  if (s === '' || /^[\s\-?:,[\]{}#&*!|>'"%@`]/.test(s)) return false;
  if (/\s$|:$|: |\s#|[\n\r\t]/.test(s)) return false;
  if (/[,[\]{}]/.test(s)) return false;
  if (/^(true|false|yes|no|on|off|y|n|null|~)$/i.test(s)) return false;
  if (/^[-+]?(\.?[0-9]|\.(inf|nan)$)/i.test(s)) return false;
  return true;
}

/** The node whose range is exactly [offset, offset + length), the deepest one. */
function nodeAt(root: JsonNode, offset: number, length: number): JsonNode | undefined {
  let found: JsonNode | undefined;
  let node: JsonNode | undefined = root;
  while (node) {
    if (node.offset === offset && node.length === length) found = node;
    node = node.children?.find((c) => c.offset <= offset && offset + length <= c.offset + c.length && c !== node);
  }
  return found;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function column(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** Whether a collection is written in flow style (`[…]` or `{…}`), where JSON text is YAML. */
function isFlow(text: string, node: JsonNode): boolean {
  return text[node.offset] === '[' || text[node.offset] === '{';
}

/**
 * A value replaced by several: block sequence items (a flow sequence in a flow collection).
 * A string's items are strings, written in its scalar's style; those of a value written on one
 * line may be copies of it that differ in one string each (see `copyText`); any other item is
 * written anew (see `itemText`, `flowText`).
 */
function listReplacement(doc: JsonDocument, edit: Edit): Edit | undefined {
  const { text } = doc;
  const found = doc.root && nodeAt(doc.root, edit.offset, edit.length);
  // A short-form tag's one property spans the same text as its object: the value is the object.
  const node = found?.type === 'property' ? found.parent : found;
  if (!node) return undefined;
  let values: unknown;
  try {
    values = JSON.parse(edit.newText.trim().startsWith('[') ? edit.newText : `[${edit.newText}]`);
  } catch {
    return undefined;
  }
  if (!Array.isArray(values) || values.length === 0) return undefined;
  const parent = node.parent;
  // Where the items go: into a flow collection, or a block sequence whose dashes are at `dash`.
  let flow = false;
  let dash: number | undefined;
  if (edit.whole) {
    // One flow sequence in the item's place (an `Fn::If` branch).
    if (parent?.type !== 'array' && parent?.type !== 'property') return undefined;
    flow = true;
  } else if (parent?.type === 'array') {
    if (isFlow(text, parent)) flow = true;
    else {
      // `- old` becomes `- a` and `- b` below it, at the dash's column.
      const at = text.lastIndexOf('-', node.offset - 1);
      if (at < lineStart(text, node.offset) || text.slice(lineStart(text, at), at).trim() !== '') return undefined;
      dash = column(text, at);
    }
  } else if (parent?.type === 'property' && parent.colonOffset !== undefined) {
    if (isFlow(text, parent.parent ?? parent)) flow = true;
    // `Key: old` becomes `Key:` and a block sequence indented below the key.
    else dash = column(text, parent.offset) + 2;
  } else {
    return undefined;
  }
  const old = text.slice(node.offset, node.offset + node.length);
  // A value written in place of a short form is one too (`!Ref Acct` becomes `!Sub '…${Acct}…'`).
  const forms = shortForms(doc);
  // Functions in them too: `!Sub ['…', {Account: !Select […]}]`.
  if (old.startsWith('!')) for (const v of values) intrinsicNames(v, forms);
  const oneLineTag = old.startsWith('!') && !/[\r\n]/.test(old);
  const items: string[] = [];
  for (const v of values as unknown[]) {
    let item: string | undefined;
    if (node.type === 'string') item = typeof v === 'string' ? scalarLike(old, v) : undefined;
    // A function of a list in place of a short form on one line stays on one line.
    // One flow sequence in place of a block mapping (`- Fn::Sub: …` as a branch) holds flow mappings.
    else item = (edit.whole && !/^[!{[]/.test(old) ? undefined : copyText(text, node, v, dash)) ?? (flow || (oneLineTag && listArgument(v)) ? flowText(v, forms) : itemText(v, dash!, forms));
    if (item === undefined) return undefined;
    items.push(item);
  }
  if (parent.type === 'array' && !edit.whole) {
    return { offset: node.offset, length: node.length, newText: flow ? items.join(', ') : items.join(`\n${' '.repeat(dash!)}- `) };
  }
  // `{Key: old}` becomes `{Key: [a, b]}`.
  if (flow) return { offset: node.offset, length: node.length, newText: `[${items.join(', ')}]` };
  const from = parent.colonOffset! + 1;
  return { offset: from, length: node.offset + node.length - from, newText: items.map((i) => `\n${' '.repeat(dash!)}- ${i}`).join('') };
}

/** A value in flow style (`[a, b]`, `{k: v}`), an intrinsic function in `forms` as its tag (`!Sub 'arn:…'`), but not right after another tag. */
function flowText(v: unknown, forms: ReadonlySet<string>, tagged = false): string {
  const short = tagged ? undefined : shortTag(v, forms);
  if (short) return `${short[0]} ${flowText(short[1], forms, true)}`;
  if (Array.isArray(v)) return `[${v.map((x) => flowText(x, forms)).join(', ')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${plainOrQuoted(k)}: ${flowText(x, forms)}`).join(', ')}}`;
  return typeof v === 'string' ? plainOrQuoted(v) : JSON.stringify(v);
}

/**
 * The text of `node` as the text of `value`, when `value` is the node's value but for one
 * string: the node's text with that string written in its scalar's style
 * (`!Sub 'arn:${AWS::Partition}:iam::${Acct}:root'` as `!Sub '…:role/Reader'`). A node written
 * over several lines is copied only as an item of a block sequence whose dashes are at column
 * `dash` (see `reindented`). Undefined otherwise.
 */
function copyText(text: string, node: JsonNode, value: unknown, dash?: number): string | undefined {
  const old = text.slice(node.offset, node.offset + node.length);
  const lines = /[\r\n]/.test(old);
  if (lines && dash === undefined) return undefined;
  const changed: [JsonNode, string][] = [];
  if (!sameBut(node, value, changed) || changed.length !== 1) return undefined;
  const [leaf, s] = changed[0];
  const leafText = text.slice(leaf.offset, leaf.offset + leaf.length);
  // A scalar over several lines, or a block scalar (`|`, `>`), is not written in its style here.
  if (/[\r\n]/.test(leafText) || /^[|>]/.test(leafText)) return undefined;
  const copy = `${text.slice(node.offset, leaf.offset)}${scalarLike(leafText, s)}${text.slice(leaf.offset + leaf.length, node.offset + node.length)}`;
  return lines ? reindented(text, node, copy, dash!) : copy;
}

/**
 * The copy of a node written over several lines, as an item after `- ` at column `dash`: its
 * lines after the first keep their indentation relative to what they hang from, moved by as
 * much as it moves. A node that starts its line (after any dashes) is what they hang from: it
 * moves to `dash + 2`. A node after its key (`AWS: !Sub` and the list below) hangs from the
 * key, whose place the dash takes. The lines always end up right of the dash. Undefined when
 * a line is indented with a tab.
 */
function reindented(text: string, node: JsonNode, copy: string, dash: number): string | undefined {
  const [first, ...rest] = copy.split(/\r?\n/);
  const indents = rest.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0]);
  if (indents.some((i) => i.includes('\t'))) return undefined;
  const startsLine = /^[ \t]*(-[ \t]+)*$/.test(text.slice(lineStart(text, node.offset), node.offset));
  const parent = node.parent;
  if (!startsLine && parent?.type !== 'property') return undefined;
  // The column the lines hang from, and the one it moves to.
  const [from, to] = startsLine ? [column(text, node.offset), dash + 2] : [column(text, parent!.offset), dash];
  let shift = to - from;
  const least = Math.min(...indents.map((i) => i.length));
  if (indents.length && least + shift <= dash) shift = dash + 2 - least;
  return [first, ...rest.map((l) => (l.trim() === '' ? '' : shift >= 0 ? ' '.repeat(shift) + l : l.slice(-shift)))].join('\n');
}

/** Whether `value` has the shape and values of `node` but for strings, the strings that differ collected in `changed`. */
function sameBut(node: JsonNode, value: unknown, changed: [JsonNode, string][]): boolean {
  const children = node.children ?? [];
  switch (node.type) {
    case 'string':
      if (typeof value !== 'string') return false;
      if (value !== node.value) changed.push([node, value]);
      return true;
    case 'array':
      return Array.isArray(value) && value.length === children.length && children.every((c, i) => sameBut(c, value[i], changed));
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
      const entries = Object.entries(value);
      return entries.length === children.length && children.every((p, i) => {
        const v = p.children?.[1];
        return p.children?.[0]?.value === entries[i][0] && v !== undefined && sameBut(v, entries[i][1], changed);
      });
    }
    default:
      return node.value === value;
  }
}

/** `{name: value}` of a JSON member text (`"name": value`), or undefined. */
function member(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(`{${text}}`);
    return v && typeof v === 'object' && Object.keys(v).length === 1 ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The functions a document writes in short form (`!Sub …` for `Fn::Sub`, `!Ref` for `Ref`):
 * values written into it use the short form of these and the long form of any other.
 */
function shortForms(doc: JsonDocument): Set<string> {
  const forms = new Set<string>();
  const stack = doc.root ? [doc.root] : [];
  while (stack.length) {
    const n = stack.pop()!;
    const key = n.type === 'property' ? n.children?.[0] : undefined;
    if (key && typeof key.value === 'string' && doc.text[key.offset] === '!') forms.add(key.value);
    if (n.children) stack.push(...n.children);
  }
  return forms;
}

/** The name of a one-key map that is an intrinsic function (`Ref`, `Condition`, `Fn::X`) and its argument, else undefined. */
function intrinsicOf(v: unknown): [string, unknown] | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const entries = Object.entries(v);
  if (entries.length !== 1) return undefined;
  const [name, arg] = entries[0];
  return name === 'Ref' || name === 'Condition' || /^Fn::[A-Za-z]+$/.test(name) ? [name, arg] : undefined;
}

/** Whether a value is an intrinsic function of a list (`Fn::Sub` `[text, {Var: value}]`). */
function listArgument(v: unknown): boolean {
  return Array.isArray(intrinsicOf(v)?.[1]);
}

/** The names of the intrinsic functions in a value, added to `names`. */
function intrinsicNames(v: unknown, names: Set<string>): Set<string> {
  const fn = intrinsicOf(v);
  if (fn) names.add(fn[0]);
  if (v !== null && typeof v === 'object') for (const x of Object.values(v)) intrinsicNames(x, names);
  return names;
}

/** The short-form tag of an intrinsic function written in short form in `forms` (`!Sub`), else undefined. */
function shortTag(v: unknown, forms: ReadonlySet<string>): [string, unknown] | undefined {
  const fn = intrinsicOf(v);
  return fn && forms.has(fn[0]) ? [`!${fn[0].replace(/^Fn::/, '')}`, fn[1]] : undefined;
}

/** `name: value` as block YAML at column `col` (its first line starts there; the text holds no indentation before it). */
function block(entry: Record<string, unknown>, col: number, forms: ReadonlySet<string>): string {
  return Object.entries(entry).map(([k, v]) => `${plainOrQuoted(k)}:${blockValue(v, col, forms)}`).join(`\n${' '.repeat(col)}`);
}

/**
 * A value after `key:` (or after a tag, `tagged`): a scalar on the same line, a mapping or list
 * indented below; an intrinsic function in `forms` as its tag (`!Sub 'arn:…'`), except right after
 * another tag (CloudFormation reads no tag of a tag).
 */
function blockValue(v: unknown, col: number, forms: ReadonlySet<string>, tagged = false): string {
  const pad = ' '.repeat(col + 2);
  const short = tagged ? undefined : shortTag(v, forms);
  if (short) return ` ${short[0]}${blockValue(short[1], col, forms, true)}`;
  if (Array.isArray(v)) return v.length ? v.map((x) => `\n${pad}- ${itemText(x, col + 2, forms)}`).join('') : ' []';
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v);
    return entries.length ? entries.map(([k, x]) => `\n${pad}${plainOrQuoted(k)}:${blockValue(x, col + 2, forms)}`).join('') : ' {}';
  }
  return ` ${typeof v === 'string' ? plainOrQuoted(v) : JSON.stringify(v)}`;
}

/** A string as a YAML scalar: plain when it reads back the same, else single-quoted. */
export function plainOrQuoted(s: string): string {
  return isSafePlain(s) ? s : singleQuoted(s);
}

/** A property added as the first or the last of a mapping. */
function insertion(doc: JsonDocument, edit: Edit): Edit | undefined {
  const { text } = doc;
  const after = /^,\s*([\s\S]*)$/.exec(edit.newText);
  const before = /^([\s\S]*?),\s*$/.exec(edit.newText);
  const entry = member((after ?? before)?.[1] ?? '');
  if (!entry) return undefined;
  const obj = edit.into && objectAt(doc.root!, edit.into.offset, edit.into.length);
  if (!obj?.children?.length) return undefined;
  const sibling = after ? obj.children[obj.children.length - 1] : obj.children[0];
  if ((after ? sibling.offset + sibling.length : sibling.offset) !== edit.offset) return undefined;
  if (isFlow(text, obj)) return edit;
  const col = column(text, sibling.offset);
  const forms = shortForms(doc);
  if (after) return { offset: sibling.offset + sibling.length, length: 0, newText: `\n${' '.repeat(col)}${block(entry, col, forms)}` };
  return { offset: sibling.offset, length: 0, newText: `${block(entry, col, forms)}\n${' '.repeat(col)}` };
}

/** The outermost object node whose range is exactly [offset, offset + length). */
function objectAt(root: JsonNode, offset: number, length: number): JsonNode | undefined {
  let node: JsonNode | undefined = root;
  while (node) {
    if (node.type === 'object' && node.offset === offset && node.length === length) return node;
    node = node.children?.find((c) => c.offset <= offset && offset + length <= c.offset + c.length);
  }
  return undefined;
}

/**
 * An item added at the end of a sequence of `doc`, given as the JSON-text edit that adds it
 * (`jsonEdit`): in a block sequence, a `- ` item at the column of the other items' dashes
 * (a mapping written as a block below its first entry); in a flow sequence the JSON text,
 * except that an empty one (`Statement: []`) that is the value of a block mapping's key becomes
 * a block sequence below the key, as a YAML author writes the first item. Undefined when the
 * last item of a block sequence does not start its line after a dash.
 */
export function appendItemYaml(doc: JsonDocument, array: JsonNode, value: unknown, jsonEdit: Edit): Edit | undefined {
  const { text } = doc;
  if (isFlow(text, array)) return (!array.children?.length && firstBlockItem(doc, array, value)) || jsonEdit;
  const last = array.children?.[array.children.length - 1];
  if (!last) return undefined;
  const dash = text.lastIndexOf('-', last.offset - 1);
  if (dash < 0 || text.slice(lineStart(text, dash), dash).trim() !== '' || text.slice(dash + 1, last.offset).trim() !== '') return undefined;
  const col = column(text, dash);
  return { offset: last.offset + last.length, length: 0, newText: `\n${' '.repeat(col)}- ${itemText(value, col, shortForms(doc))}` };
}

/**
 * A sequence item after its `- ` at column `col`: a mapping as a block below its first entry, a
 * list as items below its first one, an intrinsic function in `forms` as its tag, any other
 * value as it is.
 */
function itemText(value: unknown, col: number, forms: ReadonlySet<string>): string {
  if (Array.isArray(value) && value.length) return `- ${value.map((x) => itemText(x, col + 2, forms)).join(`\n${' '.repeat(col + 2)}- `)}`;
  const map = value !== null && typeof value === 'object' && !Array.isArray(value) && !shortTag(value, forms);
  return map && Object.keys(value).length ? block(value as Record<string, unknown>, col + 2, forms) : blockValue(value, col, forms).slice(1);
}

/** `key: []` in a block mapping as `key:` and a block sequence of `value` below it; undefined anywhere else. */
function firstBlockItem(doc: JsonDocument, array: JsonNode, value: unknown): Edit | undefined {
  const { text } = doc;
  const parent = array.parent;
  if (parent?.type !== 'property' || parent.colonOffset === undefined || parent.children?.[1] !== array || isFlow(text, parent.parent ?? parent)) return undefined;
  const col = column(text, parent.offset) + 2;
  const from = parent.colonOffset + 1;
  return { offset: from, length: array.offset + array.length - from, newText: `\n${' '.repeat(col)}- ${itemText(value, col, shortForms(doc))}` };
}

/** An item or property removed with its separator: in a block collection, its lines. */
function removal(doc: JsonDocument, edit: Edit): Edit | undefined {
  const { text } = doc;
  const end = edit.offset + edit.length;
  let node: JsonNode | undefined = doc.root;
  while (node) {
    const children: JsonNode[] = node.children ?? [];
    const covered = children.filter((c) => edit.offset <= c.offset && c.offset + c.length <= end);
    if ((node.type === 'array' || node.type === 'object') && covered.length === 1) {
      if (isFlow(text, node)) return edit;
      if (children.length < 2) return undefined;
      const child = covered[0];
      const start = lineStart(text, child.offset);
      const lead = text.slice(start, child.offset);
      // The child must start its line (after its dash in a sequence); the first property of a
      // sequence item shares the dash's line with it and cannot go alone.
      if (!(node.type === 'array' ? /^[ \t]*-[ \t]+$/ : /^[ \t]*$/).test(lead)) return undefined;
      const lineEnd = text.indexOf('\n', child.offset + child.length);
      return { offset: start, length: (lineEnd < 0 ? text.length : lineEnd + 1) - start, newText: '' };
    }
    node = children.find((c) => c.offset <= edit.offset && end <= c.offset + c.length);
  }
  return undefined;
}
