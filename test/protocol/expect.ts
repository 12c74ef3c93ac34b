/**
 * Expected diagnostics from marked fixture texts (`«check-id:…»`, see test/support/fixture.ts),
 * with positions computed here independently of the server's own conversion.
 */
import * as assert from 'node:assert/strict';
import type { Diagnostic, Position, Range } from 'vscode-languageserver-protocol/node';
import { parseMarkers } from '../support/fixture';

/** LSP position of an offset: lines end at \n, \r\n or \r; characters are UTF-16 units. */
export function positionAt(text: string, offset: number): Position {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const c = text[i];
    if (c === '\r' && text[i + 1] === '\n') continue;
    if (c === '\n' || c === '\r') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: offset - lineStart };
}

export function offsetAt(text: string, pos: Position): number {
  let line = 0;
  let i = 0;
  while (line < pos.line && i < text.length) {
    const c = text[i++];
    if (c === '\r' && text[i] === '\n') i++;
    if (c === '\n' || c === '\r') line++;
  }
  return i + pos.character;
}

export interface ExpectedDiagnostic { code: string; range: Range }

export function markedDiagnostics(marked: string): { text: string; expected: ExpectedDiagnostic[] } {
  const { text, expected } = parseMarkers(marked);
  return {
    text,
    expected: expected.map((e) => ({ code: e.checkId, range: { start: positionAt(text, e.offset), end: positionAt(text, e.end) } })),
  };
}

function describe(d: ExpectedDiagnostic): string {
  const r = d.range;
  return `${d.code} ${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

/** The diagnostics of the given codes equal the expected ones exactly (codes and ranges). */
export function assertDiagnostics(actual: Diagnostic[], expected: ExpectedDiagnostic[], codes = [...new Set(expected.map((e) => e.code))]): void {
  const got = actual.filter((d) => codes.includes(String(d.code))).map((d) => describe({ code: String(d.code), range: d.range })).sort();
  assert.deepEqual(got, expected.filter((e) => codes.includes(e.code)).map(describe).sort());
}

/** Apply LSP text edits to a text (no overlapping edits). */
export function applyTextEdits(text: string, edits: { range: Range; newText: string }[]): string {
  const withOffsets = edits.map((e) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), newText: e.newText }));
  withOffsets.sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of withOffsets) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
