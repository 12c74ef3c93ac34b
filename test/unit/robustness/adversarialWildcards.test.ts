/**
 * The wildcard matchers and the action expansion on adversarial inputs (`a*a*a*…b` against
 * long strings, long `?` runs, patterns against patterns): the answers are right. They are
 * checked against a plain dynamic-programming reference on small inputs, and against
 * answers known by construction on long ones. (The time they take is in the bench.)
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { defaultCatalog } from '../../../server/src/core/catalog/catalog';
import { checkText } from '../../../server/src/core/engine';
import { expandActionString } from '../../../server/src/core/model/actionNames';
import { matchesWildcard, wildcardsIntersect } from '../../../server/src/core/wildcard';
import { fuzzRuns, fuzzSeed } from './mutations';

/** Reference glob match: table over (pattern prefix, text prefix). */
function reference(pattern: string, text: string): boolean {
  const n = pattern.length;
  const m = text.length;
  let prev = new Array<boolean>(m + 1).fill(false);
  prev[0] = true;
  for (let i = 1; i <= n; i++) {
    const pc = pattern[i - 1];
    const cur = new Array<boolean>(m + 1).fill(false);
    cur[0] = pc === '*' && prev[0];
    for (let j = 1; j <= m; j++) cur[j] = pc === '*' ? prev[j] || cur[j - 1] : prev[j - 1] && (pc === '?' || pc === text[j - 1]);
    prev = cur;
  }
  return prev[m];
}

/** Every string over the alphabet up to a length, for a brute-force intersection. */
function allStrings(alphabet: string, max: number): string[] {
  const out = [''];
  let level = [''];
  for (let l = 1; l <= max; l++) {
    level = level.flatMap((s) => [...alphabet].map((c) => s + c));
    out.push(...level);
  }
  return out;
}
const WITNESSES = allStrings('ab', 8);

const small = (chars: string, max: number) => fc.string({ unit: fc.constantFrom(...chars), maxLength: max });

test('matchesWildcard agrees with the reference on random patterns and texts', () => {
  fc.assert(
    fc.property(small('ab*?', 10), small('ab', 12), fc.boolean(), (p, t, upper) => {
      const text = upper ? t.toUpperCase() : t;
      assert.equal(matchesWildcard(p, text), reference(p, text), `${p} vs ${text}`);
      assert.equal(matchesWildcard(p, text, true), reference(p, t), `${p} vs ${text} ignoring case`);
    }),
    { numRuns: fuzzRuns(3000), seed: fuzzSeed() },
  );
  // Long pieces with `?` (more than one 32-character word of scan state).
  fc.assert(
    fc.property(small('ab*?', 100), small('ab', 140), (p, t) => assert.equal(matchesWildcard(p, t), reference(p, t), `${p} vs ${t}`)),
    { numRuns: fuzzRuns(400), seed: fuzzSeed() },
  );
});

test('wildcardsIntersect agrees with brute force over every short string', () => {
  fc.assert(
    fc.property(small('ab*?', 4), small('ab*?', 4), (a, b) => {
      // Patterns of at most 4 characters meet, if at all, on a string of at most 8.
      const expected = WITNESSES.some((w) => reference(a, w) && reference(b, w));
      assert.equal(wildcardsIntersect(a, b), expected, `${a} ∩ ${b}`);
      assert.equal(wildcardsIntersect(b, a), expected, `${b} ∩ ${a}`);
    }),
    { numRuns: fuzzRuns(3000), seed: fuzzSeed() },
  );
});

