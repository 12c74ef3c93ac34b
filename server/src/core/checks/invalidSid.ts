import type { Check } from './check';
import { uniqueSid } from './duplicateSid';
import { removePropertyEdit } from '../model/valueEdits';

const SID = /^[A-Za-z0-9]*$/;

/**
 * IAM accepts only ASCII letters and digits in a Sid. Key policies (KMS allows spaces) and
 * other resource policies have their own rules, so that is checked in identity policies only.
 * An empty Sid, accepted everywhere, is a suggestion (info) in every policy.
 */
export const invalidSid: Check = {
  id: 'invalid-sid',
  defaultSeverity: 'error',
  summary: 'Sid with characters other than letters and digits (identity policies), or an empty Sid',
  run(ctx) {
    const taken = new Set(ctx.statements.map((s) => s.sid).filter((s): s is string => s !== undefined));
    for (let i = 0; i < ctx.statements.length; i++) {
      const s = ctx.statements[i];
      const node = s.elements.Sid?.value;
      if (s.sid === '' && node && s.elements.Sid) {
        ctx.report(node, 'The Sid is empty: name the statement, or remove the Sid.', {
          severity: 'info',
          fixes: [{ title: 'Remove the empty Sid', id: 'remove-empty-sid', edits: [removePropertyEdit(s.elements.Sid.property)] }],
        });
        continue;
      }
      if (ctx.doc.kind !== 'iam-identity-policy' || s.sid === undefined || !node || SID.test(s.sid)) continue;
      const bad = [...new Set(s.sid.replace(/[A-Za-z0-9]/g, ''))].map(describeCharacter).join(', ');
      let fixed = sidFromText(s.sid);
      if (fixed && fixed !== s.sid && taken.has(fixed)) fixed = uniqueSid(fixed, taken);
      ctx.report(node, `A Sid in an IAM policy may contain only ASCII letters and digits: remove the others. This one has ${bad}.`, {
        fixes: fixed ? [{ title: `Rename to "${fixed}"`, id: 'rename-sid', isPreferred: true, edits: [{ offset: node.offset, length: node.length, newText: JSON.stringify(fixed) }] }] : undefined,
      });
      if (fixed) taken.add(fixed);
    }
  },
};

/**
 * A character as the message names it, with its code point (`"é" (U+00E9)`); the character
 * a text decoder puts for bytes that are not UTF-8 is named as such, since the real one is
 * not known.
 */
export function describeCharacter(c: string): string {
  const code = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  if (c === '\ufffd') return `a byte that is not UTF-8 (read as ${code}: save the file as UTF-8)`;
  return `${JSON.stringify(c)} (${code})`;
}

/** `allow s3-read access` -> `allowS3ReadAccess`: words joined, each after the first capitalised. */
export function sidFromText(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
}
