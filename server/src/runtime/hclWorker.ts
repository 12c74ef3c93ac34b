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

openHclParser().then((parser) => {
  say({ types: parser.language!.types });
  parentPort!.on('message', ({ id, text }: ThreadRequest) => {
    let nodes: Int32Array | null = null;
    let length = 0;
    try {
      const tree = parser.parse(text);
      if (tree) {
        try {
          ({ nodes, length } = flattenHcl(tree));
        } finally {
          tree.delete();
        }
      }
    } catch {
      nodes = null;
    }
    say({ id, nodes, length }, nodes ? [nodes.buffer as ArrayBuffer] : []);
  });
}, (e: unknown) => say({ error: notLoaded(e) }));
