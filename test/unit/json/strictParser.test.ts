/**
 * The strict parser (json/strictParser.ts) must build exactly jsonc-parser's tree for every
 * text it reads, and give up on every text jsonc-parser finds anything wrong with: checked on
 * the corpus, the repository's own fixtures, hand-written edge cases and seeded mutations.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseTree, type ParseError } from 'jsonc-parser';
import type { JsonNode } from '../../../server/src/core/json/jsonDocument';
import { JSON_PARSE_OPTIONS, parseJson } from '../../../server/src/core/json/jsonDocument';
import { readStrictJson } from '../../../server/src/core/json/strictParser';
import { corpusMissing, corpusRoot, repoRoot, walk } from '../../support/corpus';
import { needs } from '../../support/needs';

/** Compares two trees field by field (values with Object.is, so that -0 counts), and their parent links. */
function assertSameTree(a: JsonNode, b: JsonNode, where: string): void {
  assert.equal(a.type, b.type, `${where}: type`);
  assert.equal(a.offset, b.offset, `${where}: offset`);
  assert.equal(a.length, b.length, `${where}: length`);
  assert.ok(Object.is(a.value, b.value), `${where}: value ${String(a.value)} / ${String(b.value)}`);
  assert.equal(a.colonOffset, b.colonOffset, `${where}: colon offset`);
  assert.equal(a.children?.length, b.children?.length, `${where}: children`);
  a.children?.forEach((child, i) => {
    assert.equal(child.parent, a, `${where}/${i}: parent link (strict)`);
    assert.equal(b.children![i].parent, b, `${where}/${i}: parent link (jsonc)`);
    assertSameTree(child, b.children![i], `${where}/${i}`);
  });
}

/** Parses with both; returns whether the strict parser read the text (and then both agree). */
function compare(text: string, label: string): boolean {
  const strict = readStrictJson(text)?.root;
  const errors: ParseError[] = [];
  const reference = parseTree(text, errors, JSON_PARSE_OPTIONS);
  if (strict === undefined) return false;
  assert.deepEqual(errors, [], `${label}: the strict parser read a text jsonc-parser reports errors in`);
  assert.ok(reference, label);
  assert.equal('parent' in strict, 'parent' in reference, `${label}: root parent property`);
  assertSameTree(strict, reference, label);
  // The whitespace counted while reading: that of the root's text, strings included.
  const inRoot = text.slice(reference.offset, reference.offset + reference.length);
  assert.equal(readStrictJson(text)?.whitespace, (inRoot.match(/[ \t\r\n]/g) ?? []).length, `${label}: whitespace`);
  return true;
}

const PLAIN = [
  '{}', '[]', '"x"', '0', '-0', '12', '-3.25', '1e5', '1E+5', '2.5e-3', 'true', 'false', 'null',
  ' \t\r\n{ "a" : [ 1 , 2 , { } , [ ] ] , "b" : { "c" : null } } \n',
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:Decrypt","kms:Encrypt"],"Resource":"*"}]}',
  '{"a":1,"a":2}', '{"é":"日本","😀":"\ud83d"}', '[[[[[]]]]]', '{"":""}', '[0,-0,0.0,1e0]',
];

const NOT_PLAIN = [
  '', '   ', '\ufeff{}', '{"a":1,}', '[1,]', '// c\n{}', '{/* c */}', '{"a":"\\n"}', '{"a":"\\"q\\""}', '{"a":"tab\there"}',
  '{"a" 1}', '{a:1}', '[1 2]', '01', '1.', '.5', '1e', '--1', '1a', 'truex', 'nul', '{"a":1}}', '{"a":1', '[', '"open',
  '\u2028{}', '{}\u00a0', "{'a':1}", '[1,,2]', 'NaN', '+1', '0x10', '[1]x',
];

test('plain JSON: the strict parser builds jsonc-parser\'s tree', () => {
  for (const text of PLAIN) assert.equal(compare(text, JSON.stringify(text)), true, `not read: ${JSON.stringify(text)}`);
});

test('the whitespace within the root is counted as it is read: between tokens and in strings, not around the root', () => {
  assert.equal(readStrictJson(' \n{ "a b": [ 1,\n\t2 ] }\r\n')?.whitespace, 8);
  assert.equal(readStrictJson('{"Version":"2012-10-17"}')?.whitespace, 0);
  assert.equal(readStrictJson('"  x  "')?.whitespace, 4);
  assert.equal(parseJson('{ "a" : 1 }').whitespace, 4);
  assert.equal(parseJson('{ "a" : 1, }').whitespace, undefined);
});

test('anything past plain JSON is left to jsonc-parser, and parseJson still reports what jsonc-parser reports', () => {
  for (const text of NOT_PLAIN) {
    assert.equal(readStrictJson(text), undefined, `read: ${JSON.stringify(text)}`);
    const errors: ParseError[] = [];
    parseTree(text, errors, JSON_PARSE_OPTIONS);
    assert.equal(parseJson(text).problems.length > 0, errors.length > 0, JSON.stringify(text));
  }
});

/** The JSON texts of a folder. */
function jsonFiles(dir: string): string[] {
  return walk(dir).filter((f) => /\.(json|template)$/.test(f));
}

test('the repository\'s own fixtures and examples: the same trees', () => {
  const files = [...jsonFiles(path.join(repoRoot, 'test')), ...jsonFiles(path.join(repoRoot, 'examples'))];
  assert.ok(files.length >= 5);
  for (const f of files) compare(fs.readFileSync(f, 'utf8'), f);
});

/** Seeded edits of a text with characters JSON gives meaning to. */
function* mutations(text: string, seed: number, count: number): Generator<string> {
  let state = seed >>> 0 || 1;
  const random = (n: number) => {
    state ^= state << 13; state ^= state >>> 17; state ^= state << 5;
    return (state >>> 0) % n;
  };
  const pieces = ['{', '}', '[', ']', ',', ':', '"', '\\', '/', '*', ' ', '\n', '0', '-', '.', 'e', 't', 'n', '\u0001', 'é', '\t'];
  for (let i = 0; i < count; i++) {
    const at = random(text.length + 1);
    const kind = random(3);
    const piece = pieces[random(pieces.length)];
    if (kind === 0) yield text.slice(0, at) + piece + text.slice(at);
    else if (kind === 1) yield text.slice(0, at) + text.slice(at + 1 + random(3));
    else yield text.slice(0, at) + piece + text.slice(at + 1);
  }
}

test('seeded mutations of hand-written texts: the same trees where read, nothing read that has errors', () => {
  let read = 0;
  let total = 0;
  PLAIN.forEach((text, i) => {
    for (const m of mutations(text, 7 + i, 300)) {
      total++;
      if (compare(m, JSON.stringify(m))) read++;
    }
  });
  assert.ok(read > total / 10 && read < total, `${read} of ${total} read`);
});

test('the corpus, and mutations of a sample of it: the same trees', needs('corpus', corpusMissing()), () => {
  const files = jsonFiles(corpusRoot);
  assert.ok(files.length > 2000);
  let read = 0;
  files.forEach((f, i) => {
    const text = fs.readFileSync(f, 'utf8');
    if (compare(text, f)) read++;
    if (i % 25 === 0) for (const m of mutations(text, i, 20)) compare(m, `mutation of ${f}`);
  });
  // Nearly every file of the corpus is plain JSON (the exceptions are linter fixtures of broken input).
  assert.ok(read > files.length * 0.95, `only ${read} of ${files.length} read`);
});
