/**
 * ARN formats of the catalog's resource types (`arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}`)
 * and whether a resource string of a policy can name a resource of that format.
 *
 * Matching follows IAM: a policy's `*` matches any run of characters, colons included, over
 * the whole ARN. On the format side `${Partition}`, `${Region}` and `${Account}` hold no colon
 * (a real ARN has exactly these parts); other placeholders (`${ObjectName}`…) hold anything.
 */
import type { ActionInfo, Catalog, ResourceTypeInfo } from '../catalog/catalog';
import { boundedMemoFor } from '../recentCache';
import { isAscii } from '../strings';

export interface ResourceFormat {
  service: string;
  /** Resource type name as in the catalog (`key`, `alias`). */
  type: string;
  /** ARN format as documented. */
  arn: string;
  /** The format for matching (see `patternMeetsFormat`). */
  tokens: FormatToken[];
}

export interface AcceptedResources {
  /** The action has no resource types: the reference says only `"*"` names its resource. */
  starOnly: boolean;
  /** A resource type of the action is missing from the catalog: anything may fit. */
  unknown: boolean;
  formats: ResourceFormat[];
}

/** Computed once per catalog action: checks ask for the same actions statement after statement. */
const accepted = new WeakMap<ActionInfo, AcceptedResources>();

/** The resource formats an action accepts (shared result: do not modify). */
export function acceptedResources(catalog: Catalog, action: ActionInfo): AcceptedResources {
  let out = accepted.get(action);
  if (!out) accepted.set(action, (out = readAcceptedResources(catalog, action)));
  return out;
}

/** What the actions of a list accept, taken together (see `listResources`). */
export interface ListResources {
  /** An action of the list accepts anything: it has no resource type, or one the catalog lacks. */
  readonly anything: boolean;
  /** The format lists of its actions, each list once (shared: do not modify). */
  readonly formatLists: readonly (readonly ResourceFormat[])[];
}

/** Computed once per list of actions (the expansion of an action string, shared from file to file). */
const acceptedByList = new WeakMap<readonly ActionInfo[], ListResources>();

/**
 * What a list of catalog actions accepts, taken together: the lists an action string's
 * expansion stands for (`s3:Get*`) recur in statement after statement, and asking each of
 * their actions in turn for every statement costs more than the answer.
 */
export function listResources(catalog: Catalog, actions: readonly ActionInfo[]): ListResources {
  let out = acceptedByList.get(actions);
  if (!out) {
    let anything = false;
    const formatLists: ResourceFormat[][] = [];
    for (let i = 0; i < actions.length; i++) {
      const a = actions[i];
      const accepted = acceptedResources(catalog, a);
      if (accepted.unknown || accepted.starOnly) anything = true;
      if (!formatLists.includes(accepted.formats)) formatLists.push(accepted.formats);
    }
    acceptedByList.set(actions, (out = { anything, formatLists }));
  }
  return out;
}

function readAcceptedResources(catalog: Catalog, action: ActionInfo): AcceptedResources {
  const out: AcceptedResources = { starOnly: action.resourceTypes.length === 0, unknown: false, formats: [] };
  for (let i = 0; i < action.resourceTypes.length; i++) {
    const rt = action.resourceTypes[i];
    const info = catalog.resourceType(action.service, rt.name);
    if (!info?.arn) {
      out.unknown = true;
      continue;
    }
    // An action of one resource type shares that type's list (most do).
    if (action.resourceTypes.length === 1) out.formats = formatsOf(action.service, info);
    else out.formats.push(...formatsOf(action.service, info));
  }
  return out;
}

/** Per resource type: its formats, shared by every action that acts on it. */
const formatsByType = new WeakMap<ResourceTypeInfo, ResourceFormat[]>();

function formatsOf(service: string, info: ResourceTypeInfo): ResourceFormat[] {
  let formats = formatsByType.get(info);
  if (!formats) {
    // Some resource types have several formats, written as one comma-separated string.
    formats = info.arn.split(/,\s*(?=arn:)/).map((arn) => new CatalogFormat(service, info.key, arn));
    formatsByType.set(info, formats);
  }
  return formats;
}

/**
 * A format of the catalog. A service's formats are read together (`serviceFormats`), and a
 * resource is matched against them until one fits: its tokens are made when first asked for,
 * and most formats of a large service never are.
 */
