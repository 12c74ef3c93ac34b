/**
 * What the CLI's entry (launch.ts) does before it loads the rest of the CLI: it reads the
 * command line, lists the files to check and their context (files.ts) and, when they hold
 * HCL_THREAD_FILES Terraform files or more, starts the parsing thread. The thread's start-up and its loading of the parser
 * (about 0.1 s) then overlap with the loading of the CLI's bundle instead of following it. The
 * CLI (main.ts) takes the listing and the thread when it runs the same command line in the same
 * folder; a thread it does not take is stopped. Nothing here writes anything: a command line
 * that is not a check of files is left to the CLI, which says what is wrong with it.
 */
import { parseOptions } from './args';
import { collectFiles, type Listing } from './files';
import { isTerraformFile } from '../core/sources/fileNames';
import { spawnHclWorker, type HclWorker } from '../runtime/hclSpawn';

/**
 * From this many Terraform files on, they are parsed in a thread of its own (see
 * hclThread.ts). The thread's start and its cold code cost about 0.2 s of CPU time: over the
 * corpus's 132 `.tf` files it cost more than it took off the main thread, over 500 generated
 * ones much less (bench/README.md, item 43).
 */
export const HCL_THREAD_FILES = 250;

/** The files to check, listed by the entry, and the parsing thread it started for them. */
export interface Early {
  argv: readonly string[];
  cwd: string;
  listing: Listing;
  thread?: HclWorker;
}

const KEY = Symbol.for('policy-handshake.cli.early');

/** Whether the listed files call for the parsing thread. */
export function wantsHclThread(files: readonly string[]): boolean {
  let count = 0;
  for (const f of files) if (isTerraformFile(f) && ++count >= HCL_THREAD_FILES) return true;
  return false;
}

/** Lists the files of a `check` or `graph` command line and starts the parsing thread for them when they call for it. */
export function startEarly(argv: readonly string[], cwd: string): void {
  try {
    const [command, ...rest] = argv;
    if (command !== 'check' && command !== 'graph') return;
    const o = parseOptions(command, rest, { stdout: () => undefined, stderr: () => undefined, cwd });
    if (typeof o === 'number') return;
    const listing = collectFiles(o.paths, cwd, o.manifest);
    const thread = listing.missing.length === 0 && wantsHclThread(listing.context.length ? [...listing.files, ...listing.context] : listing.files) ? spawnHclWorker() : undefined;
    (globalThis as Record<symbol, unknown>)[KEY] = { argv: [...argv], cwd, listing, thread } satisfies Early;
  } catch {
    // The CLI lists the files and starts the thread itself.
  }
}

/** What the entry did for this command line in this folder, if anything (taken once). */
export function takeEarly(argv: readonly string[], cwd: string): Early | undefined {
  const g = globalThis as Record<symbol, unknown>;
  const early = g[KEY] as Early | undefined;
  delete g[KEY];
  if (!early) return undefined;
  if (early.cwd === cwd && early.argv.length === argv.length && early.argv.every((a, i) => a === argv[i])) return early;
  void early.thread?.worker.terminate().catch(() => undefined);
  return undefined;
}
