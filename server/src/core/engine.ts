/**
 * Runs the checks over one file: parse, discover documents, check each one, and return
 * findings in file coordinates. Pure: no I/O, no LSP types.
 */
import { detach, lineBreakOf, withLineBreaks } from './strings';
import { defaultCatalog, type Catalog } from './catalog/catalog';
import type { Check, CheckContext, ReportOptions } from './checks/check';
import { spanOf } from './checks/check';
import { allChecks } from './checks/registry';
import { escapeForStringLiteral } from './json/embeddedJson';
import type { JsonDocument, JsonNode, ParseLimits } from './json/jsonDocument';
import { DEFAULT_PARSE_LIMITS } from './json/jsonDocument';
import { prop } from './json/nodes';
import { DEFAULT_MAX_FILE_SIZE } from './sourceFiles';
import { yamlEdit } from './yaml/yamlEdits';
import type { Finding, Fix, LocalFix, RelatedInfo, Severity, SeveritySetting, Span } from './findings';
import { statementsOf, type PolicyDocument, type Statement } from './model/policyDocument';
import { discover } from './sources/discover';
import { hclRemovalEdit, hclTemplateText } from './sources/hcl/hclEdits';
import { replacesPlaceholder, templateFileText } from './sources/templatedJson';
import { blockArgumentText } from './sources/hcl/policyDocumentBlock';
import { type DiscoveredFile, type FileBinding } from './sources/discoveredFile';
import type { GrantDeclaration } from './model/kmsGrants';
import { namesPolicyKey } from './sources/registry';
import type { StatementMemo, StatementMemos } from './statementMemo';

export interface EngineOptions {
  catalog?: Catalog;
  /** Severity per check id; `off` disables it. */
  severities?: Record<string, SeveritySetting | undefined>;
  binding?: FileBinding;
  /** Files larger than this many bytes (UTF-16 units) are skipped with one finding. */
  maxFileSize?: number;
  limits?: ParseLimits;
  checks?: Check<any>[];
  workspace?: unknown;
  /** Called when a check throws; the error also becomes a finding. */
  onCheckError?: (checkId: string, file: string, error: unknown) => void;
  /** Whether syntax errors are reported (the editor may leave them to the client's JSON support). */
  reportSyntax?: boolean;
}

export { DEFAULT_MAX_FILE_SIZE };

export interface FileResult {
  file: string;
  discovered: DiscoveredFile | undefined;
  findings: Finding[];
  skipped?: string;
  /** How many of its policies were checked, where known (a policy past the limits, or whose HCL does not parse, is not). */
  documentsChecked?: number;
}

export function severityFor(check: { id: string; defaultSeverity: Severity }, options: EngineOptions, requested?: Severity): Severity | undefined {
  const setting = options.severities?.[check.id];
  if (setting === 'off') return undefined;
  return setting ?? requested ?? check.defaultSeverity;
}

const INVALID_SYMBOL = 'Invalid symbol.';

function syntaxFindings(json: JsonDocument, map: (o: number) => number, options: EngineOptions): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<number>();
  // The end of the last run of invalid symbols, in the document's coordinates.
  let invalidRunEnd = -1;
  for (let i = 0; i < json.problems.length; i++) {
    const p = json.problems[i];
    const yaml = json.syntax === 'yaml';
    // `reportSyntax: false` leaves JSON syntax to the editor's JSON support; YAML templates keep theirs.
    if (p.kind === 'syntax' && options.reportSyntax === false && !yaml) continue;
    // The parser reports every unclosed bracket at the end of the text: one finding a place.
    if (seen.has(p.offset)) continue;
    seen.add(p.offset);
    const checkId = p.kind === 'syntax' ? (yaml ? 'yaml-syntax' : 'json-syntax') : 'file-skipped';
    const severity = severityFor({ id: checkId, defaultSeverity: p.kind === 'syntax' ? 'error' : 'info' }, options, p.severity);
    if (!severity) continue;
    const start = map(p.offset);
    const end = map(p.offset + p.length);
    // Words that are not JSON, separated by spaces only (`not json`), are one stretch of text to
    // fix: one finding over all of it, not one a word.
    const last = out[out.length - 1];
    if (p.message === INVALID_SYMBOL && last?.message === INVALID_SYMBOL && last.checkId === checkId && invalidRunEnd >= 0 &&
        p.offset >= invalidRunEnd && /^\s*$/.test(json.text.slice(invalidRunEnd, p.offset))) {
      last.span = { offset: last.span.offset, length: Math.max(0, end - last.span.offset) };
      invalidRunEnd = p.offset + p.length;
      continue;
    }
    invalidRunEnd = p.message === INVALID_SYMBOL ? p.offset + p.length : -1;
    out.push({ checkId, severity, message: p.message, span: { offset: start, length: Math.max(0, end - start) } });
  }
  return out;
}

