/**
 * What the manifest says about one file: the key a key policy file belongs to, the
 * principals an identity policy file is attached to, and the template values for
 * CloudFormation files (and policy fragments cut out of templates).
 */
import { parseArn } from '../model/arn';
import type { PolicyOwner } from '../model/policyDocument';
import { partitionOf } from '../model/templateValues';
import type { FileBinding } from '../sources/discoveredFile';
import type { Manifest, ManifestPattern } from './manifest';
import { PatternIndex } from './patternIndex';
import { signature } from '../strings';

/** The manifest's usable patterns, indexed; entries by their position in the manifest. */
interface ManifestIndex {
  keys: PatternIndex<number>;
  principals: PatternIndex<number>;
  templates: PatternIndex<number>;
  patterns: PatternIndex<ManifestPattern>;
}

const indexes = new WeakMap<Manifest, ManifestIndex>();

function indexOf(m: Manifest): ManifestIndex {
  let idx = indexes.get(m);
  if (idx) return idx;
  idx = { keys: new PatternIndex(), principals: new PatternIndex(), templates: new PatternIndex(), patterns: new PatternIndex() };
  const add = <T>(target: PatternIndex<T>, p: ManifestPattern, v: T) => { if (p.usable) target.add(p.text, v); };
  m.keys.forEach((k, i) => { add(idx!.keys, k.policy, i); add(idx!.patterns, k.policy, k.policy); });
  m.principals.forEach((e, i) => e.policies.forEach((p) => { add(idx!.principals, p, i); add(idx!.patterns, p, p); }));
  m.templates.forEach((t, i) => t.files.forEach((p) => { add(idx!.templates, p, i); add(idx!.patterns, p, p); }));
  indexes.set(m, idx);
  return idx;
}

/** The manifest's usable patterns that match a relative path. */
export function matchingPatterns(m: Manifest, relPath: string): ManifestPattern[] {
  return indexOf(m).patterns.match(relPath);
}

function firstIndex(list: number[]): number | undefined {
  return list.length ? Math.min(...list) : undefined;
}

/**
 * Bindings by manifest and by the entries that give them: the files of one principal's folder
 * (or of one key) share one binding object, as their bindings are equal (read-only once made;
 * a binding changed for a file is a new object). Most files of a large workspace are bound this
 * way, a few hundred bytes each when each had its own.
 */
const bindings = new WeakMap<Manifest, Map<string, FileBinding | undefined>>();

export function bindingFor(m: Manifest, relPath: string): FileBinding | undefined {
  const idx = indexOf(m);
  const ti = firstIndex(idx.templates.match(relPath));
  const pi = [...new Set(idx.principals.match(relPath))].sort((a, b) => a - b);
  const ki = firstIndex(idx.keys.match(relPath));
  let byEntries = bindings.get(m);
  if (!byEntries) bindings.set(m, (byEntries = new Map()));
  const key = `${ti ?? ''}|${pi.join(',')}|${ki ?? ''}`;
  if (byEntries.has(key)) return byEntries.get(key);
  const b = makeBinding(m, ti, pi, ki);
  byEntries.set(key, b);
  return b;
}

/** The binding given by the manifest's template entry `ti`, principal entries `pi` and key entry `ki`. */
function makeBinding(m: Manifest, ti: number | undefined, pi: number[], ki: number | undefined): FileBinding | undefined {
  const owner: PolicyOwner = {};
  let kind: FileBinding['kind'];
  let template: FileBinding['template'];
  const t = ti === undefined ? undefined : m.templates[ti];
  if (t) {
    template = t.context;
    if (t.context.account) owner.account = t.context.account;
    if (t.context.region) owner.region = t.context.region;
    if (t.context.partition) owner.partition = t.context.partition;
  }
  const principals = pi.map((i) => m.principals[i]);
  if (principals.length) {
    kind = 'iam-identity-policy';
    owner.principals = principals.map((e) => e.arn);
    const accounts = new Set(principals.map((e) => e.account));
    if (accounts.size === 1) owner.account = principals[0].account;
  }
  const key = ki === undefined ? undefined : m.keys[ki];
  if (key) {
    const arn = parseArn(key.arn)!;
    kind = 'kms-key-policy';
    owner.keyArn = key.arn;
    owner.account = arn.account;
    owner.region = arn.region;
    owner.partition = arn.partition || partitionOf(arn.region);
  }
  if (!kind && !template) return undefined;
  return { kind, owner, template };
}

/** Signatures of bindings (read-only once made, and shared by the files bound alike: see `bindingFor`). */
const keys = new WeakMap<FileBinding, string>();

/** A stable signature for comparing bindings. */
export function bindingKey(b: FileBinding | undefined): string {
  if (!b) return '';
  let key = keys.get(b);
  if (key === undefined) keys.set(b, (key = bindingSignature(b)));
  return key;
}

function bindingSignature(b: FileBinding): string {
  // Kept by every file and only compared: a signature, not the text (a few hundred bytes a file).
  return signature(JSON.stringify([b.kind, b.owner?.keyArn, b.owner?.account, b.owner?.region, b.owner?.partition, b.owner?.principals, b.template, b.documentUses, b.keyGrants, b.moduleVariables, b.readBy ?? null], (_k, v: unknown) => (v instanceof Set ? [...v].sort() : v)));
}
