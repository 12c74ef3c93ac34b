/**
 * The workspace model: every file's discovered documents with their kinds and owners, the
 * manifests that bind files to keys and principals, and the cross-file index the handshake
 * reads.
 *
 * Manifests: every `policy-handshake.json` is one, at any depth. A manifest governs the files
 * of its folder and below, the nearest ancestor manifest winning; its paths are relative to
 * its own folder; a file no manifest governs is checked alone (no binding). An explicit
 * manifest (`setManifest`, the CLI's `--manifest`) is the only manifest while it is set: it
 * governs every file, and other `policy-handshake.json` files are ordinary files. Kept current one file at a time; each change returns exactly the files whose
 * findings may differ. The editor and the CLI both drive it. Pure: callers supply file texts.
 *
 * Memory: a file's own findings (document-scope checks) are computed when it is read, and
 * its parse tree is kept only when it holds a key policy (the key-side workspace-scope
 * checks and other files' analyses read all of it) or is being edited. Other files keep
 * their text, their own findings and compact facts: copies of their identity policies with
 * only the KMS statements, which is all the identity-side checks and other files read.
 * Features that need their tree get it parsed again (a few recent ones are cached).
 *
 * Edits: a file being edited is parsed again only where the edit changed it (`reparse`),
 * and what its unchanged statements found is kept (`StatementMemos`, and the key policy's
 * trusts by statement node).
 */
import { defaultCatalog, type Catalog } from '../catalog/catalog';
import { checkOwn, DEFAULT_MAX_FILE_SIZE, joinFindings, workspaceFindings, type EngineOptions, type OwnFindings } from '../engine';
import type { Finding } from '../findings';
import type { HandshakeWorld, AccountIam, Organization } from '../handshake/world';
import { reparse } from '../json/incremental';
import { DEFAULT_PARSE_LIMITS, parseJson, type JsonDocument } from '../json/jsonDocument';
import type { PolicyDocument } from '../model/policyDocument';
import type { TemplateContext } from '../sources/cloudFormation';
import { classify, discover, discoverParsed, type DiscoveredFile, type FileBinding } from '../sources/discover';
import { parseSource } from '../sources/parseSource';
import { isYamlFile } from '../sourceFiles';
import { isTerraformFile } from '../sources/hcl/hclSyntax';
import { forgetDocument, memoize } from '../handshake/documentMemo';
import { RecentCache } from '../recentCache';
import { StatementMemos } from '../statementMemo';
import { AccountIndex } from './accountIndex';
import { bindingFor, bindingForShape, bindingKey, matchingPatterns } from './fileBinding';
import { accountWatch, collectDependents, SummaryReaders } from './dependents';
import { compactFacts, fileFacts, NO_FACTS, type FileFacts } from './fileFacts';
import { normalizePath, relativePath } from './glob';
import { isManifestName, parseManifest, type Manifest, type ManifestPattern } from './manifest';
import { manifestFindings } from './manifestFindings';

export interface WorkspaceOptions extends EngineOptions {
  catalog?: Catalog;
  /**
   * Keep every file's parse tree and run the workspace-scope checks on every file's full
   * documents (by default only files with a key policy keep theirs, and those checks read
   * compact copies of the others). Costs memory; the result is the same, which the tests
   * check. Also implied by an explicit `checks` list.
   */
  keepParseTrees?: boolean;
}

/** Files parsed again on demand (features on files whose tree is not kept) that stay cached. */
const RECENT_PARSES = 32;

interface FileEntry {
  text: string;
  /** The parsed file, when kept (see the module comment); `discovered()` parses it again otherwise. */
  discovered: DiscoveredFile | undefined;
  /** For a file whose tree is not kept but the workspace-scope checks report on: its documents as compact copies. */
  crossDocs?: PolicyDocument[];
  skipped?: string;
  /** Findings of the file's text alone; undefined after the options changed. */
  own?: OwnFindings;
  findings?: Finding[];
  binding?: FileBinding;
  bindingKey: string;
  facts: FileFacts;
  /** Cross-file values computed for this file's documents; dropped with the findings. */
  memo?: WeakMap<PolicyDocument, Map<string, unknown>>;
  /** Set when the file is an active manifest. */
  manifest?: Manifest;
  /** For a file being edited (`updateFile(…, true)`): what the statement-local checks found per statement. */
  statementMemos?: StatementMemos;
}

