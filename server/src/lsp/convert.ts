/**
 * The one place where core values (offsets, findings, fixes) become LSP values (positions,
 * Diagnostics, edits) and back. Everything else in the server speaks offsets.
 */
import {
  DiagnosticSeverity,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type Position,
  type Range,
} from 'vscode-languageserver/node';
import { checkDocsUrl } from '../core/docsLinks';
import type { Finding, Severity, Span } from '../core/findings';
import { LineIndex } from '../core/positions';

export const DIAGNOSTIC_SOURCE = 'policy-handshake';

export function toRange(index: LineIndex, span: Span): Range {
  return index.range(span.offset, span.length);
}

/** Offsets of a range, start ≤ end. */
export function toSpan(index: LineIndex, range: Range): Span {
  const a = index.offset(range.start);
  const b = index.offset(range.end);
  return { offset: Math.min(a, b), length: Math.abs(b - a) };
}

export function toSeverity(s: Severity): DiagnosticSeverity {
  switch (s) {
    case 'error': return DiagnosticSeverity.Error;
    case 'warning': return DiagnosticSeverity.Warning;
    case 'info': return DiagnosticSeverity.Information;
    default: return DiagnosticSeverity.Hint;
  }
}

/** What a diagnostic carries for the code action handler. */
export interface DiagnosticData {
  /** Document version the finding was computed for (null for files not open). */
  version: number | null;
  /** Index of the finding among those published for that version (its fixes are found through it). */
  index: number;
}

export interface RelatedTarget {
  uri: string;
  index: LineIndex;
}

export function toDiagnostic(
  finding: Finding,
  severity: Severity,
  index: LineIndex,
  data: DiagnosticData,
  related: (file: string) => RelatedTarget | undefined,
): Diagnostic {
  const d: Diagnostic = {
    range: toRange(index, finding.span),
    severity: toSeverity(severity),
    source: DIAGNOSTIC_SOURCE,
    code: finding.checkId,
    codeDescription: { href: checkDocsUrl(finding.checkId) },
    message: finding.message,
    data,
  };
  const infos: DiagnosticRelatedInformation[] = [];
  for (const r of finding.related ?? []) {
    const target = related(r.file);
    if (target) infos.push({ location: { uri: target.uri, range: toRange(target.index, r.span) }, message: r.message });
  }
  if (infos.length) d.relatedInformation = infos;
  return d;
}

export function rangesIntersect(a: Range, b: Range): boolean {
  return !(before(a.end, b.start) || before(b.end, a.start));
}

function before(p: Position, q: Position): boolean {
  return p.line < q.line || (p.line === q.line && p.character < q.character);
}
