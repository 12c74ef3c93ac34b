/**
 * What the statement-local checks found in each statement of a document, kept from one
 * check of the document to the next (an edit): a statement whose text, index and place on
 * its line did not change keeps its findings, moved with the statement. Only the statements
 * an edit touched are checked again. A memo holds the entries of the latest check only.
 */
import type { Finding, Span } from './findings';

interface Entry {
  /** Offset of the statement in the file when the findings were made. */
  base: number;
  /** By check id: what the check found, and the document input it read (see `Check.documentInput`). */
  byCheck: Map<string, { input: string; findings: Finding[] }>;
}

/** By statement key (see the engine's `statementKey`). */
type Entries = Map<string, Entry>;

export class StatementMemo {
  private context: string | undefined;
  private previous: Entries = new Map();
  private current: Entries = new Map();

  /** A new check of the document begins; `context` says what else the checks read (kind, owner, Version). */
  begin(context: string): void {
    this.previous = context === this.context ? this.current : new Map();
    this.current = new Map();
    this.context = context;
  }

  /** The statement `key`, now at `base` in `file`: what its checks found last time, moved with it. */
  statement(key: string, file: string, base: number): StatementFindings {
    const before = this.previous.get(key);
    // Where it did not move, last time's entry is this time's.
    const now: Entry = before && before.base === base ? before : { base, byCheck: new Map() };
    this.current.set(key, now);
    return new StatementFindings(file, now, before === now ? undefined : before);
  }
}

/** What the checks found in one statement: kept from last time, or kept now for next time. */
export class StatementFindings {
  constructor(
    private readonly file: string,
    private readonly now: Entry,
    /** Last time's entry when the statement moved. */
    private readonly before: Entry | undefined,
  ) {}

  /** What `checkId` found in the statement last time, reading `input` then too (moved to where the statement is now). */
  take(checkId: string, input: string): Finding[] | undefined {
    const found = (this.before ?? this.now).byCheck.get(checkId);
    if (!found || found.input !== input) return undefined;
    if (!this.before) return found.findings;
    const delta = this.now.base - this.before.base;
    const findings = found.findings.map((f) => moved(f, delta, this.file));
    this.now.byCheck.set(checkId, { input, findings });
    return findings;
  }

  /** Keeps what a check found in the statement (not findings whose fixes are made when asked for: they read the old tree). */
  keep(checkId: string, input: string, findings: Finding[]): void {
    // Not kept either: a check's failure, reported at the document (it is tried again next time).
    if (findings.some((f) => f.checkId === 'internal-error' || Object.getOwnPropertyDescriptor(f, 'fixes')?.get)) return;
    this.now.byCheck.set(checkId, { input, findings });
  }
}

/** One memo per document of a file, by the document's index. */
export class StatementMemos {
  private readonly memos: StatementMemo[] = [];

  for(index: number): StatementMemo {
    return (this.memos[index] ??= new StatementMemo());
  }
}

/** A finding of `file` moved by `delta`: its span, its related places in the file, and its fixes' edits of the file. */
function moved(f: Finding, delta: number, file: string): Finding {
  const out: Finding = { ...f, span: shifted(f.span, delta) };
  // Places in other files stay where they are.
  if (f.related) out.related = f.related.map((r) => (r.file === file ? { ...r, span: shifted(r.span, delta) } : r));
  if (f.fixes) {
    out.fixes = f.fixes.map((fix) => ({
      ...fix,
      changes: fix.changes.map((c) => (c.file === undefined ? { ...c, edits: c.edits.map((e) => ({ ...e, ...shifted(e, delta) })) } : c)),
    }));
  }
  return out;
}

function shifted(span: Span, delta: number): Span {
  return { offset: span.offset + delta, length: span.length };
}
