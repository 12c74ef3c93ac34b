/**
 * Which files keep their parse tree. A file's tree is kept only when it holds a key policy
 * (the key-side workspace-scope checks and other files' analyses read all of it) or is being
 * edited. Other files keep their text, their own findings and compact facts: copies of their
 * identity policies with only the KMS statements, which is all the identity-side checks and
 * other files read. Features that need their tree get it parsed again, and the latest few
 * such parses stay cached.
 */
import type { EngineOptions } from '../engine';
import { RecentCache } from '../recentCache';
import type { DiscoveredFile } from '../sources/discoveredFile';

export interface TreeOptions {
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

/** Whether a file's tree is kept: it holds a key policy (or every tree is kept). */
export function keepsTree(options: EngineOptions & TreeOptions, discovered: DiscoveredFile): boolean {
  return options.keepParseTrees === true || options.checks !== undefined || discovered.documents.some((d) => d.kind === 'kms-key-policy');
}

/** What of a workspace entry says whether its tree is kept. */
export interface TreeHolder {
  discovered: DiscoveredFile | undefined;
  skipped?: string;
  manifest?: unknown;
}

/** The trees of files that do not keep theirs, parsed again on demand; the latest few stay cached. */
export class ReparsedTrees<E extends TreeHolder> {
  private readonly recent = new RecentCache<string, DiscoveredFile>(RECENT_PARSES);

  constructor(private readonly parse: (path: string, entry: E) => DiscoveredFile) {}

  /** The file's documents: its kept tree, or one parsed again. */
  of(path: string, entry: E): DiscoveredFile | undefined {
    if (entry.discovered || entry.skipped || entry.manifest) return entry.discovered;
    let found = this.recent.get(path);
    if (!found) this.recent.set(path, (found = this.parse(path, entry)));
    return found;
  }

  delete(path: string): void {
    this.recent.delete(path);
  }

  clear(): void {
    this.recent.clear();
  }
}
