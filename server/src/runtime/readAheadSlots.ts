/** What the server's reading thread (`readAheadWorker.ts`) and the thread that takes its reads (`readAhead.ts`) share. */
import type { DiskRead } from './readFile';

/** Slots of the shared counters. */
/** The next file index not claimed yet: whoever moves it past a file reads that file. */
export const CLAIMED = 0;
/** Files below this index are taken (or no longer wanted): the reading thread stays AHEAD files beyond it. */
export const CONSUMED = 1;
/** Raised after each batch sent, and when the reading thread ends: the taking thread waits on it. */
export const POSTED = 2;
/** The file the taking thread waits for (-1: none): a batch holding it is sent at once. */
export const WANT = 3;
/** Set when the reading thread has ended. */
export const ENDED = 4;
/** While the reading thread is held back, the index of CONSUMED that wakes it (0: not held back). */
export const PAUSED = 5;
export const SLOTS = 6;

/** How many files the reading thread may have read and not seen taken. */
export const AHEAD = 512;
/** Reads are sent this many to a message (each message costs both threads more than its texts). */
export const CHUNK = 16;

/** One message of the reading thread: the reads of files `indices`, in order. */
export interface ReadAheadBatch { indices: number[]; reads: DiskRead[] }