export function checkText(file: string, text: string, options: EngineOptions = {}): FileResult {
  const maxSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  if (text.length > maxSize) {
    const severity = severityFor({ id: 'file-skipped', defaultSeverity: 'info' }, options);
    const reason = `File is larger than ${maxSize} bytes (policyHandshake.maxFileSize): not checked.`;
    return { file, discovered: undefined, skipped: reason, findings: severity ? [{ checkId: 'file-skipped', severity, message: reason, span: { offset: 0, length: 0 } }] : [] };
  }
  const discovered = discover(file, text, options.binding, options.limits ?? DEFAULT_PARSE_LIMITS);
  return { file, discovered, findings: checkDiscovered(discovered, options) };
}

export function checkDiscovered(discovered: DiscoveredFile, options: EngineOptions = {}): Finding[] {
  const own = checkOwn(discovered, options);
  return joinFindings(own, workspaceFindings(own, discovered.documents, options));
}

/**
 * What a file's text alone decides (with the options and its binding): syntax problems, and
 * per document the findings of the document-scope checks. They stay valid while the text,
 * the binding and the options do, whatever happens elsewhere in the workspace.
 */
export interface OwnFindings {
  file: Finding[];
  documents: Finding[][];
  /** Per document: within the limits, so checked (a document over them has one `file-skipped`). */
  withinLimits: boolean[];
}

/**
 * `memos`: what the statement-local checks found in each statement last time (a file being
 * edited): statements an edit did not change keep those findings instead of being checked again.
 */
export function checkOwn(discovered: DiscoveredFile, options: EngineOptions = {}, memos?: StatementMemos): OwnFindings {
  const file: Finding[] = [];
  // Syntax errors of the file itself count only when it is, or might be, a policy file.
  if (discovered.shape !== 'not-a-policy' || discovered.json.root === undefined || looksLikePolicyText(discovered.json.text)) {
    file.push(...syntaxFindings(discovered.json, (o) => o, options));
  }
  for (let i = 0; i < discovered.embeddedProblems.length; i++) {
    const e = discovered.embeddedProblems[i];
    file.push(...syntaxFindings(e.json, e.toFileOffset, options));
  }
  const checks = scopes(options.checks ?? allChecks).document;
  if (discovered.grantDeclarations?.length) file.push(...grantFindings(discovered.file, discovered.grantDeclarations, checks, options));
  const results = discovered.documents.map((doc, i) => checkWithinLimits(doc, options, checks, memos?.for(i)));
  if (file.length === 0 && results.every((r) => r.withinLimits && r.findings.length === 0)) return clean(results.length);
  return { file, documents: results.map((r) => r.findings), withinLimits: results.map((r) => r.withinLimits) };
}

/** The findings of the checks that read KMS grants (`Check.grants`) on the grants a file declares, in file coordinates. */
function grantFindings(file: string, grants: readonly GrantDeclaration[], checks: Check<any>[], options: EngineOptions): Finding[] {
  const out: Finding[] = [];
  const catalog = options.catalog ?? defaultCatalog();
  for (const check of checks) {
    const severity = check.grants && severityFor(check, options);
    if (!severity) continue;
    const report = (span: Span, message: string, fixes?: LocalFix[]) => {
      const finding: Finding = { checkId: check.id, severity, message: detach(message), span: { offset: span.offset, length: span.length } };
      if (fixes?.length) finding.fixes = fixes.map((f) => ({ title: detach(f.title), id: f.id, isPreferred: f.isPreferred, changes: [{ edits: f.edits.map((e) => ({ offset: e.offset, length: e.length, newText: e.newText })) }] }));
      out.push(finding);
    };
    try {
      check.grants!({ grants, catalog, report });
    } catch (error) {
      out.push(...checkFailed(check.id, file, error, { offset: 0, length: 0 }, options));
    }
  }
  return out;
}

