/**
 * Summaries of conformance results: counts per suite, the table printed by the runner,
 * the markdown of results.md, and the list of problems the unit test fails on.
 */
import { disagreementCases, disagreementPaths, type Disagreement } from './data';
import { normalizePath, pathWithin } from './locate';
import type { CaseResult, ExpectedResult, Explanation, SuiteResult } from './types';

export interface SuiteSummary {
  suite: string;
  cases: number;
  /** Their expected findings mapped to checks of ours. */
  mapped: number;
  matched: number;
  missed: number;
  missedDeliberate: number;
  missedKnownGap: number;
  pending: number;
  added: number;
  addedDeliberate: number;
  addedKnownGap: number;
  outOfScope: number;
  notRead: number;
  /** Matches whose JSON paths agreed (the rest agreed on the statement, resource or file only). */
  matchedByPath: number;
  /** Further findings of a check that satisfied an expectation at the same place, outside that expectation's paths. */
  extra: number;
  extraDeliberate: number;
  extraKnownGap: number;
  /** Further findings of ours at the paths of a matched expectation (their one finding lists several items). */
  sameFinding: number;
}

const ofKind = (list: { explained?: Explanation }[], kind: Explanation['kind']) => list.filter((x) => x.explained?.kind === kind).length;

export function summarize(r: SuiteResult): SuiteSummary {
  const all = r.cases.flatMap((c) => c.expected);
  const count = (o: ExpectedResult['outcome']) => all.filter((e) => e.outcome === o).length;
  const added = r.cases.flatMap((c) => c.added);
  const missed = all.filter((e) => e.outcome === 'missed');
  const extra = r.cases.flatMap((c) => c.extra);
  return {
    suite: r.suite,
    cases: r.cases.length,
    mapped: count('matched') + count('missed') + count('pending'),
    matched: count('matched'),
    missed: missed.length,
    missedDeliberate: ofKind(missed, 'deliberate'),
    missedKnownGap: ofKind(missed, 'known-gap'),
    pending: count('pending'),
    added: added.length,
    addedDeliberate: ofKind(added, 'deliberate'),
    addedKnownGap: ofKind(added, 'known-gap'),
    outOfScope: count('out-of-scope') + count('unmapped'),
    notRead: count('not-read'),
    matchedByPath: all.filter((e) => e.matchedBy?.by === 'path').length,
    extra: extra.length,
    extraDeliberate: ofKind(extra, 'deliberate'),
    extraKnownGap: ofKind(extra, 'known-gap'),
    sameFinding: all.reduce((n, e) => n + (e.sameFinding?.length ?? 0), 0),
  };
}

const HEADER = ['suite', 'cases', 'expected (mapped)', 'raised', 'by path', 'same finding', 'missed', 'deliberate', 'known gap', 'pending check', 'added', 'deliberate', 'known gap', 'extra', 'deliberate', 'known gap', 'out of scope', 'not read'];

function row(s: SuiteSummary): string[] {
  return [s.suite, s.cases, s.mapped, s.matched, s.matchedByPath, s.sameFinding, s.missed, s.missedDeliberate, s.missedKnownGap, s.pending, s.added, s.addedDeliberate, s.addedKnownGap, s.extra, s.extraDeliberate, s.extraKnownGap, s.outOfScope, s.notRead].map(String);
}

export function markdownTable(summaries: SuiteSummary[]): string {
  const lines = [HEADER, HEADER.map((_, i) => (i === 0 ? '---' : '---:')), ...summaries.map(row)];
  return lines.map((l) => `| ${l.join(' | ')} |`).join('\n');
}

export function textTable(summaries: SuiteSummary[]): string {
  const rows = [HEADER, ...summaries.map(row)];
  const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).join('\n');
}

function where(c: CaseResult, place: { statement?: number; resource?: string }): string {
  const at = place.statement !== undefined ? ` statement ${place.statement}` : place.resource !== undefined ? ` resource ${place.resource}` : '';
  return `${c.case.name}${at}`;
}

const pathNote = (path: string | undefined) => (path ? `, ${path}` : '');

