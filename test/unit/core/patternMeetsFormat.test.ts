/**
 * `patternMeetsFormat`: whether a policy resource (with `*` and `?`) can name a resource of a
 * catalog ARN format. The matcher reads the format as numeric tokens with two reused rows of
 * reached positions; here it is compared with a plain search over (pattern, format) positions
 * written from the rule itself, on every resource of the AWS managed policies against the
 * formats of its service, on hand-picked cases, and on generated strings.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { defaultCatalog } from '../../../server/src/core/catalog/catalog';
import { arnServiceFormats, patternMeetsFormat, resourcePartMeetsFormat, serviceFormats, type ResourceFormat } from '../../../server/src/core/model/arnFormats';
import { corpusMissing, corpusPath, walk } from '../../support/corpus';
import { needs } from '../../support/needs';

const catalog = defaultCatalog();

type Token = { literal: string } | { placeholder: 'part' | 'any' };

/** The format as the rule reads it: `${Partition}`, `${Region}`, `${Account}` hold no colon, other placeholders anything. */
function tokensOf(format: string, starIsAny = false): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < format.length; i++) {
    const m = /^\$\{([^}]*)\}/.exec(format.slice(i));
    if (m) {
      out.push({ placeholder: ['partition', 'region', 'account'].includes(m[1].toLowerCase()) ? 'part' : 'any' });
      i += m[0].length - 1;
    } else if (starIsAny && format[i] === '*') {
      out.push({ placeholder: 'any' });
    } else {
      out.push({ literal: format[i].toLowerCase() });
    }
  }
  return out;
}

/** Depth-first search over (pattern position, format position): both sides read to their end together. */
function reference(pattern: string, format: Token[]): boolean {
  const a = pattern.toLowerCase();
  const seen = new Set<number>();
  const stack: [number, number][] = [[0, 0]];
  while (stack.length) {
    const [i, j] = stack.pop()!;
    const k = i * (format.length + 1) + j;
    if (seen.has(k)) continue;
    seen.add(k);
    if (i === a.length && j === format.length) return true;
    const c = a[i];
    const t = format[j];
    if (c === '*') stack.push([i + 1, j]);
    if (t && 'placeholder' in t) stack.push([i, j + 1]);
    if (c === undefined || t === undefined) continue;
    if ('placeholder' in t) {
      // The placeholder makes one more character: anything, but a colon for a part (a `*`
      // meets it through the empty runs above).
      if (c !== '*' && (t.placeholder === 'any' || c !== ':')) stack.push([i + 1, j]);
    } else if (c === '*') {
      stack.push([i, j + 1]);
    } else if (c === '?' || c === t.literal) {
      stack.push([i + 1, j + 1]);
    }
  }
  return false;
}

function formatsOfService(service: string): ResourceFormat[] {
  return [...serviceFormats(catalog, service), ...arnServiceFormats(catalog, service)];
}

test('hand-picked resources against KMS, S3 and IAM formats', () => {
  const format = (service: string, type: string) => serviceFormats(catalog, service).find((f) => f.type === type)!;
  const key = format('kms', 'key');
  const object = format('s3', 'object');
  const role = format('iam', 'role');
  const cases: [string, ResourceFormat, boolean][] = [
    ['arn:aws:kms:us-east-1:111122223333:key/1234abcd', key, true],
    ['ARN:AWS:KMS:US-EAST-1:111122223333:KEY/1234', key, true],
    ['arn:aws:kms:*:*:key/*', key, true],
    ['arn:aws:kms:*', key, true],
    ['*', key, true],
    ['arn:aws:kms:us-east-1:111122223333:alias/app', key, false],
    ['arn:aws:kms:us-east-1:111122223333:key', key, false],
    // A Region holds no colon: `a:b` cannot be one.
    ['arn:aws:kms:us:east:111122223333:key/k', key, false],
    ['arn:aws:kms:??-east-1:111122223333:key/k', key, true],
    ['arn:aws:kms:us-east-1:111122223333:key/', key, true],
    ['arn:aws:s3:::bucket/key', object, true],
    ['arn:aws:s3:::bucket', object, false],
    ['arn:aws:s3:::bucket/a:b/c', object, true],
    // Placeholders may stand for nothing: one character can be the slash.
    ['arn:aws:s3:::?', object, true],
    ['arn:aws:s3:::a', object, false],
    ['arn:aws:s3:::?/?', object, true],
    ['arn:aws:iam::111122223333:role/path/Name', role, true],
    ['arn:aws:iam::111122223333:rol/Name', role, false],
    ['arn:aws:iam::111122223333:role*', role, true],
    ['', role, false],
  ];
  for (const [resource, f, expected] of cases) {
    assert.equal(patternMeetsFormat(resource, f.tokens), expected, `${resource} ~ ${f.arn}`);
    assert.equal(reference(resource, tokensOf(f.arn)), expected, `reference: ${resource} ~ ${f.arn}`);
  }
  // The resource part alone: `role/x` can be an IAM role's, `rol/x` cannot.
  assert.equal(resourcePartMeetsFormat('role/x', role), true);
  assert.equal(resourcePartMeetsFormat('rol/x', role), false);
});