export class Workspace implements HandshakeWorld {
  private readonly files = new Map<string, FileEntry>();
  private readonly index = new AccountIndex();
  /** Active manifests by path. */
  private readonly manifests = new Map<string, Manifest>();
  /** Active manifests by their folder (normalized, no trailing slash): finding a file's manifest walks up its folders. */
  private readonly manifestsByRoot = new Map<string, Manifest>();
  private readonly explicitManifests = new Set<string>();
  private readonly accountMemos = new Map<string, Map<string, unknown>>();
  private readonly patternCounts = new Map<ManifestPattern, number>();
  private readonly summaryReaders = new SummaryReaders();
  /** During `updateFiles`: accounts whose dependents are collected at the end. */
  private batchTouched: Set<string> | undefined;
  /** Parse trees rebuilt on demand for files whose tree is not kept. */
  private readonly recent = new RecentCache<string, DiscoveredFile>(RECENT_PARSES);

  constructor(private options: WorkspaceOptions = {}) {}

  get catalog(): Catalog {
    return this.options.catalog ?? defaultCatalog();
  }

  setOptions(options: WorkspaceOptions): string[] {
    this.options = options;
    this.accountMemos.clear();
    this.recent.clear();
    for (const f of this.files.values()) { f.findings = undefined; f.memo = undefined; f.own = undefined; f.statementMemos = undefined; }
    return [...this.files.keys()];
  }

  /**
   * An explicit manifest (the CLI's `--manifest`), wherever it is: from now on the only
   * manifest, governing every file (see the module comment).
   */
  setManifest(path: string, text: string): string[] {
    this.explicitManifests.add(path);
    const affected = new Set(this.refreshManifestRoles());
    for (const f of this.updateFile(path, text)) affected.add(f);
    return [...affected];
  }

  /**
   * Set or replace a file's text (editor contents or disk). Returns the files whose
   * findings may have changed, the file itself first. `edited`: the text is an editor's,
   * so more edits are likely: what the statement-local checks find per statement is kept
   * while the file is given as edited, and statements an edit does not touch are not
   * checked again.
   */
  updateFile(path: string, text: string, edited = false): string[] {
    const affected = new Set<string>([path]);
    if (this.isManifestPath(path)) this.putManifest(path, text, affected);
    else this.putFile(path, text, affected, edited);
    return this.finish(affected);
  }

  /** Several files at once (a folder scan): the union of what each change affects. */
  updateFiles(files: { path: string; text: string }[]): string[] {
    const affected = new Set<string>();
    const ordered = [...files.filter((f) => this.isManifestPath(f.path)), ...files.filter((f) => !this.isManifestPath(f.path))];
    // Accounts touched by many files are resolved to their dependents once, at the end.
    this.batchTouched = new Set();
    try {
      for (const f of ordered) {
        affected.add(f.path);
        if (this.isManifestPath(f.path)) this.putManifest(f.path, f.text, affected);
        else this.putFile(f.path, f.text, affected);
      }
    } finally {
      const touched = this.batchTouched;
      this.batchTouched = undefined;
      for (const a of touched) for (const f of this.index.trustingFiles(a)) affected.add(f);
    }
    return this.finish(affected);
  }

  removeFile(path: string): string[] {
    const old = this.files.get(path);
    if (!old) return [];
    const affected = new Set<string>([path]);
    this.summaryReaders.forget(path);
    const watch = old.manifest ? undefined : accountWatch(this.index, old.facts, NO_FACTS);
    const before = watch?.state();
    this.files.delete(path);
    this.recent.delete(path);
    if (old.manifest) this.applyManifest(path, old.manifest, undefined, affected);
    else {
      this.index.remove(path, old.facts);
      this.collectDependents(old.facts, NO_FACTS, affected, before !== watch!.state());
      this.countPatterns(path, -1, affected);
    }
    return this.finish(affected);
  }

  /** How many files the model holds, and for how many it keeps parse trees and cross-file analyses. */
  stats(): { files: number; parseTreesKept: number; analysesKept: number } {
    let kept = 0;
    let analyses = 0;
    for (const e of this.files.values()) {
      if (e.discovered && !e.manifest) kept++;
      if (e.memo) analyses++;
    }
    return { files: this.files.size, parseTreesKept: kept, analysesKept: analyses };
  }

  hasFile(path: string): boolean {
    return this.files.has(path);
  }

