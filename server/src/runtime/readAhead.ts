/**
 * Reading a long list of files in a thread of its own (`readAheadWorker.ts`, bundled as
 * dist/read-ahead.js), ahead of the thread that parses and checks them: the system calls of
 * opening, reading and closing each file then run on another core while this one checks the
 * files before. Files are taken in the listed order. A file the reading thread has not claimed
 * yet (while it starts, or when it falls behind) is read here, so this thread never waits for
 * one it could read itself; a file it has claimed is waited for (`Atomics.wait` on a shared
 * counter, then `receiveMessageOnPort`). A run that starts no thread does not load
 * `worker_threads`.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Worker } from 'worker_threads';
import { readDiskText, type DiskRead } from './readFile';
import { CLAIMED, CONSUMED, ENDED, PAUSED, POSTED, SLOTS, WANT, type ReadAheadBatch } from './readAheadSlots';

/** From this many files on, a folder's first reading reads them in a thread (fewer are read before a thread would start). */
export const READ_AHEAD_FILES = 2000;

/** A claimed file that has not come for this long (a stuck thread) is read here. */
const STALLED_MS = 10_000;

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

/** Starts reading `files` (each up to `maxBytes`) in a thread; undefined when no thread can be started (read them here). */
export function startReadAhead(files: readonly string[], maxBytes: number): ReadAhead | undefined {
  const file = script();
  if (!file) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { MessageChannel, receiveMessageOnPort, Worker } = require('worker_threads') as typeof import('worker_threads');
  const signal = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
  Atomics.store(signal, WANT, -1);
  const { port1: port, port2 } = new MessageChannel();
  let worker: Worker;
  try {
    // The thread holds only the texts on their way: a small young generation keeps its memory small.
    worker = new Worker(file, {
      workerData: { port: port2, signal, files, maxBytes },
      transferList: [port2],
      resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 32 },
    });
  } catch {
    return undefined;
  }
  worker.unref();
  port.unref();
  let failed = false;
  // A thread that fails (it cannot start, or runs out of memory) leaves its files to this one.
  worker.on('error', () => { failed = true; });
  const counts = { thread: 0, here: 0 };
  const received = new Map<number, DiskRead>();
  /** Files below this index are taken: their reads, when they come, are dropped. */
  let next = 0;

  /**
   * Takes the thread's messages until the one with the i-th file (true) or none is left.
   * Messages are taken only when needed: the texts wait in them outside the heap, and a text
   * taken long before it is checked would outlive young-generation collections (and then
   * stay in the heap until a full collection).
   */
  const receive = (i: number): boolean => {
    if (received.has(i)) return true;
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
      const { indices, reads } = m.message as ReadAheadBatch;
      for (let k = 0; k < indices.length; k++) if (indices[k] >= next) received.set(indices[k], reads[k]);
      if (received.has(i)) return true;
    }
    return false;
  };

  /** The thread's read of a file it claimed, or undefined when it ended or stalled without sending it. */
  const wait = (i: number): DiskRead | undefined => {
    Atomics.store(signal, WANT, i);
    try {
      for (;;) {
        const seen = Atomics.load(signal, POSTED);
        if (receive(i)) return received.get(i);
        if (failed || Atomics.load(signal, ENDED) !== 0) return receive(i) ? received.get(i) : undefined;
        if (Atomics.wait(signal, POSTED, seen, STALLED_MS) === 'timed-out') { failed = true; return undefined; }
      }
    } finally {
      Atomics.store(signal, WANT, -1);
    }
  };

  /** Claims the files up to the i-th for this thread, unless the reading thread has claimed the i-th already (false). */
  const claimHere = (i: number): boolean => {
    for (let c = Atomics.load(signal, CLAIMED); c <= i;) {
      const before = Atomics.compareExchange(signal, CLAIMED, c, i + 1);
      if (before === c) return true;
      c = before;
    }
    return false;
  };

  const taken = (i: number): void => {
    next = i + 1;
    Atomics.store(signal, CONSUMED, next);
    const wakeAt = Atomics.load(signal, PAUSED);
    if (wakeAt !== 0 && next >= wakeAt) Atomics.notify(signal, CONSUMED);
  };

  return {
    counts,
    take(i, limit) {
      // Reads of files skipped are of no use any more.
      for (let k = next; k < i; k++) received.delete(k);
      next = i;
      let read = receive(i) ? received.get(i) : undefined;
      // Not come yet: read here unless the thread has claimed it, which then is on its way.
      if (read === undefined && !failed && limit === maxBytes && !claimHere(i)) read = wait(i);
      received.delete(i);
      taken(i);
      if (read !== undefined && limit === maxBytes) {
        counts.thread++;
        return read;
      }
      counts.here++;
      return readDiskText(files[i], limit);
    },
    close() {
      // Whatever is asked for from now on is read here.
      failed = true;
      Atomics.store(signal, CLAIMED, files.length);
      Atomics.store(signal, CONSUMED, files.length);
      Atomics.notify(signal, CONSUMED);
      void worker.terminate().catch(() => undefined);
      port.close();
    },
  };
}
