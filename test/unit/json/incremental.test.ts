/**
 * Parsing an edit again from the previous parse (`reparse`) must give exactly the tree a
 * full parse gives: every node's type, offset, length, value, colon offset, children, parent
 * and own properties. Checked over thousands of seeded edits of hand-written texts and of
 * real policies and templates, chained as an editor sends them (each parse builds on the
 * last). Also: which nodes are kept (the path to the change is new, the rest is the same
 * objects), when it declines, and a workspace fed edits whose findings equal a fresh one's.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { reparse } from '../../../server/src/core/json/incremental';
import { DEFAULT_PARSE_LIMITS, parseJson, type JsonDocument, type JsonNode } from '../../../server/src/core/json/jsonDocument';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { corpusMissing, corpusPath, walk } from '../../support/corpus';
import { needs } from '../../support/needs';

/** Same tree, node for node; `path` names the place of a difference. */
function assertSameTree(actual: JsonNode | undefined, expected: JsonNode | undefined, path = '$', parent?: JsonNode): void {
  if (!expected || !actual) {
    assert.equal(actual, expected, `${path}: one tree is empty`);
    return;
  }
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${path}: own properties`);
  for (const k of ['type', 'offset', 'length', 'value', 'colonOffset'] as const) assert.equal(actual[k], expected[k], `${path}: ${k}`);
  assert.equal(actual.parent, parent, `${path}: parent is the node that holds it`);
  assert.equal(actual.children?.length, expected.children?.length, `${path}: number of children`);
  actual.children?.forEach((c, i) => assertSameTree(c, expected.children![i], `${path}/${i}`, actual));
}

/** A seeded generator (mulberry32): the same edits on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function strings(node: JsonNode | undefined, out: JsonNode[] = []): JsonNode[] {
  if (!node) return out;
  if (node.type === 'string') out.push(node);
  for (const c of node.children ?? []) strings(c, out);
  return out;
}

/**
 * One edit as an editor makes them: most keep the JSON valid (a letter typed, changed or
 * deleted in a string; a line break or spaces between tokens; a whole array item copied or
 * removed), some break it (a bracket, quote or comma typed or deleted anywhere), and some
 * go back to where the text started.
 */
function edit(text: string, base: string, next: () => number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)];
  const roll = next();
  const json = parseJson(text);
  const leaves = strings(json.root);
  if (roll < 0.05) return base;
  if (roll < 0.5 && leaves.length) {
    const s = pick(leaves);
    const at = s.offset + 1 + Math.floor(next() * Math.max(1, s.length - 2));
    const r = next();
    if (r < 0.4 && s.length > 2) return text.slice(0, at) + pick(['a', 'Z', '*', '1', ':']) + text.slice(at + 1);
    if (r < 0.8) return text.slice(0, at) + pick(['x', 'kms:', '/', '0']) + text.slice(at);
    return s.length > 2 ? text.slice(0, at) + text.slice(at + 1) : text;
  }
  if (roll < 0.65) {
    const at = text.indexOf(',', Math.floor(next() * text.length));
    return at < 0 ? text : text.slice(0, at + 1) + pick(['\n      ', ' ', '\r\n', '\t']) + text.slice(at + 1);
  }
  if (roll < 0.8) {
    // An array item copied after itself, or removed with its comma.
    const arrays: JsonNode[] = [];
    const visit = (n: JsonNode | undefined) => {
      if (!n) return;
      if (n.type === 'array' && (n.children?.length ?? 0) >= 2) arrays.push(n);
      n.children?.forEach(visit);
    };
    visit(json.root);
    if (!arrays.length || json.problems.length) return text;
    const a = pick(arrays);
    const i = Math.floor(next() * (a.children!.length - 1));
    const item = a.children![i];
    const after = a.children![i + 1];
    const itemText = text.slice(item.offset, item.offset + item.length);
    return next() < 0.5
      ? text.slice(0, after.offset) + itemText + ', ' + text.slice(after.offset)
      : text.slice(0, item.offset) + text.slice(after.offset);
  }
  const at = Math.floor(next() * (text.length + 1));
  return next() < 0.5
    ? text.slice(0, at) + pick(['{', '}', '[', ']', '"', ',', ':', '// note\n', '/* c */']) + text.slice(at)
    : text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 3));
}

/** Feeds `edits` edits through `reparse`, chained, comparing each with a full parse. Returns how many it took. */
function replay(base: string, edits: number, seed: number): { reparsed: number; edits: number } {
  const next = random(seed);
  let text = base;
  let previous: JsonDocument = parseJson(text);
  let reparsed = 0;
  for (let i = 0; i < edits; i++) {
    const changed = edit(text, base, next);
    const full = parseJson(changed);
    const incremental = reparse(previous, changed, DEFAULT_PARSE_LIMITS);
    if (incremental) {
      reparsed++;
      assert.equal(incremental.text, changed);
      assert.deepEqual(incremental.problems, full.problems, `edit ${i}: a reparsed text has no problems`);
      assertSameTree(incremental.root, full.root);
    }
    previous = incremental ?? full;
    text = changed;
  }
  return { reparsed, edits };
}

const KEY_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Id: 'key-policy',
  Statement: [
    { Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
    { Sid: 'Use', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::444455556666:role/App', 'arn:aws:iam::444455556666:role/Batch'] }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' }, NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 } } },
    { Sid: 'Deny', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': false } } },
  ],
}, null, 2);

const WITH_COMMENTS = `// a key policy kept with notes
{
  "Version": "2012-10-17", /* the current version */
  "Statement": [
    { "Sid": "A", "Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": ["kms:Decrypt", /* later: "kms:Encrypt" */ "kms:DescribeKey"], "Resource": "*" },
    { "Sid": "B", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::444455556666:root"]}, "Action": "kms:Encrypt", "Resource": ["*"], "Condition": {"Null": {"aws:PrincipalTag/x": true}} } // end
  ]
}
`;

test('a change inside a statement: the tree equals a full parse, the other statements are the same node objects', () => {
  const previous = parseJson(KEY_POLICY);
  const at = KEY_POLICY.indexOf('kms:Decrypt') + 'kms:Decry'.length;
  const text = KEY_POLICY.slice(0, at) + 'z' + KEY_POLICY.slice(at + 1) ;
  const statementsBefore = previous.root!.children![2].children![1].children!;
  const next = reparse(previous, text, DEFAULT_PARSE_LIMITS);
  assert.ok(next, 'reparsed');
  assertSameTree(next!.root, parseJson(text).root);
  const statementsAfter = next!.root!.children![2].children![1].children!;
  assert.equal(statementsAfter[0], statementsBefore[0], 'the statement before the change is kept');
  assert.equal(statementsAfter[2], statementsBefore[2], 'the statement after the change is kept (same length: not moved)');
  assert.notEqual(statementsAfter[1], statementsBefore[1], 'the changed statement is new');
  assert.notEqual(next!.root, previous.root, 'the root is new');
  // The innermost container holding the change is the Action array: parsed again; the statement is a new copy.
  const use = statementsAfter[1];
  const useBefore = statementsBefore[1];
  const principalAfter = use.children!.find((p) => p.children![0].value === 'Principal')!;
  const principalBefore = useBefore.children!.find((p) => p.children![0].value === 'Principal')!;
  assert.equal(principalAfter.children![1], principalBefore.children![1], 'a sibling value inside the changed statement is kept');
});

test('a change that moves what follows: kept nodes after it are moved by its length', () => {
  const previous = parseJson(KEY_POLICY);
  const at = KEY_POLICY.indexOf('role/App') + 'role/App'.length;
  const text = KEY_POLICY.slice(0, at) + 'Server' + KEY_POLICY.slice(at);
  const denyBefore = previous.root!.children![2].children![1].children![2];
  const offsetBefore = denyBefore.offset;
  const next = reparse(previous, text, DEFAULT_PARSE_LIMITS)!;
  assertSameTree(next.root, parseJson(text).root);
  const deny = next.root!.children![2].children![1].children![2];
  assert.equal(deny, denyBefore);
  assert.equal(deny.offset, offsetBefore + 'Server'.length);
});

test('declines when a full parse is needed', () => {
  const previous = parseJson(KEY_POLICY);
  const cases: [string, string][] = [
    ['a change in the root object itself', KEY_POLICY.replace('"Id": "key-policy"', '"Id": "key-policy-2"')],
    ['a change between statements (the Statement array is parsed again: it is not the root)', ''],
    ['the same text (nothing changed inside any value)', KEY_POLICY],
  ];
  for (const [what, text] of cases) {
    if (!text) continue;
    assert.equal(reparse(previous, text, DEFAULT_PARSE_LIMITS), undefined, what);
  }
  // A nested bracket left open: alone, the value runs to its end; in the file a parse would read on.
  assert.equal(reparse(previous, KEY_POLICY.replace('"kms:DescribeKey"]', '"kms:DescribeKey", ["x"]'), DEFAULT_PARSE_LIMITS), undefined, 'the value runs to the end of its text');
  // The previous parse had an error at the changed value's first token (the parent's: a missing comma before it).
  const noComma = KEY_POLICY.replace(/\},(\s*)\{\s*"Sid": "Use"/, (m, space) => m.replace('},', '}'));
  const before = parseJson(noComma);
  assert.ok(before.problems.some((p) => noComma[p.offset] === '{'), 'the error is at the statement\'s brace');
  assert.equal(reparse(before, noComma.replace('"Sid": "Use"', '"Sid": "Used"'), DEFAULT_PARSE_LIMITS), undefined, 'a previous error at the value\'s bracket');
  // Deeper inside that statement the error is outside the value parsed again: reparsed, and exact.
  const deeper = noComma.replace('kms:DescribeKey', 'kms:DescribeKeys');
  const next = reparse(before, deeper, DEFAULT_PARSE_LIMITS);
  assert.ok(next);
  assert.deepEqual(next!.problems, parseJson(deeper).problems);
  assertSameTree(next!.root, parseJson(deeper).root);
  // Nesting over the limit: a full parse reports it, so no reparse may hide it.
  const deep = KEY_POLICY.replace('"kms:DescribeKey"', '[[[["kms:DescribeKey"]]]]');
  assert.equal(reparse(previous, deep, { ...DEFAULT_PARSE_LIMITS, maxDepth: 7 }), undefined, 'nesting over the limit');
  assert.ok(reparse(previous, deep, DEFAULT_PARSE_LIMITS), 'the same change within the limit');
});

test('syntax errors on either side: a change beside an error, and a change that makes or mends one, give the full parse\'s tree and problems', () => {
  const broken = KEY_POLICY.replace('"Sid": "Root",', '"Sid": "Root"');
  const cases: [string, string, string][] = [
    ['a change in another statement than the error', broken, broken.replace('role/Batch', 'role/Batches')],
    ['a change that mends the error', broken, KEY_POLICY],
    ['a string left open inside an array', KEY_POLICY, KEY_POLICY.replace('"kms:Decrypt"', '"kms:Decrypt')],
    ['typing on in the open string', KEY_POLICY.replace('"kms:Decrypt"', '"kms:Decrypt'), KEY_POLICY.replace('"kms:Decrypt"', '"kms:Decrypts')],
    ['a brace typed where a key goes', KEY_POLICY, KEY_POLICY.replace('"Sid": "Use",', '"Sid": "Use", {')],
    ['a value missing after a key', KEY_POLICY, KEY_POLICY.replace('"Resource": "*",\n      "Condition"', '"Resource": ,\n      "Condition"')],
  ];
  for (const [what, from, to] of cases) {
    const previous = parseJson(from);
    const next = reparse(previous, to, DEFAULT_PARSE_LIMITS);
    assert.ok(next, `${what}: reparsed`);
    const full = parseJson(to);
    assert.deepEqual(next!.problems, full.problems, `${what}: problems`);
    assertSameTree(next!.root, full.root);
  }
});

test('a statement added at the end: the Statement array is parsed again, the root copied', () => {
  const previous = parseJson(KEY_POLICY);
  const statementArray = previous.root!.children![2].children![1];
  const at = statementArray.children![2].offset + statementArray.children![2].length;
  const text = KEY_POLICY.slice(0, at) + ',\n    { "Sid": "New", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*" }' + KEY_POLICY.slice(at);
  const next = reparse(previous, text, DEFAULT_PARSE_LIMITS);
  assert.ok(next);
  assertSameTree(next!.root, parseJson(text).root);
  assert.equal(next!.root!.children![0], previous.root!.children![0], 'the Version property before the change is kept');
  assert.notEqual(next!.root!.children![2].children![1].children![0], statementArray.children![0], 'statements are parsed again with their array');
});

test('seeded edits of hand-written texts, chained: every reparse equals a full parse', () => {
  let reparsed = 0;
  let total = 0;
  [KEY_POLICY, WITH_COMMENTS].forEach((text, i) => {
    for (let seed = 1; seed <= 4; seed++) {
      const r = replay(text, 300, seed * 31 + i);
      reparsed += r.reparsed;
      total += r.edits;
    }
  });
  // The comparison is worth something only if most edits were reparsed.
  assert.ok(reparsed > total * 0.25, `${reparsed} of ${total} edits reparsed`);
});

test('corpus: seeded edits of real key policies, managed policies and templates', needs('corpus', corpusMissing('kms-key-policies') ?? corpusMissing('aws-managed') ?? corpusMissing('cloudformation')), () => {
  const files = [
    ...walk(corpusPath('kms-key-policies'), '.json').slice(0, 40),
    ...walk(corpusPath('aws-managed'), '.json').filter((_, i) => i % 50 === 0),
    ...walk(corpusPath('cloudformation'), '.json').slice(0, 10),
  ];
  assert.ok(files.length > 50, `${files.length} files`);
  let reparsed = 0;
  let total = 0;
  files.forEach((file, i) => {
    const r = replay(fs.readFileSync(file, 'utf8'), 25, i + 1);
    reparsed += r.reparsed;
    total += r.edits;
  });
  assert.ok(reparsed > total * 0.3, `${reparsed} of ${total} edits reparsed`);
});

test('a workspace fed edits of an open key policy reports what a fresh workspace reports', () => {
  const next = random(7);
  const identity = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' }],
  }, null, 2);
  const manifest = JSON.stringify({
    keys: [{ arn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', policy: 'key.json' }],
    principals: [{ arn: 'arn:aws:iam::444455556666:role/App', policies: ['app.json'] }],
  });
  const edited = new Workspace();
  edited.updateFiles([{ path: '/w/policy-handshake.json', text: manifest }, { path: '/w/app.json', text: identity }]);
  let text = KEY_POLICY;
  edited.updateFile('/w/key.json', text, true);
  let compared = 0;
  for (let i = 0; i < 120; i++) {
    text = edit(text, KEY_POLICY, next);
    edited.updateFile('/w/key.json', text, true);
    const fresh = new Workspace();
    fresh.updateFiles([{ path: '/w/policy-handshake.json', text: manifest }, { path: '/w/app.json', text: identity }, { path: '/w/key.json', text }]);
    for (const file of ['/w/key.json', '/w/app.json']) {
      const a = edited.findings(file);
      const b = fresh.findings(file);
      assert.deepEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)), `edit ${i}, ${file}`);
      compared += a.length;
    }
  }
  assert.ok(compared > 100, `${compared} findings compared`);
});