/** The own findings of a file with `n` documents and nothing to say, shared (kept for every file of a workspace). */
const CLEAN: OwnFindings[] = [];

function clean(n: number): OwnFindings {
  const make = () => ({ file: [], documents: Array.from({ length: n }, () => []), withinLimits: Array.from({ length: n }, () => true) });
  return n > 8 ? make() : (CLEAN[n] ??= deepFreeze(make()));
}

function deepFreeze(own: OwnFindings): OwnFindings {
  for (let i = 0; i < own.documents.length; i++) {
    const d = own.documents[i];
    Object.freeze(d);
  }
  Object.freeze(own.file);
  Object.freeze(own.documents);
  Object.freeze(own.withinLimits);
  return Object.freeze(own);
}

/**
 * Per document, the findings of the workspace-scope checks (none without
 * `options.workspace`, none for a document over the limits). `documents` are those `own`
 * was computed from, or the same file parsed again.
 */
export function workspaceFindings(own: OwnFindings, documents: PolicyDocument[], options: EngineOptions = {}): Finding[][] {
  if (options.workspace === undefined) return [];
  const checks = scopes(options.checks ?? allChecks).workspace;
  return documents.map((doc, i) => {
    if (!own.withinLimits[i] || !checks.some((c) => appliesTo(c, doc))) return [];
    return runChecks(doc, statementsOf(doc), options, checks);
  });
}

/** A file's findings in order: the file's own problems, then per document its own findings and those against the workspace (they come last in the registry). */
export function joinFindings(own: OwnFindings, workspace: Finding[][]): Finding[] {
  const out = [...own.file];
  own.documents.forEach((list, i) => {
    out.push(...list);
    if (workspace[i]) out.push(...workspace[i]);
  });
  return out;
}

const scopeCache = new WeakMap<Check<any>[], { document: Check<any>[]; workspace: Check<any>[] }>();

/** The checks of a list that read one document alone, and those that read the workspace. */
function scopes(checks: Check<any>[]): { document: Check<any>[]; workspace: Check<any>[] } {
  let s = scopeCache.get(checks);
  if (!s) scopeCache.set(checks, (s = { document: checks.filter((c) => c.scope !== 'workspace'), workspace: checks.filter((c) => c.scope === 'workspace') }));
  return s;
}

/** Whether a check runs on documents of this kind. */
function appliesTo(check: Check<any>, doc: PolicyDocument): boolean {
  return !check.kinds || check.kinds.includes(doc.kind);
}

/** A file that failed to parse is worth reporting only if it looks like it meant to be a policy (its first 200,000 characters name a policy key). */
function looksLikePolicyText(text: string): boolean {
  return namesPolicyKey(text.slice(0, 200_000));
}

export function checkDocument(doc: PolicyDocument, options: EngineOptions = {}, checks: Check<any>[] = options.checks ?? allChecks): Finding[] {
  return checkWithinLimits(doc, options, checks).findings;
}

function checkWithinLimits(doc: PolicyDocument, options: EngineOptions, checks: Check<any>[], memo?: StatementMemo): { findings: Finding[]; withinLimits: boolean } {
  const statements = statementsOf(doc);
  // A crafted document (huge statement lists or arrays) costs bounded time: it is not checked.
  const over = overLimit(doc, statements, options.limits ?? DEFAULT_PARSE_LIMITS);
  if (over) {
    const severity = severityFor({ id: 'file-skipped', defaultSeverity: 'info' }, options);
    return { findings: severity ? [{ checkId: 'file-skipped', severity, message: over.message, span: mapSpan(doc, over.span) }] : [], withinLimits: false };
  }
  return { findings: runChecks(doc, statements, options, checks, memo), withinLimits: true };
}

/** Documents with fewer statements are checked whole on every edit: the memo would save little. */
const MIN_STATEMENTS_FOR_MEMO = 8;