test('generated patterns and formats: the matcher answers as the search does', () => {
  // A small alphabet so that wildcards, colons and placeholders meet often.
  const patternChars = ['a', 'b', ':', '*', '?', '/'];
  const formatPieces = ['a', 'b', ':', '/', '${Region}', '${Name}', '${Account}'];
  let seed = 19;
  const random = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const formats = new Map<string, ResourceFormat>();
  for (const f of serviceFormats(catalog, 'kms')) formats.set(f.arn, f);
  let met = 0;
  for (let round = 0; round < 3000; round++) {
    const format = Array.from({ length: random(7) }, () => formatPieces[random(formatPieces.length)]).join('');
    const pattern = Array.from({ length: random(9) }, () => patternChars[random(patternChars.length)]).join('');
    // The catalog's formats are read by its own tokenizer: the generated one through a format of a fake service.
    const tokens = tokensFromCatalogReader(format);
    const expected = reference(pattern, tokensOf(format));
    if (expected) met++;
    assert.equal(patternMeetsFormat(pattern, tokens), expected, `${JSON.stringify(pattern)} ~ ${JSON.stringify(format)}`);
  }
  // Both answers come up often enough for the comparison to mean something.
  assert.ok(met > 300 && met < 2700, `${met} of 3000 met`);
});

/** Tokens of a format string as the product reads it: through the formats of a catalog service with that one format. */
function tokensFromCatalogReader(format: string): readonly number[] {
  const read = (f: string) => {
    const info = { key: 'thing', arn: `arn:\${Partition}:fake:${f}`, conditionKeys: [] };
    const fake = { resourceTypes: () => [info] } as unknown as typeof catalog;
    const tokens = serviceFormats(fake, 'fake')[0]?.tokens;
    assert.ok(tokens, f);
    return tokens;
  };
  // Less the tokens of the prefix `arn:${Partition}:fake:`.
  return read(format).slice(read('').length);
}

test('every resource of the AWS managed policies against the formats of its service', needs('corpus', corpusMissing('aws-managed')), () => {
  const resources = new Set<string>();
  for (const file of walk(corpusPath('aws-managed'), '.json')) {
    const policy = JSON.parse(fs.readFileSync(file, 'utf8')) as { Statement?: unknown };
    for (const s of [policy.Statement].flat() as Record<string, unknown>[]) {
      for (const k of ['Resource', 'NotResource']) for (const r of [s?.[k]].flat()) if (typeof r === 'string') resources.add(r);
    }
  }
  let pairs = 0;
  let fits = 0;
  for (const r of resources) {
    const service = r.split(':')[2];
    if (!service || /[*?]/.test(service)) continue;
    const resourcePart = r.split(':').slice(5).join(':');
    for (const f of formatsOfService(service.toLowerCase())) {
      const expected = reference(r, tokensOf(f.arn));
      assert.equal(patternMeetsFormat(r, f.tokens), expected, `${r} ~ ${f.arn}`);
      // The resource part, where the format has one to tell (six parts, no placeholder for the service).
      const formatParts = f.arn.split(':');
      const part = resourcePartMeetsFormat(resourcePart, f);
      if (formatParts.length < 6 || /\$\{(?!Partition\})/i.test(formatParts.slice(0, 3).join(':'))) assert.equal(part, undefined, f.arn);
      else assert.equal(part, reference(resourcePart, tokensOf(formatParts.slice(5).join(':'), true)), `${resourcePart} ~ ${f.arn}`);
      pairs++;
      if (expected) fits++;
    }
  }
  assert.ok(pairs > 20_000 && fits > 1_000, `${pairs} pairs, ${fits} fit`);
});