test('adversarial long inputs: answers known by construction', () => {
  const as = 'a'.repeat(100_000);
  const star = 'a*'.repeat(1000);
  assert.equal(matchesWildcard(star + 'b', as), false);
  assert.equal(matchesWildcard(star + 'b', as + 'b'), true);
  assert.equal(matchesWildcard(star + 'b', as.slice(0, 999) + 'b'), false, 'fewer a than the pattern needs');
  assert.equal(matchesWildcard(star + 'b', as.slice(0, 1000) + 'b'), true);
  assert.equal(matchesWildcard('*' + 'a'.repeat(10_000) + 'b', as), false);
  assert.equal(matchesWildcard('*' + 'a'.repeat(10_000) + 'b', as + 'b'), true);
  assert.equal(matchesWildcard('*b' + 'a'.repeat(10_000) + '*', as), false);
  assert.equal(matchesWildcard('*' + 'a?'.repeat(2000) + 'b*', as), false);
  assert.equal(matchesWildcard('*' + 'a?'.repeat(2000) + 'b*', as + 'b'), true);
  assert.equal(matchesWildcard('?'.repeat(100_000), as), true);
  assert.equal(matchesWildcard('?'.repeat(100_001), as), false);
  assert.equal(matchesWildcard('A*'.repeat(1000) + 'B', as + 'b', true), true);
  assert.equal(wildcardsIntersect(star + 'b', '*a'.repeat(2000) + 'c'), false);
  assert.equal(wildcardsIntersect(star + 'b', '*a'.repeat(2000) + 'b'), true);
  assert.equal(wildcardsIntersect('a'.repeat(50_000) + '*', '*' + 'b'.repeat(50_000)), true);
  assert.equal(wildcardsIntersect('a?'.repeat(25_000), '?b'.repeat(25_000)), true);
  assert.equal(wildcardsIntersect('a?'.repeat(25_000), '?b'.repeat(24_999) + 'c?'), false);
  assert.equal(wildcardsIntersect('*' + 'a'.repeat(1000) + 'b*', '?'.repeat(100_000)), true);
  assert.equal(wildcardsIntersect('*' + 'a'.repeat(1000) + 'b*', '?'.repeat(1000)), false);
  assert.equal(wildcardsIntersect('*' + 'a'.repeat(10_000) + 'b*', 'a'.repeat(100_000)), false);
});

test('action expansion with adversarial patterns: exactly the catalog actions a reference match selects', () => {
  const catalog = defaultCatalog();
  const kms = catalog.actions('kms');
  const reference_ = (pattern: string) => kms.filter((a) => reference(pattern.toLowerCase(), a.name.toLowerCase())).map((a) => a.name).sort();
  for (const pattern of ['*', 'D*c*y*t', '*a*a*a*a*a*a*a*a*a*b', 'Gen*', 'gEnErAtE*kEy*', '?ecrypt', '*' + 'a*'.repeat(500) + 'x', 'Decrypt' + '*'.repeat(5000), '?'.repeat(7)]) {
    assert.deepEqual(expandActionString(catalog, `kms:${pattern}`).map((a) => a.name).sort(), reference_(pattern), pattern);
  }
  // Twice: the expansion cache gives the same answer.
  assert.deepEqual(expandActionString(catalog, 'kms:D*c*y*t').map((a) => a.name).sort(), reference_('D*c*y*t'));
  // Service wildcards across every service.
  const all = expandActionString(catalog, '*:' + 'a*'.repeat(20) + 'b');
  for (const a of all) assert.ok(reference(('a*'.repeat(20) + 'b').toLowerCase(), a.name.toLowerCase()), a.name);
  assert.equal(expandActionString(catalog, 'k?s:Decrypt').map((a) => `${a.service}:${a.name}`).join(), 'kms:Decrypt');
});

test('adversarial policies check to sane findings: wildcards, huge patterns, many statements', () => {
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'A', Effect: 'Allow', Action: [`kms:${'a*'.repeat(5000)}b`, `*:${'?'.repeat(20000)}`, 'kms:Decrypt', 'kms:De*'], Resource: [`arn:aws:kms:*:*:key/${'a*'.repeat(5000)}b`, '*'.repeat(20000)] },
      { Sid: 'B', Effect: 'Allow', Action: 'kms:*', NotResource: `arn:${'?'.repeat(30000)}` },
    ],
  });
  const ids = checkText('adversarial.json', policy).findings.map((f) => f.checkId);
  // The 5,000-piece pattern matches no KMS action; kms:Decrypt is covered by kms:De*.
  assert.ok(ids.includes('action-wildcard-matches-nothing'), ids.join());
  assert.ok(ids.includes('redundant-action'), ids.join());
  assert.ok(!ids.includes('internal-error'), ids.join());
});
