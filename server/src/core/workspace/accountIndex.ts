/**
 * The cross-file index of the workspace model: account → identity policies and known
 * principals, account → key policies, and the reverse dependencies (which files' findings
 * read an account's IAM data, which read a key's policy). Updated per file in time
 * proportional to what that file contributes.
 */
import type { PolicyDocument } from '../model/policyDocument';
import type { FileFacts, KeyRef } from './fileFacts';

type Multi<V> = Map<string, Map<string, V>>;

function addTo<V>(m: Multi<V[]>, account: string, file: string, v: V): void {
  let inner = m.get(account);
  if (!inner) m.set(account, (inner = new Map()));
  const list = inner.get(file);
  if (list) list.push(v);
  else inner.set(file, [v]);
}

function removeFile<V>(m: Multi<V>, account: string, file: string): void {
  const inner = m.get(account);
  if (!inner) return;
  inner.delete(file);
  if (inner.size === 0) m.delete(account);
}

function addSet(m: Map<string, Set<string>>, key: string, v: string): void {
  let s = m.get(key);
  if (!s) m.set(key, (s = new Set()));
  s.add(v);
}

function removeSet(m: Map<string, Set<string>>, key: string, v: string): void {
  const s = m.get(key);
  if (!s) return;
  s.delete(v);
  if (s.size === 0) m.delete(key);
}

/** account → ARN → the files (or manifests) that name it. */
type ByAccount = Map<string, Map<string, Set<string>>>;

function addNamed(m: ByAccount, account: string, arn: string, source: string): void {
  let inner = m.get(account);
  if (!inner) m.set(account, (inner = new Map()));
  addSet(inner, arn, source);
}

function removeNamed(m: ByAccount, account: string, arn: string, source: string): void {
  const inner = m.get(account);
  if (!inner) return;
  removeSet(inner, arn, source);
  if (inner.size === 0) m.delete(account);
}

const EMPTY: ReadonlySet<string> = new Set();

export class AccountIndex {
  /** account → file → identity policies of the account in that file. */
  private readonly identityDocs: Multi<PolicyDocument[]> = new Map();
  /** account → principal ARN → sources (files, manifests) that name it. */
  private readonly principals: ByAccount = new Map();
  /** account → file → key policies of keys of the account. */
  private readonly keyDocs: Multi<PolicyDocument[]> = new Map();
  /** key ARN → files holding its policy; account → files holding policies of its keys whose ARN is not known. */
  private readonly keyFilesByArn = new Map<string, Set<string>>();
  private readonly partialKeyFiles = new Map<string, Set<string>>();
  /** account → files whose key policies trust it. */
  private readonly trusting = new Map<string, Set<string>>();
  /** key ARN → files whose grants name it exactly; account → files whose grants name its keys by wildcard; account → both. */
  private readonly targetingExact = new Map<string, Set<string>>();
  private readonly targetingWild = new Map<string, Set<string>>();
  private readonly targetingAll = new Map<string, Set<string>>();
  /** account → files whose identity policies of the account allow decryption on all keys. */
  private readonly allKeysGrants = new Map<string, Set<string>>();
  /** account → roles and users with a permissions boundary → files that say so. */
  private readonly bounded: ByAccount = new Map();
  /** `account|role` or `account|user` → files that list every role (user) of the account. */
  private readonly completeLists = new Map<string, Set<string>>();
  /** `account|role` or `account|user` → manifests that say the workspace names every role (user) of the account. */
  private readonly declaredComplete = new Map<string, Set<string>>();

  add(file: string, f: FileFacts): void {
    for (const [a, d] of f.identityDocs) addTo(this.identityDocs, a, file, d);
    for (const [a, p] of f.principals) this.addPrincipal(a, p, file);
    for (const [a, p] of f.bounded) addNamed(this.bounded, a, p, file);
    for (const [a, d] of f.keyDocs) addTo(this.keyDocs, a, file, d);
    for (const k of f.keys) k.arn ? addSet(this.keyFilesByArn, k.arn, file) : addSet(this.partialKeyFiles, k.account, file);
    for (const a of f.trusted) addSet(this.trusting, a, file);
    for (const t of f.targets) {
      addSet(this.targetingAll, t.account, file);
      t.arn ? addSet(this.targetingExact, t.arn, file) : addSet(this.targetingWild, t.account, file);
    }
    for (const a of f.allKeysAccounts) addSet(this.allKeysGrants, a, file);
    for (const [a, kind] of f.completeLists) addSet(this.completeLists, `${a}|${kind}`, file);
  }

  remove(file: string, f: FileFacts): void {
    for (const [a] of f.identityDocs) removeFile(this.identityDocs, a, file);
    for (const [a, p] of f.principals) this.removePrincipal(a, p, file);
    for (const [a, p] of f.bounded) removeNamed(this.bounded, a, p, file);
    for (const [a] of f.keyDocs) removeFile(this.keyDocs, a, file);
    for (const k of f.keys) k.arn ? removeSet(this.keyFilesByArn, k.arn, file) : removeSet(this.partialKeyFiles, k.account, file);
    for (const a of f.trusted) removeSet(this.trusting, a, file);
    for (const t of f.targets) {
      removeSet(this.targetingAll, t.account, file);
      t.arn ? removeSet(this.targetingExact, t.arn, file) : removeSet(this.targetingWild, t.account, file);
    }
    for (const a of f.allKeysAccounts) removeSet(this.allKeysGrants, a, file);
    for (const [a, kind] of f.completeLists) removeSet(this.completeLists, `${a}|${kind}`, file);
  }

