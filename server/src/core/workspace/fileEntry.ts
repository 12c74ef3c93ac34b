/**
 * One file of the workspace model and how it is read: the file's text, its documents (or,
 * for a file whose tree is not kept, compact copies of them), its own findings and facts.
 * Reading builds on the file's previous parse while it is being edited (`discover` with
 * `previous`: only what an edit changed is parsed again), and what its unchanged statements
 * found is kept (`StatementMemos`).
 */
import type { Catalog } from '../catalog/catalog';
import { checkOwn, DEFAULT_MAX_FILE_SIZE, type EngineOptions, type OwnFindings } from '../engine';
import type { Finding } from '../findings';
import { forgetDocument } from '../handshake/documentMemo';
import { DEFAULT_PARSE_LIMITS, type JsonDocument, type JsonNode } from '../json/jsonDocument';
import { trimChildren } from '../json/nodes';
import type { PolicyDocument } from '../model/policyDocument';
import { packLines, type PackedLines } from '../positions';
import { discover, discoverParsed } from '../sources/discover';
import { sourceFor } from '../sources/registry';
import { type DiscoveredFile, type FileBinding } from '../sources/discoveredFile';
import type { StatementMemos } from '../statementMemo';
import { bindingKey } from './fileBinding';
import { compactFacts, fileFacts, NO_FACTS, type FileFacts } from './fileFacts';
import type { Manifest } from './manifest';
import { keepsTree, type TreeOptions } from './parseTrees';

export interface FileEntry {
  /**
   * The file's text; undefined when the workspace reads it again instead of keeping it (a file
   * whose tree is not kept, with `WorkspaceOptions.readText`).
   */
  text: string | undefined;
  /** For an entry that keeps no text: its lines (`packLines`), so that positions in it need no read. */
  lines?: PackedLines;
  /** The parsed file, when kept (see parseTrees.ts); `Workspace.discovered()` parses it again otherwise. */
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
  /** What the file is (a policy file, a template, an export…), as read. */
  shape?: DiscoveredFile['shape'];
  /** Set when the file is an active manifest. */
  manifest?: Manifest;
  /** For a file being edited (`updateFile(…, true)`): what the statement-local checks found per statement. */
  statementMemos?: StatementMemos;
  /** Policy files this one binds (Terraform `file()` / `templatefile()`). */
  fileReferences?: DiscoveredFile['fileReferences'];
  /** Terraform: the policy document blocks it declares and those of its module it uses. */
  policyDocuments?: DiscoveredFile['policyDocuments'];
  /** Terraform: the keys it declares and its grants on keys of other files. */
  kmsGrants?: DiscoveredFile['kmsGrants'];
  /** Terraform: the literal values it gives its module's variables (defaults, or a variables file's assignments). */
  moduleVariables?: DiscoveredFile['moduleVariables'];
}

export type EntryOptions = EngineOptions & TreeOptions;

/**
 * A file's documents. `edited`: the file is being edited (its nodes may be kept from one edit
 * to the next); `previous`: its last parse, which this one may build on, and which is given up to it.
 */
export function parseFile(path: string, text: string, binding: FileBinding | undefined, options: EntryOptions, edited = false, previous?: JsonDocument): DiscoveredFile {
  return discover(path, text, binding, options.limits ?? DEFAULT_PARSE_LIMITS, { previous, edited, bindByShape: true });
}

/**
 * A file read into an entry. `statementMemos`: the file is being edited (see
 * `Workspace.updateFile`); its tree is kept, and `previous`, its last parse, is reused for the
 * parts an edit did not touch. `reread`: for a file whose tree is not kept, the entry keeps no
 * text, and its compact copies read it through this.
 */
export function buildEntry(path: string, text: string, binding: FileBinding | undefined, options: EntryOptions, catalog: Catalog, statementMemos?: StatementMemos, previous?: JsonDocument, reread?: () => string): FileEntry {
  const max = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  if (text.length > max) {
    return { text: '', discovered: undefined, bindingKey: bindingKey(binding), binding, facts: NO_FACTS, skipped: `File is larger than ${max} bytes (policyHandshake.maxFileSize): not checked.` };
  }
  const discovered = parseFile(path, text, binding, options, statementMemos !== undefined, previous);
  const facts = fileFacts(discovered, catalog, binding?.template);
  const own = checkOwn(discovered, options, statementMemos);
  const entry: FileEntry = { text, discovered, shape: discovered.shape, own, binding, bindingKey: bindingKey(binding), facts, statementMemos, fileReferences: discovered.fileReferences, policyDocuments: discovered.policyDocuments, kmsGrants: discovered.kmsGrants, moduleVariables: discovered.moduleVariables };
  if (!statementMemos) {
    if (!keepsTree(options, discovered)) releaseTree(entry, discovered, catalog, reread);
    else trimTree(discovered);
  }
  return entry;
}

/**
 * A manifest file's entry: its JSON read for the editor features, no facts. A manifest that
 * reads as plain JSON (no template placeholder) gives its entry the tree the manifest was read
 * from, which is what reading it again would give: one tree, not two. The tree lives as long as
 * the file and is never built on by an edit (a manifest is parsed whole): its arrays are kept
 * at their size.
 */
export function manifestEntry(path: string, text: string, manifest: Manifest): FileEntry {
  const discovered = sourceFor(path, text).id === 'json' && !text.includes('${') ? discoverParsed(path, manifest.json) : discover(path, text);
  trimTree(discovered);
  return { text, discovered, bindingKey: '', facts: NO_FACTS, manifest };
}

/** A tree kept for a file that is not being edited: its arrays copied to their size (`trimChildren`). */
function trimTree(discovered: DiscoveredFile): void {
  const roots = new Set<JsonNode | undefined>([discovered.json.root]);
  for (const doc of discovered.documents) roots.add(doc.json.root);
  for (const root of roots) trimChildren(root);
}

/** Let go of an entry's tree (and, with `reread`, of its text): its facts and documents become compact copies. */
function releaseTree(entry: FileEntry, discovered: DiscoveredFile, catalog: Catalog, reread?: () => string): void {
  const compact = compactFacts(entry.facts, discovered, catalog, entry.binding?.template, reread);
  if (reread && entry.text !== undefined) {
    entry.lines = packLines(entry.text);
    entry.text = undefined;
  }
  for (const doc of discovered.documents) forgetDocument(doc);
  entry.discovered = undefined;
  entry.facts = compact.facts;
  entry.crossDocs = compact.documents;
}
