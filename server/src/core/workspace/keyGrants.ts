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
import { folderOf } from './moduleDocuments';

type Info = NonNullable<DiscoveredFile['kmsGrants']>;

export class KeyGrants {
  private readonly byFile = new Map<string, Info>();
  /** Files with keys or foreign grants, by folder. */
  private readonly byFolder = new Map<string, Set<string>>();

  /**
   * Replace what one file declares; returns the files whose binding may change: the file itself
   * when its keys changed, the files of its module declaring a key its grants name (before or
   * after), and, for grants on key ARNs, the files `boundTo` gives for those ARNs.
   */
  set(file: string, info: Info | undefined, boundTo: (arn: string) => string[]): string[] {
    const before = this.byFile.get(file);
    if (!before && !info) return [];
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
    const out = new Set<string>();
    if (info?.keys.length && info.keys.join('\n') !== before?.keys.join('\n')) out.add(file);
    const named = new Set([...(before?.foreign ?? []), ...(info?.foreign ?? [])].map((f) => f.key));
    // Unchanged grants change no binding.
    if (named.size && grantsText(before) === grantsText(info)) return [...out];
    for (const other of files ?? []) {
      if (other !== file && this.byFile.get(other)!.keys.some((k) => named.has(k))) out.add(other);
    }
    for (const key of named) if (key.startsWith('arn:')) for (const f of boundTo(key)) if (f !== file) out.add(f);
    return [...out];
  }

  /**
   * The grants other files declare on this file's keys: on the Terraform keys it declares (from
   * files of its module) and on `keyArn`, the key the manifest binds it to (from any file).
   */
  grantsFor(file: string, keyArn: string | undefined): Record<string, KmsGrant[]> | undefined {
    const own = this.byFile.get(file)?.keys ?? [];
    if (!own.length && !keyArn) return undefined;
    let out: Record<string, KmsGrant[]> | undefined;
    const add = (from: string, infos: Iterable<string>, wanted: (key: string) => boolean) => {
      for (const other of [...infos].filter((f) => f !== from).sort()) {
        for (const { key, grant } of this.byFile.get(other)!.foreign) if (wanted(key)) ((out ??= {})[key] ??= []).push(grant);
      }
    };
    if (own.length) add(file, this.byFolder.get(folderOf(file)) ?? [], (k) => own.includes(k));
    if (keyArn) add(file, this.byFile.keys(), (k) => k === keyArn);
    return out;
  }
}

/** A stable text of a file's foreign grants, for telling whether they changed. */
export function grantsText(info: Info | undefined): string {
  return JSON.stringify(info?.foreign ?? [], (_k, v: unknown) => (v instanceof Set ? [...v].sort() : v));
}
