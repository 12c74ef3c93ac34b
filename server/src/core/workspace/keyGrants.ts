/**
 * Terraform `aws_kms_grant` resources on keys their file does not declare: a key of another file
 * of the same module (`key_id = aws_kms_key.app.arn` with the key in `key.tf`), or a key named by
 * its ARN (a literal, or a variable the manifest's template parameters give), which is the key of
 * the files the manifest binds to that ARN. The grant belongs to that key's handshake: the file
 * holding the key is read with it (its binding's `keyGrants`), and a change of either file
 * reaches the other.
 */
import type { KmsGrant } from '../model/kmsGrants';
import type { DiscoveredFile } from '../sources/discoveredFile';
import { ModuleFiles } from './moduleDocuments';

type Info = NonNullable<DiscoveredFile['kmsGrants']>;

export class KeyGrants {
  private readonly files = new ModuleFiles<Info>();

  /**
   * Replace what one file declares; returns the files whose binding may change: the file itself
   * when its keys changed, the files of its module declaring a key its grants name (before or
   * after), and, for grants on key ARNs, the files `boundTo` gives for those ARNs.
   */
  set(file: string, info: Info | undefined, boundTo: (arn: string) => string[]): string[] {
    if (!this.files.byFile.has(file) && !info) return [];
    const before = this.files.put(file, info);
    const files = this.files.module(file);
    const out = new Set<string>();
    // The file itself when its keys changed and another file of the module grants on one of
    // them (before or after): its binding holds those grants (`grantsFor`), read before this change.
    if (info?.keys.length && info.keys.join('\n') !== before?.keys.join('\n')) {
      const keys = new Set([...(before?.keys ?? []), ...info.keys]);
      for (const other of files) {
        if (other !== file && this.files.byFile.get(other)!.foreign.some((g) => keys.has(g.key))) { out.add(file); break; }
      }
    }
    const named = new Set([...(before?.foreign ?? []), ...(info?.foreign ?? [])].map((f) => f.key));
    // Unchanged grants change no binding.
    if (named.size && grantsText(before) === grantsText(info)) return [...out];
    for (const other of files) {
      if (other !== file && this.files.byFile.get(other)!.keys.some((k) => named.has(k))) out.add(other);
    }
    for (const key of named) if (key.startsWith('arn:')) for (const f of boundTo(key)) if (f !== file) out.add(f);
    return [...out];
  }

  /**
   * The grants other files declare on this file's keys: on the Terraform keys it declares (from
   * files of its module) and on `keyArn`, the key the manifest binds it to (from any file).
   */
  grantsFor(file: string, keyArn: string | undefined): Record<string, KmsGrant[]> | undefined {
    const own = this.files.byFile.get(file)?.keys ?? [];
    if (!own.length && !keyArn) return undefined;
    let out: Record<string, KmsGrant[]> | undefined;
    const add = (from: string, infos: Iterable<string>, wanted: (key: string) => boolean) => {
      for (const other of [...infos].filter((f) => f !== from).sort()) {
        for (const { key, grant } of this.files.byFile.get(other)!.foreign) if (wanted(key)) ((out ??= {})[key] ??= []).push(grant);
      }
    };
    if (own.length) add(file, this.files.module(file), (k) => own.includes(k));
    if (keyArn) add(file, this.files.byFile.keys(), (k) => k === keyArn);
    return out;
  }
}

/** A stable text of a file's foreign grants, for telling whether they changed. */
export function grantsText(info: Info | undefined): string {
  return JSON.stringify(info?.foreign ?? [], (_k, v: unknown) => (v instanceof Set ? [...v].sort() : v));
}