class CatalogFormat implements ResourceFormat {
  private madeTokens: FormatToken[] | undefined = undefined;

  constructor(readonly service: string, readonly type: string, readonly arn: string) {}

  get tokens(): FormatToken[] {
    return (this.madeTokens ??= formatTokens(this.arn));
  }
}

/**
 * A format token: the code of a literal character (lower case), or a part placeholder (no
 * colon), or any text. A character whose lower case is more than one code unit (none in the
 * catalog's formats) is a literal no character of a pattern equals.
 */
export type FormatToken = number;
export const SEG = -1;
export const ANY = -2;
const NO_CHARACTER = -3;
const SEGMENT_PLACEHOLDERS = new Set(['partition', 'region', 'account']);

function formatTokens(format: string): FormatToken[] {
  const out: FormatToken[] = [];
  // Lower-cased once when that is the same as character by character (ASCII, as ARN formats are).
  const ascii = isAscii(format);
  const lower = ascii ? format.toLowerCase() : format;
  for (let i = 0; i < format.length; i++) {
    if (format.startsWith('${', i)) {
      const close = format.indexOf('}', i);
      if (close > 0) {
        out.push(SEGMENT_PLACEHOLDERS.has(format.slice(i + 2, close).toLowerCase()) ? SEG : ANY);
        i = close;
        continue;
      }
    }
    if (ascii) {
      out.push(lower.charCodeAt(i));
    } else {
      const c = format[i].toLowerCase();
      out.push(c.length === 1 ? c.charCodeAt(0) : NO_CHARACTER);
    }
  }
  return out;
}

const STAR = 42; // *
const QUESTION = 63; // ?
const COLON = 58; // :

/**
 * The format positions reached, as the pattern is read character by character: two rows
 * reused by every call (one string matched at a time; no call re-enters).
 */
let reached = new Uint8Array(256);
let following = new Uint8Array(256);

/**
 * Whether a policy resource (wildcards allowed, variables already replaced by `*`) can name
 * a resource of that format: whether some string matches both the pattern (`*`, `?`) and
 * the format. Case is ignored so that only clear mismatches count. The set of format
 * positions reachable after each character of the pattern: O(n·m), no backtracking, and no
 * allocation but the pattern's lower case.
 */
export function patternMeetsFormat(pattern: string, format: readonly FormatToken[]): boolean {
  const a = pattern.toLowerCase();
  const n = a.length;
  const m = format.length;
  // A resource far longer than any ARN: taken to fit (no finding) rather than a huge table.
  if ((n + 1) * (m + 1) > MAX_TABLE_CELLS) return true;
  if (reached.length <= m) {
    reached = new Uint8Array(2 * (m + 1));
    following = new Uint8Array(2 * (m + 1));
  }
  let cur = reached;
  let next = following;
  cur.fill(0, 0, m + 1);
  cur[0] = 1;
  // Reached positions lie in [lo, hi]; a placeholder may stand for nothing.
  let lo = 0;
  let hi = skipPlaceholders(cur, format, 0, m);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    next.fill(0, 0, m + 1);
    let nextLo = m + 1;
    let nextHi = -1;
    if (ca === STAR) {
      // A run of any characters, none included: every position from the first reached on.
      next.fill(1, lo, m + 1);
      nextLo = lo;
      nextHi = m;
    } else {
      for (let j = lo; j <= hi && j < m; j++) {
        if (!cur[j]) continue;
        const tb = format[j];
        // One character both sides can produce: a placeholder stays where it is for more.
        let to: number;
        if (tb === ANY || (tb === SEG && ca !== COLON)) to = j;
        else if (ca === QUESTION) to = tb === SEG ? j : j + 1;
        else if (tb === ca) to = j + 1;
        else continue;
        next[to] = 1;
        if (to < nextLo) nextLo = to;
        if (to > nextHi) nextHi = to;
      }
      if (nextHi < 0) return false;
      nextHi = skipPlaceholders(next, format, nextLo, m, nextHi);
    }
    const t = cur;
    cur = next;
    next = t;
    lo = nextLo;
    hi = nextHi;
  }
  return cur[m] === 1;
}