/** Everything that is neither a match nor explained, and explanations that explain nothing: what the unit test fails on. */
export function problems(results: SuiteResult[], disagreements: Disagreement[], ranAll: boolean): string[] {
  const out: string[] = [];
  for (const r of results) {
    for (const c of r.cases) {
      for (const e of c.expected) {
        if (e.outcome === 'missed' && !e.explained) out.push(`${r.suite}: missed ${e.expected.type} (${e.checkIds.join('/')}) at ${where(c, e.expected)}`);
        if (e.outcome === 'unmapped') out.push(`${r.suite}: ${e.expected.type} is in neither list of mappings.json — ${c.case.name}`);
      }
      for (const a of c.added) if (!a.explained) out.push(`${r.suite}: added ${a.observed.checkId} at ${where(c, a.observed)} line ${a.observed.line}`);
      for (const a of c.extra) if (!a.explained) out.push(`${r.suite}: extra ${a.observed.checkId} at ${where(c, a.observed)} line ${a.observed.line}${pathNote(a.observed.path)}`);
    }
  }
  for (const d of staleDisagreements(results, disagreements, ranAll)) {
    out.push(`${d.kind === 'known-gap' ? 'known-gaps' : 'disagreements'}.json entry explains nothing (fixed, or the case changed): ${JSON.stringify({ ...d, kind: undefined })}`);
  }
  return out;
}

/**
 * Entries (or cases of an entry) that explain no result. Only cases that ran are judged
 * unless the whole corpus ran.
 */
export function staleDisagreements(results: SuiteResult[], disagreements: Disagreement[], ranAll: boolean): Disagreement[] {
  const ran = new Set(results.flatMap((r) => r.cases.map((c) => `${r.suite}|${c.case.name}`)));
  const used = new Set<string>();
  const usedPaths = new Map<string, string[]>();
  const mark = (suite: string, name: string, side: string, id: string, statement: number | undefined, path?: string) => {
    used.add(`${suite}|${name}|${side}|${id}|`);
    if (statement !== undefined) used.add(`${suite}|${name}|${side}|${id}|${statement}`);
    if (path !== undefined) usedPaths.set(`${suite}|${name}|${id}`, [...(usedPaths.get(`${suite}|${name}|${id}`) ?? []), path]);
  };
  for (const r of results) for (const c of r.cases) {
    for (const e of c.expected) if (e.explained) mark(r.suite, c.case.name, 'theirs', e.expected.type, e.expected.statement);
    for (const a of [...c.added, ...c.extra]) if (a.explained) mark(r.suite, c.case.name, 'ours', a.observed.checkId, a.observed.statement, a.observed.path);
  }
  const out: Disagreement[] = [];
  for (const d of disagreements) {
    const side = d.theirs !== undefined ? 'theirs' : 'ours';
    // Every statement an entry names must still have its difference.
    const statements = d.statement === undefined ? [''] : Array.isArray(d.statement) ? d.statement.map(String) : [String(d.statement)];
    // And every path it names must still hold an explained finding.
    const paths = disagreementPaths(d) ?? [];
    const unused = disagreementCases(d).filter((name) => (ranAll || ran.has(`${d.suite}|${name}`)) && (
      statements.some((st) => !used.has(`${d.suite}|${name}|${side}|${d.theirs ?? d.ours}|${st}`)) ||
      paths.some((p) => !(usedPaths.get(`${d.suite}|${name}|${d.ours}`) ?? []).some((u) => pathWithin(u, normalizePath(p))))));
    if (unused.length) out.push({ ...d, case: unused.length === 1 ? unused[0] : unused });
  }
  return out;
}

function heading(fixed: string | undefined, explained: Explanation | undefined): string {
  if (fixed) return fixed;
  if (!explained) return 'Unexplained (the conformance test fails on these)';
  return `${explained.kind === 'known-gap' ? 'Known gap' : 'Deliberate'}: ${explained.reason}`;
}

const order = (h: string) => (h.startsWith('Unexplained') ? 0 : h.startsWith('Known gap') ? 1 : h.startsWith('Pending') ? 2 : 3);

