/**
 * The workspace's active manifests and how they apply. Every `policy-handshake.json` is one,
 * at any depth: a manifest governs the files of its folder and below, the nearest ancestor
 * manifest winning; its paths are relative to its own folder; a file no manifest governs is
 * checked alone (no binding). An explicit manifest (`Workspace.setManifest`, the CLI's
 * `--manifest`) is the only manifest while it is set: it governs every file, and other
 * `policy-handshake.json` files are ordinary files.
 *
 * Applying a manifest (it comes, changes or goes) updates the principals it declares in the
 * account index, the files whose binding changed (read again), and, for each pattern, how
 * many files it matches (a pattern matching nothing is a `manifest` finding).
 */
import type { EngineOptions } from '../engine';
import type { Finding } from '../findings';
import type { FileBinding } from '../sources/discoveredFile';
import type { Accounts } from './accounts';
import { bindingFor, bindingKey, matchingPatterns } from './fileBinding';
import type { FileEntry } from './fileEntry';
import { normalizePath, relativePath } from '../relativePaths';
import { isManifestName, type Manifest, type ManifestPattern } from './manifest';
import { manifestFindings } from './manifestFindings';

/** What applying a manifest changes outside the manifests. */
export interface ManifestHost {
  readonly files: ReadonlyMap<string, FileEntry>;
  readonly accounts: Accounts;
  /** The file's binding changed: read it again with `binding`. */
  rebind(file: string, entry: FileEntry, binding: FileBinding | undefined, affected: Set<string>): void;
}

export class ManifestSet {
  /** `also`: what else binds a file, given the manifest's binding (the CDK cloud assembly's environments). */
  constructor(private readonly also: (path: string, binding: FileBinding | undefined) => FileBinding | undefined = (_p, b) => b) {}

  /** Active manifests by path. */
  private readonly byPath = new Map<string, Manifest>();
  /** Active manifests by their folder (normalized, no trailing slash): finding a file's manifest walks up its folders. */
  private readonly byRoot = new Map<string, Manifest>();
  private readonly explicit = new Set<string>();
  private readonly patternCounts = new Map<ManifestPattern, number>();

  /** The active manifests, in the order they were read. */
  values(): IterableIterator<Manifest> {
    return this.byPath.values();
  }

  paths(): string[] {
    return [...this.byPath.keys()];
  }

  addExplicit(path: string): void {
    this.explicit.add(path);
  }

  isExplicit(path: string): boolean {
    return this.explicit.has(path);
  }

  /** Whether a file at this path is read as a manifest. */
  isManifestPath(path: string): boolean {
    if (this.explicit.size) return this.explicit.has(path);
    return isManifestName(path);
  }

  /**
   * The manifest that governs a file: the active manifest nearest above it (its folder or
   * an ancestor's), or, while there is an explicit one, the explicit manifest.
   */
  manifestOf(file: string): Manifest | undefined {
    const f = normalizePath(file);
    for (let i = f.lastIndexOf('/'); ; i = f.lastIndexOf('/', i - 1)) {
      const m = this.byRoot.get(i < 0 ? '' : f.slice(0, i));
      if (m && m.path !== file) return m;
      if (i <= 0) break;
    }
    const root = this.byRoot.get('');
    if (root && root.path !== file) return root;
    for (const path of this.explicit) {
      const m = this.byPath.get(path);
      if (m && m.path !== file) return m;
    }
    return undefined;
  }

  /**
   * An account's name for what is shown in `file`: from the manifest that governs it, else the
   * nearest manifest above it that names the account, else the first manifest by path that does.
   * The editor and the CLI read manifests in different orders: the path order keeps the names alike.
   */
  accountName(id: string, file?: string): string | undefined {
    for (let m = file === undefined ? undefined : this.manifestOf(file); m; m = this.manifestOf(m.path)) {
      const name = m.accounts.get(id)?.name;
      if (name) return name;
      if (this.explicit.has(m.path)) break;
    }
    let first: Manifest | undefined;
    for (const m of this.byPath.values()) if (m.accounts.get(id)?.name && (!first || m.path < first.path)) first = m;
    return first?.accounts.get(id)?.name;
  }

  /** What the governing manifest says about a file (and what else binds it). */
  bindingOf(path: string): FileBinding | undefined {
    const m = this.manifestOf(path);
    const rel = m ? relativePath(m.root, path) : undefined;
    return this.also(path, rel === undefined ? undefined : bindingFor(m!, rel));
  }

