import type { Check } from './check';
import type { PolicyDocument } from '../model/policyDocument';
import { iamPrincipalKind } from '../model/arn';
import { prop, properties, toValue } from '../json/nodes';
import type { JsonNode } from '../json/jsonDocument';

export const KEY_POLICY_MAX_BYTES = 32_768;
export const MANAGED_POLICY_MAX_CHARS = 6_144;
/** Inline policies: the limit is the total of all inline policies of the identity. */
export const INLINE_POLICY_MAX_CHARS = { role: 10_240, user: 2_048, group: 5_120 } as const;
/** A role trust policy's default length quota; Service Quotas raises it (up to 8,192). */
export const TRUST_POLICY_DEFAULT_CHARS = 2_048;

/**
 * The policy text as AWS receives it: as written, or compact JSON for a template. A value
 * computed at deploy time counts for the least it can be (see `leastValue`), so that a
 * policy is reported only when it is over the limit whatever the values turn out to be.
 */
function policyText(doc: PolicyDocument): string {
  if (doc.source === 'cloudformation' || doc.source === 'terraform') return JSON.stringify(leastValue(toValue(doc.root)));
  return doc.json.text.slice(doc.root.offset, doc.root.offset + doc.root.length);
}

/**
 * At most the length of a template policy's compact JSON (`policyText`), read off its nodes
 * without making the text: each character of a string or key counted as the longest it can be
 * written as (`\u0000`: six characters, and never more UTF-8 bytes), any other value as 24
 * (a number's longest text); intrinsic functions only shorten the text. Counting stops once
 * over `max`.
 */
export function templateTextBound(node: JsonNode | undefined, max: number): number {
  if (!node) return 4;
  switch (node.type) {
    case 'string':
      return 2 + 6 * String(node.value ?? '').length;
    case 'array': {
      const cs = node.children ?? [];
      let n = 1 + cs.length;
      for (let i = 0; i < cs.length && n <= max; i++) n += templateTextBound(cs[i], max - n);
      return n;
    }
    case 'object': {
      const ps = properties(node);
      let n = 1 + ps.length;
      for (let i = 0; i < ps.length && n <= max; i++) n += 3 + 6 * ps[i].name.length + templateTextBound(ps[i].value, max - n);
      return n;
    }
    default:
      return 24;
  }
}

/** Whether the policy is surely within `max` (characters or bytes): a template's policy whose text cannot be longer is not written out. */
function surelyWithin(doc: PolicyDocument, max: number): boolean {
  return (doc.source === 'cloudformation' || doc.source === 'terraform') && templateTextBound(doc.root, max) <= max;
}

/** The name of an intrinsic function object (`Ref`, `Fn::Sub`, `Fn::Terraform`…), else undefined. */
function intrinsicName(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const name = keys[0];
  return name === 'Ref' || name === 'Condition' || name.startsWith('Fn::') ? name : undefined;
}

/**
 * A template value with each intrinsic function replaced by the shortest text it can deploy
 * as: a `Fn::Sub` by its literal text (its `${…}` parts left out), any other function by an
 * empty string. `{"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}` is not
 * what IAM measures; `arn:aws:iam::111122223333:root` is, and it is never shorter than
 * `arn::iam:::root`.
 */
function leastValue(value: unknown): unknown {
  const name = intrinsicName(value);
  if (name === 'Fn::Sub') {
    const arg = (value as Record<string, unknown>)[name];
    const template = typeof arg === 'string' ? arg : Array.isArray(arg) && typeof arg[0] === 'string' ? arg[0] : '';
    // `${!Literal}` deploys as `${Literal}`: leaving it out too keeps the count a lower bound.
    return template.replace(/\$\{[^}]*\}/g, '');
  }
  if (name !== undefined) return '';
  if (Array.isArray(value)) return value.map(leastValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    const list = Object.entries(value);
    for (let i = 0; i < list.length; i++) {
      const [k, v] = list[i];
      out[k] = leastValue(v);
    }
    return out;
  }
  return value;
}

/** Characters other than whitespace, when they are more than `max` (counted only when the text could be over it at all). */
function nonWhitespaceOver(text: string, max: number): number | undefined {
  if (text.length <= max) return undefined;
  const spaces = whitespaceCount(text, text.length - max);
  return spaces >= text.length - max ? undefined : text.length - spaces;
}

/** `nonWhitespaceOver` of the policy's text; the parser's count of its whitespace when it is the whole parsed tree's. */
function policyCharsOver(doc: PolicyDocument, max: number): number | undefined {
  const spaces = doc.json.whitespace;
  if (spaces === undefined || doc.root !== doc.json.root || doc.source === 'cloudformation' || doc.source === 'terraform') {
    return nonWhitespaceOver(policyText(doc), max);
  }
  const length = doc.root.length;
  return length - spaces > max ? length - spaces : undefined;
}

const encoder = new TextEncoder();
/** Reused, a piece of the text at a time: byte loops are about half as costly as `charCodeAt` loops. */
let scratch: Uint8Array | undefined;
const SCRATCH_CHARS = 1 << 16;

