/**
 * Summaries of conformance results: counts per suite, the table printed by the runner,
 * the markdown of results.md, and the list of problems the unit test fails on.
 */
import { disagreementCases, type Disagreement } from './data';
import type { CaseResult, ExpectedResult, SuiteResult } from './types';

export interface SuiteSummary {
  suite: string;
  title: string;
  cases: number;
  skipped: number;
  /** Their expected findings mapped to checks of ours. */
  mapped: number;
  matched: number;
  missed: number;
  missedAccepted: number;
  pending: number;
  added: number;
  addedAccepted: number;
  outOfScope: number;
  notRead: number;
  unmapped: number;
}

export function summarize(r: SuiteResult): SuiteSummary {
  const all = r.cases.flatMap((c) => c.expected);
  const count = (o: ExpectedResult['outcome']) => all.filter((e) => e.outcome === o).length;
  const added = r.cases.flatMap((c) => c.added);
  const missed = all.filter((e) => e.outcome === 'missed');
  return {
    suite: r.suite,
    title: r.title,
    cases: r.cases.length,
    skipped: r.skipped.length,
    mapped: count('matched') + count('missed') + count('pending'),
    matched: count('matched'),
    missed: missed.length,
    missedAccepted: missed.filter((e) => e.disagreement).length,
    pending: count('pending'),
    added: added.length,
    addedAccepted: added.filter((a) => a.disagreement).length,
    outOfScope: count('out-of-scope'),
    notRead: count('not-read'),
    unmapped: count('unmapped'),
  };
}

const HEADER = ['suite', 'cases', 'expected (mapped)', 'raised', 'missed', 'of which deliberate', 'pending check', 'added', 'of which deliberate', 'out of scope', 'not read'];

function row(s: SuiteSummary): string[] {
  return [s.suite, String(s.cases), String(s.mapped), String(s.matched), String(s.missed), String(s.missedAccepted), String(s.pending), String(s.added), String(s.addedAccepted), String(s.outOfScope), String(s.notRead)];
}

export function markdownTable(summaries: SuiteSummary[]): string {
  const lines = [HEADER, HEADER.map(() => '---'), ...summaries.map(row)];
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

/** Everything that is neither a match nor explained: what the unit test fails on. */
export function problems(results: SuiteResult[], disagreements: Disagreement[], ranAll: boolean): string[] {
  const out: string[] = [];
  for (const r of results) {
    for (const c of r.cases) {
      for (const e of c.expected) {
        if (e.outcome === 'missed' && !e.disagreement) out.push(`${r.suite}: missed ${e.expected.type} (${e.checkIds.join('/')}) at ${where(c, e.expected)}`);
        if (e.outcome === 'unmapped') out.push(`${r.suite}: ${e.expected.type} is not in mappings.json (mapped or outOfScope) — ${c.case.name}`);
      }
      for (const a of c.added) if (!a.disagreement) out.push(`${r.suite}: added ${a.observed.checkId} at ${where(c, a.observed)} line ${a.observed.line}`);
    }
  }
  out.push(...staleDisagreements(results, disagreements, ranAll).map((d) => `disagreements.json entry explains nothing: ${JSON.stringify(d)}`));
  return out;
}

/**
 * Entries of disagreements.json (or cases of an entry) that explain no result. Only cases
 * that ran are judged unless the whole corpus ran.
 */
export function staleDisagreements(results: SuiteResult[], disagreements: Disagreement[], ranAll: boolean): Disagreement[] {
  const ran = new Set(results.flatMap((r) => r.cases.map((c) => `${r.suite}|${c.case.name}`)));
  const used = new Set<string>();
  for (const r of results) for (const c of r.cases) {
    for (const e of c.expected) if (e.disagreement) used.add(`${r.suite}|${c.case.name}|theirs|${e.expected.type}`);
    for (const a of c.added) if (a.disagreement) used.add(`${r.suite}|${c.case.name}|ours|${a.observed.checkId}`);
  }
  const out: Disagreement[] = [];
  for (const d of disagreements) {
    const side = d.theirs !== undefined ? 'theirs' : 'ours';
    const unused = disagreementCases(d).filter((name) => (ranAll || ran.has(`${d.suite}|${name}`)) && !used.has(`${d.suite}|${name}|${side}|${d.theirs ?? d.ours}`));
    if (unused.length) out.push({ ...d, case: unused.length === 1 ? unused[0] : unused });
  }
  return out;
}

export function markdownReport(results: SuiteResult[], notRun: Record<string, string>, disagreements: Disagreement[]): string {
  const summaries = results.map(summarize);
  const out: string[] = [
    '# Conformance with other policy linters',
    '',
    'Generated by `npm run conformance` (test/conformance/run.ts). For each suite: how many of the findings the other tool expects, among the finding types mapped to checks of ours (test/conformance/mappings.json), the product raises at the same place (statement, CloudFormation resource or file); how many it misses; and how many findings of those checks it adds. "Deliberate" counts differences explained in test/conformance/disagreements.json. "Pending check": mapped to checks not registered yet. "Not read": on CloudFormation resource types the product does not read.',
    '',
    markdownTable(summaries),
    '',
    '## Suites not run',
    '',
    ...Object.entries(notRun).map(([s, why]) => `- **${s}**: ${why}`),
  ];
  for (const r of results) {
    out.push('', `## ${r.suite}: ${r.title}`, '');
    const lines: string[] = [];
    for (const c of r.cases) {
      for (const e of c.expected) {
        if (e.outcome === 'missed' || e.outcome === 'pending' || e.outcome === 'unmapped') {
          lines.push(`- ${e.outcome}: ${e.expected.type} → ${e.checkIds.join(' / ') || '—'} at ${where(c, e.expected)}${e.expected.path ? ` (${e.expected.path})` : ''}${e.disagreement ? ` — deliberate: ${e.disagreement}` : ''}`);
        }
      }
      for (const a of c.added) lines.push(`- added: ${a.observed.checkId} at ${where(c, a.observed)} (line ${a.observed.line})${a.disagreement ? ` — deliberate: ${a.disagreement}` : ''}`);
    }
    out.push(...(lines.length ? lines : ['- every mapped expectation raised, nothing added']));
    const scope = new Map<string, number>();
    for (const c of r.cases) for (const e of c.expected) if (e.outcome === 'out-of-scope' || e.outcome === 'not-read') scope.set(`${e.outcome} ${e.expected.type}`, (scope.get(`${e.outcome} ${e.expected.type}`) ?? 0) + 1);
    if (scope.size) out.push('', `Not compared: ${[...scope].sort().map(([k, n]) => `${k} ×${n}`).join(', ')}.`);
    if (r.skipped.length) out.push('', 'Inputs left out:', '', ...r.skipped.map((s) => `- ${s.name}: ${s.reason}`));
  }
  const stale = staleDisagreements(results, disagreements, true);
  if (stale.length) out.push('', '## Disagreements that explain nothing', '', ...stale.map((d) => `- ${JSON.stringify(d)}`));
  return out.join('\n') + '\n';
}
