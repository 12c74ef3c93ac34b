/** The shape of one check module. */
import type { Catalog } from '../catalog/catalog';
import type { JsonNode } from '../json/jsonDocument';
import type { AccessClaim, Fix, LocalFix, RelatedInfo, Severity, Span } from '../findings';
import type { PolicyDocument, PolicyKind, Statement } from '../model/policyDocument';
import type { GrantDeclaration } from '../model/kmsGrants';

export interface ReportOptions {
  /**
   * The finding's fixes, or a function that makes them when they are first asked for (code
   * actions): for fixes that are many per finding and rarely used. The function may run
   * later, but only while the finding is current.
   */
  fixes?: LocalFix[] | (() => LocalFix[]);
  /** Related locations in other files (file coordinates). */
  related?: RelatedInfo[];
  /** Related locations in this document (document coordinates). */
  relatedHere?: { span: Span; message: string }[];
  /** Overrides the check's default severity (before user settings apply). */
  severity?: Severity;
  /**
   * What the finding states about who can use which key (handshake checks), or a function that
   * makes it when first read: only the CLI's JSON output and tests read claims.
   */
  claims?: AccessClaim[] | (() => AccessClaim[]);
}

export interface CheckContext<W = unknown> {
  doc: PolicyDocument;
  /** The statements to check: the document's, or one of them (see `Check.statementLocal`). */
  statements: readonly Statement[];
  /** Every statement of the document, for what a check reads besides the ones it checks (see `Check.documentInput`). */
  documentStatements: readonly Statement[];
  /**
   * A value worked out from `statements` once for all the checks of this run (several checks
   * read the same action strings). It lives as long as the run: a memo kept anywhere longer,
   * keyed by a run's objects, holds the document's tree through the young-generation
   * collections of a folder's reading (see bench/README.md, item 25).
   */
  shared<T>(key: string, compute: () => T): T;
  catalog: Catalog;
  /** The workspace model, for checks that look across files; undefined for single-file runs. */
  workspace?: W;
  /** Report at a node or a span of the document's text. */
  report(at: JsonNode | Span, message: string, options?: ReportOptions): void;
}

/** What a check reads of the KMS grants a file declares (Terraform `aws_kms_grant`); spans and edits are in file coordinates. */
export interface GrantCheckContext {
  grants: readonly GrantDeclaration[];
  catalog: Catalog;
  /** Report at a span of the file's text; the fixes' edits are in the file's text too. */
  report(at: Span, message: string, fixes?: LocalFix[]): void;
}

export interface Check<W = unknown> {
  id: string;
  defaultSeverity: Severity;
  summary: string;
  /** Document kinds the check runs on; all kinds when absent. */
  kinds?: PolicyKind[];
  /** Workspace checks need the workspace model and are re-run when other files change. */
  scope?: 'document' | 'workspace';
  /**
   * What the check reports on a statement depends on that statement alone (with its index
   * and the document's own properties: kind, owner, source, Version, template): it reads no
   * other statement, reports inside the statement, and its fixes edit only inside it. The
   * engine may then run it one statement at a time and keep what it found in statements an
   * edit did not change (see `StatementMemo`). `test/unit/core/statementMemo.test.ts`
   * checks the claim.
   */
  statementLocal?: boolean;
  /**
   * For a statement-local check that also reads something of the other statements (read
   * from `documentStatements`): that something, as text. What the check found in a statement
   * is kept only while it stays the same.
   */
  documentInput?(doc: PolicyDocument, statements: readonly Statement[]): string;
  /**
   * The check also runs on documents expanded from a shorthand (a SAM policy template, see
   * `PolicyDocument.expandedFrom`), whose nodes lie on the shorthand's name except the
   * parameters written in the file: it reports there only on those parameters (`ctx.doc.expandedFrom` says when).
   */
  readsShorthandParameters?: boolean;
  run(ctx: CheckContext<W>): void;
  /**
   * Checks the values of the KMS grants a file declares, which are no policy document: a check
   * whose rule applies to them too (an operation name, a principal ARN) reports there with its id.
   */
  grants?(ctx: GrantCheckContext): void;
}

export function spanOf(at: JsonNode | Span): Span {
  return 'offset' in at && 'length' in at ? { offset: at.offset, length: at.length } : at;
}
