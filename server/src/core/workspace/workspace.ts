/**
 * The workspace model: every file's discovered documents with their kinds and owners, the
 * manifests that bind files to keys and principals, and the cross-file index the handshake
 * reads. Kept current one file at a time; each change returns exactly the files whose
 * findings may differ. The editor and the CLI both drive it. Pure: callers supply file texts.
 *
 * This class is the facade; each concern has its module:
 * - fileEntry.ts: one file's entry and how it is read (building on the previous parse while
 *   it is edited, keeping what its unchanged statements found);
 * - parseTrees.ts: which files keep their parse tree, compact copies of the others, trees
 *   parsed again on demand;
 * - manifestSet.ts: the active manifests, which one governs a file, and applying a manifest;
 * - accounts.ts: the account index, per-account values and the files a change reaches
 *   (dependents.ts).
 */
import { defaultCatalog, type Catalog } from '../catalog/catalog';
import { checkOwn, joinFindings, workspaceFindings, type EngineOptions } from '../engine';
import type { Finding } from '../findings';
import type { HandshakeWorld, AccountIam, Organization, DeclaringTemplate } from '../handshake/world';
import type { JsonDocument } from '../json/jsonDocument';
import type { PolicyDocument } from '../model/policyDocument';
import type { TemplateContext } from '../model/templateValues';
import type { DiscoveredFile, FileBinding } from '../sources/discoveredFile';
import { memoize } from '../handshake/documentMemo';
import { StatementMemos } from '../statementMemo';
import { Accounts } from './accounts';
import { buildEntry, manifestEntry, parseFile, type FileEntry } from './fileEntry';
import { isManifestName, parseManifest, type Manifest } from './manifest';
import { ManifestSet, type ManifestHost } from './manifestSet';
import { ReparsedTrees, type TreeOptions } from './parseTrees';
import { bindingKey } from './fileBinding';
import { FileReferences } from './fileReferences';
import { ModuleVariables } from './moduleVariables';
import { variablesUsed } from '../sources/terraformVars';
import { ModuleDocuments } from './moduleDocuments';
import { KeyGrants } from './keyGrants';
import { isTerraformFile } from '../sources/registry';
import { CdkAssemblies } from './cdkAssemblies';
import { RecentCache } from '../recentCache';
import { lineAt, LineIndexCache, packedLineAt, type PackedLines } from '../positions';

export interface WorkspaceOptions extends EngineOptions, TreeOptions {
  catalog?: Catalog;
  /**
   * Reads a file's text again (the server reads it from disk). When given, a file given
   * without `edited` whose tree is not kept keeps no text: the workspace reads it again when a
   * finding's place, a fix or a feature needs it (the latest few stay cached). The caller
   * gives the file again (`updateFile`) when it changes.
   */
  readText?: (path: string) => string | undefined;
}

/** Texts read again through `readText` that stay cached. */
const RECENT_TEXTS = 256;

/**
 * Texts up to this many characters are scanned for each line asked for (`lineOf`); larger ones
 * get a cached line index. A key policy's findings label the grants of many files, each once or
 * twice: a small cache of indexes was rebuilt over and over (0.2 s of a 20,000-file workspace).
 */
const SCAN_FOR_LINE_MAX = 64 * 1024;

export class Workspace implements HandshakeWorld {
  private readonly files = new Map<string, FileEntry>();
  private readonly accounts = new Accounts();
  /** Cloud assembly manifests: the environments of CDK stacks' templates. */
  private readonly cdk = new CdkAssemblies();
  private readonly manifests = new ManifestSet((path, binding) => this.cdk.bind(path, binding));
  /** Parse trees rebuilt on demand for files whose tree is not kept. */
  private readonly trees = new ReparsedTrees<FileEntry>((path, entry) => parseFile(path, this.textOf(path, entry) ?? '', entry.binding, this.options));
  /** Texts of files that keep none, read again (see `WorkspaceOptions.readText`). */
  private readonly reread = new RecentCache<string, string>(RECENT_TEXTS);
  /** Line indexes of the large texts `lineOf` was asked about last. */
  private readonly lineIndexes = new LineIndexCache(16);
  /** How many times a text was read again through `readText` (see `textsReadAgain`). */
  private rereads = 0;
  private readonly manifestHost: ManifestHost = {
    files: this.files,
    accounts: this.accounts,
    // The manifest's binding under what other files' references say of the file (see bindingOf).
    rebind: (file, entry, _binding, affected) => this.rebind(file, entry, affected),
  };
  /** Policy files other files bind (Terraform `file()` / `templatefile()`). */
  private readonly fileRefs = new FileReferences();
  /** Terraform policy document blocks used across the files of a module. */
  private readonly moduleDocs = new ModuleDocuments();
  private readonly moduleVars = new ModuleVariables();
  /** Terraform KMS grants on keys of other files (of the module, or bound to a key ARN). */
  private readonly keyGrants = new KeyGrants();

