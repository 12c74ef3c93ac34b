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
  findings: Finding[];
}

/** By statement key (see the engine's `statementKey`), then by check id. */
type Entries = Map<string, Map<string, Entry>>;

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

  /** What `checkId` found in the statement `key` last time, moved to the statement of `file` now at `base`. */
  take(key: string, checkId: string, file: string, base: number): Finding[] | undefined {
    const e = this.previous.get(key)?.get(checkId);
    if (!e) return undefined;
    const findings = base === e.base ? e.findings : e.findings.map((f) => moved(f, base - e.base, file));
    this.put(key, checkId, { base, findings });
    return findings;
  }

  /** Keeps what a check found in a statement (not findings whose fixes are made when asked for: they read the old tree). */
  keep(key: string, checkId: string, base: number, findings: Finding[]): void {
    // Not kept either: a check's failure, reported at the document (it is tried again next time).
    if (findings.some((f) => f.checkId === 'internal-error' || Object.getOwnPropertyDescriptor(f, 'fixes')?.get)) return;
    this.put(key, checkId, { base, findings });
  }

  private put(key: string, checkId: string, entry: Entry): void {
    let byCheck = this.current.get(key);
    if (!byCheck) this.current.set(key, (byCheck = new Map()));
    byCheck.set(checkId, entry);
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
