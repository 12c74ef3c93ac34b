/**
 * `patternCovers` (redundant-action, key identity): whether every name one IAM pattern
 * matches is matched by another. A plain name is covered exactly when the pattern matches
 * it; checked here against a regular expression built from the pattern, on seeded names.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { patternCovers } from '../../../server/src/core/wildcardCovers';

/** The pattern as a regular expression: `*` any run, `?` one character, case-insensitive. */
function reference(pattern: string): RegExp {
  const body = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 'is');
}

test('a plain name is covered exactly when the pattern matches it (seeded patterns and names)', () => {
  let state = 12345;
  const random = (n: number) => {
    state ^= state << 13; state ^= state >>> 17; state ^= state << 5;
    return (state >>> 0) % n;
  };
  const alphabet = ['k', 'm', 's', ':', 'G', 'e', 't', 'a', 'A'];
  const word = (wild: boolean) => Array.from({ length: 1 + random(7) }, () => (wild && random(4) === 0 ? (random(2) ? '*' : '?') : alphabet[random(alphabet.length)])).join('');
  let covered = 0;
  for (let i = 0; i < 20_000; i++) {
    const general = word(true);
    const name = random(3) === 0 ? general.replace(/[*?]/g, () => alphabet[random(alphabet.length)]) : word(false);
    const expected = reference(general).test(name);
    assert.equal(patternCovers(general, name), expected, `${general} covers ${name}`);
    if (expected) covered++;
  }
  assert.ok(covered > 2000, `only ${covered} covered pairs`);
});

test('patterns covering patterns: a star covers what a star or a question mark stands for, a question mark only one character', () => {
  assert.equal(patternCovers('kms:*', 'kms:Get*'), true);
  assert.equal(patternCovers('kms:Get*', 'kms:GET?'), true);
  assert.equal(patternCovers('kms:Get?', 'kms:Get*'), false);
  assert.equal(patternCovers('kms:Get*', 'kms:*'), false);
  assert.equal(patternCovers('*', 's3:*'), true);
  assert.equal(patternCovers('s3:Get*', 'S3:GETOBJECT'), true);
  assert.equal(patternCovers('s3:Get*Acl', 's3:GetObjectAcl'), true);
  assert.equal(patternCovers('s3:Get*Acl', 's3:GetObject'), false);
});