function runChecks(doc: PolicyDocument, statements: readonly Statement[], options: EngineOptions, checks: Check<any>[], memo?: StatementMemo): Finding[] {
  const findings: Finding[] = [];
  // An expanded shorthand has no text of its own to report on or to fix, except its parameters.
  if (doc.expandedFrom !== undefined) checks = checks.filter((c) => c.readsShorthandParameters);
  // A policy whose text is not known has nothing to report on (the handshake reads it as unknown).
  if (doc.unknownContent !== undefined) return findings;
  if (!checks.length) return findings;
  const ctx = new RunContext(doc, statements, options.catalog ?? defaultCatalog(), options);
  const context = memo && statements.length >= MIN_STATEMENTS_FOR_MEMO ? statementContext(doc) : undefined;
  if (context !== undefined) memo!.begin(context);
  const kept = context !== undefined ? statements.map((s) => memo!.statement(statementKey(doc, s), doc.file, doc.toFileOffset(s.node.offset))) : undefined;
  for (let j = 0; j < checks.length; j++) {
    const check = checks[j];
    if (!appliesTo(check, doc)) continue;
    if (check.scope === 'workspace' && options.workspace === undefined) continue;
    if (!severityFor(check, options)) continue;
    if (!kept || !check.statementLocal) {
      runCheck(ctx, check, statements, findings);
      continue;
    }
    // One statement at a time, each kept for the next check of the document.
    const input = check.documentInput?.(doc, statements) ?? '';
    for (let i = 0; i < statements.length; i++) {
      let found = kept[i].take(check.id, input);
      if (!found) {
        found = [];
        runCheck(ctx, check, [statements[i]], found);
        kept[i].keep(check.id, input, found);
      }
      for (let i = 0; i < found.length; i++) {
        const f = found[i];
        findings.push(f);
      }
    }
  }
  const certain = doc.json.problems.length ? certainOnly(doc, statements, findings) : findings;
  // A YAML alias or merge key repeats the anchored nodes, at the anchor's place: one finding there.
  return doc.json.syntax === 'yaml' ? withoutRepeats(certain) : certain;
}

/** An error at a closing bracket right after a comma: a trailing comma, which leaves the structure certain. */
function trailingComma(text: string, offset: number): boolean {
  const c = text.charCodeAt(offset);
  if (c !== 93 /* ] */ && c !== 125 /* } */) return false;
  let i = offset - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  return text.charCodeAt(i) === 44 /* , */;
}

/**
 * While a text has syntax errors, only what is certain is reported: nothing from a statement
 * that holds an error or touches one (its elements may be cut or misread), and nothing about
 * the document as a whole when an error lies outside every statement. Statements clear of
 * the errors keep their findings.
 */
function certainOnly(doc: PolicyDocument, statements: readonly Statement[], findings: Finding[]): Finding[] {
  const errors = doc.json.problems.filter((p) => p.kind === 'syntax' && p.severity !== 'warning' && !trailingComma(doc.json.text, p.offset));
  if (errors.length === 0 || findings.length === 0) return findings;
  const broken: Span[] = [];
  let outside = false;
  for (let i = 0; i < errors.length; i++) {
    const e = errors[i];
    let inside = false;
    for (let i = 0; i < statements.length; i++) {
      const n = statements[i].node;
      if (e.offset >= n.offset && e.offset <= n.offset + n.length) {
        broken.push(mapSpan(doc, n));
        inside = true;
      }
    }
    if (inside) continue;
    outside = true;
    // An error between statements (inside the Statement array) may have cut either neighbour.
    const list = statements[0]?.node.parent;
    if (list?.type !== 'array' || e.offset < list.offset || e.offset > list.offset + list.length) continue;
    const before = [...statements].reverse().find((st) => st.node.offset + st.node.length <= e.offset);
    const after = statements.find((st) => st.node.offset >= e.offset);
    if (before) broken.push(mapSpan(doc, before.node));
    if (after) broken.push(mapSpan(doc, after.node));
  }
  const spans = statements.map((st) => mapSpan(doc, st.node));
  const within = (f: Finding, s: Span) => f.span.offset >= s.offset && f.span.offset + f.span.length <= s.offset + s.length;
  return findings.filter((f) => {
    if (broken.some((b) => within(f, b))) return false;
    return !outside || spans.some((s) => within(f, s));
  });
}