export function markdownReport(results: SuiteResult[], notRun: Record<string, string>, disagreements: Disagreement[]): string {
  const out: string[] = [
    '# Conformance with other policy linters',
    '',
    'Generated by `npm run conformance` (test/conformance/run.ts); do not edit by hand.',
    '',
    "For each suite: of the findings the other tool expects whose type maps to checks of ours (test/conformance/mappings.json), how many the product raises at the same place (same statement, CloudFormation resource, or file), how many it misses, and how many findings of those checks it raises that the tool does not expect. Each expected finding needs a finding of its own: one whose JSON path meets one of theirs where the tool gives paths (\"by path\"), otherwise one at the same place; \"same finding\": further findings of that check at the paths their one finding lists (a covering resource and the ones it covers: ours is one per redundant item); \"extra\": further findings of that check at the same place outside those paths, each explained like an addition. Differences are explained either as deliberate (test/conformance/disagreements.json: their catalogue is older, their reading of AWS is different, or the product chooses otherwise) or as known gaps of ours awaiting a fix (test/conformance/known-gaps.json). \"Pending check\": mapped to checks not registered yet. \"Out of scope\": finding types with no counterpart in the product (reasons in mappings.json). \"Not read\": findings on CloudFormation resource types the product does not read.",
    '',
    markdownTable(results.map(summarize)),
    '',
    '## Suites not run',
    '',
    ...Object.entries(notRun).map(([s, why]) => `- **${s}**: ${why}`),
  ];
  for (const r of results) {
    out.push('', `## ${r.suite}: ${r.title}`, '');
    // Differences grouped by their explanation, so a reason shared by many cases is written once.
    const groups = new Map<string, string[]>();
    const put = (heading: string, line: string) => groups.set(heading, [...(groups.get(heading) ?? []), line]);
    for (const c of r.cases) {
      for (const e of c.expected) {
        if (e.outcome !== 'missed' && e.outcome !== 'pending' && e.outcome !== 'unmapped') continue;
        const line = `missed ${e.expected.type} (→ ${e.checkIds.join(' / ') || 'unmapped'}) at ${where(c, e.expected)}${e.expected.path ? ` (${e.expected.path})` : ''}`;
        put(heading(e.outcome === 'pending' ? 'Pending: mapped checks not registered yet' : undefined, e.explained), line);
      }
      for (const a of c.added) put(heading(undefined, a.explained), `added ${a.observed.checkId} at ${where(c, a.observed)} (line ${a.observed.line})`);
      for (const a of c.extra) put(heading(undefined, a.explained), `extra ${a.observed.checkId} at ${where(c, a.observed)} (line ${a.observed.line}${pathNote(a.observed.path)})`);
    }
    if (!groups.size) out.push('Every mapped expectation raised, nothing added.');
    const matches = new Map<string, number>();
    for (const c of r.cases) for (const e of c.expected) {
      if (!e.matchedBy) continue;
      const key = `${e.expected.type} → ${e.matchedBy.checkId} (${e.matchedBy.by === 'path' ? 'same JSON path' : 'same place'})`;
      matches.set(key, (matches.get(key) ?? 0) + 1);
    }
    if (matches.size) out.push('', 'Raised, by the check that raised each:', '', ...[...matches].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `- ${k} ×${n}`), '');
    const parts = new Map<string, number>();
    for (const c of r.cases) for (const e of c.expected) if (e.sameFinding?.length) parts.set(e.matchedBy!.checkId, (parts.get(e.matchedBy!.checkId) ?? 0) + e.sameFinding.length);
    if (parts.size) out.push('', `Further findings of ours at the paths of a finding of theirs already raised (their one finding lists the covering item and the items it covers, ours is one per redundant item): ${[...parts].sort().map(([k, n]) => `${k} ×${n}`).join(', ')}.`, '');
    for (const [h, lines] of [...groups].sort(([a], [b]) => order(a) - order(b))) out.push(`**${h}**`, '', ...lines.map((l) => `- ${l}`), '');
    const scope = new Map<string, number>();
    for (const c of r.cases) for (const e of c.expected) {
      if (e.outcome !== 'out-of-scope' && e.outcome !== 'not-read') continue;
      const key = `${e.expected.type}${e.outcome === 'not-read' ? ' (resource type not read)' : ''}`;
      scope.set(key, (scope.get(key) ?? 0) + 1);
    }
    if (scope.size) out.push('', `Not compared: ${[...scope].sort().map(([k, n]) => `${k} ×${n}`).join(', ')}.`);
    if (r.skipped.length) out.push('', 'Inputs left out:', '', ...r.skipped.map((s) => `- ${s.name}: ${s.reason}`));
  }
  const stale = staleDisagreements(results, disagreements, true);
  if (stale.length) out.push('', '## Explanations that explain nothing', '', ...stale.map((d) => `- ${JSON.stringify({ ...d, kind: undefined })}`));
  return out.join('\n') + '\n';
}
