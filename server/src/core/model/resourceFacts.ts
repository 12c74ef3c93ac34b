/**
 * What one resource string of a policy says (`arn:aws:s3:::bucket/*`), worked out once per
 * spelling: `invalid-arn` and `resource-type-mismatch` read the same strings, and the same
 * strings recur across statements and files.
 */
import { arnProblem } from './arnSyntax';
import { arnServiceFormats, patternMeetsFormat, resourcePartMeetsFormat, serviceFormats, type ResourceFormat } from './arnFormats';
import type { Catalog } from '../catalog/catalog';
import { hasVariable, replaceVariables } from './policyVariables';
import { boundedMemo } from '../recentCache';
import { editDistance } from '../nearestName';
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
  /** `arnPartsProblem`'s answer for the catalog last asked with (null: none). */
  partsProblem?: { catalog: Catalog; answer: string | null };
  /** `arnResourceProblem`'s answer for the catalog last asked with (null: none). */
  resourceProblem?: { catalog: Catalog; answer: ArnResourceProblem | null };
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
    partsProblem: undefined,
    resourceProblem: undefined,
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
  // Asked by invalid-arn twice (its own finding, then before the resource part's) and by
  // resource-type-mismatch, for the same facts file after file: worked out once per fact.
  const f = fact as Fact;
  if (f.partsProblem?.catalog !== catalog) f.partsProblem = { catalog, answer: readPartsProblem(catalog, fact) ?? null };
  return f.partsProblem.answer ?? undefined;
}

function readPartsProblem(catalog: Catalog, fact: ResourceFact): string | undefined {
  if (fact.problem || fact.hasVariable || !fact.service) return undefined;
  const parts = fact.matched.split(':');
  if (parts.length < 6) return undefined;
  const [, partition, service, region, account] = parts;
  if (/[*?]/.test(`${region}${account}`)) return undefined;
  const formats = serviceFormats(catalog, service);
  if (!formats.length) return undefined;
  // A format's Region placeholder may stand for nothing when matching: an ARN without a Region
  // fits it, and lacks what every format it fits has.
  // Fits a format: fine when it has a Region, or when a format it fits has none either.
  let fitsOne = false;
  for (let i = 0; i < formats.length; i++) {
    const f = formats[i];
    if (!fitsFormat(fact, f)) continue;
    if (region || !formatHasRegion(f)) return undefined;
    fitsOne = true;
  }
  if (fitsOne) return `${service} resource ARNs of this kind need a Region (arn:${partition}:${service}:REGION:…)`;
  const resource = parts.slice(5).join(':');
  const arn = (r: string, a: string) => `arn:${partition}:${service}:${r}:${a}:${resource}`;
  const fits = (s: string) => formats.some((f) => patternMeetsFormat(s, f.tokens));
  if (region && fits(arn('', account))) return `${service} resource ARNs of this kind have no Region: write ${arn('', account)}`;
  if (account && fits(arn(region, ''))) return `${service} resource ARNs of this kind have no account: write ${arn(region, '')}`;
  return undefined;
}

/** Whether a format's Region part (after its third colon) is written (`${Region}`), not empty. */
function formatHasRegion(f: ResourceFormat): boolean {
  const third = nthColon(f.arn, 3);
  return third < 0 || (third + 1 < f.arn.length && f.arn.charCodeAt(third + 1) !== 58 /* : */);
}

/** The offset of the n-th colon of a string (1-based), or -1. */
function nthColon(s: string, n: number): number {
  let at = -1;
  for (let k = 0; k < n; k++) {
    at = s.indexOf(':', at + 1);
    if (at < 0) return -1;
  }
  return at;
}

export interface ArnResourceProblem {
  /** Where the resource part starts in the value as written. */
  start: number;
  /** The formats of the service's own resource types, nearest first. */
  formats: ResourceFormat[];
}

/**
 * A well-formed resource ARN of a known service whose resource part (after the fifth colon)
 * can be the resource part of none of the ARNs the catalog documents for that service, under
 * any resource type (`arn:aws:iam::111122223333:rol/R`; Access Analyzer's INVALID_ARN_RESOURCE).
 * Wildcards and policy variables may stand for anything. Undefined, so no advice, when it
 * fits, when its Region or account is what is wrong (`arnPartsProblem`), for `${…}` that is
 * literal text, for values with template-like text (`<`, `{`, `$`), for ARNs with neither
 * Region nor account (`arn:aws:s3:::…`), and for services that document no ARN of their own.
 */
export function arnResourceProblem(catalog: Catalog, fact: ResourceFact): ArnResourceProblem | undefined {
  const f = fact as Fact;
  if (f.resourceProblem?.catalog !== catalog) f.resourceProblem = { catalog, answer: readResourceProblem(catalog, fact) ?? null };
  return f.resourceProblem.answer ?? undefined;
}

function readResourceProblem(catalog: Catalog, fact: ResourceFact): ArnResourceProblem | undefined {
  if (fact.problem || !fact.service || (fact.hasVariable && !fact.variables)) return undefined;
  if (/[<>{}$%]/.test(fact.matched)) return undefined;
  const parts = fact.matched.split(':');
  if (parts.length < 6) return undefined;
  const [, , service, region, account] = parts;
  if (!region && !account) return undefined;
  const own = serviceFormats(catalog, service);
  if (!own.length) return undefined;
  // A `*` anywhere may run on over colons, as IAM matches it: `arn:aws:ec2:*:*:x` can name
  // `…:instance/…:x`. Access Analyzer raises nothing on the managed policies' wildcard ARNs of
  // undocumented shapes (`arn:aws:apigateway:*::/v2/apis`), so they are left alone too.
  if (own.some((f) => fitsFormat(fact, f))) return undefined;
  if (arnPartsProblem(catalog, fact)) return undefined;
  const resource = parts.slice(5).join(':');
  // Formats other services document for ARNs of this one count too (`sts`: `iam::…:root`);
  // a format whose resource part cannot be told counts as fitting.
  if (arnServiceFormats(catalog, service).some((f) => resourcePartMeetsFormat(resource, f) !== false)) return undefined;
  const start = resourceStart(fact.value);
  if (start === undefined) return undefined;
  return { start, formats: nearestFirst(resource, own) };
}

/**
 * The offset after the fifth colon of an ARN as written. A policy variable before it would
 * have matched as `*` (no finding gets here); undefined then, to be safe.
 */
function resourceStart(value: string): number | undefined {
  let at = -1;
  for (let colons = 0; colons < 5; colons++) {
    at = value.indexOf(':', at + 1);
    if (at < 0) return undefined;
  }
  return value.lastIndexOf('${', at) >= 0 ? undefined : at + 1;
}

/** Formats ordered by how close their literal start (`role/`, `log-group:`) is to the resource's. */
function nearestFirst(resource: string, formats: readonly ResourceFormat[]): ResourceFormat[] {
  const lower = resource.toLowerCase();
  const scored = formats.map((f, i) => {
    const head = literalHead(f);
    return { f, i, d: editDistance(head, lower.slice(0, head.length), 8) };
  });
  return scored.sort((a, b) => a.d - b.d || a.i - b.i).map((x) => x.f);
}

/** The literal text a format's resource part starts with, up to its first placeholder (lower case). */
function literalHead(f: ResourceFormat): string {
  const m = /^(?:[^:]*:){5}([^$]*)/.exec(f.arn);
  return (m?.[1] ?? '').toLowerCase();
}