function withoutRepeats(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.checkId}\u0000${f.span.offset}\u0000${f.span.length}\u0000${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * What statement-local checks read besides the statement (see `Check.statementLocal`);
 * undefined for a document embedded in a string, whose offsets do not move with the text.
 */
function statementContext(doc: PolicyDocument): string | undefined {
  if (doc.embedded) return undefined;
  const version = prop(doc.root, 'Version')?.value;
  return JSON.stringify([doc.kind, doc.kindReason, doc.source, doc.owner, doc.allowsIntrinsics, doc.isManagedPolicy ?? null, doc.isInlinePolicy ?? null,
    doc.policyArn ?? null, version?.type ?? null, version?.value ?? null, templateId(doc.template), doc.templateFile ?? false]);
}

const templateIds = new WeakMap<object, number>();
let nextTemplateId = 1;

function templateId(template: object | undefined): number {
  if (!template) return 0;
  let id = templateIds.get(template);
  if (id === undefined) templateIds.set(template, (id = nextTemplateId++));
  return id;
}

/**
 * A statement as the memo knows it: its index, its text, and the text before it on its
 * first line (fixes that add lines align with it).
 */
function statementKey(doc: PolicyDocument, s: Statement): string {
  const text = doc.json.text;
  const start = s.node.offset;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  return `${s.index}\u0000${text.slice(lineStart, start)}\u0000${text.slice(start, start + s.node.length)}`;
}

/**
 * The context the checks of one document run with: one object for the run, its check and
 * statements set for each check (a context and two closures per check and document were a
 * good part of what a folder's check allocates).
 */
class RunContext implements CheckContext {
  check: Check<any> | undefined;
  findings: Finding[] = [];
  statements: readonly Statement[];
  readonly workspace: unknown;
  /** The values of `shared` for the document's statements, and for the statements of a run on some of them. */
  private documentValues: Map<string, unknown> | undefined;
  private values: Map<string, unknown> | undefined;

  constructor(readonly doc: PolicyDocument, readonly documentStatements: readonly Statement[], readonly catalog: Catalog, readonly options: EngineOptions) {
    this.statements = documentStatements;
    this.workspace = options.workspace;
  }

  /** Sets the check and the statements it runs over (`shared` values are kept for the whole document's). */
  runWith(check: Check<any>, statements: readonly Statement[], findings: Finding[]): void {
    this.check = check;
    this.findings = findings;
    this.statements = statements;
    this.values = undefined;
  }

  shared<T>(key: string, compute: () => T): T {
    const values = this.statements === this.documentStatements ? (this.documentValues ??= new Map()) : (this.values ??= new Map());
    if (!values.has(key)) values.set(key, compute());
    return values.get(key) as T;
  }

  /** A property, not a method: checks pass it on as a plain function. */
  readonly report = (at: JsonNode | Span, message: string, opts?: ReportOptions): void => {
    const check = this.check!;
    const severity = severityFor(check, this.options, opts?.severity);
    if (!severity) return;
    this.findings.push(toFileFinding(this.doc, check.id, severity, message, spanOf(at), opts));
  };
}

/** Runs one check over `statements` of the context's document, adding its findings to `findings`. */
function runCheck(ctx: RunContext, check: Check<any>, statements: readonly Statement[], findings: Finding[]): void {
  const { doc, options } = ctx;
  ctx.runWith(check, statements, findings);
  try {
    check.run(ctx);
  } catch (error) {
    findings.push(...checkFailed(check.id, doc.file, error, mapSpan(doc, { offset: doc.root.offset, length: 0 }), options));
  }
}

/** A check that threw: the caller is told, and one `internal-error` finding at `span` (file coordinates) says so. */
function checkFailed(checkId: string, file: string, error: unknown, span: Span, options: EngineOptions): Finding[] {
  try {
    options.onCheckError?.(checkId, file, error);
  } catch {
    // The caller's report of the failure failed too; the finding below still says it.
  }
  const severity = severityFor({ id: 'internal-error', defaultSeverity: 'warning' }, options);
  return severity ? [{ checkId: 'internal-error', severity, message: `Check ${checkId} failed on this document: ${describeThrown(error)}. The other checks ran.`, span }] : [];
}

/** What a check threw, as text; anything may be thrown, even a value whose toString throws. */
function describeThrown(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'an unprintable value was thrown';
  }
}

