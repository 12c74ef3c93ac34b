/**
 * Compares the product's findings on one case with what the other tool expects: each
 * expected finding is matched, missed, pending (its checks are not registered yet), out of
 * scope, or on a resource the product does not read; findings of ours that are mapped from
 * the tool's vocabulary but expected nowhere are additions. Known, deliberate differences
 * (disagreements.json) are attached to the entries they explain.
 */
import type { FileResult } from '../../server/src/core/engine';
import { LineIndex } from '../../server/src/core/positions';
import { disagreementCases, type Disagreement, type Vocabulary } from './data';
import { resourceAt, samePlace, statementAt } from './locate';
import type { AddedResult, CaseResult, ConformanceCase, Expected, ExpectedResult, Explanation, Observed } from './types';

export interface CompareContext {
  vocabulary: Vocabulary;
  /** Check ids the engine can raise now. */
  registered: Set<string>;
  disagreements: Disagreement[];
  typesRead: string[];
}

/** Our findings as places, at the case's granularity. */
export function observe(c: ConformanceCase, result: FileResult): Observed[] {
  const lines = new LineIndex(c.text);
  return result.findings.map((f) => ({
    checkId: f.checkId,
    line: lines.position(f.span.offset).line + 1,
    statement: c.granularity === 'statement' ? statementAt(result.discovered, f.span.offset) : undefined,
    resource: c.granularity === 'resource' ? resourceAt(result.discovered, f.span.offset) : undefined,
  }));
}

function explain(ctx: CompareContext, c: ConformanceCase, side: 'theirs' | 'ours', id: string, place: { statement?: number; resource?: string }): Explanation | undefined {
  const d = ctx.disagreements.find((x) =>
    x.suite === c.suite && disagreementCases(x).includes(c.name) && x[side] === id &&
    (x.statement === undefined || x.statement === place.statement) &&
    (x.resource === undefined || x.resource === place.resource));
  return d ? { kind: d.kind ?? 'deliberate', reason: d.reason } : undefined;
}

/** Their types whose mapped checks count for additions in this case. */
function assertedCheckIds(c: ConformanceCase, vocabulary: Vocabulary): Set<string> {
  const types = c.asserted ?? Object.keys(vocabulary.mapped);
  return new Set(types.flatMap((t) => vocabulary.mapped[t] ?? []));
}

export function compareCase(c: ConformanceCase, result: FileResult, ctx: CompareContext): CaseResult {
  const observed = observe(c, result);
  const expected: ExpectedResult[] = [];
  const used = new Set<Observed>();
  for (const e of dedupe(c.expected)) {
    const checkIds = ctx.vocabulary.mapped[e.type] ?? [];
    const base = { expected: e, checkIds };
    if (!checkIds.length) {
      expected.push({ ...base, outcome: e.type in ctx.vocabulary.outOfScope ? 'out-of-scope' : 'unmapped' });
      continue;
    }
    const type = e.resource !== undefined ? c.resourceTypes?.[e.resource] : undefined;
    if (type !== undefined && !ctx.typesRead.includes(type)) {
      expected.push({ ...base, outcome: 'not-read' });
      continue;
    }
    const hits = observed.filter((o) => checkIds.includes(o.checkId) && samePlace(e, o, c.granularity));
    if (hits.length) {
      hits.forEach((h) => used.add(h));
      expected.push({ ...base, outcome: 'matched' });
    } else if (!checkIds.some((id) => ctx.registered.has(id))) {
      expected.push({ ...base, outcome: 'pending' });
    } else {
      expected.push({ ...base, outcome: 'missed', explained: explain(ctx, c, 'theirs', e.type, e) });
    }
  }
  const counted = assertedCheckIds(c, ctx.vocabulary);
  const added: AddedResult[] = [];
  const seen = new Set<string>();
  for (const o of observed) {
    if (used.has(o) || !counted.has(o.checkId)) continue;
    // Another finding of the same check at the same place already counts.
    const key = `${o.checkId}|${o.statement ?? ''}|${o.resource ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // A second finding of a check already matched at this place is not an addition.
    if ([...used].some((u) => u.checkId === o.checkId && samePlace(u, o, c.granularity) && samePlace(o, u, c.granularity))) continue;
    added.push({ observed: o, explained: explain(ctx, c, 'ours', o.checkId, o) });
  }
  const error = !result.discovered?.documents.length && c.expected.length && !result.findings.length ? 'no policy document found' : undefined;
  return { case: c, expected, added, error };
}

/** Two findings of one type at one place are one expectation (cfn-lint reports `Only one of` twice). */
function dedupe(list: Expected[]): Expected[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const key = `${e.type}|${e.statement ?? ''}|${e.resource ?? ''}|${e.path ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
