/**
 * One-line meanings of the policy language's words: elements, principal types, condition
 * operators and their qualifiers. Shared by hover and completion.
 */
import { CONDITION_OPERATORS, canonicalBase, parseOperator } from '../model/conditions';
import { lookupTable } from '../lookupTable';

export const POLICY_ELEMENTS = lookupTable<string>({
  Version: 'The policy language version. Use `2012-10-17`; `2008-10-17` (or no Version) turns policy variables off.',
  Id: 'An optional identifier for the policy.',
  Statement: 'The statements of the policy: each allows or denies actions. A single statement object is accepted too.',
});

export const STATEMENT_ELEMENT_TEXT = lookupTable<string>({
  Sid: 'An optional statement identifier; unique within the policy.',
  Effect: '`Allow` or `Deny`. An explicit Deny overrides every Allow.',
  Principal: 'Who the statement applies to. Required in key policies and trust policies; not allowed in identity policies.',
  NotPrincipal: 'Every principal except the ones listed. With `Allow` it grants to nearly everyone; use `Principal` with conditions instead.',
  Action: 'The actions the statement allows or denies: `service:Action`, wildcards allowed, case-insensitive.',
  NotAction: 'Every action except the ones listed. With `Allow` it grants every other action of every service.',
  Resource: 'The resources the statement covers, by ARN (wildcards allowed). In a key policy `"*"` means this key.',
  NotResource: 'Every resource except the ones listed.',
  Condition: 'When the statement applies: `{ "Operator": { "key": value or [values] } }`. All operators and keys must match; the values of one key are alternatives.',
});

export const PRINCIPAL_TYPES = lookupTable<string>({
  AWS: 'AWS accounts (`arn:aws:iam::111122223333:root` or `111122223333`), IAM roles and users, assumed-role sessions, or `"*"`.',
  Service: 'AWS service principals such as `logs.amazonaws.com`: the service acting on its own behalf.',
  Federated: 'An identity provider: a SAML or OIDC provider ARN, or a web identity provider such as `cognito-identity.amazonaws.com` (role trust policies).',
  CanonicalUser: 'An Amazon S3 canonical user id.',
});

const BASE_OPERATOR_TEXT = lookupTable<string>({
  StringEquals: 'Exact string match, case-sensitive.',
  StringNotEquals: 'True when the value equals none of the listed strings (case-sensitive).',
  StringEqualsIgnoreCase: 'Exact string match, ignoring case.',
  StringNotEqualsIgnoreCase: 'True when the value equals none of the listed strings, ignoring case.',
  StringLike: 'Case-sensitive match with `*` (any run of characters) and `?` (one character) wildcards.',
  StringNotLike: 'True when the value matches none of the listed wildcard patterns.',
  NumericEquals: 'Number equal to a listed value.',
  NumericNotEquals: 'Number equal to none of the listed values.',
  NumericLessThan: 'Number less than the value.',
  NumericLessThanEquals: 'Number less than or equal to the value.',
  NumericGreaterThan: 'Number greater than the value.',
  NumericGreaterThanEquals: 'Number greater than or equal to the value.',
  DateEquals: 'Date equal to a listed value (ISO 8601 or epoch seconds).',
  DateNotEquals: 'Date equal to none of the listed values.',
  DateLessThan: 'Date before the value.',
  DateLessThanEquals: 'Date at or before the value.',
  DateGreaterThan: 'Date after the value.',
  DateGreaterThanEquals: 'Date at or after the value.',
  Bool: 'Boolean match: `true` or `false` (as a string or a JSON boolean).',
  BinaryEquals: 'Byte-for-byte match of a base64-encoded value.',
  IpAddress: 'IP address within a listed address or CIDR range (IPv4 or IPv6).',
  NotIpAddress: 'IP address outside every listed address and CIDR range.',
  ArnEquals: 'ARN match, compared part by part (partition, service, region, account, resource).',
  ArnLike: 'ARN match part by part, with `*` and `?` wildcards.',
  ArnNotEquals: 'True when the ARN matches none of the listed ARNs.',
  ArnNotLike: 'True when the ARN matches none of the listed ARN patterns.',
  Null: '`true`: the key is absent from the request; `false`: the key is present (with any value).',
});

export const QUALIFIER_TEXT = {
  ForAllValues: '`ForAllValues:` every value of the request\'s multivalued key must match a listed value. Also true when the key is absent or empty: with `Allow`, add a `Null` check.',
  ForAnyValue: '`ForAnyValue:` at least one value of the request\'s multivalued key must match a listed value. False when the key is absent.',
  IfExists: '`…IfExists`: when the key is absent from the request the condition is true; otherwise it is evaluated normally.',
};

export function baseOperatorText(base: string): string | undefined {
  return BASE_OPERATOR_TEXT[base];
}

/** Markdown describing an operator as written; says so when it is unknown. */
export function operatorMarkdown(text: string): string {
  const op = parseOperator(text);
  const lines: string[] = [];
  if (!op.base) {
    const suggestion = canonicalBase(op.baseText);
    lines.push(`**${text}**: unknown condition operator.${suggestion ? ` Did you mean \`${text.replace(op.baseText, suggestion)}\`? Operators are case-sensitive.` : ''}`);
  } else {
    const compares = op.base === 'Null' ? 'checks whether a key is present' : `compares ${CONDITION_OPERATORS[op.base]} values`;
    lines.push(`**${text}** (condition operator, ${compares})`, '', BASE_OPERATOR_TEXT[op.base]);
    if (op.set) lines.push('', QUALIFIER_TEXT[op.set]);
    if (op.ifExists) lines.push('', QUALIFIER_TEXT.IfExists);
  }
  if (op.problem) lines.push('', op.problem);
  return lines.join('\n');
}

/** The operators offered by completion: each base, its IfExists form, and the set-qualified forms of string and ARN operators. */
export function operatorNames(): { name: string; rank: number }[] {
  const out: { name: string; rank: number }[] = [];
  const bases = Object.keys(CONDITION_OPERATORS);
  for (const b of bases) out.push({ name: b, rank: 0 });
  for (const b of bases) if (b !== 'Null') out.push({ name: `${b}IfExists`, rank: 1 });
  for (const b of bases) {
    const kind = CONDITION_OPERATORS[b];
    if (kind !== 'String' && kind !== 'ARN') continue;
    out.push({ name: `ForAnyValue:${b}`, rank: 2 }, { name: `ForAllValues:${b}`, rank: 2 });
  }
  return out;
}
