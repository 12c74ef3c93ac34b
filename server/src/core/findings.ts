/** What checks produce. Only the LSP layer turns these into Diagnostics. */

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

/** A span in a file's text, as UTF-16 offsets. */
export interface Span { offset: number; length: number }

export interface TextEdit { offset: number; length: number; newText: string }

/** Edits to one file; `file` undefined means the file the finding is in. */
export interface FileEdit { file?: string; edits: TextEdit[]; /** create the file with this content when absent */ create?: boolean }

export interface Fix {
  title: string;
  /** Stable id of the fix kind, e.g. `narrow-root-to-role`. */
  id: string;
  isPreferred?: boolean;
  changes: FileEdit[];
}

/**
 * The object an edit adds a property to (its offset and length): JSON text says it by the
 * edit's place, but a YAML block mapping ends where its last value does, so the edit names it.
 */
export interface ContainerSpan { offset: number; length: number }

/** A fix whose edits are in the document's own coordinates (see PolicyDocument.toFileOffset). */
export interface LocalFix {
  title: string;
  id: string;
  isPreferred?: boolean;
  /**
   * Edits in the document's text; mapped to the file (and escaped for embedded documents) by the
   * engine. `whole`: a list in place of an item of a list is one value there, not items of it.
   */
  edits: { offset: number; length: number; newText: string; into?: ContainerSpan; whole?: boolean }[];
  /** Edits to other files, already in file coordinates. */
  otherFiles?: Fix['changes'];
  /** The edits are written in this syntax (JSON when absent): Terraform HCL for policies read from HCL. */
  syntax?: 'hcl';
}

export interface RelatedInfo { file: string; span: Span; message: string }

/**
 * One statement of a handshake finding about who can use which key, for tests and JSON
 * output: "principal can (or cannot) use these actions on the key".
 */
export interface AccessClaim {
  /** The key ARN, or the key's ARN pattern (`arn:aws:kms:*:A:key/*`) when only its account is known. */
  key: string;
  /** A role or user ARN, or the account root ARN `arn:aws:iam::B:root` meaning every principal of B. */
  principal: string;
  /** `kms:Decrypt`… in the catalog's spelling. */
  actions: string[];
  /** True: the principal can use these actions on the key; false: it cannot. */
  can: boolean;
  /** With `can`: only under conditions the product could not decide. */
  conditional?: boolean;
  /** With `can`: only through these `kms:ViaService` values. */
  via?: string[];
  /**
   * The claim is about the statement the finding is on: what that key-policy statement gives
   * (with the key policy's Deny statements), or what that IAM statement grants (with the
   * principal's Deny statements). Another statement may give more.
   */
  statement?: boolean;
}

export interface Finding {
  checkId: string;
  severity: Severity;
  message: string;
  /** Span in the file the finding is reported in. */
  span: Span;
  related?: RelatedInfo[];
  /** Some checks make their fixes when this is first read (a getter); read it only when needed. */
  fixes?: Fix[];
  /** What a handshake finding states about who can use which key (tests and JSON output read it). */
  claims?: AccessClaim[];
}

/**
 * How long a message's first sentence may be: the Problems panel shows one line of a message,
 * so it leads with one short sentence (what is wrong, what to do) and the details follow.
 */
export const LEAD_SENTENCE_MAX = 120;

/**
 * A message's first sentence naming something: with its full `name` when the sentence fits
 * the Problems panel's line, otherwise with the `short` way of saying it (the details name it).
 */
export function leadSentence(make: (name: string) => string, name: string, short: string): string {
  const full = make(name);
  return full.length <= LEAD_SENTENCE_MAX ? full : make(short);
}