/**
 * The text's spaces, tabs and line breaks, counted until there are `enough`. Counted in the
 * UTF-8 bytes of each piece: a character of several bytes has none of them below 0x80 (a
 * surrogate pair cut in two becomes replacement characters, of three such bytes each), so
 * the count is the same.
 */
function whitespaceCount(text: string, enough: number): number {
  const bytes = (scratch ??= new Uint8Array(SCRATCH_CHARS * 3));
  let spaces = 0;
  for (let from = 0; from < text.length; from += SCRATCH_CHARS) {
    const { written } = encoder.encodeInto(text.slice(from, from + SCRATCH_CHARS), bytes);
    for (let i = 0; i < written; i++) {
      const c = bytes[i];
      if (c <= 0x20 && (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) && ++spaces >= enough) return spaces;
    }
  }
  return spaces;
}

/** The kind of identity an inline policy is embedded in, when the owner says it. */
function inlineOwner(doc: PolicyDocument): keyof typeof INLINE_POLICY_MAX_CHARS | undefined {
  const kind = doc.owner.principals?.[0] ? iamPrincipalKind(doc.owner.principals[0]) : undefined;
  return kind === 'role' || kind === 'user' || kind === 'group' ? kind : undefined;
}

/**
 * A key policy over 32,768 bytes, an identity policy over its character limit, or a role
 * trust policy over the default 2,048 characters (a warning: the quota can be raised)
 * (whitespace not counted). A policy whose attachment is unknown (a bare file) is measured
 * against the managed-policy limit with warning severity: it may be an inline role policy
 * (10,240) or a copy of an AWS managed policy, which these limits do not apply to. AWS
 * managed policies in an authorization-details export are not measured.
 */
export const policyTooLarge: Check = {
  id: 'policy-too-large',
  defaultSeverity: 'error',
  summary: 'Key policy over 32,768 bytes, identity policy over its character limit, trust policy over 2,048 characters',
  kinds: ['kms-key-policy', 'iam-identity-policy', 'iam-trust-policy'],
  run(ctx) {
    const { doc } = ctx;
    const at = prop(doc.root, 'Statement')?.key ?? doc.root;
    if (doc.kind === 'kms-key-policy') {
      if (surelyWithin(doc, KEY_POLICY_MAX_BYTES)) return;
      const bytes = Buffer.byteLength(policyText(doc), 'utf8');
      if (bytes > KEY_POLICY_MAX_BYTES) {
        ctx.report(at, `This key policy is ${bytes} bytes; KMS accepts at most ${KEY_POLICY_MAX_BYTES}. Split it (grants, IAM policies) or shorten it.`);
      }
      return;
    }
    if (doc.kind === 'iam-trust-policy') {
      if (surelyWithin(doc, TRUST_POLICY_DEFAULT_CHARS)) return;
      const chars = policyCharsOver(doc, TRUST_POLICY_DEFAULT_CHARS);
      if (chars !== undefined) {
        ctx.report(at, `This role trust policy is over the ${TRUST_POLICY_DEFAULT_CHARS} characters IAM accepts by default: shorten it, or raise the quota. It has ${chars} characters (whitespace not counted); the account's role trust policy length quota can be raised in Service Quotas, up to 8,192: ignore this if it was.`, { severity: 'warning' });
      }
      return;
    }
    if (doc.isInlinePolicy) {
      const owner = inlineOwner(doc);
      if (!owner) return;
      const max = INLINE_POLICY_MAX_CHARS[owner];
      if (surelyWithin(doc, max)) return;
      const chars = policyCharsOver(doc, max);
      if (chars !== undefined) {
        ctx.report(at, `This inline ${owner} policy is over the ${max} characters IAM accepts: use managed policies instead. It has ${chars} characters (whitespace not counted); all inline policies of a ${owner} together may have at most ${max}.`);
      }
      return;
    }
    // AWS managed policies (`arn:aws:iam::aws:policy/…`) are not held to the customer limit.
    if (doc.policyArn && /^arn:[^:]+:iam::aws:policy\//.test(doc.policyArn)) return;
    if (surelyWithin(doc, MANAGED_POLICY_MAX_CHARS)) return;
    const chars = policyCharsOver(doc, MANAGED_POLICY_MAX_CHARS);
    if (chars !== undefined) {
      const known = doc.isManagedPolicy === true;
      ctx.report(at, known
        ? `This managed policy is over the ${MANAGED_POLICY_MAX_CHARS} characters IAM accepts: split it into several policies. It has ${chars} characters (whitespace not counted).`
        : `This policy is over the ${MANAGED_POLICY_MAX_CHARS} characters IAM accepts in a managed policy: shorten or split it. It has ${chars} characters (whitespace not counted); inline role policies may have ${INLINE_POLICY_MAX_CHARS.role} in total.`,
      known ? undefined : { severity: 'warning' });
    }
  },
};