  /** The kinds of principal (role, user) of which the workspace lists every one for the account: an export lists them, or a manifest says so. */
  completeKinds(account: string): ('role' | 'user')[] {
    return (['role', 'user'] as const).filter((k) => this.completeLists.has(`${account}|${k}`) || this.declaredComplete.has(`${account}|${k}`));
  }

  /** The kinds complete only by a manifest's word (no export lists them). */
  declaredOnlyKinds(account: string): ('role' | 'user')[] {
    return (['role', 'user'] as const).filter((k) => !this.completeLists.has(`${account}|${k}`) && this.declaredComplete.has(`${account}|${k}`));
  }

  /** A manifest's `accounts.<id>.complete`: the workspace names every principal of that kind in the account. */
  declareComplete(account: string, kind: 'role' | 'user', manifest: string): void {
    addSet(this.declaredComplete, `${account}|${kind}`, manifest);
  }

  undeclareComplete(account: string, kind: 'role' | 'user', manifest: string): void {
    removeSet(this.declaredComplete, `${account}|${kind}`, manifest);
  }

  addPrincipal(account: string, arn: string, source: string): void {
    addNamed(this.principals, account, arn, source);
  }

  removePrincipal(account: string, arn: string, source: string): void {
    removeNamed(this.principals, account, arn, source);
  }

  identityDocuments(account: string): { documents: PolicyDocument[]; files: number } {
    const inner = this.identityDocs.get(account);
    if (!inner) return { documents: [], files: 0 };
    const documents: PolicyDocument[] = [];
    for (const list of inner.values()) documents.push(...list);
    return { documents, files: inner.size };
  }

  /** Whether the workspace has IAM data (identity policies or principals) for the account. */
  hasIamData(account: string): boolean {
    return this.identityDocs.has(account) || this.principals.has(account);
  }

  hasPrincipal(account: string, arn: string): boolean {
    return this.principals.get(account)?.has(arn) ?? false;
  }

  /** The files (and manifests) that name the principal. */
  principalSources(account: string, arn: string): ReadonlySet<string> {
    return this.principals.get(account)?.get(arn) ?? EMPTY;
  }

  /** The account's roles and users with a permissions boundary, sorted. */
  boundedOf(account: string): string[] {
    return [...(this.bounded.get(account)?.keys() ?? [])].sort();
  }

  hasBounded(account: string, arn: string): boolean {
    return this.bounded.get(account)?.has(arn) ?? false;
  }

  principalsOf(account: string): string[] {
    return [...(this.principals.get(account)?.keys() ?? [])].sort();
  }

  keyPolicies(account: string): PolicyDocument[] {
    const out: PolicyDocument[] = [];
    for (const list of this.keyDocs.get(account)?.values() ?? []) out.push(...list);
    return out;
  }

  /** Key policies of the key with this exact ARN, and of its account's keys whose ARN is not known. */
  keyPoliciesFor(arn: string): PolicyDocument[] {
    const account = arn.split(':')[4] ?? '';
    const out: PolicyDocument[] = [];
    const inner = this.keyDocs.get(account);
    if (!inner) return out;
    for (const file of this.keyFilesFor(arn)) for (const d of inner.get(file) ?? []) out.push(d);
    return out;
  }

  /** Files whose key policies trust the account. */
  trustingFiles(account: string): ReadonlySet<string> {
    return this.trusting.get(account) ?? EMPTY;
  }

  /** Files holding the policy of a key with this exact ARN, or of a key of its account whose ARN is not known. */
  keyFilesFor(arn: string): string[] {
    const account = arn.split(':')[4] ?? '';
    return [...(this.keyFilesByArn.get(arn) ?? []), ...(this.partialKeyFiles.get(account) ?? [])];
  }

  /** Files whose grants may name this key. */
  targetingFiles(key: KeyRef): string[] {
    if (!key.arn) return [...(this.targetingAll.get(key.account) ?? [])];
    return [...(this.targetingExact.get(key.arn) ?? []), ...(this.targetingWild.get(key.account) ?? [])];
  }

  /** Files whose grants name keys of the account (any key). */
  accountTargetingFiles(account: string): ReadonlySet<string> {
    return this.targetingAll.get(account) ?? EMPTY;
  }

  accounts(): string[] {
    return [...new Set([...this.identityDocs.keys(), ...this.principals.keys(), ...this.keyDocs.keys()])].sort();
  }

  allPrincipals(): string[] {
    const out: string[] = [];
    for (const inner of this.principals.values()) out.push(...inner.keys());
    return out.sort();
  }

  /** Files whose identity policies of the account allow decryption on all keys. */
  allKeysGrantFiles(account: string): ReadonlySet<string> {
    return this.allKeysGrants.get(account) ?? EMPTY;
  }

  keyAccounts(): string[] {
    return [...this.keyDocs.keys()].sort();
  }

  allKeyPolicies(): PolicyDocument[] {
    const out: PolicyDocument[] = [];
    for (const inner of this.keyDocs.values()) for (const list of inner.values()) out.push(...list);
    return out;
  }
}
