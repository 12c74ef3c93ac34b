/**
 * What one resource string of a policy says (`arn:aws:s3:::bucket/*`), worked out once per
 * spelling: `invalid-arn` and `resource-type-mismatch` read the same strings, and the same
 * strings recur across statements and files.
 */
import { arnProblem } from './arnSyntax';
import { patternMeetsFormat, serviceFormats, type ResourceFormat } from './arnFormats';
import type { Catalog } from '../catalog/catalog';
import { hasVariable, replaceVariables } from './policyVariables';
import { boundedMemo } from '../recentCache';
import type { ValueItem } from './policyDocument';

export interface ResourceFact {
  /** The string as written. */
  readonly value: string;
  /** Whether policy variables are enabled (the Version is 2012-10-17). */
  readonly variables: boolean;
  /** Whether it holds `${…}` (a policy variable, or literal text under an old Version). */
  readonly hasVariable: boolean;
  /** The string as matched: with policy variables replaced by `*` when they are enabled. */
  readonly matched: string;
  /** What is wrong with `matched` as an ARN (see `arnProblem`). */
  readonly problem: string | undefined;
  /** The service part of `matched`, lower case; undefined when it has wildcards or there is none. */
  readonly service: string | undefined;
  /** A KMS alias ARN (`arn:aws:kms:…:alias/…`). */
  readonly kmsAlias: boolean;
  /** Nothing but wildcards (`*`, `??*`): names anything. */
  readonly allWildcards: boolean;
}

/**
 * Facts by spelling, one map with variables enabled and one without. Texts can hold any
 * spelling, so each map starts over when it holds MAX_FACTS.
 */
const factMaps = [new Map<string, Fact>(), new Map<string, Fact>()];
const MAX_FACTS = 20_000;

interface Fact extends ResourceFact {
  /**
   * Whether `matched` can name a resource of a format (see `fitsFormat`): formats and
   * answers in turn. A list, not a map: a resource meets one or two formats, and the list
   * is read with the fact, without another object to fetch.
   */
  fits: (ResourceFormat | boolean)[] | undefined;
}

/** Most formats remembered per fact (a resource of a statement with many resource types). */
const MAX_FITS = 32;

export function resourceFact(value: string, variables: boolean): ResourceFact {
  // The fact's strings are cut from the memo's copy of the string, not from the file's text.
  return boundedMemo(factMaps[variables ? 1 : 0], value, MAX_FACTS, (copy) => readFact(copy, variables));
}

/** The facts of an item's value (see `resourceFact`), kept with the item; undefined for a value that is not a string. */
export function itemResourceFact(item: ValueItem, variables: boolean): ResourceFact | undefined {
  if (item.value === undefined) return undefined;
  const kept = item.resourceFact;
  if (kept !== undefined && kept.variables === variables) return kept;
  return (item.resourceFact = resourceFact(item.value, variables));
}

/**
 * Whether the resource can name a resource of that format (see `patternMeetsFormat`); each
 * pair is matched once while the fact is kept.
 */
export function fitsFormat(fact: ResourceFact, format: ResourceFormat): boolean {
  const f = fact as Fact;
  const known = f.fits;
  if (known) for (let i = 0; i < known.length; i += 2) if (known[i] === format) return known[i + 1] as boolean;
  const fits = patternMeetsFormat(f.matched, format.tokens);
  if (!known || known.length >= 2 * MAX_FITS) f.fits = [format, fits];
  else known.push(format, fits);
  return fits;
}

/** The service part of an ARN (or ARN format), lower case; undefined when it has wildcards or there is none. */
export function arnService(arn: string): string | undefined {
  const service = arn.split(':')[2];
  return service === undefined || /[*?]/.test(service) ? undefined : service.toLowerCase();
}

function readFact(value: string, variables: boolean): Fact {
  const withVariable = hasVariable(value);
  const matched = variables && withVariable ? replaceVariables(value) : value;
  const parts = matched.split(':');
  return {
    value,
    variables,
    hasVariable: withVariable,
    matched,
    problem: arnProblem(matched),
    service: arnService(matched),
    kmsAlias: parts[2] === 'kms' && parts.slice(5).join(':').startsWith('alias/'),
    allWildcards: /^[*?]+$/.test(matched),
    fits: undefined,
  };
}

/**
 * What is wrong with a well-formed resource ARN's Region or account for its service: the ARN
 * fits none of the service's formats, and would fit one with the Region or the account left
 * out (`arn:aws:iam:us-east-1:…`, `arn:aws:s3::111122223333:…`: Access Analyzer's
 * ARN_REGION_NOT_ALLOWED, ARN_ACCOUNT_NOT_ALLOWED) or with a Region given (`arn:aws:sqs::…`:
 * MISSING_ARN_REGION). Undefined when it fits, when the parts have wildcards or variables, or
 * when the service documents no formats; an ARN that fits no format for another reason is not
 * judged here.
 */
export function arnPartsProblem(catalog: Catalog, fact: ResourceFact): string | undefined {
  if (fact.problem || fact.hasVariable || !fact.service) return undefined;
  const parts = fact.matched.split(':');
  if (parts.length < 6) return undefined;
  const [, partition, service, region, account] = parts;
  if (/[*?]/.test(`${region}${account}`)) return undefined;
  const formats = serviceFormats(catalog, service);
  if (!formats.length) return undefined;
  // A format's Region placeholder may stand for nothing when matching: an ARN without a Region
  // fits it, and lacks what every format it fits has.
  const fitting = formats.filter((f) => fitsFormat(fact, f));
  if (fitting.length) {
    if (!region && fitting.every((f) => f.arn.split(':')[3] !== '')) return `${service} resource ARNs of this kind need a Region (arn:${partition}:${service}:REGION:…)`;
    return undefined;
  }
  const resource = parts.slice(5).join(':');
  const arn = (r: string, a: string) => `arn:${partition}:${service}:${r}:${a}:${resource}`;
  const fits = (s: string) => formats.some((f) => patternMeetsFormat(s, f.tokens));
  if (region && fits(arn('', account))) return `${service} resource ARNs of this kind have no Region: write ${arn('', account)}`;
  if (account && fits(arn(region, ''))) return `${service} resource ARNs of this kind have no account: write ${arn(region, '')}`;
  return undefined;
}
