/**
 * Fuzzing the core with mutated real documents: checking, discovery, the workspace model
 * (handshake included) and the editor features never throw, no check fails (an
 * `internal-error` would hide a crash), and every range is inside its document.
 * Fixed seed here; `npm run fuzz` runs many more cases.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkText } from '../../../server/src/core/engine';
import { codeLens } from '../../../server/src/core/features/codeLens';
import { completionsAt } from '../../../server/src/core/features/completion';
import { definition } from '../../../server/src/core/features/definition';
import { documentSymbols } from '../../../server/src/core/features/documentSymbols';
import { hoverAt } from '../../../server/src/core/features/hover';
import { discover } from '../../../server/src/core/sources/discover';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { corpusMissing } from '../../support/corpus';
import { HANDSHAKE_WORKSPACE as BASE } from './workspaceFixture';
import { assertSaneFindings, assertSpanInside } from './assertions';
import { corpusSamples, fuzzRuns, fuzzSeed, mutatedDocument, offsetsIn, probeFractions } from './mutations';
import { needs } from '../../support/needs';

const missing = corpusMissing();
const skip = needs('corpus', missing);
const samples = missing ? [] : corpusSamples();

/** Errors of checks, caught by the engine: each one is a bug the fuzzing found. */
function failingChecks() {
  const errors: string[] = [];
  return { errors, onCheckError: (id: string, file: string, e: unknown) => errors.push(`${id} on ${file}: ${e instanceof Error ? e.stack : String(e)}`) };
}

test('fuzz: checkText and discover on mutated corpus documents', skip, () => {
  let cases = 0;
  fc.assert(
    fc.property(mutatedDocument(samples), ({ name, text }) => {
      cases++;
      const { errors, onCheckError } = failingChecks();
      const result = checkText(name, text, { onCheckError });
      assert.deepEqual(errors, [], `a check threw on a mutation of ${name}`);
      assert.ok(!result.findings.some((f) => f.checkId === 'internal-error'), 'internal-error finding');
      assertSaneFindings(result.findings, name, text.length);
      const d = discover(name, text);
      for (const doc of d.documents) {
        assertSpanInside({ offset: doc.toFileOffset(doc.root.offset), length: 0 }, text.length, 'document root');
        const end = doc.toFileOffset(doc.root.offset + doc.root.length);
        assert.ok(end >= doc.toFileOffset(doc.root.offset) && end <= text.length, 'document end inside the file');
      }
    }),
    { numRuns: fuzzRuns(400), seed: fuzzSeed() },
  );
  assert.equal(cases, fuzzRuns(400));
});

test('fuzz: workspace with a manifest and both sides of a grant, one file mutated; features at random offsets', skip, () => {
  const base = Object.entries(BASE).map(([path, text]) => ({ name: path, text }));
  const target = fc.constantFrom(...Object.keys(BASE), '/ws/extra/other.json');
  let cases = 0;
  fc.assert(
    fc.property(fc.oneof(mutatedDocument(samples), mutatedDocument(base)), target, probeFractions, ({ text }, path, fractions) => {
      cases++;
      const { errors, onCheckError } = failingChecks();
      const ws = new Workspace({ onCheckError });
      ws.updateFiles(Object.entries(BASE).map(([p, t]) => ({ path: p, text: p === path ? text : t })));
      if (!ws.hasFile(path)) ws.updateFile(path, text);
      for (const p of ws.filePaths()) assertSaneFindings(ws.findings(p), p, ws.text(p)!.length);
      assert.deepEqual(errors, [], 'a check threw');
      const length = ws.text(path)!.length;
      for (const offset of offsetsIn(text, fractions)) {
        const hover = hoverAt(ws, path, offset);
        if (hover) assertSpanInside(hover.span, length, 'hover');
        const completion = completionsAt(ws, path, offset);
        if (completion) assertSpanInside(completion.replace, length, 'completion');
        for (const loc of definition(ws, path, offset)) assertSpanInside(loc.span, ws.text(loc.file)!.length, 'definition');
      }
      for (const lens of codeLens(ws, path)) assertSpanInside(lens.span, length, 'code lens');
      const symbols = documentSymbols(ws.discovered(path));
      const visit = (s: { span: { offset: number; length: number }; children?: unknown[] }) => {
        assertSpanInside(s.span, length, 'symbol');
        for (const c of (s.children ?? []) as (typeof s)[]) visit(c);
      };
      symbols.forEach(visit);
      // The edit is undone: the workspace is what it was, findings and all.
      ws.updateFile(path, BASE[path] ?? '');
      for (const p of ws.filePaths()) assertSaneFindings(ws.findings(p), p, ws.text(p)!.length);
    }),
    { numRuns: fuzzRuns(150), seed: fuzzSeed() },
  );
  assert.equal(cases, fuzzRuns(150));
});
