/** The CLI's three output formats: text, JSON, SARIF 2.1.0. */
import * as path from 'path';
import { pathToFileURL } from 'url';
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
  /** Places the finding refers to (the grants it names, the files searched), `file` and `range` as the finding's. */
  related?: OutputRelated[];
}

export interface OutputRelated { file: string; range: LineRange; message: string }

/** A file as the output names it: relative to the working folder, with `/` separators. */
function outputPath(file: string, cwd: string): string {
  return path.relative(cwd, file).split(path.sep).join('/');
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
    const file = outputPath(r.file, cwd);
    const sorted = [...r.findings].sort((a, b) => a.span.offset - b.span.offset || compareNames(a.checkId, b.checkId));
    for (let i = 0; i < sorted.length; i++) {
      const f = sorted[i];
      const o: OutputFinding = { file, range: idx.range(f.span.offset, f.span.length), severity: f.severity, code: f.checkId, message: f.message };
      if (f.claims?.length) o.claims = f.claims;
      const related = (f.related ?? []).map((r): OutputRelated => ({ file: outputPath(r.file, cwd), range: indexOf(r.file).range(r.span.offset, r.span.length), message: r.message }));
      if (related.length) o.related = related;
      out.push(o);
    }
  }
  return out;
}

/** Findings one a line, their related places under them, then the summary (`skipped`: files not checked, counted apart). */
export function formatText(findings: OutputFinding[], filesChecked: number, skipped = 0): string {
  // Each finding on one line, then the places it refers to, indented.
  const at = (p: { file: string; range: LineRange }) => `${p.file}:${p.range.start.line + 1}:${p.range.start.character + 1}`;
  const lines = findings.flatMap((f) => [`${at(f)}: ${f.severity} ${f.code}: ${f.message}`, ...(f.related ?? []).map((r) => `    ${at(r)}: ${r.message}`)]);
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  lines.push(`${filesChecked} file${filesChecked === 1 ? '' : 's'} checked${skipped ? `, ${skipped} skipped` : ''}: ${count('error')} error(s), ${count('warning')} warning(s), ${count('info') + count('hint')} info.`);
  return lines.join('\n') + '\n';
}

export function formatJson(findings: OutputFinding[]): string {
  return JSON.stringify(findings, null, 2) + '\n';
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/**
 * Where a SARIF result points: a file inside the working folder by a URI relative to it
 * (`%SRCROOT%`, which `originalUriBaseIds` says is the working folder), any other by its
 * absolute `file://` URI.
 */
function sarifArtifact(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(cwd, absolute);
  if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) {
    return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
  }
  return { uri: pathToFileURL(absolute).href };
}

const SRCROOT = '%SRCROOT%';

function sarifRegion(range: LineRange) {
  return {
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

/** SARIF 2.1.0; `cwd` is the working folder the findings' files are relative to. */
export function formatSarif(findings: OutputFinding[], version: string, cwd: string): string {
  const rules = allCheckMetadata().map((m) => ({
    id: m.id,
    name: m.id.replace(/(^|-)([a-z])/g, (_x, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: m.summary },
    helpUri: checkDocsUrl(m.id),
    defaultConfiguration: { level: SARIF_LEVEL[(m.defaultSeverity as Severity)] ?? 'warning' },
  }));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const location = (p: { file: string; range: LineRange }) => ({ physicalLocation: { artifactLocation: sarifArtifact(p.file, cwd), region: sarifRegion(p.range) } });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'policy-handshake', version, informationUri: REPOSITORY_URL, rules } },
      originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(cwd).href.replace(/\/?$/, '/') } },
      columnKind: 'utf16CodeUnits',
      results: findings.map((f) => ({
        ruleId: f.code,
        ...(ruleIndex.has(f.code) ? { ruleIndex: ruleIndex.get(f.code) } : {}),
        level: SARIF_LEVEL[f.severity],
        message: { text: f.message },
        locations: [location(f)],
        ...(f.related?.length ? { relatedLocations: f.related.map((r, id) => ({ id, ...location(r), message: { text: r.message } })) } : {}),
      })),
    }],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
