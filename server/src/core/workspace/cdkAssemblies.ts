/**
 * The cloud assembly manifests of the workspace (`cdk.out/manifest.json`) and the template
 * values they give the stacks' templates. A manifest `templates` entry that binds a
 * template wins value by value; the assembly fills in what it leaves out.
 */
import type { TemplateContext } from '../model/templateValues';
import type { FileBinding } from '../sources/discoveredFile';
import { isCdkManifestName, readCdkManifest } from '../sources/cdkAssembly';

export class CdkAssemblies {
  private readonly byManifest = new Map<string, Map<string, TemplateContext>>();
  private readonly byTemplate = new Map<string, TemplateContext>();

  /**
   * A file's new text (undefined: the file is gone). Returns the template files whose
   * values changed (none when the file is not a cloud assembly manifest, before or after).
   */
  update(path: string, text: string | undefined): string[] {
    if (!isCdkManifestName(path)) return [];
    const before = this.byManifest.get(path);
    const after = new Map<string, TemplateContext>();
    for (const s of text === undefined ? [] : readCdkManifest(path, text)) if (!after.has(s.template)) after.set(s.template, s.context);
    if (!before && after.size === 0) return [];
    const changed = new Set<string>();
    for (const t of before?.keys() ?? []) if (!after.has(t)) { changed.add(t); this.byTemplate.delete(t); }
    for (const [t, ctx] of after) {
      if (JSON.stringify(before?.get(t)) !== JSON.stringify(ctx)) changed.add(t);
      this.byTemplate.set(t, ctx);
    }
    if (after.size) this.byManifest.set(path, after);
    else this.byManifest.delete(path);
    return [...changed];
  }

  /** A file's binding with the values its stack's environment gives. */
  bind(path: string, binding: FileBinding | undefined): FileBinding | undefined {
    const env = this.byTemplate.get(path);
    if (!env || (!env.account && !env.region)) return binding;
    const bound = binding?.template;
    const template: TemplateContext = {
      ...bound,
      account: bound?.account ?? env.account,
      region: bound?.region ?? env.region,
      partition: bound?.partition ?? (bound?.region ? undefined : env.partition),
    };
    const owner = { ...binding?.owner };
    owner.account ??= template.account;
    owner.region ??= template.region;
    owner.partition ??= template.partition;
    return { ...binding, owner, template };
  }
}
