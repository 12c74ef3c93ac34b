/**
 * Which files' findings read what one file contributes, so that a change returns exactly
 * those: key policies trusting an account read its principals and its KMS grants (only the
 * grants that may name their key), identity policies naming a key read that key's policy,
 * identity policies that allow decryption on all keys read the key policies trusting their
 * account (their quick-fix lists those keys), and findings that count what was searched
 * read the account's numbers.
 */
import type { AccountIndex } from './accountIndex';
import { accountShape, describedAccounts, type FileFacts } from './fileFacts';

export interface DependentsSink {
  /** The account's IAM data changed (its gathered values are stale). */
  accountDataChanged(account: string): void;
  /** Every key policy trusting the account depends on the change. */
  touchAccount(account: string): void;
  add(file: string): void;
}

/** Files whose findings show numbers searched in an account (policies, files, a principal's policy files). */
export class SummaryReaders {
  private readonly byAccount = new Map<string, Set<string>>();
  private readonly byFile = new Map<string, Set<string>>();

  note(file: string, account: string): void {
    let readers = this.byAccount.get(account);
    if (!readers) this.byAccount.set(account, (readers = new Set()));
    readers.add(file);
    let reads = this.byFile.get(file);
    if (!reads) this.byFile.set(file, (reads = new Set()));
    reads.add(account);
  }

  forget(file: string): void {
    for (const a of this.byFile.get(file) ?? []) {
      const readers = this.byAccount.get(a);
      readers?.delete(file);
      if (readers?.size === 0) this.byAccount.delete(a);
    }
    this.byFile.delete(file);
  }

  of(account: string): Iterable<string> {
    return this.byAccount.get(account) ?? [];
  }
}

/**
 * Watches what a file change can alter of its accounts as a whole: whether each is described
 * at all, and which principals it has. Take `state()` before and after updating the index.
 */
export function accountWatch(index: AccountIndex, before: FileFacts, after: FileFacts): { state(): string } {
  const accounts = [...new Set([...describedAccounts(before), ...describedAccounts(after)])];
  // Principals, and those with a permissions boundary (`b` first).
  const keys = (f: FileFacts) => new Set([...f.principals.map(([a, p]) => `p ${a} ${p}`), ...f.bounded.map(([a, p]) => `b ${a} ${p}`)]);
  const was = keys(before);
  const is = keys(after);
  const diff = [...was].filter((k) => !is.has(k)).concat([...is].filter((k) => !was.has(k))).map((k) => k.split(' '));
  return {
    state: () => accounts.map((a) => (index.hasIamData(a) ? '1' : '0')).join('') + '|'
      + diff.map(([kind, a, p]) => ((kind === 'b' ? index.hasBounded(a, p) : index.hasPrincipal(a, p)) ? '1' : '0')).join(''),
  };
}

/**
 * Reports the files whose findings read what changed between two versions of a file's facts
 * (the index already holds the new version). `accountsChanged`: whether an account's
 * described status or principal set changed (see `accountWatch`).
 */
export function collectDependents(index: AccountIndex, readers: SummaryReaders, before: FileFacts, after: FileFacts, accountsChanged: boolean, sink: DependentsSink): void {
  // In three functions: the facts' lists come as arrays of several shapes (filled, shared
  // empty), and V8 optimizes again the function that reads them each time it meets a new one.
  accountReaders(readers, before, after, accountsChanged, sink);
  identityStatementReaders(index, before, after, sink);
  if (before.keySig !== after.keySig) keyPolicyReaders(index, before, after, sink);
}

/** The files that read an account whose data changed (its summary, or all of its trusting files). */
function accountReaders(readers: SummaryReaders, before: FileFacts, after: FileFacts, accountsChanged: boolean, sink: DependentsSink): void {
  for (const a of new Set([...describedAccounts(before), ...describedAccounts(after)])) {
    sink.accountDataChanged(a);
    if (accountShape(before, a) === accountShape(after, a)) continue;
    if (accountsChanged) sink.touchAccount(a);
    else for (const f of readers.of(a)) sink.add(f);
  }
}

/** KMS statements of identity policies: those naming exact keys matter to those keys' policies only. */
function identityStatementReaders(index: AccountIndex, before: FileFacts, after: FileFacts, sink: DependentsSink): void {
  const sigs = (f: FileFacts) => new Set(f.iamStatements.map((x) => `${x.account}|${x.sig}`));
  const was = sigs(before);
  const is = sigs(after);
  const changed = [...before.iamStatements.filter((x) => !is.has(`${x.account}|${x.sig}`)), ...after.iamStatements.filter((x) => !was.has(`${x.account}|${x.sig}`))];
  for (const x of changed) {
    if (!x.arns) { sink.touchAccount(x.account); continue; }
    const trusting = index.trustingFiles(x.account);
    for (const arn of x.arns) for (const f of index.keyFilesFor(arn)) if (trusting.has(f)) sink.add(f);
  }
}

/** Key policies that changed: the grants that may name the key. */
function keyPolicyReaders(index: AccountIndex, before: FileFacts, after: FileFacts, sink: DependentsSink): void {
  for (const k of [...before.keys, ...after.keys]) for (const f of index.targetingFiles(k)) sink.add(f);
  // Grants of decryption on all keys, in the accounts the key policies trust: their quick-fix lists the keys.
  const accounts = new Set([...before.trusted, ...after.trusted, ...before.keys.map((k) => k.account), ...after.keys.map((k) => k.account)]);
  for (const a of accounts) for (const f of index.allKeysGrantFiles(a)) sink.add(f);
}
