/**
 * AWS policy variables written in a Terraform file as they are (`${aws:username}`), not as
 * Terraform's escape (`$${aws:username}`). In a Terraform string `${…}` is an interpolation, and
 * `aws:username` is not an expression: Terraform cannot parse the file, and neither can the
 * reader's parser, whose error recovery may then lose the rest of the file. The reader parses
 * the text with each such `${` written `$$` (same length, so every offset holds), which the
 * parser reads as literal text; the values are read from the file's own text, where the
 * variable is `${aws:username}`, and `policy-variable-syntax` reports it.
 */
import type { Span } from '../../findings';

/**
 * `${` then an AWS policy variable and `}` on the same line: a `service:key` name (`aws:username`,
 * `s3:prefix`, `saml:sub`, `aws:PrincipalTag/team, 'default'`) or `*`, `?`, `$`. No Terraform
 * expression starts with a name and a colon, or is one of those characters.
 */
const POLICY_VARIABLE = /\$\{\s*(?:[*?$]|[A-Za-z0-9.-]+:[^}\n]*?)\s*\}/g;

/**
 * The AWS policy variables of a Terraform file's text written `${…}`, not escaped as `$${…}`
 * (offset of `$`, length through `}`), in order.
 */
export function unescapedHclPolicyVariables(text: string): Span[] {
  const out: Span[] = [];
  if (!text.includes('${')) return out;
  POLICY_VARIABLE.lastIndex = 0;
  for (let m = POLICY_VARIABLE.exec(text); m; m = POLICY_VARIABLE.exec(text)) {
    // `$${aws:username}` is Terraform's escape for the text `${aws:username}`.
    if (m.index > 0 && text[m.index - 1] === '$') continue;
    out.push({ offset: m.index, length: m[0].length });
  }
  return out;
}

/** The text the parser reads: each variable's `${` written `$$`, which Terraform reads as text (the same length). */
export function parseableHclText(text: string, variables: readonly Span[]): string {
  if (variables.length === 0) return text;
  let out = '';
  let last = 0;
  for (let i = 0; i < variables.length; i++) {
    const brace = variables[i].offset + 1;
    out += text.slice(last, brace) + '$';
    last = brace + 1;
  }
  return out + text.slice(last);
}
