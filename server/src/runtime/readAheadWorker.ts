/**
 * The server's reading thread (bundled as dist/read-ahead.js; started by `readAhead.ts`): reads
 * the listed files in order, each claimed from the shared counter so that the thread that asks
 * for a file the other has not claimed yet can read it itself, into the shared ring of bytes,
 * and marks each file's slot ready. It stays at most AHEAD files, and the ring's size, ahead of
 * the files taken; held back, it is woken when a quarter of that is taken.
 */
import * as fs from 'fs';
import { workerData } from 'worker_threads';
import { OPEN_FLAGS, readInto } from './readFile';
import {
  AHEAD, CLAIMED, CONSUMED, ENDED, KIND, LENGTH, MISSING, PAUSED, PROGRESS, READ_THERE, READY, RING_BYTES, SLOT_SIZE, START, TEXT, TOO_LARGE, WANT,
  type ReadAheadShared,
} from './readAheadSlots';

const { control, slots, sizes, ring, files, maxBytes } = workerData as ReadAheadShared & { files: string[]; maxBytes: number };

process.on('exit', () => {
  Atomics.store(control, ENDED, 1);
  Atomics.notify(slots, 0);
  const want = Atomics.load(control, WANT);
  if (want >= 0) Atomics.notify(slots, (want % AHEAD) * SLOT_SIZE + READY);
});

/** Where the next text's bytes go in the ring (a count of bytes written, not wrapped). */
let written = 0;
/** The files whose texts are in the ring and may not be taken yet: index and where their bytes start. */
const held: { index: number; start: number }[] = [];
let firstHeld = 0;

/** Holds this thread back until CONSUMED reaches `wakeAt` (or a second has passed). */
function pause(wakeAt: number): void {
  // Said before the last look, so that the file taken that reaches it wakes this thread.
  Atomics.store(control, PAUSED, wakeAt);
  const consumed = Atomics.load(control, CONSUMED);
  if (consumed < wakeAt) Atomics.wait(control, CONSUMED, consumed, 1000);
  Atomics.store(control, PAUSED, 0);
}

/** Where `length` bytes of file `index` can go in the ring: waits until the files before it free enough. */
function place(index: number, length: number): number {
  // A text does not wrap around the ring: it starts at the ring's start when it would.
  let start = written;
  if ((start % RING_BYTES) + length > RING_BYTES) start += RING_BYTES - (start % RING_BYTES);
  for (;;) {
    const consumed = Atomics.load(control, CONSUMED);
    while (firstHeld < held.length && held[firstHeld].index < consumed) firstHeld++;
    const oldest = firstHeld < held.length ? held[firstHeld].start : start;
    if (start + length - oldest <= RING_BYTES) break;
    pause(Math.min(consumed + AHEAD / 4, index));
  }
  if (firstHeld > 1024) {
    held.splice(0, firstHeld);
    firstHeld = 0;
  }
  held.push({ index, start });
  written = start + length;
  return start % RING_BYTES;
}

/** Reads file `index` into its slot (anything that cannot be read, or is not a file, is missing). */
function read(index: number): void {
  const slot = (index % AHEAD) * SLOT_SIZE;
  let fd: number | undefined;
  let kind = MISSING;
  try {
    fd = fs.openSync(files[index], OPEN_FLAGS);
    const st = fs.fstatSync(fd);
    if (!st.isFile()) kind = MISSING;
    else if (st.size > maxBytes) {
      kind = TOO_LARGE;
      sizes[index % AHEAD] = st.size;
    } else if (st.size > RING_BYTES / 4) kind = READ_THERE;
    else {
      const start = place(index, st.size);
      kind = TEXT;
      slots[slot + START] = start;
      slots[slot + LENGTH] = readInto(fd, ring, start, st.size);
    }
  } catch {
    kind = MISSING;
  } finally {
    if (fd !== undefined) {
      try { fs.closeSync(fd); } catch { /* closed already */ }
    }
  }
  slots[slot + KIND] = kind;
  Atomics.store(slots, slot + READY, index + 1);
  Atomics.add(control, PROGRESS, 1);
  if (Atomics.load(control, WANT) === index) Atomics.notify(slots, slot + READY);
}

for (;;) {
  // Held back while AHEAD files are claimed and not taken (their slots are in use).
  while (Atomics.load(control, CLAIMED) - Atomics.load(control, CONSUMED) >= AHEAD) {
    pause(Atomics.load(control, CLAIMED) - AHEAD + AHEAD / 4);
  }
  const i = Atomics.add(control, CLAIMED, 1);
  if (i >= files.length) break;
  read(i);
}