/** The first structural limit a document passes (too many statements, a statement array too long), if any. */
export function overLimit(doc: PolicyDocument, statements: readonly Statement[], limits: ParseLimits): { span: Span; message: string } | undefined {
  const maxStatements = limits.maxStatements ?? Infinity;
  if (statements.length > maxStatements) {
    const at = prop(doc.root, 'Statement')?.key ?? doc.root;
    return { span: spanOf(at), message: `${statements.length} statements: over the limit of ${maxStatements}; the document is not checked.` };
  }
  const maxItems = limits.maxArrayItems ?? Infinity;
  // An array of n items takes at least 2n + 1 characters (brackets, items, commas).
  if (maxItems === Infinity || doc.root.length <= 2 * maxItems + 2) return undefined;
  const stack: JsonNode[] = statements.map((s) => s.node);
  while (stack.length) {
    const node = stack.pop()!;
    const children = node.children!;
    if (node.type === 'array' && children.length > maxItems) {
      return { span: { offset: node.offset, length: 1 }, message: `An array of ${children.length} entries: over the limit of ${maxItems}; the document is not checked.` };
    }
    // Only containers (and properties) go on the stack: leaves hold no array.
    for (let i = 0; i < children.length; i++) if (children[i].children) stack.push(children[i]);
  }
  return undefined;
}

export function mapSpan(doc: PolicyDocument, span: Span): Span {
  const start = doc.toFileOffset(span.offset);
  const end = doc.toFileOffset(span.offset + span.length);
  return { offset: start, length: Math.max(0, end - start) };
}

/** A fix in file offsets; undefined when its edits cannot be written in the document's syntax (see yamlEdits). */
function mapFix(doc: PolicyDocument, fix: LocalFix): Fix | undefined {
  const yaml = doc.json.syntax === 'yaml';
  const edits: { offset: number; length: number; newText: string }[] = [];
  for (let i = 0; i < fix.edits.length; i++) {
    const e = fix.edits[i];
    const span = mapSpan(doc, e);
    if (yaml) {
      const edit = yamlEdit(doc.json, { offset: span.offset, length: span.length, newText: e.newText, into: e.into, whole: e.whole });
      if (!edit) return undefined;
      edits.push({ ...edit, newText: detach(edit.newText) });
      continue;
    }
    if (doc.writeInString) {
      const newText = doc.writeInString(e.offset, e.length, e.newText);
      if (newText === undefined) return undefined;
      edits.push({ offset: span.offset, length: span.length, newText: detach(newText) });
      continue;
    }
    if (doc.hclString) {
      const newText = hclTemplateText(e.newText, doc.hclString === 'quoted', doc.json.text[e.offset + e.length]);
      edits.push({ offset: span.offset, length: span.length, newText: detach(newText) });
      continue;
    }
    if (doc.json.syntax === 'hcl' && doc.root) {
      // Terraform HCL: an item removed with its own line, one value written over a list argument as a list.
      const edit = hclRemovalEdit(doc.json.text, doc.root, e);
      edits.push({ ...mapSpan(doc, edit), newText: detach(blockArgumentText(doc.root, edit.offset, edit.length, edit.newText)) });
      continue;
    }
    // A templated policy file: a placeholder stays (an edit that would write its rendered value in its place is not offered).
    if (doc.source === 'file' && !doc.embedded && replacesPlaceholder(doc.json.text, e.offset, e.length, e.newText)) return undefined;
    if (doc.templateFile) {
      // A file Terraform renders: `${aws:username}` is written `$${aws:username}`.
      edits.push({ offset: span.offset, length: span.length, newText: detach(templateFileText(e.newText, doc.json.text[e.offset + e.length])) });
      continue;
    }
    edits.push({ offset: span.offset, length: span.length, newText: detach(doc.embedded ? escapeForStringLiteral(e.newText) : e.newText) });
  }
  // Fixes write their new lines as `\n`; a file of `\r\n` lines gets those.
  if (edits.some((e) => e.newText.includes('\n'))) {
    const nl = lineBreakOf(doc.json.text);
    for (let i = 0; i < edits.length; i++) edits[i].newText = withLineBreaks(edits[i].newText, nl);
  }
  // Flat strings, like messages: a title or an inserted text built from pieces of the file's text
  // (`Remove "arn:…"`) would keep that whole text alive as long as the finding.
  return {
    title: detach(fix.title),
    id: fix.id,
    isPreferred: fix.isPreferred,
    changes: [...(edits.length ? [{ edits }] : []), ...(fix.otherFiles ?? [])],
  };
}

