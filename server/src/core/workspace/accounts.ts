/**
 * The workspace's accounts: the cross-file index (account → identity policies, principals,
 * key policies), the values gathered per account for the handshake, and which files'
 * findings a change of one file reaches through them (see dependents.ts). During a batch
 * (`updateFiles`), accounts touched by many files are resolved to their dependents once, at
 * the end.
 */
import { memoize } from '../handshake/documentMemo';
import type { AccountIam } from '../handshake/world';
import { AccountIndex } from './accountIndex';
import { accountWatch, collectDependents, SummaryReaders } from './dependents';
import { NO_FACTS, type FileFacts } from './fileFacts';

export class Accounts {
  readonly index = new AccountIndex();
  private readonly memos = new Map<string, Map<string, unknown>>();
  private readonly summaryReaders = new SummaryReaders();
  /** During a batch: accounts whose dependents are collected at the end. */
  private batchTouched: Set<string> | undefined;

  /** A file's facts replaced (`old` undefined: the file is new); the files this reaches are added to `affected`, the file itself too. */
  replace(path: string, old: FileFacts | undefined, facts: FileFacts, affected: Set<string>): void {
    const watch = accountWatch(this.index, old ?? NO_FACTS, facts);
    const before = watch.state();
    if (old) this.index.remove(path, old);
    this.index.add(path, facts);
    affected.add(path);
    this.collect(old ?? NO_FACTS, facts, affected, before !== watch.state());
  }

  /**
   * A file's facts removed. `watch`: find out whether an account's described status or
   * principals changed (without it, every account the file described counts as changed).
   */
  remove(path: string, facts: FileFacts, affected: Set<string>, watch = true): void {
    const w = watch ? accountWatch(this.index, facts, NO_FACTS) : undefined;
    const before = w?.state();
    this.index.remove(path, facts);
    this.collect(facts, NO_FACTS, affected, w ? before !== w.state() : true);
  }

  /** The account's data changed: every key policy trusting it depends on the change. */
  touch(account: string, affected: Set<string>): void {
    this.memos.delete(account);
    if (this.batchTouched) this.batchTouched.add(account);
    else for (const f of this.index.trustingFiles(account)) affected.add(f);
  }

  /** Runs `work` as one batch: touched accounts are resolved to their dependents once, at the end. */
  batch(affected: Set<string>, work: () => void): void {
    this.batchTouched = new Set();
    try {
      work();
    } finally {
      const touched = this.batchTouched;
      this.batchTouched = undefined;
      for (const a of touched) for (const f of this.index.trustingFiles(a)) affected.add(f);
    }
  }

  /** What the handshake reads of an account's IAM side. */
  iam(account: string): AccountIam {
    return this.memo(account, 'iam', () => {
      const { documents, files } = this.index.identityDocuments(account);
      const principals = this.index.principalsOf(account);
      const rolesAndUsers = principals.filter((p) => /:(role|user)\//.test(p));
      return { account, described: documents.length > 0 || principals.length > 0, principals, rolesAndUsers, bounded: this.index.boundedOf(account), completeKinds: this.index.completeKinds(account), declaredOnlyKinds: this.index.declaredOnlyKinds(account), documents, files };
    });
  }

  memo<T>(account: string, key: string, compute: () => T): T {
    return memoize(this.memos, account, key, compute);
  }

  clearMemos(): void {
    this.memos.clear();
  }

  /** `file`'s findings show numbers searched in `account`. */
  noteSummaryReader(file: string, account: string): void {
    this.summaryReaders.note(file, account);
  }

  forgetSummaryReader(file: string): void {
    this.summaryReaders.forget(file);
  }

  private collect(before: FileFacts, after: FileFacts, affected: Set<string>, accountsChanged: boolean): void {
    collectDependents(this.index, this.summaryReaders, before, after, accountsChanged, {
      accountDataChanged: (a) => this.memos.delete(a),
      touchAccount: (a) => this.touch(a, affected),
      add: (f) => affected.add(f),
    });
  }
}
