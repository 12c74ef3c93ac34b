/**
 * Real documents from the corpus and the ways a fuzz case breaks them: deleted, inserted
 * and random characters, truncation, values of the wrong type, duplicated keys, huge
 * strings, lone surrogates, prototype-named keys, deep nesting. Every mutation works on the
 * text, so broken JSON is as likely as odd-but-valid JSON.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseTree, type Node } from 'jsonc-parser';
import { corpusPath, walk } from '../../support/corpus';

/**
 * Cases per property: `inTestRun` in the test run; `npm run fuzz` sets
 * POLICY_HANDSHAKE_FUZZ_RUNS, of which a slow property (the server) takes `share`.
 */
export function fuzzRuns(inTestRun: number, share = 1): number {
  const n = Number(process.env.POLICY_HANDSHAKE_FUZZ_RUNS);
  return Number.isFinite(n) && n > 0 ? Math.max(1, Math.round(n * share)) : inTestRun;
}

/** Fixed in the test run so a failure repeats; `npm run fuzz` passes its own. */
export function fuzzSeed(): number {
  const n = Number(process.env.POLICY_HANDSHAKE_FUZZ_SEED);
  return Number.isFinite(n) ? n : 20240611;
}

export interface Sample { name: string; text: string }

/** Evenly spaced files of each corpus folder (small ones, so a case stays fast), plus a get-key-policy output. */
export function corpusSamples(perFolder = 6): Sample[] {
  const folders: [string, number][] = [
    ['aws-managed', 12_000],
    ['kms-key-policies', 12_000],
    ['cross-account', 12_000],
    ['cloudformation', 24_000],
    ['authorization-details', 40_000],
    ['linter-fixtures', 8_000],
  ];
  const out: Sample[] = [];
  for (const [folder, maxBytes] of folders) {
    const files = walk(corpusPath(folder), '.json').filter((f) => fs.statSync(f).size <= maxBytes);
    const step = Math.max(1, Math.floor(files.length / perFolder));
    for (let i = 0; i < files.length && out.filter((s) => s.name.startsWith(folder)).length < perFolder; i += step) {
      out.push({ name: path.relative(corpusPath(), files[i]).split(path.sep).join('/'), text: fs.readFileSync(files[i], 'utf8') });
    }
  }
  const key = out.find((s) => s.name.startsWith('kms-key-policies') && s.text.includes('"Principal"'));
  if (key) out.push({ name: 'get-key-policy-output.json', text: JSON.stringify({ Policy: key.text, PolicyName: 'default' }, null, 2) });
  return out;
}

/** String-valued nodes, property keys and values of a text, when it parses at all. */
function nodesOf(text: string): Node[] {
  const out: Node[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(text, [], { allowTrailingComma: true });
  } catch {
    return out;
  }
  const visit = (n: Node, depth: number) => {
    out.push(n);
    if (depth < 64) for (const c of n.children ?? []) visit(c, depth + 1);
  };
  if (root) visit(root, 0);
  return out;
}

const TOKENS = ['{', '}', '[', ']', ',', ':', '"', '\\', '\\u', '\\ud800', '*', '?', '${aws:username}', '{"Fn::Sub": "arn:${AWS::Partition}:kms"}', '{"Ref": "X"}',
  '"Statement"', '"Principal"', '"NotPrincipal"', '"Action"', '"Condition"', '"StringLike"', '"ForAllValues:StringEquals"', '"arn:aws:iam::111122223333:root"',
  '"kms:*"', '"*"', '"arn:aws:kms:*:*:key/*"', 'null', 'true', '-0', '1e999', '/* c */', '// c\n', '\u0000', '\r\n', '\r', '\ufeff', '\u2028'];
const SPECIAL_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
const POLICY_VALUES = ['*', 'kms:*', 'kms:Decrpyt', 'kms:Gen*', 'KMS:decrypt', 's3:Get*', '*:*', 'iam:PassRole', 'Deny', 'Allow', 'allow', '2008-10-17',
  'arn:aws:iam::444455556666:root', '444455556666', 'arn:aws:iam::111122223333:role/ExampleRole', 'AROAEXAMPLEID12345678', 'arn:aws:iam::*:root',
  'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', 'arn:aws:kms:*:111122223333:alias/app', 'arn:aws:s3:::bucket/*', 'arn:aws',
  '${aws:username}', 'constructor', '__proto__', 'StringEqualz', 'ForAnyValue:StringLikeIfExists', 'kms:CallerAccount', 'aws:PrincipalOrgID', 'kms.amazonaws.com', 'Bad Sid!', ''];