  /**
   * Let go of the cross-file analyses kept for a file's documents (a key policy's matched
   * grants, an identity policy's targeted keys). Its findings stay; the analyses are made
   * again if a feature asks for them. For files nobody looks at once their findings are
   * out: about 1 KB per file, 22 KB per key policy.
   */
  releaseAnalyses(path: string): void {
    const entry = this.files.get(path);
    if (entry?.findings) entry.memo = undefined;
  }

  filePaths(): string[] {
    return [...this.files.keys()];
  }

  text(path: string): string | undefined {
    return this.files.get(path)?.text;
  }

  /** The file's documents (parsed again when the tree is not kept; the latest few stay cached). */
  discovered(path: string): DiscoveredFile | undefined {
    const entry = this.files.get(path);
    if (!entry) return undefined;
    if (entry.discovered || entry.skipped || entry.manifest) return entry.discovered;
    let found = this.recent.get(path);
    if (!found) this.recent.set(path, (found = this.parse(path, entry.text, entry.binding)));
    return found;
  }

  /** The manifest parsed from this file, when it is an active manifest. */
  manifest(path: string): Manifest | undefined {
    return this.files.get(path)?.manifest;
  }

  /** Findings of one file, computed on demand and cached until something it depends on changes. */
  findings(path: string): Finding[] {
    const entry = this.files.get(path);
    if (!entry) return [];
    if (!entry.findings) {
      if (entry.manifest) {
        const m = entry.manifest;
        entry.findings = manifestFindings(m, (p) => (this.patternCounts.get(p) ?? 0) > 0, this.options, (p) => this.shadowingManifest(m, p));
      }
      else if (entry.skipped) entry.findings = [{ checkId: 'file-skipped', severity: 'info', message: entry.skipped, span: { offset: 0, length: 0 } }];
      else {
        this.summaryReaders.forget(path);
        // Parsing again (a tree not kept) only when the options changed since the file was read.
        entry.own ??= checkOwn(this.discovered(path)!, this.options);
        const documents = entry.discovered?.documents ?? entry.crossDocs;
        const cross = documents ? workspaceFindings(entry.own, documents, { ...this.options, workspace: this }) : [];
        entry.findings = joinFindings(entry.own, cross);
      }
    }
    return entry.findings;
  }

  // ---- What the handshake reads (HandshakeWorld) ----

  accountName(id: string): string | undefined {
    for (const m of this.manifests.values()) {
      const name = m.accounts.get(id)?.name;
      if (name) return name;
    }
    return undefined;
  }

