/**
 * Reading a long list of files in a thread of its own (`readAheadWorker.ts`, bundled as
 * dist/read-ahead.js), ahead of the thread that parses and checks them: the system calls of
 * opening, reading and closing each file then run on another core while this one checks the
 * files before. The thread reads the texts' bytes into a ring of shared memory and marks each
 * file's slot ready (`readAheadSlots.ts`); a text is decoded here when its file is taken, so it
 * lives no longer in this heap than a text read here. Files are taken in the listed order. A
 * file the reading thread has not claimed yet (while it starts, or when it falls behind) is
 * read here, so this thread never waits for one it could read itself; a file it has claimed is
 * waited for (`Atomics.wait` on its slot). A run that starts no thread does not load
 * `worker_threads`.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Worker } from 'worker_threads';
import { decodeText, readDiskText, type DiskRead } from './readFile';
import {
  AHEAD, CLAIMED, CONSUMED, ENDED, KIND, LENGTH, MISSING, PAUSED, PROGRESS, READY, SLOT_SIZE, START, TEXT, TOO_LARGE, WANT, sharedMemory,
} from './readAheadSlots';

/** From this many files on, a folder's first reading reads them in a thread (fewer are read before a thread would start). */
export const READ_AHEAD_FILES = 2000;

/**
 * A claimed file waited for while the thread reads nothing for this long (a stuck thread, or
 * one that ran out of memory and ended without saying so) is read here, and so are the rest.
 */
const STALLED_MS = 2_000;
/** How often a wait looks whether the thread still reads. */
const STALL_CHECK_MS = 250;

export interface ReadAhead {
  /** The read of the i-th file, i increasing from call to call (files skipped are not read twice); read here when `maxBytes` is not the thread's. */
  take(i: number, maxBytes: number): DiskRead;
  /** How many files the reading thread read, and how many were read here. */
  readonly counts: { thread: number; here: number };
  /** Stops the thread (the files not taken are not read). */
  close(): void;
}

/** The thread's script: the bundle's, or the compiled module's when run unbundled. */
function script(): string | undefined {
  for (const name of ['read-ahead.js', 'readAheadWorker.js']) {
    const file = path.join(__dirname, name);
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

/**
 * Starts reading `files` (each up to `maxBytes`) in a thread; undefined when no thread can be
 * started (read them here). `threadScript` replaces the thread's script (tests of a thread that
 * stops).
 */
export function startReadAhead(files: readonly string[], maxBytes: number, threadScript = script()): ReadAhead | undefined {
  const file = threadScript;
  if (!file) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Worker } = require('worker_threads') as typeof import('worker_threads');
  const shared = sharedMemory();
  const { control, slots, sizes, ring } = shared;
  Atomics.store(control, WANT, -1);
  let worker: Worker;
  try {
    // The thread holds the list of files and what it is reading: a small young generation keeps its
    // memory small, and the old generation's limit leaves room for the list of a very large workspace.
    worker = new Worker(file, { workerData: { ...shared, files, maxBytes }, resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 64, stackSizeMb: 1 } });
  } catch {
    return undefined;
  }
  worker.unref();
  let failed = false;
  // A thread that fails (it cannot start, or runs out of memory) leaves its files to this one.
  worker.on('error', () => { failed = true; });
  const counts = { thread: 0, here: 0 };

  /** Claims the files up to the i-th for this thread, unless the reading thread has claimed the i-th already (false). */
  const claimHere = (i: number): boolean => {
    for (let c = Atomics.load(control, CLAIMED); c <= i;) {
      const before = Atomics.compareExchange(control, CLAIMED, c, i + 1);
      if (before === c) return true;
      c = before;
    }
    return false;
  };

  /** Whether the reading thread's read of the i-th file, which it claimed, is in its slot (false: it ended or stalled first). */
  const ready = (i: number): boolean => {
    const at = (i % AHEAD) * SLOT_SIZE + READY;
    if (Atomics.load(slots, at) === i + 1) return true;
    Atomics.store(control, WANT, i);
    try {
      let still = 0;
      for (;;) {
        const seen = Atomics.load(slots, at);
        if (seen === i + 1) return true;
        if (failed || Atomics.load(control, ENDED) !== 0) return false;
        const progress = Atomics.load(control, PROGRESS);
        const waited = Atomics.wait(slots, at, seen, STALL_CHECK_MS);
        still = waited === 'timed-out' && Atomics.load(control, PROGRESS) === progress ? still + STALL_CHECK_MS : 0;
        if (still >= STALLED_MS) {
          failed = true;
          return Atomics.load(slots, at) === i + 1;
        }
      }
    } finally {
      Atomics.store(control, WANT, -1);
    }
  };

  /** The read in the i-th file's slot. */
  const fromSlot = (i: number): DiskRead | undefined => {
    const slot = (i % AHEAD) * SLOT_SIZE;
    const kind = slots[slot + KIND];
    if (kind === TEXT) return { kind: 'text', text: decodeText(ring, slots[slot + START], slots[slot + START] + slots[slot + LENGTH]) };
    if (kind === TOO_LARGE) return { kind: 'too-large', size: sizes[i % AHEAD] };
    if (kind === MISSING) return { kind: 'missing' };
    return undefined; // too large for the ring: read here
  };

  /** Files below the i-th are taken (or skipped): their slots and bytes may be used again. */
  let next = 0;
  const release = (i: number): void => {
    next = i;
    Atomics.store(control, CONSUMED, i);
    const wakeAt = Atomics.load(control, PAUSED);
    if (wakeAt !== 0 && i >= wakeAt) Atomics.notify(control, CONSUMED);
  };

  return {
    counts,
    take(i, limit) {
      // Files skipped are not wanted: the thread may need their room to read this one.
      if (i > next) release(i);
      let read: DiskRead | undefined;
      // Read here unless the thread has claimed it: then it is on its way, or there.
      if (!failed && limit === maxBytes && !claimHere(i) && ready(i)) read = fromSlot(i);
      release(i + 1);
      if (read !== undefined) {
        counts.thread++;
        return read;
      }
      counts.here++;
      return readDiskText(files[i], limit);
    },
    close() {
      // Whatever is asked for from now on is read here; the thread, if held back, finds nothing left to read.
      failed = true;
      Atomics.store(control, CLAIMED, files.length);
      Atomics.store(control, CONSUMED, files.length + AHEAD);
      Atomics.notify(control, CONSUMED);
      void worker.terminate().catch(() => undefined);
    },
  };
}
