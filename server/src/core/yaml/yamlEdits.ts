/**
 * Fix edits in a YAML document's own style. Fixes are written as JSON text; most replace one
 * scalar (an action, a condition key, an account) with a JSON literal. In YAML that literal
 * is rewritten in the style of the text it replaces: a plain scalar stays plain when it can,
 * a single-quoted one stays single-quoted, a double-quoted one keeps JSON's escapes (they
 * are YAML's too). Edits that insert or delete structure (new properties, list items) are
 * JSON-shaped and would break YAML's block style: they have no YAML form yet.
 */

/** What replaces `text[offset, offset + length)` in a YAML text instead of `newText` (JSON); undefined when the edit has no YAML form. */
export function yamlReplacement(text: string, offset: number, length: number, newText: string): string | undefined {
  if (length === 0 || newText.includes('\n')) return undefined;
  const old = text.slice(offset, offset + length);
  if (old.includes('\n')) return undefined;
  // Part of a scalar's content replaced by plain name characters (an action or service name):
  // the same text in any scalar style.
  if (NAME_TEXT.test(old) && NAME_TEXT.test(newText)) return newText;
  let value: unknown;
  try {
    value = JSON.parse(newText);
  } catch {
    return undefined;
  }
  if (typeof value !== 'string') {
    // One JSON value on one line (a number, a flow list or map) is YAML as it is, in place of a scalar.
    return /^[&*!|>]/.test(old) ? undefined : newText;
  }
  if (old.startsWith('"')) return JSON.stringify(value);
  if (old.startsWith("'")) return singleQuoted(value);
  return isSafePlain(value) ? value : singleQuoted(value);
}

/** Text that means the same inside any YAML scalar style (and is not a JSON literal). */
const NAME_TEXT = /^[A-Za-z0-9_*.\-/][A-Za-z0-9_:*.\-/]*$/;

function singleQuoted(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * Whether a string can be written as a plain scalar and read back as that same string:
 * no indicator first, no `: ` or ` #`, no trailing colon or space, and not a number,
 * boolean or null to a YAML reader (1.1 or 1.2).
 */
export function isSafePlain(s: string): boolean {
  if (s === '' || /^[\s\-?:,[\]{}#&*!|>'"%@`]/.test(s)) return false;
  if (/\s$|:$|: |\s#|[\n\r\t]/.test(s)) return false;
  if (/[,[\]{}]/.test(s)) return false;
  if (/^(true|false|yes|no|on|off|y|n|null|~)$/i.test(s)) return false;
  if (/^[-+]?(\.?[0-9]|\.(inf|nan)$)/i.test(s)) return false;
  return true;
}