  accountIam(account: string): AccountIam {
    return this.accountMemo(account, 'iam', () => {
      const { documents, files } = this.index.identityDocuments(account);
      const principals = this.index.principalsOf(account);
      const rolesAndUsers = principals.filter((p) => /:(role|user)\//.test(p));
      return { account, described: documents.length > 0 || principals.length > 0, principals, rolesAndUsers, completeKinds: this.index.completeKinds(account), documents, files };
    });
  }

  keyPolicies(account: string): PolicyDocument[] {
    return this.index.keyPolicies(account);
  }

  keyPoliciesFor(arn: string): PolicyDocument[] {
    return this.index.keyPoliciesFor(arn);
  }

  templateContext(file: string): TemplateContext | undefined {
    return this.files.get(file)?.binding?.template;
  }

  memo<T>(doc: PolicyDocument, key: string, compute: () => T): T {
    const entry = this.files.get(doc.file);
    if (!entry) return compute();
    return memoize((entry.memo ??= new WeakMap()), doc, key, compute);
  }

  accountMemo<T>(account: string, key: string, compute: () => T): T {
    return memoize(this.accountMemos, account, key, compute);
  }

  readsAccountSummary(file: string, account: string): void {
    this.summaryReaders.note(file, account);
  }

  manifestFor(file: string): { path: string; root: string } | undefined {
    const m = this.manifestOf(file);
    return m ? { path: m.path, root: m.root } : undefined;
  }

  /** The active manifests' paths, in the order they were read. */
  manifestPaths(): string[] {
    return [...this.manifests.keys()];
  }

  principalPolicyGlobs(principal: string): string[] | undefined {
    for (const m of this.manifests.values()) {
      const e = m.principals.find((p) => p.arn === principal);
      if (e) return e.policies.map((p) => p.text);
    }
    return undefined;
  }

  keyAccounts(): string[] {
    return this.index.keyAccounts();
  }

  organizationFor(file: string): Organization | undefined {
    return this.manifestOf(file)?.organization;
  }

  trustedAccountsFor(file: string): Set<string> | undefined {
    return this.manifestOf(file)?.trustedAccounts;
  }

  // ---- What editor features read ----

  /** Role, user and group ARNs known in the workspace. */
  knownPrincipals(): string[] {
    return this.index.allPrincipals();
  }

  /** Key ARNs known in the workspace (manifest keys and key-policy owners). */
  knownKeyArns(): string[] {
    const out = new Set<string>();
    for (const m of this.manifests.values()) for (const k of m.keys) out.add(k.arn);
    for (const d of this.index.allKeyPolicies()) if (d.owner.keyArn) out.add(d.owner.keyArn);
    return [...out].sort();
  }

  knownAccounts(): { id: string; name?: string }[] {
    const ids = new Set(this.index.accounts());
    for (const m of this.manifests.values()) for (const id of m.accounts.keys()) ids.add(id);
    return [...ids].filter((id) => /^\d{12}$/.test(id)).sort().map((id) => ({ id, name: this.accountName(id) }));
  }

  // ---- Internals ----

  private isManifestPath(path: string): boolean {
    if (this.explicitManifests.size) return this.explicitManifests.has(path);
    return isManifestName(path);
  }

  /**
   * The manifest that governs a file: the active manifest nearest above it (its folder or
   * an ancestor's), or, while there is an explicit one, the explicit manifest.
   */
  private manifestOf(file: string): Manifest | undefined {
    const f = normalizePath(file);
    for (let i = f.lastIndexOf('/'); ; i = f.lastIndexOf('/', i - 1)) {
      const m = this.manifestsByRoot.get(i < 0 ? '' : f.slice(0, i));
      if (m && m.path !== file) return m;
      if (i <= 0) break;
    }
    const root = this.manifestsByRoot.get('');
    if (root && root.path !== file) return root;
    for (const path of this.explicitManifests) {
      const m = this.manifests.get(path);
      if (m && m.path !== file) return m;
    }
    return undefined;
  }

  /** Whether a change of manifest `m` may change what governs `file` or its binding. */
  private mayGovern(m: Manifest, file: string): boolean {
    return this.explicitManifests.has(m.path) || relativePath(m.root, file) !== undefined;
  }

  private bindingOf(path: string): FileBinding | undefined {
    const m = this.manifestOf(path);
    const rel = m ? relativePath(m.root, path) : undefined;
    return rel === undefined ? undefined : bindingFor(m!, rel);
  }

  /** Whether a file's tree is kept: it holds a key policy (or every tree is kept). */
  private keepsTree(discovered: DiscoveredFile): boolean {
    return this.options.keepParseTrees === true || this.options.checks !== undefined || discovered.documents.some((d) => d.kind === 'kms-key-policy');
  }

  /**
   * `edited`: the file is being edited (its nodes may be kept from one edit to the next);
   * `previous`: its last parse, which this one may build on, and which is given up to it.
   */
  private parse(path: string, text: string, binding: FileBinding | undefined, edited = false, previous?: JsonDocument): DiscoveredFile {
    const limits = this.options.limits ?? DEFAULT_PARSE_LIMITS;
    if (isTerraformFile(path)) return discover(path, text, binding, limits);
    // YAML templates are parsed whole on every change; JSON builds on its previous parse.
    const json = isYamlFile(path, text) ? parseSource(path, text, limits) : (previous && previous.syntax !== 'yaml' && reparse(previous, text, limits)) || parseJson(text, limits);
    if (edited) json.edited = true;
    return discoverParsed(path, json, bindingForShape(binding, classify(json.root)), limits);
  }

  /**
   * `statementMemos`: the file is being edited (see `updateFile`); its tree is kept, and
   * `previous`, its last parse, is reused for the parts an edit did not touch.
   */
  private buildEntry(path: string, text: string, binding: FileBinding | undefined, statementMemos?: StatementMemos, previous?: JsonDocument): FileEntry {
    this.recent.delete(path);
    const max = this.options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
    if (text.length > max) {
      return { text: '', discovered: undefined, bindingKey: bindingKey(binding), binding, facts: NO_FACTS, skipped: `File is larger than ${max} bytes (policyHandshake.maxFileSize): not checked.` };
    }
    const discovered = this.parse(path, text, binding, statementMemos !== undefined, previous);
    const facts = fileFacts(discovered, this.catalog, binding?.template);
    const own = checkOwn(discovered, this.options, statementMemos);
    const entry: FileEntry = { text, discovered, own, binding, bindingKey: bindingKey(binding), facts, statementMemos };
    if (!statementMemos && !this.keepsTree(discovered)) {
      const compact = compactFacts(facts, discovered, this.catalog, binding?.template);
      for (const doc of discovered.documents) forgetDocument(doc);
      entry.discovered = undefined;
      entry.facts = compact.facts;
      entry.crossDocs = compact.documents;
    }
    return entry;
  }

  private putFile(path: string, text: string, affected: Set<string>, edited = false): void {
    const old = this.files.get(path);
    if (old?.manifest) this.applyManifest(path, old.manifest, undefined, affected);
    // A file being edited keeps its statements' findings from one edit to the next.
    const memos = edited ? old?.statementMemos ?? new StatementMemos() : undefined;
    const previous = edited && !old?.manifest ? old?.discovered?.json : undefined;
    const entry = this.buildEntry(path, text, this.bindingOf(path), memos, previous);
    this.replaceEntry(path, old?.manifest ? undefined : old, entry, affected);
    if (!old || old.manifest) this.countPatterns(path, +1, affected);
  }

  private replaceEntry(path: string, old: FileEntry | undefined, entry: FileEntry, affected: Set<string>): void {
    const watch = accountWatch(this.index, old?.facts ?? NO_FACTS, entry.facts);
    const before = watch.state();
    if (old) this.index.remove(path, old.facts);
    this.files.set(path, entry);
    this.index.add(path, entry.facts);
    affected.add(path);
    this.collectDependents(old?.facts ?? NO_FACTS, entry.facts, affected, before !== watch.state());
  }

  private collectDependents(before: FileFacts, after: FileFacts, affected: Set<string>, accountsChanged = true): void {
    collectDependents(this.index, this.summaryReaders, before, after, accountsChanged, {
      accountDataChanged: (a) => this.accountMemos.delete(a),
      touchAccount: (a) => this.touchAccount(a, affected),
      add: (f) => affected.add(f),
    });
  }

  private touchAccount(account: string, affected: Set<string>): void {
    this.accountMemos.delete(account);
    if (this.batchTouched) this.batchTouched.add(account);
    else for (const f of this.index.trustingFiles(account)) affected.add(f);
  }

  private putManifest(path: string, text: string, affected: Set<string>): void {
    const old = this.files.get(path);
    if (old && !old.manifest) {
      this.index.remove(path, old.facts);
      this.collectDependents(old.facts, NO_FACTS, affected);
    }
    const manifest = parseManifest(path, text);
    this.recent.delete(path);
    this.files.set(path, { text, discovered: discover(path, text), bindingKey: '', facts: NO_FACTS, manifest });
    this.applyManifest(path, old?.manifest, manifest, affected);
  }

  /** Replace one manifest by another (either may be absent): principals, names, bindings, pattern counts. */
  private applyManifest(path: string, before: Manifest | undefined, after: Manifest | undefined, affected: Set<string>): void {
    affected.add(path);
    if (before) for (const p of before.principals) this.index.removePrincipal(p.account, p.arn, path);
    if (after) for (const p of after.principals) this.index.addPrincipal(p.account, p.arn, path);
    const touched = new Set<string>();
    for (const m of [before, after]) for (const p of m?.principals ?? []) touched.add(p.account);
    for (const m of [before, after]) for (const id of m?.accounts.keys() ?? []) {
      if (before?.accounts.get(id)?.name !== after?.accounts.get(id)?.name) {
        touched.add(id);
        for (const f of this.index.accountTargetingFiles(id)) affected.add(f);
      }
    }
    for (const a of touched) this.touchAccount(a, affected);
    // The organization and the allowlist are read by the findings of every file the manifest governs.
    if (allowlistKey(before) !== allowlistKey(after)) {
      for (const file of this.files.keys()) {
        if ((before && relativePath(before.root, file) !== undefined) || (after && relativePath(after.root, file) !== undefined)) affected.add(file);
      }
    }
    if (before) for (const p of patternsOf(before)) this.patternCounts.delete(p);
    if (before) this.manifestsByRoot.delete(rootKey(before));
    if (after) {
      this.manifests.set(path, after);
      this.manifestsByRoot.set(rootKey(after), after);
    } else this.manifests.delete(path);
    // Bindings follow the nearest manifest: files whose binding changed are discovered again.
    for (const [file, entry] of this.files) {
      if (entry.manifest) continue;
      if (!(before && this.mayGovern(before, file)) && !(after && this.mayGovern(after, file))) continue;
      const binding = this.bindingOf(file);
      if (bindingKey(binding) !== entry.bindingKey) this.replaceEntry(file, entry, this.buildEntry(file, entry.text, binding), affected);
    }
    // A manifest that comes or goes changes which manifest governs the files below it, and
    // so how other files' messages name them (paths relative to their manifest's folder).
    if (!before !== !after) for (const [file, entry] of this.files) if (!entry.manifest) affected.add(file);
    // Which files each manifest governs changed for this one and the manifests above it.
    for (const m of this.manifests.values()) {
      if (m === after || relativePath(m.root, path) !== undefined || this.explicitManifests.has(m.path)) this.recountPatterns(m, affected);
    }
  }

  /** Counts, for each pattern of `m`, the files it governs that the pattern matches; `m`'s findings change when one starts or stops matching. */
  private recountPatterns(m: Manifest, affected: Set<string>): void {
    const patterns = patternsOf(m);
    const counts = new Map<ManifestPattern, number>(patterns.map((p) => [p, 0]));
    for (const [file, entry] of this.files) {
      const rel = entry.manifest ? undefined : relativePath(m.root, file);
      if (rel === undefined || this.manifestOf(file) !== m) continue;
      for (const p of matchingPatterns(m, rel)) counts.set(p, counts.get(p)! + 1);
    }
    for (const [p, n] of counts) {
      if ((this.patternCounts.get(p) ?? 0) === 0 !== (n === 0)) affected.add(m.path);
      this.patternCounts.set(p, n);
    }
  }

  /** A file appeared or went away: patterns of its manifest that start or stop matching anything change the manifest's findings. */
  private countPatterns(path: string, delta: 1 | -1, affected: Set<string>): void {
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

  /** For a pattern of `m` that matches no file `m` governs: a nearer manifest that governs a file it matches. */
  private shadowingManifest(m: Manifest, pattern: ManifestPattern): string | undefined {
    for (const [file, entry] of this.files) {
      if (entry.manifest) continue;
      const rel = relativePath(m.root, file);
      if (rel === undefined || !matchingPatterns(m, rel).includes(pattern)) continue;
      const governing = this.manifestOf(file);
      if (governing && governing !== m) return governing.path;
    }
    return undefined;
  }

  /** Re-evaluate which `policy-handshake.json` files are manifests (an explicit manifest was set). */
  private refreshManifestRoles(): string[] {
    const affected = new Set<string>();
    for (const [path, entry] of [...this.files]) {
      if (!isManifestName(path) && !this.explicitManifests.has(path)) continue;
      if (!!entry.manifest === this.isManifestPath(path)) continue;
      for (const f of this.removeFile(path)) affected.add(f);
      for (const f of this.updateFile(path, entry.text)) affected.add(f);
    }
    return [...affected];
  }

  private finish(affected: Set<string>): string[] {
    for (const p of affected) {
      const e = this.files.get(p);
      if (e) { e.findings = undefined; e.memo = undefined; }
    }
    return [...affected];
  }
}

/** What of a manifest the organization and trusted-accounts findings read, as text (account names too, with an allowlist). */
function allowlistKey(m: Manifest | undefined): string {
  if (!m || (!m.organization && !m.trustedAccounts)) return '';
  const org = m.organization ? `${m.organization.id} ${[...m.organization.accounts].map(([a, p]) => `${a}=${p}`).sort().join(' ')}` : '';
  const names = m.trustedAccounts ? [...m.accounts].map(([a, e]) => `${a}=${e.name ?? ''}`).sort().join(' ') : '';
  return `${org}|${m.trustedAccounts ? [...m.trustedAccounts].sort().join(' ') : '-'}|${names}`;
}

function rootKey(m: Manifest): string {
  return normalizePath(m.root).replace(/\/$/, '');
}

function patternsOf(m: Manifest): ManifestPattern[] {
  return [...m.keys.map((k) => k.policy), ...m.principals.flatMap((p) => p.policies), ...m.templates.flatMap((t) => t.files)];
}
