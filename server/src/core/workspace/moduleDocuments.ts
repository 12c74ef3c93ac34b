/**
 * Terraform policy document blocks used across the files of one module (one folder): a resource
 * in `roles.tf` whose policy is `data.aws_iam_policy_document.read.json`, declared in `data.tf`.
 * The declaring file reads the block with the owner of the resource that uses it; an edit of
 * either file reaches the other.
 */
import { mergeDocumentUse, type DiscoveredFile, type PolicyDocumentUse } from '../sources/discoveredFile';

type Info = NonNullable<DiscoveredFile['policyDocuments']>;

function folderOf(file: string): string {
  return file.slice(0, Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}

/** What each file of a module (a folder) says, by file and by folder. */
export class ModuleFiles<T> {
  readonly byFile = new Map<string, T>();
  /** Files that say something, by folder. */
  private readonly byFolder = new Map<string, Set<string>>();

  /** Replace what a file says (undefined: nothing); returns what it said before. */
  put(file: string, info: T | undefined): T | undefined {
    const before = this.byFile.get(file);
    if (!before && !info) return undefined;
    const folder = folderOf(file);
    let files = this.byFolder.get(folder);
    if (info) {
      this.byFile.set(file, info);
      if (!files) this.byFolder.set(folder, (files = new Set()));
      files.add(file);
    } else {
      this.byFile.delete(file);
      files?.delete(file);
      if (files && files.size === 0) this.byFolder.delete(folder);
    }
    return before;
  }

  /** The files of the file's folder that say something. */
  module(file: string): ReadonlySet<string> {
    return this.byFolder.get(folderOf(file)) ?? new Set();
  }
}

export class ModuleDocuments {
  private readonly files = new ModuleFiles<Info>();

  /**
   * Replace what one file declares and uses; returns the other files of its module whose
   * documents or findings may change (those declaring blocks, and those using this file's),
   * and the file itself when the blocks it declares changed and another file uses one of them
   * (before or after): its binding holds those uses (`usesFor`), read before this change.
   */
  set(file: string, info: Info | undefined): string[] {
    if (!this.files.byFile.has(file) && !info) return [];
    const before = this.files.put(file, info);
    const files = this.files.module(file);
    const declared = new Set([...(before?.declared ?? []), ...(info?.declared ?? [])]);
    const names = new Set([...Object.keys(before?.used ?? {}), ...Object.keys(info?.used ?? {}), ...declared]);
    const out: string[] = [];
    let usesDeclared = false;
    for (const other of files) {
      if (other === file) continue;
      const o = this.files.byFile.get(other)!;
      const used = Object.keys(o.used);
      if (!usesDeclared && used.some((n) => declared.has(n))) usesDeclared = true;
      if (o.declared.some((n) => names.has(n)) || used.some((n) => names.has(n))) out.push(other);
    }
    if (usesDeclared && info?.declared.length && !sameDeclared(before, info)) out.unshift(file);
    return out;
  }

  /**
   * The uses, by other files of the module, of the blocks a file declares: a block several
   * files use is the policy of the principals of all of them (files in path order).
   */
  usesFor(file: string): Record<string, PolicyDocumentUse> | undefined {
    const own = this.files.byFile.get(file);
    if (!own?.declared.length) return undefined;
    let out: Record<string, PolicyDocumentUse> | undefined;
    const others = [...this.files.module(file)].filter((f) => f !== file).sort();
    for (const name of own.declared) {
      for (const other of others) {
        const use = this.files.byFile.get(other)!.used[name];
        if (!use) continue;
        out ??= {};
        out[name] = out[name] ? mergeDocumentUse(out[name], use) : use;
      }
    }
    return out;
  }
}

function sameDeclared(a: Info | undefined, b: Info): boolean {
  return !!a && a.declared.join('\n') === b.declared.join('\n');
}
