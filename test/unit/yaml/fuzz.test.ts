/**
 * Fuzzing the YAML reader with mutated real templates: checking, the workspace and the editor
 * features never throw, no check fails, every range is inside the file, and every fix's
 * edits lie inside it too. Fixed seed (POLICY_HANDSHAKE_FUZZ_RUNS/SEED run more).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { checkText } from '../../../server/src/core/engine';
import { completionsAt } from '../../../server/src/core/features/completion';
import { definition } from '../../../server/src/core/features/definition';
import { hoverAt } from '../../../server/src/core/features/hover';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { corpusMissing, corpusPath, walk } from '../../support/corpus';
import { needs } from '../../support/needs';
import { assertSaneFindings, assertSpanInside } from '../robustness/assertions';
import { fuzzRuns, fuzzSeed, offsetsIn, probeFractions } from '../robustness/mutations';

const missing = corpusMissing('cloudformation');
const samples = missing ? [] : walk(corpusPath('cloudformation'))
  .filter((f) => /\.ya?ml$/.test(f) && fs.statSync(f).size <= 16_000)
  .map((f) => ({ name: `/ws/${path.basename(f)}`, text: fs.readFileSync(f, 'utf8') }))
  .filter((s) => /^(AWSTemplateFormatVersion|Resources)\s*:/m.test(s.text));

/** Pieces that mean something to YAML and CloudFormation. */
const PIECES = [':', ': ', '- ', '\n', '\n  ', '\t', '!Ref ', '!GetAtt a.b', '!Sub\n  - x\n  - {}', '&a ', '*a', '<<: *a\n', "'", '"', '[', ']', '{', '}', '#', '---\n', '|\n', '012345678901', '~', '? ', '!!binary '];

const at = (text: string, f: number) => Math.floor(f * (text.length + 1)) % (text.length + 1);
const unit = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const mutation: fc.Arbitrary<(t: string) => string> = fc.oneof(
  fc.tuple(unit, fc.constantFrom(...PIECES)).map(([f, p]) => (t: string) => t.slice(0, at(t, f)) + p + t.slice(at(t, f))),
  fc.tuple(unit, fc.integer({ min: 1, max: 40 })).map(([f, n]) => (t: string) => t.slice(0, at(t, f)) + t.slice(at(t, f) + n)),
  fc.tuple(unit, unit).map(([a, b]) => (t: string) => {
    // A line repeated elsewhere (duplicate keys, odd indentation).
    const lines = t.split('\n');
    const line = lines[Math.floor(a * lines.length)];
    lines.splice(Math.floor(b * lines.length), 0, line);
    return lines.join('\n');
  }),
);
const mutated = fc.tuple(fc.constantFrom(...(samples.length ? samples : [{ name: '/ws/x.yaml', text: '' }])), fc.array(mutation, { minLength: 1, maxLength: 3 }))
  .map(([s, ms]) => ({ name: s.name, text: ms.reduce((t, m) => m(t), s.text) }));

test('fuzz: mutated YAML templates are checked without a crash; ranges and fix edits inside the file', needs('corpus', missing), () => {
  // Mutations of the empty stand-in sample would fuzz nothing of CloudFormation.
  assert.ok(samples.length >= 20, `${samples.length} YAML templates to mutate`);
  let cases = 0;
  fc.assert(
    fc.property(mutated, probeFractions, ({ name, text }, fractions) => {
      cases++;
      const errors: string[] = [];
      const onCheckError = (id: string, _file: string, e: unknown) => errors.push(`${id}: ${e instanceof Error ? e.stack : String(e)}`);
      const result = checkText(name, text, { onCheckError });
      assert.deepEqual(errors, []);
      assert.ok(!result.findings.some((f) => f.checkId === 'internal-error'));
      assertSaneFindings(result.findings, name, text.length);
      for (const f of result.findings) for (const fix of f.fixes ?? []) for (const c of fix.changes) if (!c.file) for (const e of c.edits) assertSpanInside(e, text.length, `${fix.id} edit`);
      const ws = new Workspace({ onCheckError });
      ws.updateFile(name, text);
      for (const offset of offsetsIn(text, fractions)) {
        const hover = hoverAt(ws, name, offset);
        if (hover) assertSpanInside(hover.span, text.length, 'hover');
        const completion = completionsAt(ws, name, offset);
        if (completion) assertSpanInside(completion.replace, text.length, 'completion');
        for (const loc of definition(ws, name, offset)) assertSpanInside(loc.span, ws.text(loc.file)!.length, 'definition');
      }
      assert.deepEqual(errors, []);
    }),
    { numRuns: fuzzRuns(300), seed: fuzzSeed() },
  );
  assert.equal(cases, fuzzRuns(300));
});