  /**
   * Whether a pattern of the manifest that governs a file matches it: the file is then read as
   * the manifest says (a policy of its key or principals), whatever its text looks like.
   */
  binds(path: string): boolean {
    const m = this.manifestOf(path);
    const rel = m ? relativePath(m.root, path) : undefined;
    return rel !== undefined && matchingPatterns(m!, rel).length > 0;
  }

  /** Files whose binding may have changed for another reason than a manifest: those whose binding did are read again. */
  rebind(files: Iterable<string>, affected: Set<string>, host: ManifestHost): void {
    for (const file of files) {
      const entry = host.files.get(file);
      if (!entry || entry.manifest) continue;
      const binding = this.bindingOf(file);
      if (bindingKey(binding) !== entry.bindingKey) host.rebind(file, entry, binding, affected);
    }
  }

  /** The findings of manifest `m` (patterns that match nothing, and the nearer manifest that takes their files). */
  findings(m: Manifest, files: ReadonlyMap<string, FileEntry>, options: EngineOptions): Finding[] {
    return manifestFindings(m, (p) => (this.patternCounts.get(p) ?? 0) > 0, options, (p) => this.shadowingManifest(m, p, files), (arn) => this.earlierKeyManifest(m, arn));
  }

  /** Another manifest, before `m` by path, that binds a key policy to this key ARN: that binding is the one the handshake reads. */
  private earlierKeyManifest(m: Manifest, arn: string): string | undefined {
    let first: Manifest | undefined;
    for (const o of this.byPath.values()) if (o !== m && o.path < m.path && o.keys.some((k) => k.arn === arn) && (!first || o.path < first.path)) first = o;
    return first?.path;
  }

  /**
   * Of several files bound to one key ARN, the key policy the handshake reads (a key has one):
   * the one bound by the first manifest by path, then by its first entry for the key, then the
   * first file by path. Undefined when the manifests bind none of them to the key.
   */
  keyPolicyFile(arn: string, files: string[]): string | undefined {
    let best: { file: string; rank: [string, number, string] } | undefined;
    for (const file of files) {
      const m = this.manifestOf(file);
      const rel = m ? relativePath(m.root, file) : undefined;
      if (rel === undefined) continue;
      const entry = m!.keys.findIndex((k) => k.arn === arn && k.policy.usable && matchingPatterns(m!, rel).includes(k.policy));
      if (entry < 0) continue;
      const rank: [string, number, string] = [m!.path, entry, file];
      if (!best || compareRanks(rank, best.rank) < 0) best = { file, rank };
    }
    return best?.file;
  }

  /** Replace one manifest by another (either may be absent): principals, names, bindings, pattern counts. */
  apply(path: string, before: Manifest | undefined, after: Manifest | undefined, affected: Set<string>, host: ManifestHost): void {
    const { files, accounts } = host;
    affected.add(path);
    // Manifests that bind a key ARN this one binds (or bound) say which binding the handshake reads.
    const keyArns = new Set([...(before?.keys ?? []), ...(after?.keys ?? [])].map((k) => k.arn));
    for (const o of this.byPath.values()) if (o.path !== path && o.keys.some((k) => keyArns.has(k.arn))) affected.add(o.path);
    if (before) for (const p of before.principals) accounts.index.removePrincipal(p.account, p.arn, path);
    if (after) for (const p of after.principals) accounts.index.addPrincipal(p.account, p.arn, path);
    if (before) for (const [id, a] of before.accounts) for (const k of a.complete ?? []) accounts.index.undeclareComplete(id, k, path);
    if (after) for (const [id, a] of after.accounts) for (const k of a.complete ?? []) accounts.index.declareComplete(id, k, path);
    const touched = new Set<string>();
    for (const m of [before, after]) for (const p of m?.principals ?? []) touched.add(p.account);
    for (const m of [before, after]) for (const id of m?.accounts.keys() ?? []) {
      const was = before?.accounts.get(id);
      const is = after?.accounts.get(id);
      if (was?.name !== is?.name) {
        touched.add(id);
        for (const f of accounts.index.accountTargetingFiles(id)) affected.add(f);
      }
      if ((was?.complete ?? []).join() !== (is?.complete ?? []).join()) touched.add(id);
    }
    for (const a of touched) accounts.touch(a, affected);
    // The organization and the allowlist are read by the findings of every file the manifest governs.
    if (allowlistKey(before) !== allowlistKey(after)) {
      for (const file of files.keys()) {
        if ((before && relativePath(before.root, file) !== undefined) || (after && relativePath(after.root, file) !== undefined)) affected.add(file);
      }
    }
    if (before) for (const p of patternsOf(before)) this.patternCounts.delete(p);
    if (before) this.byRoot.delete(rootKey(before));
    if (after) {
      this.byPath.set(path, after);
      this.byRoot.set(rootKey(after), after);
    } else this.byPath.delete(path);
    // Bindings follow the nearest manifest: files whose binding changed are discovered again.
    this.rebind([...files.keys()].filter((file) => (before && this.mayGovern(before, file)) || (after && this.mayGovern(after, file))), affected, host);
    // A manifest that comes or goes changes which manifest governs the files below it, and
    // so how other files' messages name them (paths relative to their manifest's folder).
    if (!before !== !after) for (const [file, entry] of files) if (!entry.manifest) affected.add(file);
    // Which files each manifest governs changed for this one and the manifests above it.
    for (const m of this.byPath.values()) {
      if (m === after || relativePath(m.root, path) !== undefined || this.explicit.has(m.path)) this.recountPatterns(m, files, affected);
    }
  }