const OTHER_TYPES = ['"text"', '0', '-12.5e3', 'true', 'false', 'null', '[]', '{}', '["a", 1, null]', '{"a": {"b": []}}', '""'];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const insertion = fc.oneof(
  fc.constantFrom(...TOKENS),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  loneSurrogate,
  fc.array(loneSurrogate, { minLength: 1, maxLength: 4 }).map((a) => a.join('')),
);

type Mutation = (text: string) => string;

/** A position in the text from a fraction (independent of the length the text has by then). */
const at = (text: string, f: number) => Math.min(text.length, Math.floor(f * (text.length + 1)));
const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const pick = <T>(list: T[], f: number): T | undefined => (list.length ? list[Math.min(list.length - 1, Math.floor(f * list.length))] : undefined);
const splice = (text: string, offset: number, length: number, insert: string) => text.slice(0, offset) + insert + text.slice(offset + length);

/** Character-level damage weighs 1, structural changes (valid JSON, odd content) weigh 3. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 1, arbitrary: fc.tuple(unit, fc.integer({ min: 1, max: 40 })).map(([f, n]): Mutation => (t) => splice(t, at(t, f), n, '')) },
  { weight: 1, arbitrary: fc.tuple(unit, insertion).map(([f, s]): Mutation => (t) => splice(t, at(t, f), 0, s)) },
  { weight: 1, arbitrary: unit.map((f): Mutation => (t) => t.slice(0, at(t, f))) },
  // A value replaced by one of another type.
  { weight: 3, arbitrary: fc.tuple(unit, fc.constantFrom(...OTHER_TYPES)).map(([f, v]): Mutation => (t) => {
    const n = pick(nodesOf(t).filter((x) => x.type !== 'property'), f);
    return n ? splice(t, n.offset, n.length, v) : t;
  }) },
  // A property duplicated right after itself.
  { weight: 3, arbitrary: unit.map((f): Mutation => (t) => {
    const p = pick(nodesOf(t).filter((x) => x.type === 'property'), f);
    return p ? splice(t, p.offset + p.length, 0, `, ${t.slice(p.offset, p.offset + p.length)}`) : t;
  }) },
  // A string made huge (plain, all wildcards, or the adversarial `a*a*…`).
  { weight: 3, arbitrary: fc.tuple(unit, fc.constantFrom('A', '*', 'a*', '?', 'é', '\\"'), fc.integer({ min: 1000, max: 20000 })).map(([f, s, n]): Mutation => (t) => {
    const node = pick(nodesOf(t).filter((x) => x.type === 'string'), f);
    return node ? splice(t, node.offset + 1, Math.max(0, node.length - 2), s.repeat(Math.ceil(n / s.length))) : t;
  }) },
  // A property key renamed to a prototype name.
  { weight: 3, arbitrary: fc.tuple(unit, fc.constantFrom(...SPECIAL_KEYS)).map(([f, k]): Mutation => (t) => {
    const key = pick(nodesOf(t).filter((x) => x.type === 'property').map((x) => x.children![0]), f);
    return key ? splice(t, key.offset, key.length, JSON.stringify(k)) : t;
  }) },
  // A value wrapped in deep nesting.
  { weight: 3, arbitrary: fc.tuple(unit, fc.integer({ min: 20, max: 400 })).map(([f, depth]): Mutation => (t) => {
    const n = pick(nodesOf(t).filter((x) => x.type !== 'property'), f);
    return n ? splice(t, n.offset, n.length, '['.repeat(depth) + t.slice(n.offset, n.offset + n.length) + ']'.repeat(depth)) : t;
  }) },
  // A string replaced by a value checks care about.
  { weight: 3, arbitrary: fc.tuple(unit, fc.constantFrom(...POLICY_VALUES)).map(([f, v]): Mutation => (t) => {
    const node = pick(nodesOf(t).filter((x) => x.type === 'string'), f);
    return node ? splice(t, node.offset, node.length, JSON.stringify(v)) : t;
  }) },
  // Random text over a stretch (binary noise).
  { weight: 1, arbitrary: fc.tuple(unit, fc.string({ unit: 'binary', minLength: 1, maxLength: 30 })).map(([f, s]): Mutation => (t) => splice(t, at(t, f), s.length, s)) },
);

/** A corpus sample with one to three mutations applied. */
export function mutatedDocument(samples: Sample[]): fc.Arbitrary<{ name: string; text: string }> {
  return fc.tuple(fc.constantFrom(...samples), fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([s, ms]) => ({
    name: s.name,
    text: ms.reduce((t, m) => m(t), s.text),
  }));
}

/** Offsets to probe a text at: the ends, and spread fractions. */
export const probeFractions = fc.array(unit, { minLength: 1, maxLength: 6 });

export function offsetsIn(text: string, fractions: number[]): number[] {
  return [0, text.length, ...fractions.map((f) => at(text, f))];
}
