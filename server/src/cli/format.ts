/** The CLI's three output formats: text, JSON, SARIF 2.1.0. */
import * as path from 'path';
import { checkDocsUrl, REPOSITORY_URL } from '../core/docsLinks';
import type { FileResult } from '../core/engine';
import type { AccessClaim, Severity } from '../core/findings';
import { LineIndex, type LineRange } from '../core/positions';
import { allCheckMetadata } from '../core/checks/registry';
import { compareNames } from '../core/strings';

export interface OutputFinding {
  file: string;
  range: LineRange;
  severity: Severity;
  code: string;
  message: string;
  /** What a handshake finding states about who can use which key (only when it states something). */
  claims?: AccessClaim[];
  /** Places the finding refers to (the grants it names, the files searched), as `file:line:column: message`: the text format prints them. */
  related?: string[];
}

export function toOutputFindings(results: FileResult[], texts: Map<string, string>, cwd: string): OutputFinding[] {
  const out: OutputFinding[] = [];
  // One line index per file: related places often point into the same few files.
  const indexes = new Map<string, LineIndex>();
  const indexOf = (file: string) => {
    let idx = indexes.get(file);
    if (!idx) indexes.set(file, (idx = new LineIndex(texts.get(file) ?? '')));
    return idx;
  };
  for (let j = 0; j < results.length; j++) {
    const r = results[j];
    if (r.findings.length === 0) continue;
    const idx = indexOf(r.file);
    const file = path.relative(cwd, r.file).split(path.sep).join('/');
    const sorted = [...r.findings].sort((a, b) => a.span.offset - b.span.offset || compareNames(a.checkId, b.checkId));
    for (let i = 0; i < sorted.length; i++) {
      const f = sorted[i];
      const o: OutputFinding = { file, range: idx.range(f.span.offset, f.span.length), severity: f.severity, code: f.checkId, message: f.message };
      if (f.claims?.length) o.claims = f.claims;
      const related = (f.related ?? []).map((r) => {
        const at = indexOf(r.file).position(r.span.offset);
        return `${path.relative(cwd, r.file).split(path.sep).join('/')}:${at.line + 1}:${at.character + 1}: ${r.message}`;
      });
      if (related.length) o.related = related;
      out.push(o);
    }
  }
  return out;
}

export function formatText(findings: OutputFinding[], filesChecked: number): string {
  // Each finding on one line, then the places it refers to, indented.
  const lines = findings.flatMap((f) => [`${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.code}: ${f.message}`, ...(f.related ?? []).map((r) => `    ${r}`)]);
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  lines.push(`${filesChecked} file${filesChecked === 1 ? '' : 's'} checked: ${count('error')} error(s), ${count('warning')} warning(s), ${count('info') + count('hint')} info.`);
  return lines.join('\n') + '\n';
}

export function formatJson(findings: OutputFinding[]): string {
  return JSON.stringify(findings.map(({ related: _related, ...f }) => f), null, 2) + '\n';
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export function formatSarif(findings: OutputFinding[], version: string): string {
  const rules = allCheckMetadata().map((m) => ({
    id: m.id,
    name: m.id.replace(/(^|-)([a-z])/g, (_x, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: m.summary },
    helpUri: checkDocsUrl(m.id),
    defaultConfiguration: { level: SARIF_LEVEL[(m.defaultSeverity as Severity)] ?? 'warning' },
  }));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'policy-handshake', version, informationUri: REPOSITORY_URL, rules } },
      columnKind: 'utf16CodeUnits',
      results: findings.map((f) => ({
        ruleId: f.code,
        ...(ruleIndex.has(f.code) ? { ruleIndex: ruleIndex.get(f.code) } : {}),
        level: SARIF_LEVEL[f.severity],
        message: { text: f.message },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: encodeURI(f.file), uriBaseId: '%SRCROOT%' },
            region: {
              startLine: f.range.start.line + 1,
              startColumn: f.range.start.character + 1,
              endLine: f.range.end.line + 1,
              endColumn: f.range.end.character + 1,
            },
          },
        }],
      })),
    }],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
