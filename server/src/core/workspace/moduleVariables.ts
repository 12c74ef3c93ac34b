/**
 * Terraform variables across the files of one module (one folder): the literal defaults of the
 * `variable` blocks its `.tf` files declare, and what `terraform.tfvars` and `*.auto.tfvars`
 * assign (Terraform loads those by itself; `*.auto.tfvars` in name order after
 * `terraform.tfvars`, each later one winning). Every `.tf` file of the folder reads them.
 */
import type { DiscoveredFile } from '../sources/discoveredFile';
import { ModuleFiles } from './moduleDocuments';

type Info = NonNullable<DiscoveredFile['moduleVariables']>;
export type ModuleValues = { defaults: Record<string, string>; assigned: Record<string, string> };

export class ModuleVariables {
  /** Files that give values (defaults, assignments). */
  private readonly givers = new ModuleFiles<Info>();
  /** Terraform files that name variables: those a change of the values may concern. */
  private readonly readers = new ModuleFiles<true>();

  /** Replace what one file gives and names; whether the values of its folder changed. */
  set(file: string, info: Info | undefined): boolean {
    this.readers.put(file, info?.used?.length ? true : undefined);
    const gives = info?.defaults || info?.assigned ? info : undefined;
    if (!this.givers.byFile.has(file) && !gives) return false;
    const before = JSON.stringify(this.valuesFor(file) ?? null);
    this.givers.put(file, gives);
    return JSON.stringify(this.valuesFor(file) ?? null) !== before;
  }

  /** The other files of a file's folder that name variables. */
  readersOf(file: string): string[] {
    return [...this.readers.module(file)].filter((f) => f !== file);
  }

  /**
   * The values the files of a file's folder give (undefined when none); with `used`, only
   * those of the variables a file names (`var.NAME`), so that a value it does not read never
   * changes its binding (and never has it read again).
   */
  valuesFor(file: string, used?: readonly string[]): ModuleValues | undefined {
    if (used && used.length === 0) return undefined;
    const files = [...this.givers.module(file)];
    if (files.length === 0) return undefined;
    const defaults: Record<string, string> = {};
    const assigned: Record<string, string> = {};
    // A variable declared twice is Terraform's error: the first file (in path order) is taken.
    for (const f of files.sort()) {
      const d = this.givers.byFile.get(f)!.defaults;
      if (d) for (const [k, v] of Object.entries(d)) if (!Object.prototype.hasOwnProperty.call(defaults, k)) defaults[k] = v;
    }
    // terraform.tfvars first, then *.auto.tfvars in name order: the later assignment wins.
    const vars = files.filter((f) => this.givers.byFile.get(f)!.assigned).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
    for (const f of vars) Object.assign(assigned, this.givers.byFile.get(f)!.assigned);
    if (!used) return { defaults, assigned };
    const pick = (m: Record<string, string>) => {
      const out: Record<string, string> = {};
      for (const k of used) if (Object.prototype.hasOwnProperty.call(m, k)) out[k] = m[k];
      return out;
    };
    const d = pick(defaults);
    const a = pick(assigned);
    return Object.keys(d).length || Object.keys(a).length ? { defaults: d, assigned: a } : undefined;
  }
}

function rank(file: string): number {
  return /(^|[\\/])terraform\.tfvars$/i.test(file) ? 0 : 1;
}
