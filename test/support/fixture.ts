/**
 * Fixture texts with inline range markers: `«check-id:` opens a range, `»` closes the
 * innermost open one. The markers are removed before checking; the expected findings are
 * the marked ranges. Example:
 *
 *   { "Statement": [{ "Effect": "Allow", «principal-not-allowed:"Principal"»: "*" }] }
 */
import * as assert from 'node:assert/strict';
import { allCheckMetadata } from '../../server/src/core/checks/registry';
import { checkText, type EngineOptions, type FileResult } from '../../server/src/core/engine';
import type { Finding } from '../../server/src/core/findings';
import { LineIndex } from '../../server/src/core/positions';
import { hasHclParser } from '../../server/src/core/sources/hcl/hclSyntax';

export interface Marked { text: string; expected: { checkId: string; offset: number; end: number }[] }

export function parseMarkers(marked: string): Marked {
  const out: string[] = [];
  const expected: Marked['expected'] = [];
  const open: { checkId: string; offset: number }[] = [];
  let len = 0;
  for (let i = 0; i < marked.length; i++) {
    const c = marked[i];
    if (c === '«') {
      const colon = marked.indexOf(':', i);
      open.push({ checkId: marked.slice(i + 1, colon), offset: len });
      i = colon;
    } else if (c === '»') {
      const o = open.pop();
      if (!o) throw new Error(`unbalanced » at ${i}`);
      expected.push({ ...o, end: len });
    } else {
      out.push(c);
      len++;
    }
  }
  if (open.length) throw new Error('unclosed «');
  return { text: out.join(''), expected };
}

function describe(text: string, f: { checkId: string; offset: number; end: number }): string {
  const idx = new LineIndex(text);
  const s = idx.position(f.offset);
  const e = idx.position(f.end);
  return `${f.checkId} ${s.line + 1}:${s.character + 1}-${e.line + 1}:${e.character + 1} ${JSON.stringify(text.slice(f.offset, Math.min(f.end, f.offset + 40)))}`;
}

/**
 * Fails unless every id is a check id the engine can report: one of the registry's, or of the
 * extra checks a test passes (`checks`). A misspelt id in `only` or in a marker would otherwise
 * filter every finding out, or expect one no check ever reports.
 */
export function assertKnownCheckIds(ids: Iterable<string>, extra: { id: string }[] = [], what = 'check id'): void {
  const known = new Set([...allCheckMetadata().map((m) => m.id), ...extra.map((c) => c.id)]);
  const unknown = [...new Set(ids)].filter((id) => !known.has(id));
  if (unknown.length) throw new Error(`unknown ${what}${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (not in allCheckMetadata())`);
}

/**
 * Fails when `file` is a Terraform file and the HCL parser is not loaded: without it the file is
 * not read at all, and a fixture expecting no finding would pass unread.
 */
export function assertReadable(file: string): void {
  if (/\.(tf|tfvars)$/.test(file) && !hasHclParser()) throw new Error(`${file}: load the HCL parser first (withHclParser() in test/support/hcl.ts)`);
}

export interface ExpectOptions extends EngineOptions {
  /** Compare only findings of these check ids (default: every finding), and internal-error. */
  only?: string[];
  file?: string;
}

/** Check the fixture and compare the findings' ids and exact ranges with the markers. */
export function expectFindings(marked: string, options: ExpectOptions = {}): FileResult {
  const { text, expected } = parseMarkers(marked);
  // Without the parser a Terraform file is not read at all, and a fixture expecting nothing would pass unread.
  assertReadable(options.file ?? 'fixture.json');
  assertKnownCheckIds([...(options.only ?? []), ...expected.map((e) => e.checkId)], options.checks);
  const result = checkText(options.file ?? 'fixture.json', text, options);
  // A check that throws is never expected: internal-error counts whatever `only` says.
  const keep = (f: { checkId: string }) => !options.only || options.only.includes(f.checkId) || f.checkId === 'internal-error';
  const actual = result.findings.filter(keep).map((f: Finding) => ({ checkId: f.checkId, offset: f.span.offset, end: f.span.offset + f.span.length }));
  const sort = (l: typeof actual) => l.map((f) => describe(text, f)).sort();
  assert.deepEqual(sort(actual), sort(expected.filter(keep)), `findings of ${options.file ?? 'fixture'}`);
  return result;
}

/** Apply a fix's edits for the file itself to the text (edits sorted from the end). */
export function applyEdits(text: string, edits: { offset: number; length: number; newText: string }[]): string {
  const sorted = [...edits].sort((a, b) => b.offset - a.offset);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.offset) + e.newText + out.slice(e.offset + e.length);
  return out;
}