  /** A file appeared or went away: patterns of its manifest that start or stop matching anything change the manifest's findings. */
  countPatterns(path: string, delta: 1 | -1, affected: Set<string>): void {
    const m = this.manifestOf(path);
    const rel = m ? relativePath(m.root, path) : undefined;
    if (rel === undefined) return;
    for (const p of matchingPatterns(m!, rel)) {
      const before = this.patternCounts.get(p) ?? 0;
      const after = Math.max(0, before + delta);
      this.patternCounts.set(p, after);
      if ((before === 0) !== (after === 0)) affected.add(m!.path);
    }
  }

  /** Whether a change of manifest `m` may change what governs `file` or its binding. */
  private mayGovern(m: Manifest, file: string): boolean {
    return this.explicit.has(m.path) || relativePath(m.root, file) !== undefined;
  }

  /** Counts, for each pattern of `m`, the files it governs that the pattern matches; `m`'s findings change when one starts or stops matching. */
  private recountPatterns(m: Manifest, files: ReadonlyMap<string, FileEntry>, affected: Set<string>): void {
    const patterns = patternsOf(m);
    const counts = new Map<ManifestPattern, number>(patterns.map((p) => [p, 0]));
    for (const [file, entry] of files) {
      const rel = entry.manifest ? undefined : relativePath(m.root, file);
      if (rel === undefined || this.manifestOf(file) !== m) continue;
      for (const p of matchingPatterns(m, rel)) counts.set(p, counts.get(p)! + 1);
    }
    for (const [p, n] of counts) {
      if ((this.patternCounts.get(p) ?? 0) === 0 !== (n === 0)) affected.add(m.path);
      this.patternCounts.set(p, n);
    }
  }

  /** For a pattern of `m` that matches no file `m` governs: a nearer manifest that governs a file it matches. */
  private shadowingManifest(m: Manifest, pattern: ManifestPattern, files: ReadonlyMap<string, FileEntry>): string | undefined {
    for (const [file, entry] of files) {
      if (entry.manifest) continue;
      const rel = relativePath(m.root, file);
      if (rel === undefined || !matchingPatterns(m, rel).includes(pattern)) continue;
      const governing = this.manifestOf(file);
      if (governing && governing !== m) return governing.path;
    }
    return undefined;
  }
}

/** What of a manifest the organization and trusted-accounts findings read, as text (account names too, with an allowlist). */
function allowlistKey(m: Manifest | undefined): string {
  if (!m || (!m.organization && !m.trustedAccounts)) return '';
  const org = m.organization ? `${m.organization.id} ${[...m.organization.accounts].map(([a, p]) => `${a}=${p}`).sort().join(' ')}` : '';
  const names = m.trustedAccounts ? [...m.accounts].map(([a, e]) => `${a}=${e.name ?? ''}`).sort().join(' ') : '';
  return `${org}|${m.trustedAccounts ? [...m.trustedAccounts].sort().join(' ') : '-'}|${names}`;
}

function compareRanks(a: [string, number, string], b: [string, number, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] - b[1];
  return a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0;
}

function rootKey(m: Manifest): string {
  return normalizePath(m.root).replace(/\/$/, '');
}

function patternsOf(m: Manifest): ManifestPattern[] {
  return [...m.keys.map((k) => k.policy), ...m.principals.flatMap((p) => p.policies), ...m.templates.flatMap((t) => t.files)];
}
