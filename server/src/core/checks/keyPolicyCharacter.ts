import type { Check } from './check';
import type { JsonNode } from '../json/jsonDocument';
import type { LocalFix } from '../findings';

/**
 * Characters KMS takes in a key policy: printable ASCII and Latin-1 Supplement (U+0020–U+007E,
 * U+00A0–U+00FF), tab, line feed and carriage return (KMS Developer Guide, "Key policy format").
 */
const ALLOWED = /^[\t\n\r\x20-\x7e\xa0-\xff]*$/;
const FIRST_OTHER = /[^\t\n\r\x20-\x7e\xa0-\xff]/u;

/** ASCII for the characters editors and word processors put in by themselves. */
const LOOKALIKES: Record<string, string> = {
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2212': '-',
  '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u2032': "'",
  '\u2026': '...', '\u200b': '', '\ufeff': '', '\u2009': ' ', '\u202f': ' ',
};

/** At most this many findings per policy: one character pasted in many places says the same each time. */
const MAX_FINDINGS = 20;

/**
 * A string of a key policy (a value or a property name) with a character KMS does not take:
 * CreateKey and PutKeyPolicy refuse the policy. The usual ones come from pasting (a dash or a
 * quote made typographic, an emoji, a zero-width space).
 */
export const keyPolicyCharacter: Check = {
  id: 'key-policy-character',
  defaultSeverity: 'error',
  summary: 'A character KMS does not take in a key policy (only printable ASCII and Latin-1, tab, LF, CR)',
  kinds: ['kms-key-policy'],
  run(ctx) {
    // A policy get-key-policy returned is one KMS took.
    if (ctx.doc.source === 'get-key-policy') return;
    const text = ctx.doc.json.text;
    // A policy file is sent as written: an escape (`\u2013`) is ASCII there. A template's policy is
    // written out by CloudFormation or Terraform, which put the characters themselves.
    const asWritten = ctx.doc.source === 'file';
    let found = 0;
    const visit = (node: JsonNode | undefined, depth: number): void => {
      if (!node || found >= MAX_FINDINGS || depth > 64) return;
      if (node.type === 'string') {
        const raw = text.slice(node.offset, node.offset + node.length);
        const value = asWritten ? raw : node.value;
        if (typeof value !== 'string' || ALLOWED.test(value)) return;
        found++;
        const ch = FIRST_OTHER.exec(value)![0];
        const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
        const fix = asciiFix(node, raw, asWritten);
        const todo = fix ? (LOOKALIKES[ch] ? `write ${JSON.stringify(LOOKALIKES[ch])} instead` : 'remove it (it is invisible)') : 'remove or replace it';
        ctx.report(node, `KMS refuses ${JSON.stringify(ch)} (${code}) in a key policy: ${todo}. A key policy takes only printable ASCII and Latin-1 characters, tab, line feed and carriage return; CreateKey and PutKeyPolicy reject the policy otherwise (MalformedPolicyDocumentException).`, { fixes: fix ? [fix] : undefined });
        return;
      }
      const cs = node.children;
      if (!cs) return;
      for (let i = 0; i < cs.length; i++) visit(cs[i], depth + 1);
    };
    visit(ctx.doc.root, 0);
  },
};

/**
 * The string with each character KMS refuses replaced by its ASCII lookalike, when every one
 * has one, as JSON (the engine writes it in the file's own syntax). A policy file's string with
 * escapes is left to the writer: the fix would rewrite them.
 */
function asciiFix(node: JsonNode, raw: string, asWritten: boolean): LocalFix | undefined {
  const value = node.value;
  if (typeof value !== 'string' || (asWritten && raw.includes('\\'))) return undefined;
  let out = '';
  for (const ch of value) {
    if (ALLOWED.test(ch)) { out += ch; continue; }
    const ascii = LOOKALIKES[ch];
    if (ascii === undefined) return undefined;
    out += ascii;
  }
  return { title: 'Replace with ASCII characters', id: 'ascii-characters', isPreferred: true, edits: [{ offset: node.offset, length: node.length, newText: JSON.stringify(out) }] };
}
