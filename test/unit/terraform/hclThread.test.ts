/**
 * The CLI's parsing thread (`runtime/hclThread.ts`): the trees the core gets from it are the
 * trees the parser gives in this thread (the flat form of `flattenHcl`, built again here), for
 * every `.tf` file of the corpus sent ahead in order, for texts asked for out of that order,
 * again, or never sent ahead, and for broken and deeply nested texts.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { parseHcl, setHclParser, type HclNode } from '../../../server/src/core/sources/hcl/hclSyntax';
import { loadHclParser } from '../../../server/src/runtime/hclParser';
import { startHclThread } from '../../../server/src/runtime/hclThread';
import { corpusMissing, corpusPath, walk } from '../../support/corpus';
import { needs } from '../../support/needs';

const BROKEN = [
  'resource "aws_iam_policy" "p" {\n  policy = jsonencode({ Statement = [ }\n}\n',
  'resource "aws_iam_policy" "p" {\n  policy = jsonencode({ Effect = "Allow"\n',
  'locals { a = "unterminated\n}\n',
  `locals {\n  deep = ${'['.repeat(600)}1${']'.repeat(600)}\n}\n`,
  'é = "ü"\nlocals { b = "𝒳" }\n',
  '',
];

/** The trees of `texts` as the parser gives them in this thread. */
async function inThisThread(texts: string[]): Promise<(HclNode | undefined)[]> {
  const parse = await loadHclParser((m) => { throw new Error(m); });
  setHclParser(parse);
  return texts.map((t) => parseHcl(t));
}

test('every .tf file of the corpus, and texts asked for out of order, again or unsent, parse as in this thread', needs('corpus', corpusMissing('terraform/amboss-mededu__terraform-aws-kms')), async () => {
  const files = walk(corpusPath('terraform'), '.tf');
  assert.ok(files.length >= 130, `${files.length} .tf files`);
  const texts = [...files.map((f) => fs.readFileSync(f, 'utf8')), ...BROKEN];
  const expected = await inThisThread(texts);
  assert.ok(expected.every((t) => t !== undefined));
  const parse = await loadHclParser();
  try {
    const thread = startHclThread();
    assert.ok(thread, 'the thread starts');
    thread.ahead(texts);
    // In order, but the fifth text skipped (a file the check does not read) and the tenth asked for first.
    assert.deepEqual(parseHcl(texts[9]), expected[9], 'asked for before its turn');
    for (let i = 0; i < texts.length; i++) {
      if (i === 4 || i === 9) continue;
      assert.deepEqual(parseHcl(texts[i]), expected[i], i < files.length ? files[i] : texts[i].slice(0, 60));
    }
    // Again, and never sent ahead.
    assert.deepEqual(parseHcl(texts[0]), expected[0]);
    assert.deepEqual(parseHcl(texts[4]), expected[4]);
    const unsent = 'resource "aws_kms_key" "k" {\n  policy = jsonencode({ Version = "2012-10-17" })\n}\n';
    assert.deepEqual(parseHcl(unsent), (await inThisThread([unsent]))[0]);
  } finally {
    setHclParser(parse);
  }
});

test('broken and deep texts through the thread: error nodes mark their ancestors broken, nesting beyond 512 is cut', async () => {
  const expected = await inThisThread(BROKEN);
  const parse = await loadHclParser();
  try {
    startHclThread()!.ahead(BROKEN);
    const got = BROKEN.map((t) => parseHcl(t));
    assert.deepEqual(got, expected);
    assert.equal(got[0]!.broken, true);
    assert.equal(got[3]!.broken, true, 'cut below 512 levels');
    assert.equal(got[4]!.broken, false);
  } finally {
    setHclParser(parse);
  }
});
