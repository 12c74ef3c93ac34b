import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { globMatches, outsideProblem } from '../../../server/src/core/workspace/glob';
import { normalizePath, relativePath } from '../../../server/src/core/relativePaths';

test('glob: * and ? stay within a segment, ** spans segments', () => {
  const yes: [string, string][] = [
    ['keys/app.json', 'keys/app.json'],
    ['keys/*.json', 'keys/app.json'],
    ['keys/?pp.json', 'keys/app.json'],
    ['**/*.json', 'a/b/c.json'],
    ['**/*.json', 'c.json'],
    ['a/**/c.json', 'a/c.json'],
    ['a/**/c.json', 'a/x/y/c.json'],
    ['a/**', 'a/x/y'],
    ['./keys/*.json', 'keys/app.json'],
  ];
  const no: [string, string][] = [
    ['keys/*.json', 'keys/sub/app.json'],
    ['keys/*.json', 'keys/app.yaml'],
    ['keys/?.json', 'keys/ab.json'],
    ['a/**/c.json', 'b/x/c.json'],
    ['Keys/*.json', 'keys/app.json'],
  ];
  for (const [p, s] of yes) assert.ok(globMatches(p, s), `${p} ~ ${s}`);
  for (const [p, s] of no) assert.ok(!globMatches(p, s), `${p} !~ ${s}`);
});

test('glob: long patterns stay fast (no backtracking blow-up)', () => {
  const path = Array.from({ length: 60 }, () => 'a').join('/');
  assert.equal(globMatches(Array.from({ length: 30 }, () => '**').join('/') + '/b', path), false);
});

test('paths: normalization, relative paths, outside paths', () => {
  assert.equal(normalizePath('a\\b\\.\\c.json'), 'a/b/c.json');
  assert.equal(relativePath('/ws', '/ws/a/b.json'), 'a/b.json');
  assert.equal(relativePath('C:\\ws', 'C:\\ws\\a\\b.json'), 'a/b.json');
  assert.equal(relativePath('/ws', '/wsx/a.json'), undefined);
  assert.match(outsideProblem('../x/*.json')!, /outside/);
  assert.match(outsideProblem('a/../../x.json')!, /outside/);
  assert.match(outsideProblem('/etc/x.json')!, /absolute/);
  assert.match(outsideProblem('C:\\x.json')!, /absolute/);
  assert.equal(outsideProblem('a/**/x.json'), undefined);
});
