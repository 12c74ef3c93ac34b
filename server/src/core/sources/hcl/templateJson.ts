/**
 * JSON written as an HCL string: a heredoc (`<<EOF … EOF`, `<<-EOT … EOT`) or a quoted string
 * (`"{\"Version\": …}"`). The template is decoded into JSON text with a map from every decoded
 * character back to the `.tf` text, so findings point inside it. Interpolations (`${…}`) that
 * resolve are written in as their value; the others become unknown values.
 */
import { parseJson, type JsonDocument, type JsonNode, type ParseLimits } from '../../json/jsonDocument';
import { childOfType, named, type HclNode } from './hclSyntax';
import { decodeHclString, evalString, makeUnknown, type HclScope } from './hclValues';

export interface TemplateJson {
  json: JsonDocument;
  toFileOffset: (o: number) => number;
  /** A heredoc (edits go in as they are) or a quoted string (edits must be escaped). */
  heredoc: boolean;
}

/** Parse the JSON held by a template expression; undefined when it is not one, or has directives. */
export function templateJson(t: HclNode, scope: HclScope, limits: ParseLimits): TemplateJson | undefined {
  if (t.broken) return undefined;
  const heredoc = t.type === 'heredoc_template';
  if (!heredoc && t.type !== 'quoted_template' && t.type !== 'string_lit') return undefined;
  // The body: between the opening line and the closing marker, or between the quotes.
  let from: number;
  let to: number;
  if (heredoc) {
    const ids = t.children.filter((c) => c.type === 'heredoc_identifier');
    if (ids.length < 2) return undefined;
    const nl = scope.text.indexOf('\n', ids[0].end);
    from = nl < 0 ? ids[0].end : nl + 1;
    to = ids[ids.length - 1].start;
  } else {
    from = t.start + 1;
    to = t.end - 1;
  }
  const holes = named(t).filter((c) => c.type === 'template_interpolation' || c.type === 'template_directive');
  if (holes.some((h) => h.type === 'template_directive')) return undefined;

  const chars: string[] = [];
  const map: number[] = [];
  const unknown: { start: number; end: number; source: string }[] = [];
  let inString = false;
  let escaping = false;
  // Whether the decoded text is inside a JSON string, character by character.
  const feed = (c: string) => {
    if (!inString) inString = c === '"';
    else if (escaping) escaping = false;
    else if (c === '\\') escaping = true;
    else if (c === '"') inString = false;
  };
  const push = (s: string, at: number) => {
    for (const ch of s) {
      for (let k = 0; k < ch.length; k++) { chars.push(ch[k]); map.push(at); }
    }
  };
  const literal = (a: number, b: number) => {
    const raw = scope.text.slice(a, b);
    if (heredoc || !raw.includes('\\')) {
      for (let i = 0; i < raw.length; i++) {
        const c = raw[i];
        chars.push(c);
        map.push(a + i);
        feed(c);
        // `$${` and `%%{` are the template's escapes for a literal `${` and `%{`.
        if (escapedMarker(raw, i)) i++;
      }
      return;
    }
    // Quoted HCL strings: decode escapes one sequence at a time, each mapped to its backslash.
    for (let i = 0; i < raw.length; i++) {
      if (escapedMarker(raw, i)) {
        chars.push(raw[i]);
        map.push(a + i);
        feed(raw[i]);
        i++;
        continue;
      }
      let width = 1;
      if (raw[i] === '\\') width = raw[i + 1] === 'u' ? 6 : raw[i + 1] === 'U' ? 10 : 2;
      const decoded = decodeHclString(raw.slice(i, i + width));
      for (let k = 0; k < decoded.length; k++) {
        const c = decoded[k];
        chars.push(c);
        map.push(a + i);
        feed(c);
      }
      i += width - 1;
    }
  };
  let at = from;
  for (const h of holes) {
    if (h.start < at || h.end > to) continue;
    literal(at, h.start);
    const value = evalString(childOfType(h, 'expression'), scope);
    const start = chars.length;
    if (value !== undefined) {
      const escaped = inString ? JSON.stringify(value).slice(1, -1) : value;
      push(escaped, h.start);
      if (!inString && value.length === 0) push('""', h.start);
    } else {
      push(inString ? 'x' : '"x"', h.start);
      unknown.push({ start, end: chars.length, source: scope.text.slice(h.start, h.end) });
    }
    at = h.end;
  }
  literal(at, to);
  map.push(to);
  const text = chars.join('');
  const json = parseJson(text, limits);
  if (unknown.length > 0 && json.root) markUnknown(json.root, unknown);
  const offsets = Int32Array.from(map);
  const toFileOffset = (o: number) => (o <= 0 ? offsets[0] : o >= offsets.length ? offsets[offsets.length - 1] : offsets[o]);
  return { json, toFileOffset, heredoc };
}

/** Whether `raw` holds `$${` or `%%{` at `i`: a template escape whose second character is dropped. */
function escapedMarker(raw: string, i: number): boolean {
  const c = raw[i];
  return (c === '$' || c === '%') && raw[i + 1] === c && raw[i + 2] === '{';
}

/** Turn every string node that holds an unresolved interpolation into the unknown value. */
function markUnknown(n: JsonNode, unknown: { start: number; end: number; source: string }[]): void {
  if (n.type === 'string') {
    const hit = unknown.find((u) => u.start < n.offset + n.length && u.end > n.offset);
    if (hit) makeUnknown(n, hit.source);
    return;
  }
  for (const c of n.children ?? []) markUnknown(c, unknown);
}
