/**
 * The server's reading thread (bundled as dist/read-ahead.js; started by `readAhead.ts`): reads
 * the listed files in order, each claimed from the shared counter so that the thread that asks
 * for a file the other has not claimed yet can read it itself, and sends their texts in small
 * batches. It stays at most AHEAD files ahead of the ones taken, and sends its batch at once
 * when the other thread waits for a file in it.
 */
import { workerData, type MessagePort } from 'worker_threads';
import { readDiskText, type DiskRead } from './readFile';
import { AHEAD, CHUNK, CLAIMED, CONSUMED, ENDED, PAUSED, POSTED, WANT, type ReadAheadBatch } from './readAheadSlots';

const { port, signal, files, maxBytes } = workerData as { port: MessagePort; signal: Int32Array; files: string[]; maxBytes: number };

process.on('exit', () => {
  Atomics.store(signal, ENDED, 1);
  Atomics.add(signal, POSTED, 1);
  Atomics.notify(signal, POSTED);
});

let indices: number[] = [];
let reads: DiskRead[] = [];

function flush(): void {
  if (!indices.length) return;
  port.postMessage({ indices, reads } satisfies ReadAheadBatch);
  indices = [];
  reads = [];
  Atomics.add(signal, POSTED, 1);
  Atomics.notify(signal, POSTED);
}

for (;;) {
  // Held back while AHEAD files are claimed and not taken (the texts waiting are memory).
  // Woken when half of them are taken: waking a thread costs the taking thread more than a read.
  while (Atomics.load(signal, CLAIMED) - Atomics.load(signal, CONSUMED) >= AHEAD) {
    flush();
    const wakeAt = Atomics.load(signal, CLAIMED) - AHEAD / 2;
    // Said before the last look, so that the file taken that reaches it wakes this thread.
    Atomics.store(signal, PAUSED, wakeAt);
    const consumed = Atomics.load(signal, CONSUMED);
    if (consumed < wakeAt) Atomics.wait(signal, CONSUMED, consumed, 1000);
    Atomics.store(signal, PAUSED, 0);
  }
  const i = Atomics.add(signal, CLAIMED, 1);
  if (i >= files.length) break;
  indices.push(i);
  reads.push(readDiskText(files[i], maxBytes));
  if (indices.length >= CHUNK || Atomics.load(signal, WANT) >= indices[0]) flush();
}
flush();
port.close();
