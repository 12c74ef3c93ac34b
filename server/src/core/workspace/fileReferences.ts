/**
 * Files that other files say what they are: a Terraform resource whose policy is
 * `file("policy.json")` or `templatefile("policy.json.tpl", {...})` makes that file a policy of
 * the resource's owner, with the template's variables. The referenced file's binding is the
 * reference's, under what its own manifest says (the manifest wins where both speak).
 */
import type { FileBinding, FileReference } from '../sources/discoveredFile';

export class FileReferences {
  /** By referring file: its references. */
  private readonly bySource = new Map<string, FileReference[]>();
  /** By referenced file: the referring files, sorted (the first one's binding applies). */
  private readonly byTarget = new Map<string, string[]>();

  /** Replace the references of one file; returns the referenced files whose binding may have changed. */
  set(source: string, refs: FileReference[] | undefined): string[] {
    const before = this.bySource.get(source) ?? [];
    const after = refs ?? [];
    if (before.length === 0 && after.length === 0) return [];
    const changed = new Set<string>();
    for (const r of before) {
      changed.add(r.target);
      const list = (this.byTarget.get(r.target) ?? []).filter((s) => s !== source);
      if (list.length) this.byTarget.set(r.target, list);
      else this.byTarget.delete(r.target);
    }
    if (after.length) this.bySource.set(source, after);
    else this.bySource.delete(source);
    for (const r of after) {
      changed.add(r.target);
      const list = this.byTarget.get(r.target) ?? [];
      if (!list.includes(source)) this.byTarget.set(r.target, [...list, source].sort());
    }
    return [...changed];
  }

  /** The binding of a file: the first reference's, with the file's own (manifest) binding over it. */
  bindingFor(target: string, own: FileBinding | undefined): FileBinding | undefined {
    const source = this.byTarget.get(target)?.[0];
    const ref = source ? this.bySource.get(source)?.find((r) => r.target === target) : undefined;
    if (!ref) return own;
    if (!own) return ref.binding;
    const template = own.template || ref.binding.template
      ? { ...ref.binding.template, ...own.template, parameters: { ...ref.binding.template?.parameters, ...own.template?.parameters } }
      : undefined;
    return { kind: own.kind ?? ref.binding.kind, owner: { ...ref.binding.owner, ...own.owner }, ...(template ? { template } : {}), ...(ref.binding.readBy ? { readBy: ref.binding.readBy } : {}) };
  }

  /** The file whose reference binds `target`, if any. */
  referrer(target: string): string | undefined {
    return this.byTarget.get(target)?.[0];
  }
}
