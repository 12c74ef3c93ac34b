/**
 * The CLI's parsing thread (bundled as dist/cli-hcl.js; started by `hclThread.ts`): loads the
 * HCL parser, then parses each text it is sent, in the order sent, and sends the tree back
 * flattened (`flattenHcl`), its buffer moved rather than copied. The first message says the
 * grammar's node types, or why the parser could not be loaded. Each message is followed by a
 * count raised in the shared `signal` (slot 0), which the checking thread waits on; slot 1 is
 * set when this thread ends.
 */
import { parentPort, workerData, type MessagePort } from 'worker_threads';
import { flattenHcl } from '../core/sources/hcl/hclSyntax';
import { notLoaded, openHclParser } from './hclParser';
import type { ThreadReply, ThreadRequest } from './hclThread';

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };

function say(message: ThreadReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

process.on('exit', () => {
  Atomics.store(signal, 1, 1);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
});

/** Trees waiting to be sent, and how many make a message (1, 2, 4… up to MOST: the first tree goes at once). */
let waiting: { nodes: Int32Array; length: number }[] = [];
let first = 0;
let batch = 1;
const MOST = 32;

function flush(): void {
  if (!waiting.length) return;
  const ends: number[] = [];
  const nodes = new Int32Array(waiting.reduce((n, t) => n + t.length, 0));
  let end = 0;
  for (const t of waiting) {
    nodes.set(t.nodes.subarray(0, t.length), end);
    ends.push((end += t.length));
  }
  say({ first, ends, nodes }, [nodes.buffer]);
  first += waiting.length;
  waiting = [];
  batch = Math.min(batch * 2, MOST);
}

openHclParser().then((parser) => {
  say({ types: parser.language!.types });
  parentPort!.on('message', ({ first: from, texts }: ThreadRequest) => {
    if (!waiting.length) first = from;
    for (const text of texts) {
      let tree: { nodes: Int32Array; length: number } = { nodes: new Int32Array(0), length: 0 };
      try {
        const parsed = parser.parse(text);
        if (parsed) {
          try {
            tree = flattenHcl(parsed);
          } finally {
            parsed.delete();
          }
        }
      } catch {
        // The parser gave up: no tree.
      }
      waiting.push(tree);
      if (waiting.length >= batch) flush();
    }
    flush();
  });
}, (e: unknown) => say({ error: notLoaded(e) }));