  constructor(private options: WorkspaceOptions = {}) {}

  get catalog(): Catalog {
    return this.options.catalog ?? defaultCatalog();
  }

  setOptions(options: WorkspaceOptions): string[] {
    this.options = options;
    this.accounts.clearMemos();
    this.trees.clear();
    for (const f of this.files.values()) { f.findings = undefined; f.memo = undefined; f.own = undefined; f.statementMemos = undefined; }
    return [...this.files.keys()];
  }

  /**
   * An explicit manifest (the CLI's `--manifest`), wherever it is: from now on the only
   * manifest, governing every file (see manifestSet.ts).
   */
  setManifest(path: string, text: string): string[] {
    this.manifests.addExplicit(path);
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
    if (this.manifests.isManifestPath(path)) this.putManifest(path, text, affected);
    else this.putFile(path, text, affected, edited);
    return this.finish(affected);
  }

  /** Several files at once (a folder scan): the union of what each change affects. */
  updateFiles(files: { path: string; text: string }[]): string[] {
    const affected = new Set<string>();
    const isManifest = (f: { path: string }) => this.manifests.isManifestPath(f.path);
    const ordered = [...files.filter(isManifest), ...files.filter((f) => !isManifest(f))];
    // Accounts touched by many files are resolved to their dependents once, at the end.
    this.accounts.batch(affected, () => {
      for (const f of ordered) {
        affected.add(f.path);
        if (isManifest(f)) this.putManifest(f.path, f.text, affected);
        else this.putFile(f.path, f.text, affected);
      }
    });
    return this.finish(affected);
  }