function toFileFinding(doc: PolicyDocument, checkId: string, severity: Severity, message: string, span: Span, opts?: ReportOptions): Finding {
  // Messages are kept as flat strings: one built from a template keeps every piece that built it.
  const finding: Finding = { checkId, severity, message: detach(message), span: mapSpan(doc, span) };
  if (opts?.related || opts?.relatedHere) {
    const related = relatedPlaces(doc, opts);
    if (related.length) finding.related = related;
  }
  const claims = opts?.claims;
  if (typeof claims === 'function') madeWhenRead(finding, 'claims', claims);
  else if (claims) finding.claims = claims;
  const fixes = opts?.fixes;
  if (typeof fixes === 'function') madeWhenRead(finding, 'fixes', () => mappedFixes(doc, fixes()));
  else if (fixes?.length) {
    const mapped = mappedFixes(doc, fixes);
    if (mapped) finding.fixes = mapped;
  }
  return finding;
}

// The lists below come from every check, as arrays of several shapes (literals, spreads,
// results of `map`): V8 optimizes again the function that reads them each time it meets a new
// one, and these small functions cost less to optimize again than `toFileFinding` did.

/** A finding's related places: those given, and those in the document itself, in its file's coordinates. */
function relatedPlaces(doc: PolicyDocument, opts: ReportOptions): RelatedInfo[] {
  const out: RelatedInfo[] = [];
  for (const r of opts.related ?? []) out.push({ ...r, message: detach(r.message) });
  for (const r of opts.relatedHere ?? []) out.push({ file: doc.file, span: mapSpan(doc, r.span), message: detach(r.message) });
  return out;
}

/** Fixes that fit the document's syntax, in its file's coordinates; undefined when none is left. */
function mappedFixes(doc: PolicyDocument, fixes: readonly LocalFix[]): Fix[] | undefined {
  const out: Fix[] = [];
  for (const f of fixes) {
    if (!fitsSyntax(doc, f)) continue;
    const mapped = mapFix(doc, f);
    if (mapped !== undefined) out.push(mapped);
  }
  return out.length ? out : undefined;
}

/** A property of a finding made on first read, then kept as a plain value. */
function madeWhenRead<K extends 'fixes' | 'claims'>(finding: Finding, key: K, make: () => Finding[K]): void {
  Object.defineProperty(finding, key, {
    configurable: true,
    enumerable: true,
    get() {
      const value = make();
      Object.defineProperty(finding, key, { value, configurable: true, enumerable: true, writable: true });
      return value;
    },
  });
}

/**
 * Whether a fix's edits can go into the document's text. Fixes write JSON unless they say
 * they are written in HCL; a document built from Terraform HCL (`jsonencode`, a policy
 * document block) takes only JSON edits that are strings or lists of strings (an action's
 * name, principals' ARNs), which HCL reads the same: JSON objects written into HCL would not
 * be valid there.
 */
function fitsSyntax(doc: PolicyDocument, fix: LocalFix): boolean {
  if (doc.json.syntax !== 'hcl' || fix.syntax === 'hcl') return true;
  // Strings and lists of strings read the same in HCL (a string holding `${` would not).
  return fix.edits.every((e) => /^(?:\s|,|\[|\]|"(?:[^"\\$%]|\\.)*")*$|^[^"{}[\],:\n$]*$/.test(e.newText));
}
