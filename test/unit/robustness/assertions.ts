/** What every result must satisfy, whatever the input: spans inside the text, sane fields. */
import * as assert from 'node:assert/strict';
import type { Finding, Span } from '../../../server/src/core/findings';

const SEVERITIES = new Set(['error', 'warning', 'info', 'hint']);

export function assertSpanInside(span: Span, textLength: number, what: string): void {
  assert.ok(Number.isInteger(span.offset) && Number.isInteger(span.length), `${what}: integer span, got ${JSON.stringify(span)}`);
  assert.ok(span.offset >= 0 && span.length >= 0 && span.offset + span.length <= textLength, `${what}: span ${JSON.stringify(span)} outside a text of ${textLength}`);
}

/** Findings of one file: ids, severities, messages, and every span of the file inside it. */
export function assertSaneFindings(findings: Finding[], file: string, textLength: number): void {
  for (const f of findings) {
    const what = `${f.checkId} in ${file}`;
    assert.ok(typeof f.checkId === 'string' && /^[a-z][a-z0-9-]*$/.test(f.checkId), `check id ${JSON.stringify(f.checkId)}`);
    assert.ok(SEVERITIES.has(f.severity), `${what}: severity ${f.severity}`);
    assert.ok(typeof f.message === 'string' && f.message.length > 0, `${what}: message`);
    assertSpanInside(f.span, textLength, what);
    for (const r of f.related ?? []) if (r.file === file) assertSpanInside(r.span, textLength, `${what} related`);
    for (const fix of f.fixes ?? []) {
      for (const change of fix.changes) {
        if (change.file !== undefined && change.file !== file) continue;
        for (const e of change.edits) {
          assertSpanInside(e, textLength, `${what} fix ${fix.id}`);
          assert.equal(typeof e.newText, 'string');
        }
      }
    }
  }
}
