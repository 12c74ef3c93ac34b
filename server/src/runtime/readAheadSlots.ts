/**
 * What the server's reading thread (`readAheadWorker.ts`) and the thread that takes its reads
 * (`readAhead.ts`) share: counters, one slot per file in flight (AHEAD of them, file i in slot
 * i % AHEAD), and a ring of bytes the files' texts are read into. Nothing is sent as a message:
 * the texts of a message are made in the taking thread's heap when it is taken, ahead of their
 * files, and then outlive young-generation collections (12 MB more heap at the end of a
 * 20,000-file reading, collected only by a full collection); a message also costs both
 * threads a copy.
 */

// Counters (`control`).
/** The next file index not claimed yet: whoever moves it past a file reads that file. */
export const CLAIMED = 0;
/** Files below this index are taken (or no longer wanted): their slots and bytes may be used again. */
export const CONSUMED = 1;
/** Set when the reading thread has ended. */
export const ENDED = 2;
/** While the reading thread is held back, the value of CONSUMED that wakes it (0: not held back). */
export const PAUSED = 3;
/** The file the taking thread waits for (-1: none): the reading thread wakes it when the file is there. */
export const WANT = 4;
/** Raised by the reading thread after each file: a thread that stops raising it has stopped (it may end without saying so, out of memory). */
export const PROGRESS = 5;
export const CONTROL_SLOTS = 6;

/** A file's slot (`slots`, four numbers a file): READY holds its index + 1 once the rest is written. */
export const READY = 0;
export const KIND = 1;
export const START = 2;
export const LENGTH = 3;
export const SLOT_SIZE = 4;

/** KIND: the text's bytes are LENGTH bytes of the ring from START (wrapped), or why there is no text. */
export const TEXT = 0;
/** Over the limit: its size is in `sizes`. */
export const TOO_LARGE = 1;
export const MISSING = 2;
/** Too large for the ring: the taking thread reads it itself. */
export const READ_THERE = 3;

/** How many files the reading thread may have read and not seen taken. */
export const AHEAD = 512;
/** Bytes of the ring; a file larger than a quarter of it is left to the taking thread. */
export const RING_BYTES = 2 * 1024 * 1024;

/** The shared memory, made by the taking thread. */
export interface ReadAheadShared {
  control: Int32Array;
  slots: Int32Array;
  /** Sizes of files over the limit (they may exceed 2^31). */
  sizes: Float64Array;
  ring: Uint8Array;
}

export function sharedMemory(): ReadAheadShared {
  return {
    control: new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4)),
    slots: new Int32Array(new SharedArrayBuffer(AHEAD * SLOT_SIZE * 4)),
    sizes: new Float64Array(new SharedArrayBuffer(AHEAD * 8)),
    ring: new Uint8Array(new SharedArrayBuffer(RING_BYTES)),
  };
}