  removeFile(path: string): string[] {
    const old = this.files.get(path);
    if (!old) return [];
    const affected = new Set<string>([path]);
    this.accounts.forgetSummaryReader(path);
    this.files.delete(path);
    this.trees.delete(path);
    this.reread.delete(path);
    this.rebindReferenced(this.fileRefs.set(path, undefined), affected);
    this.rebindReferenced(this.moduleDocs.set(path, undefined), affected, true);
    this.rebindReferenced(this.keyGrants.set(path, undefined, (arn) => this.filesBoundTo(arn)), affected, true);
    if (this.moduleVars.set(path, undefined)) this.rebindModule(path, affected);
    if (old.manifest) this.manifests.apply(path, old.manifest, undefined, affected, this.manifestHost);
    else {
      this.accounts.remove(path, old.facts, affected);
      this.manifests.countPatterns(path, -1, affected);
      this.manifests.rebind(this.cdk.update(path, undefined), affected, this.manifestHost);
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

  /** How many times the workspace has read a file's text again through `WorkspaceOptions.readText`. */
  get textsReadAgain(): number {
    return this.rereads;
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

  /**
   * Let go of a file's findings and its cross-file analyses (for a file whose findings were
   * published and that nobody looks at): they are made again when asked for. Its own findings
   * stay. On a large workspace the findings, with their related places and claims, are most
   * of what is held after its files are read.
   */
  releaseFindings(path: string): void {
    const entry = this.files.get(path);
    if (entry && !entry.manifest && !entry.skipped) { entry.findings = undefined; entry.memo = undefined; }
  }

  filePaths(): string[] {
    return [...this.files.keys()];
  }

  text(path: string): string | undefined {
    const entry = this.files.get(path);
    return entry && this.textOf(path, entry);
  }

  /**
   * The lines of a file that keeps no text (see `WorkspaceOptions.readText`), as its
   * findings' offsets read them: positions in it need no read. Undefined for a file that keeps its text.
   */
  packedLines(path: string): PackedLines | undefined {
    const entry = this.files.get(path);
    return entry?.text === undefined ? entry?.lines : undefined;
  }

  /** The line (0-based) of an offset of a file's content: from its kept lines, else from its text. */
  lineOf(path: string, offset: number): number | undefined {
    const packed = this.packedLines(path);
    if (packed) return packedLineAt(packed, offset);
    const text = this.text(path);
    if (text === undefined) return undefined;
    return text.length <= SCAN_FOR_LINE_MAX ? lineAt(text, offset) : this.lineIndexes.get(path, text).position(offset).line;
  }

  /** The file's documents (parsed again when the tree is not kept; the latest few stay cached). */
  discovered(path: string): DiscoveredFile | undefined {
    const entry = this.files.get(path);
    return entry && this.trees.of(path, entry);
  }

  /**
   * What `text` would give as this file's content, with the file's binding, without changing
   * the workspace: completion reads a line being typed this way.
   */
  discoverDraft(path: string, text: string): DiscoveredFile {
    return parseFile(path, text, this.files.get(path)?.binding, this.options);
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
      if (entry.manifest) entry.findings = this.manifests.findings(entry.manifest, this.files, this.options);
      else if (entry.skipped) entry.findings = [{ checkId: 'file-skipped', severity: 'info', message: entry.skipped, span: { offset: 0, length: 0 } }];
      else {
        this.accounts.forgetSummaryReader(path);
        // Parsing again (a tree not kept) only when the options changed since the file was read.
        entry.own ??= checkOwn(this.discovered(path)!, this.options);
        const documents = entry.discovered?.documents ?? entry.crossDocs;
        const cross = documents ? workspaceFindings(entry.own, documents, { ...this.options, workspace: this }) : [];
        entry.findings = joinFindings(entry.own, cross);
      }
    }
    return entry.findings;
  }

  /** How many of a file's policies were checked (within the limits), once its findings are made; undefined before. */
  documentsChecked(path: string): number | undefined {
    const own = this.files.get(path)?.own;
    return own ? own.withinLimits.filter(Boolean).length : undefined;
  }

  // ---- What the handshake reads (HandshakeWorld) ----

  accountName(id: string, file?: string): string | undefined {
    return this.manifests.accountName(id, file);
  }

  accountIam(account: string): AccountIam {
    return this.accounts.iam(account);
  }

  keyPolicies(account: string): PolicyDocument[] {
    return this.accounts.index.keyPolicies(account);
  }

  keyPoliciesFor(arn: string): PolicyDocument[] {
    const docs = this.accounts.index.keyPoliciesFor(arn);
    if (docs.length < 2) return docs;
    // A key has one key policy: of several files the manifests bind to it, the one they say first.
    const files = [...new Set(docs.map((d) => d.file))];
    const chosen = files.length > 1 ? this.manifests.keyPolicyFile(arn, files) : undefined;
    return chosen === undefined ? docs : docs.filter((d) => d.file === chosen || d.owner.keyArn !== arn || !this.manifests.binds(d.file));
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
    return this.accounts.memo(account, key, compute);
  }

  readsAccountSummary(file: string, account: string): void {
    this.accounts.noteSummaryReader(file, account);
  }

  manifestFor(file: string): { path: string; root: string } | undefined {
    const m = this.manifests.manifestOf(file);
    return m ? { path: m.path, root: m.root } : undefined;
  }

  /**
   * Whether the manifest that governs a file names it (a key policy, a principal's policy, a
   * template): such a file is read whatever it looks like, as the CLI reads every file it is given.
   */
  boundByManifest(file: string): boolean {
    return !this.manifests.isManifestPath(file) && this.manifests.binds(file);
  }

  /** The active manifests' paths, in the order they were read. */
  manifestPaths(): string[] {
    return this.manifests.paths();
  }

  principalPolicyGlobs(principal: string): string[] | undefined {
    for (const m of this.manifests.values()) {
      const e = m.principals.find((p) => p.arn === principal);
      if (e) return e.policies.map((p) => p.text);
    }
    return undefined;
  }

  principalTemplate(principal: string): DeclaringTemplate | undefined {
    const account = principal.split(':')[4] ?? '';
    let found: DeclaringTemplate | undefined;
    for (const file of [...this.accounts.index.principalSources(account, principal)].sort()) {
      const shape = this.files.get(file)?.shape;
      if (shape !== 'cloudformation' && shape !== 'terraform' && shape !== 'terraform-plan') continue;
      // The file that declares it is read again here, when a fix asks (its tree may not be kept).
      const read = shape === 'terraform-plan' ? undefined : this.discovered(file);
      const declared = read?.declaredPrincipals?.find((d) => d.arn === principal);
      if (declared) return { file, shape, declared, json: read!.json };
      found ??= { file, shape };
    }
    return found;
  }

  principalsBoundTo(file: string): string[] {
    return this.manifests.bindingOf(file)?.owner?.principals ?? [];
  }

  keyAccounts(): string[] {
    return this.accounts.index.keyAccounts();
  }

  organizationFor(file: string): Organization | undefined {
    return this.manifests.manifestOf(file)?.organization;
  }

  trustedAccountsFor(file: string): Set<string> | undefined {
    return this.manifests.manifestOf(file)?.trustedAccounts;
  }

  // ---- What editor features read ----

  /** Role, user and group ARNs known in the workspace. */
  knownPrincipals(): string[] {
    return this.accounts.index.allPrincipals();
  }

  /** Key ARNs known in the workspace (manifest keys and key-policy owners). */
  knownKeyArns(): string[] {
    const out = new Set<string>();
    for (const m of this.manifests.values()) for (const k of m.keys) out.add(k.arn);
    for (const d of this.accounts.index.allKeyPolicies()) if (d.owner.keyArn) out.add(d.owner.keyArn);
    return [...out].sort();
  }

  knownAccounts(): { id: string; name?: string }[] {
    const ids = new Set(this.accounts.index.accounts());
    for (const m of this.manifests.values()) for (const id of m.accounts.keys()) ids.add(id);
    return [...ids].filter((id) => /^\d{12}$/.test(id)).sort().map((id) => ({ id, name: this.accountName(id) }));
  }

  // ---- Internals ----

  private buildEntry(path: string, text: string, binding: FileBinding | undefined, statementMemos?: StatementMemos, previous?: JsonDocument): FileEntry {
    this.trees.delete(path);
    this.reread.delete(path);
    const reread = this.options.readText && !statementMemos ? () => this.text(path) ?? '' : undefined;
    return buildEntry(path, text, binding, this.options, this.catalog, statementMemos, previous, reread);
  }

  /** A file's text: kept, or read again (see `WorkspaceOptions.readText`). */
  private textOf(path: string, entry: FileEntry): string | undefined {
    if (entry.text !== undefined) return entry.text;
    let text = this.reread.get(path);
    if (text === undefined) {
      if (!this.options.readText) return undefined;
      this.rereads++;
      text = this.options.readText(path);
      if (text !== undefined) this.reread.set(path, text);
    }
    return text;
  }

  private putFile(path: string, text: string, affected: Set<string>, edited = false): void {
    const old = this.files.get(path);
    if (old?.manifest) this.manifests.apply(path, old.manifest, undefined, affected, this.manifestHost);
    // A file being edited keeps its statements' findings from one edit to the next.
    const memos = edited ? old?.statementMemos ?? new StatementMemos() : undefined;
    const previous = edited && !old?.manifest ? old?.discovered?.json : undefined;
    const entry = this.buildEntry(path, text, this.bindingOf(path, isTerraformFile(path) ? variablesUsed(text) : undefined), memos, previous);
    this.replaceEntry(path, old?.manifest ? undefined : old, entry, affected);
    if (!old || old.manifest) this.manifests.countPatterns(path, +1, affected);
    this.manifests.rebind(this.cdk.update(path, text), affected, this.manifestHost);
  }

  private replaceEntry(path: string, old: FileEntry | undefined, entry: FileEntry, affected: Set<string>): void {
    this.files.set(path, entry);
    this.accounts.replace(path, old?.facts, entry.facts, affected);
    if (old?.fileReferences || entry.fileReferences) this.rebindReferenced(this.fileRefs.set(path, entry.fileReferences), affected);
    if (old?.policyDocuments || entry.policyDocuments) this.rebindReferenced(this.moduleDocs.set(path, entry.policyDocuments), affected, true);
    if (old?.kmsGrants || entry.kmsGrants) this.rebindReferenced(this.keyGrants.set(path, entry.kmsGrants, (arn) => this.filesBoundTo(arn)), affected, true);
    if ((old?.moduleVariables || entry.moduleVariables) && this.moduleVars.set(path, entry.moduleVariables)) this.rebindModule(path, affected);
  }

  /** The module's other `.tf` files that name variables: read again where a value they name changed (the others keep their binding). */
  private rebindModule(path: string, affected: Set<string>): void {
    for (const t of this.moduleVars.readersOf(path)) {
      const entry = this.files.get(t);
      if (!entry) continue;
      this.rebind(t, entry, affected);
      if (this.files.get(t) !== entry) affected.add(t);
    }
  }

  /** Files the binding gives this key ARN (the manifest's `keys`). */
  private filesBoundTo(arn: string): string[] {
    const out: string[] = [];
    for (const [path, e] of this.files) if (e.binding?.owner?.keyArn === arn) out.push(path);
    return out;
  }

  /**
   * A file's binding: its manifest's, under what other files say of it (a Terraform `file()` /
   * `templatefile()` reference), with the uses of its policy document blocks by the other
   * files of its module and the KMS grants other files declare on its keys.
   */
  private bindingOf(path: string, variables?: readonly string[]): FileBinding | undefined {
    const b = this.fileRefs.bindingFor(path, this.manifests.bindingOf(path));
    const tf = isTerraformFile(path);
    const uses = tf ? this.moduleDocs.usesFor(path) : undefined;
    const grants = this.keyGrants.grantsFor(path, b?.owner?.keyArn);
    // Only the module values of the variables the file names: others never change its binding.
    const vars = tf ? this.moduleVars.valuesFor(path, variables ?? []) : undefined;
    return uses || grants || vars ? { ...b, ...(uses ? { documentUses: uses } : {}), ...(grants ? { keyGrants: grants } : {}), ...(vars ? { moduleVariables: vars } : {}) } : b;
  }

  /** Read a file again when its binding changed. */
  private rebind(file: string, entry: FileEntry, affected: Set<string>): void {
    const binding = this.bindingOf(file, entry.moduleVariables?.used ?? []);
    if (bindingKey(binding) !== entry.bindingKey) this.replaceEntry(file, entry, this.buildEntry(file, this.textOf(file, entry) ?? '', binding), affected);
  }

  /** Files whose binding another file's references give: read again when it changed (`refresh`: their findings may change anyway). */
  private rebindReferenced(targets: string[], affected: Set<string>, refresh = false): void {
    for (const t of targets) {
      const entry = this.files.get(t);
      if (!entry || entry.manifest) continue;
      if (refresh) affected.add(t);
      this.rebind(t, entry, affected);
    }
  }

  private putManifest(path: string, text: string, affected: Set<string>): void {
    const old = this.files.get(path);
    if (old && !old.manifest) this.accounts.remove(path, old.facts, affected, false);
    const manifest = parseManifest(path, text);
    this.trees.delete(path);
    this.reread.delete(path);
    this.files.set(path, manifestEntry(path, text, manifest));
    this.manifests.apply(path, old?.manifest, manifest, affected, this.manifestHost);
  }

  /** Re-evaluate which `policy-handshake.json` files are manifests (an explicit manifest was set). */
  private refreshManifestRoles(): string[] {
    const affected = new Set<string>();
    for (const [path, entry] of [...this.files]) {
      if (!isManifestName(path) && !this.manifests.isExplicit(path)) continue;
      if (!!entry.manifest === this.manifests.isManifestPath(path)) continue;
      for (const f of this.removeFile(path)) affected.add(f);
      for (const f of this.updateFile(path, this.textOf(path, entry) ?? '')) affected.add(f);
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