/** Marks the positions reached by letting placeholders stand for nothing; the highest position reached. */
function skipPlaceholders(row: Uint8Array, format: readonly FormatToken[], from: number, m: number, hi = from): number {
  for (let j = from; j < m; j++) {
    if (row[j] && format[j] < 0 && format[j] !== NO_CHARACTER) row[j + 1] = 1;
    else if (j >= hi) break;
    if (row[j + 1] && j + 1 > hi) hi = j + 1;
  }
  return hi;
}

/** Most (pattern position, format position) pairs matched for one resource: the work's bound, about 33 million steps. */
const MAX_TABLE_CELLS = 1 << 25;

/** Per catalog and service part: the ARN formats of the service's own resource types. */
const serviceFormatMemo = new WeakMap<Catalog, Map<string, ResourceFormat[]>>();
/** Service parts remembered per catalog: they come from policy text (the catalog has about 430 services). */
const MAX_SERVICES = 2048;

/** The formats of every resource type the service documents whose ARN is of that service (shared result: do not modify). */
export function serviceFormats(catalog: Catalog, service: string): ResourceFormat[] {
  return boundedMemoFor(serviceFormatMemo, catalog, service, MAX_SERVICES, (s) =>
    catalog.resourceTypes(s).filter((t) => t.arn).flatMap((t) => formatsOf(s, t)).filter((f) => f.arn.split(':')[2] === s));
}

/** Per catalog: the resource types other services document, by the service part of their ARN (lower case), then their formats once read. */
const foreignFormats = new WeakMap<Catalog, Map<string, { types: [string, string][]; formats?: ResourceFormat[] }>>();

/**
 * The formats of every resource type of the catalog whose ARN has this service part: the
 * service's own, and those another service documents (`sts` documents `arn:…:iam::…:root`).
 * Only the services that document such a format are read.
 */
export function arnServiceFormats(catalog: Catalog, service: string): ResourceFormat[] {
  let byService = foreignFormats.get(catalog);
  if (!byService) {
    byService = new Map();
    const list = catalog.data.foreignArnFormats();
    for (let i = 0; i < list.length; i++) {
      const [arnService, prefix, type] = list[i];
      const entry = byService.get(arnService);
      if (entry) entry.types.push([prefix, type]);
      else byService.set(arnService, { types: [[prefix, type]] });
    }
    foreignFormats.set(catalog, byService);
  }
  const foreign = byService.get(service);
  if (!foreign) return serviceFormats(catalog, service);
  foreign.formats ??= [...serviceFormats(catalog, service), ...foreign.types.flatMap(([prefix, type]) => {
    const info = catalog.resourceType(prefix, type);
    return info?.arn ? formatsOf(prefix, info).filter((f) => f.arn.split(':')[2]?.toLowerCase() === service) : [];
  })];
  return foreign.formats;
}

/** Per format: the tokens of its resource part (after the fifth colon), a `*` in it standing for any text. */
const resourceTokens = new WeakMap<ResourceFormat, FormatToken[] | null>();

/**
 * Whether a policy resource's resource part (wildcards allowed, variables replaced by `*`)
 * can be the resource part of an ARN of that format. Undefined when the format has no
 * resource part this can tell (fewer than six parts before its placeholders).
 */
export function resourcePartMeetsFormat(resource: string, format: ResourceFormat): boolean | undefined {
  let tokens = resourceTokens.get(format);
  if (tokens === undefined) {
    tokens = formatResourceTokens(format.arn);
    resourceTokens.set(format, tokens);
  }
  return tokens === null ? undefined : patternMeetsFormat(resource, tokens);
}

function formatResourceTokens(arn: string): FormatToken[] | null {
  // The first five colons outside placeholders end the prefix (`arn:${Partition}:iam::${Account}:`).
  let colons = 0;
  for (let i = 0; i < arn.length; i++) {
    if (arn.startsWith('${', i)) {
      const close = arn.indexOf('}', i);
      if (close < 0) return null;
      // A placeholder for the service (`${Vendor}`): not a format of one service.
      if (colons < 3 && arn.slice(i + 2, close).toLowerCase() !== 'partition') return null;
      i = close;
      continue;
    }
    if (arn[i] === ':' && ++colons === 5) return formatTokens(arn.slice(i + 1)).map((t) => (t === STAR ? ANY : t));
  }
  return null;
}
