/**
 * V8 heap settings for the server and the CLI processes, applied by their entry points.
 *
 * Reading a workspace allocates the same objects per file at the same places (parse nodes,
 * statement models, action lists). A minority live on (key policies' trees, compact copies,
 * findings); most die with their file. V8's allocation-site pretenuring sees the survivors
 * and starts allocating those places straight into the old generation, where the garbage of
 * every later file then waits for a full collection. Profiles of a 20,000-file workspace
 * showed about half of what was promoted to be such garbage; without pretenuring the
 * command-line check took about 15% less time and 190 MB less peak memory, and the server
 * about 10% less time and 60 MB less. Edit latency was unchanged.
 */

/** Sets the flag; `node:v8` is loaded here, when asked, so that a process that does not tune its heap never loads it. */
export function tuneHeap(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('node:v8') as typeof import('node:v8')).setFlagsFromString('--no-allocation-site-pretenuring');
}

/**
 * A command-line check of many files runs once and exits: V8's optimizing compiler, which
 * works in background threads, spent about 0.45 s of CPU time on the hot functions of a cold
 * check of 500 Terraform files (0.67 s of the process's 1.55 s ran outside the main thread).
 * A larger interrupt budget (the bytecode a function runs before it is considered for the next
 * tier; Node 20's V8 has 67,584 bytes) leaves most of them in the baseline tiers: the
 * background threads' time fell to about a third and the main thread's stayed the same. Set, like the
 * heap flag, for the functions whose budgets are set from then on. The compiler also stops
 * inlining (see `compileWithoutInlining`).
 */
export function tuneCompiler(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('node:v8') as typeof import('node:v8')).setFlagsFromString('--interrupt-budget=307200');
  compileWithoutInlining();
}

/**
 * From this many files read in one pass on, the server compiles without inlining until they
 * are read and their findings published (`compileWithoutInlining`).
 */
export const UNINLINED_PASS_FILES = 2000;

/**
 * A pass over many files optimizes hundreds of functions once: the checks' `run` functions,
 * the handshake's analyses, the parser. With inlining, TurboFan compiles each caller with its
 * callees: a cold pass over a 20,000-file workspace spent about 9 s compiling (four background
 * threads and the main thread's share, on a two-core machine where they compete with the main
 * thread), the handshake's largest functions 100 ms or more each time. Without inlining the
 * process's CPU time fell by about a fifth and the time to the last published finding by about
 * a tenth, and a command-line check of the managed policies took about 15% less CPU time
 * (bench/README.md, item 55). Until `restore` is called, functions optimized from then on are
 * compiled without inlining; those optimized before or after keep what they were given.
 */
export function compileWithoutInlining(): { restore(): void } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const v8 = require('node:v8') as typeof import('node:v8');
  v8.setFlagsFromString('--no-turbo-inlining');
  return { restore: () => v8.setFlagsFromString('--turbo-inlining') };
}

/** From this many files read in one pass on, `tightenHeapWhilePublishing` collects and tightens the heap. */
export const TIGHT_HEAP_FILES = 2000;

/** Old-generation growth allowed between full collections while a large workspace's findings are published (percent of the live heap). */
const PUBLISHING_GROWTH_PERCENT = 8;

/**
 * Between reading a large workspace and publishing its findings. Reading leaves the old
 * generation's limit where V8 set it at the last full collection, about 1.4 times the live
 * heap; publishing then promotes some 40–60 MB of short-lived analyses (20,000 files) before
 * the next one, and that sets the server's peak. Here the heap is collected once, and until
 * `restore` is called each full collection lets the old generation grow by
 * PUBLISHING_GROWTH_PERCENT of what it keeps, not V8's own factor (`--heap-growing-percent`,
 * read by V8 at each full collection; 0 is V8's own factor again).
 */
export function tightenHeapWhilePublishing(): TightHeap {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const v8 = require('node:v8') as typeof import('node:v8');
  v8.setFlagsFromString(`--heap-growing-percent=${PUBLISHING_GROWTH_PERCENT}`);
  const usedBefore = v8.getHeapStatistics().used_heap_size;
  fullCollection(v8);
  const usedAfter = v8.getHeapStatistics().used_heap_size;
  return { usedBefore, usedAfter, restore: () => v8.setFlagsFromString('--heap-growing-percent=0') };
}

/** The heap tightened for publishing: its size in use before and after the collection (bytes), and what gives V8 its own growth again. */
export interface TightHeap {
  usedBefore: number;
  usedAfter: number;
  restore(): void;
}

/** One full collection: `gc` of a context made once the flag that exposes it is set. */
function fullCollection(v8: typeof import('node:v8')): void {
  try {
    v8.setFlagsFromString('--expose-gc');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const gc = (require('node:vm') as typeof import('node:vm')).runInNewContext('gc') as unknown;
    if (typeof gc === 'function') (gc as () => void)();
  } catch {
    // No collection: the tightened growth still applies from V8's next one.
  }
}
