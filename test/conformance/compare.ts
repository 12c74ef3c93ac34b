/**
 * Compares the product's findings on one case with what the other tool expects: each
 * expected finding is matched, missed, pending (its checks are not registered yet), out of
 * scope, or on a resource the product does not read; findings of ours that are mapped from
 * the tool's vocabulary but expected nowhere are additions. Known, deliberate differences
 * (disagreements.json) are attached to the entries they explain.
 */
import type { FileResult } from '../../server/src/core/engine';
import { LineIndex } from '../../server/src/core/positions';
import { disagreementCases, disagreementPaths, type Disagreement, type Vocabulary } from './data';
import { normalizePath, pathAt, pathsMeet, pathWithin, resourceAt, samePlace, statementAt } from './locate';
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
  return result.findings.map((f, index) => ({
    checkId: f.checkId,
    index,
    line: lines.position(f.span.offset).line + 1,
    statement: c.granularity === 'statement' ? statementAt(result.discovered, f.span.offset) : undefined,
    resource: c.granularity === 'resource' ? resourceAt(result.discovered, f.span.offset) : undefined,
    path: pathAt(result.discovered, f.span.offset),
  }));
}

function explain(ctx: CompareContext, c: ConformanceCase, side: 'theirs' | 'ours', id: string, place: { statement?: number; resource?: string; path?: string }): Explanation | undefined {
  const d = ctx.disagreements.find((x) =>
    x.suite === c.suite && disagreementCases(x).includes(c.name) && x[side] === id &&
    placeFits(x, c, place) && pathFits(x, side === 'ours' ? place.path : undefined) &&
    (x.resource === undefined || x.resource === place.resource));
  return d ? { kind: d.kind ?? 'deliberate', reason: d.reason } : undefined;
}

/**
 * Whether an entry's statement fits the place. In a case compared per statement an entry must
 * name its statements: an entry for the whole policy would excuse every finding of the check in it.
 */
function placeFits(d: Disagreement, c: ConformanceCase, place: { statement?: number }): boolean {
  if (d.statement === undefined) return c.granularity !== 'statement' || place.statement === undefined;
  return Array.isArray(d.statement) ? place.statement !== undefined && d.statement.includes(place.statement) : d.statement === place.statement;
}

/** An entry that names paths explains only findings of ours at or inside one of them. */
function pathFits(d: Disagreement, path: string | undefined): boolean {
  const paths = disagreementPaths(d);
  return paths === undefined || (path !== undefined && paths.some((p) => pathWithin(path, normalizePath(p))));
}

/** Their types whose mapped checks count for additions in this case. */
function assertedCheckIds(c: ConformanceCase, vocabulary: Vocabulary): Set<string> {
  const types = c.asserted ?? Object.keys(vocabulary.mapped);
  return new Set(types.flatMap((t) => vocabulary.mapped[t] ?? []));
}

/**
 * Each expected finding is satisfied by a finding of ours of its own: first one whose JSON path
 * meets one of theirs, then one at the same place. A finding of ours satisfies one expectation
 * only, so two expected findings at one place need two of ours.
 */
export function compareCase(c: ConformanceCase, result: FileResult, ctx: CompareContext): CaseResult {
  const observed = observe(c, result);
  const results: (ExpectedResult | undefined)[] = [];
  const used = new Set<Observed>();
  const expectedList = dedupe(c.expected);
  const open: number[] = [];
  expectedList.forEach((e, i) => {
    const checkIds = ctx.vocabulary.mapped[e.type] ?? [];
    const base = { expected: e, checkIds };
    if (!checkIds.length) {
      results[i] = { ...base, outcome: e.type in ctx.vocabulary.outOfScope ? 'out-of-scope' : 'unmapped' };
      return;
    }
    const type = e.resource !== undefined ? c.resourceTypes?.[e.resource] : undefined;
    if (type !== undefined && !ctx.typesRead.includes(type)) {
      results[i] = { ...base, outcome: 'not-read' };
      return;
    }
    open.push(i);
  });
  const take = (i: number, fits: (e: Expected, o: Observed) => boolean, by: 'path' | 'place') => {
    const e = expectedList[i];
    const checkIds = ctx.vocabulary.mapped[e.type];
    const hit = observed.find((o) => !used.has(o) && checkIds.includes(o.checkId) && samePlace(e, o, c.granularity) && fits(e, o));
    if (!hit) return false;
    used.add(hit);
    results[i] = { expected: e, checkIds, outcome: 'matched', matchedBy: { checkId: hit.checkId, by, index: hit.index } };
    return true;
  };
  const byPath = (e: Expected, o: Observed) => !!e.paths?.length && o.path !== undefined && e.paths.some((p) => pathsMeet(normalizePath(p), o.path!));
  const rest = open.filter((i) => !take(i, byPath, 'path'));
  for (const i of rest) {
    if (take(i, () => true, 'place')) continue;
    const e = expectedList[i];
    const checkIds = ctx.vocabulary.mapped[e.type];
    results[i] = !checkIds.some((id) => ctx.registered.has(id))
      ? { expected: e, checkIds, outcome: 'pending' }
      : { expected: e, checkIds, outcome: 'missed', explained: explain(ctx, c, 'theirs', e.type, e) };
  }
  // Their finding that lists several paths (a covering resource and the ones it covers) is met
  // by every finding of the matching check at one of those paths: ours is one per redundant item.
  for (const r of results) {
    if (r?.outcome !== 'matched' || !r.expected.paths?.length) continue;
    for (const o of observed) {
      if (used.has(o) || o.checkId !== r.matchedBy!.checkId || o.path === undefined || !r.expected.paths.some((p) => pathsMeet(p, o.path!))) continue;
      used.add(o);
      (r.sameFinding ??= []).push(o.index);
    }
  }
  const counted = assertedCheckIds(c, ctx.vocabulary);
  const added: AddedResult[] = [];
  const extra: AddedResult[] = [];
  const seen = new Set<string>();
  for (const o of observed) {
    if (used.has(o) || !counted.has(o.checkId)) continue;
    // A further finding of a check that satisfied an expectation at this place, outside its paths:
    // explained one by one (a place may hold one difference beside a match).
    if ([...used].some((u) => u.checkId === o.checkId && samePlace(u, o, c.granularity) && samePlace(o, u, c.granularity))) {
      extra.push({ observed: o, explained: explain(ctx, c, 'ours', o.checkId, o) });
      continue;
    }
    // Another finding of the same check at the same place is one addition.
    const key = `${o.checkId}|${o.statement ?? ''}|${o.resource ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    added.push({ observed: o, explained: explain(ctx, c, 'ours', o.checkId, o) });
  }
  const error = !result.discovered?.documents.length && c.expected.length && !result.findings.length ? 'no policy document found' : undefined;
  return { case: c, expected: results.filter((r): r is ExpectedResult => r !== undefined), added, extra, error };
}

/** Two findings of one type at one place are one expectation (cfn-lint reports `Only one of` twice). */
function dedupe(list: Expected[]): Expected[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const key = `${e.type}|${e.statement ?? ''}|${e.resource ?? ''}|${e.path ?? ''}|${e.paths?.join(',') ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
