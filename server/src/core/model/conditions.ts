/**
 * The Condition block: `{ Operator: { Key: value-or-values } }`. Operators may carry a
 * set qualifier (`ForAllValues:`, `ForAnyValue:`) and an `IfExists` suffix.
 */
import type { JsonNode } from '../json/jsonDocument';
import { lastOfEachKey } from './duplicateKeys';
import { valueItems, type Statement, type ValueItem } from './policyDocument';
import { lookupTable } from '../lookupTable';
import { resolvedItems } from './resolvedValues';
import type { TemplateContext } from './templateValues';
import { none } from '../arrays';

/** Base operators and the kind of value each compares. */
export const CONDITION_OPERATORS = lookupTable<'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'IPAddress' | 'ARN' | 'Null'>({
  StringEquals: 'String',
  StringNotEquals: 'String',
  StringEqualsIgnoreCase: 'String',
  StringNotEqualsIgnoreCase: 'String',
  StringLike: 'String',
  StringNotLike: 'String',
  NumericEquals: 'Numeric',
  NumericNotEquals: 'Numeric',
  NumericLessThan: 'Numeric',
  NumericLessThanEquals: 'Numeric',
  NumericGreaterThan: 'Numeric',
  NumericGreaterThanEquals: 'Numeric',
  DateEquals: 'Date',
  DateNotEquals: 'Date',
  DateLessThan: 'Date',
  DateLessThanEquals: 'Date',
  DateGreaterThan: 'Date',
  DateGreaterThanEquals: 'Date',
  Bool: 'Bool',
  BinaryEquals: 'Binary',
  IpAddress: 'IPAddress',
  NotIpAddress: 'IPAddress',
  ArnEquals: 'ARN',
  ArnLike: 'ARN',
  ArnNotEquals: 'ARN',
  ArnNotLike: 'ARN',
  Null: 'Null',
});

export interface ParsedOperator {
  /** As written. */
  text: string;
  /** The base operator with its canonical spelling, or undefined when unknown. */
  base: string | undefined;
  /** The base as written (without qualifier and suffix). */
  baseText: string;
  set: 'ForAllValues' | 'ForAnyValue' | undefined;
  ifExists: boolean;
  /** A problem with the composition (`Null` with IfExists, unknown qualifier…). */
  problem?: string;
}

const BASE_BY_LOWER = new Map(Object.keys(CONDITION_OPERATORS).map((k) => [k.toLowerCase(), k]));

/** Operators are case-sensitive in AWS; a case-only mismatch is reported with the right spelling. */
export function parseOperator(text: string): ParsedOperator {
  let rest = text;
  let set: ParsedOperator['set'];
  let problem: string | undefined;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const q = rest.slice(0, colon);
    if (q === 'ForAllValues' || q === 'ForAnyValue') set = q;
    else problem = `Unknown set operator qualifier "${q}": use ForAllValues: or ForAnyValue:.`;
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.endsWith('IfExists') && rest !== 'IfExists') {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  const base = Object.hasOwn(CONDITION_OPERATORS, rest) ? rest : undefined;
  if (base === 'Null' && ifExists) problem = 'Null cannot be combined with IfExists.';
  return { text, base, baseText: rest, set, ifExists, problem };
}

/** The canonical operator name for a case-insensitive match of the base, if any. */
export function canonicalBase(baseText: string): string | undefined {
  return BASE_BY_LOWER.get(baseText.toLowerCase());
}

export interface ConditionEntry {
  operatorNode: JsonNode;
  operator: ParsedOperator;
  keyNode: JsonNode;
  key: string;
  valueNode: JsonNode | undefined;
  values: ValueItem[];
}

/** The entries of a statement's Condition element, read once per statement (shared: do not modify). */
export function statementConditions(s: Statement): readonly ConditionEntry[] {
  if (s.conditions) return s.conditions;
  const entries = conditionEntries(s.elements.Condition?.value);
  // Most statements have none: they share one empty list (a statement of a grant lives as long as its file).
  return (s.conditions = entries.length ? entries : none());
}

/**
 * The entries of a Condition element, read again on every call. (A memo in a WeakMap keyed
 * by the Condition node kept the entries, and their parse trees, of every file read through
 * young-generation collections: about 130 MB of peak memory on a 20,000-file workspace, and
 * slower than reading the entries again.)
 */
export function conditionEntries(condition: JsonNode | undefined): ConditionEntry[] {
  const out: ConditionEntry[] = [];
  // An operator or a key given twice: the last one counts, as JSON readers take it (the schema check reports it).
  const ops = lastOfEachKey(condition);
  for (let j = 0; j < ops.length; j++) {
    const op = ops[j];
    const operator = parseOperator(op.name);
    const ks = lastOfEachKey(op.value);
    for (let i = 0; i < ks.length; i++) {
      const k = ks[i];
      out.push({ operatorNode: op.key, operator, keyNode: k.key, key: k.name, valueNode: k.value, values: valueItems(k.value) });
    }
  }
  return out;
}

/** Operators that limit a key to the values they list. */
const POSITIVE_OPERATORS: ReadonlySet<string> = new Set(['StringEquals', 'StringEqualsIgnoreCase', 'StringLike', 'ArnEquals', 'ArnLike']);

/** Whether an entry limits its key to the values it lists: a positive operator, without IfExists or ForAllValues. */
export function isPositiveEntry(e: ConditionEntry): boolean {
  return !!e.operator.base && POSITIVE_OPERATORS.has(e.operator.base) && !e.operator.ifExists && e.operator.set !== 'ForAllValues';
}

/** What a statement's positive conditions on some keys say (see `positiveConditionValues`). */
export interface PositiveValues {
  /**
   * The values the keys must have: those every entry with all its values known allows
   * (`StringEquals` of two keys, or two entries on one key: the values in all of them).
   * Undefined when no entry has all its values known.
   */
  values: string[] | undefined;
}

/**
 * The positive conditions of a statement on the keys `keys` (lower case): the one reader of
 * account, organization and principal conditions for the handshake and the checks. Undefined
 * when the statement has no positive entry on them. Values are read as `resolvedItems` reads
 * them: template values resolved with `ctx`, a bare account id written as a number as its
 * digits. An entry with a value that stays unknown (an unresolved template value), or (unless
 * `patterns`: the caller matches the values as patterns) with a wildcard pattern under a Like
 * operator, still limits the key, to values not listed: it narrows nothing, and its values are
 * not read (the condition evaluator decides patterns per caller).
 */
export function positiveConditionValues(s: Statement, keys: string | readonly string[], ctx: TemplateContext | undefined, patterns = false): PositiveValues | undefined {
  const wanted = typeof keys === 'string' ? [keys] : keys;
  let found = false;
  let values: string[] | undefined;
  const eList = statementConditions(s);
  for (let i = 0; i < eList.length; i++) {
    const e = eList[i];
    if (!wanted.includes(e.key.toLowerCase()) || !isPositiveEntry(e)) continue;
    found = true;
    const listed = resolvedItems(e.valueNode, ctx).map((v) => v.value);
    if (!listed.every((v): v is string => v !== undefined)) continue;
    // Patterns (`StringLike "4444*"`) are no list of values: unless the caller reads them as patterns, the entry limits the key to values not listed here.
    if (!patterns && (e.operator.base === 'StringLike' || e.operator.base === 'ArnLike') && listed.some((v) => /[*?]/.test(v))) continue;
    values = values ? values.filter((v) => listed.includes(v)) : listed;
  }
  return found ? { values } : undefined;
}
