/**
 * The CLI's HCL parser in a thread of its own (`hclWorker.ts`, bundled as dist/cli-hcl.js):
 * the .tf texts are sent ahead, in the order the check reads them, and parsed there while
 * this thread checks the files before them. The core's parse function, which is synchronous,
 * takes a text's flattened tree from the thread's port (`receiveMessageOnPort`), waiting on a
 * shared counter (`Atomics.wait`) until it is there. A text asked for out of that order is
 * sent when asked for. This thread never loads the parser, and a run that starts no thread
 * does not load `worker_threads`.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Worker } from 'worker_threads';
import { setHclParser, type HclFlatTree } from '../core/sources/hcl/hclSyntax';

export interface ThreadRequest { id: number; text: string }
export type ThreadReply =
  | { types: readonly string[] }
  | { error: string }
  | { id: number; nodes: Int32Array | null; length: number };

/** How many texts are sent ahead of the one being read (the flat trees waiting to be read are held until then). */
const AHEAD = 128;
/** A parse that has made no progress for this long (a stuck thread) gives no tree. */
const STALLED_MS = 60_000;

/** The thread's script: the bundle's, or the compiled module's when run unbundled. */
function script(): string | undefined {
  for (const name of ['cli-hcl.js', 'hclWorker.js']) {
    const file = path.join(__dirname, name);
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

/**
 * Starts the parsing thread with `texts` (the .tf files' texts, in the order they will be
 * read) and gives the core its parse function; false when the thread cannot be started (the
 * caller then loads the parser in this thread). `log` says once why the parser could not be
 * loaded there, and `.tf` files then give no documents, as without a parser.
 */
export function startHclThread(texts: readonly string[], log?: (message: string) => void): boolean {
  const file = script();
  if (!file) return false;
  // Loaded here, when asked: a run that starts no thread does not load the module.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { MessageChannel, receiveMessageOnPort, Worker } = require('worker_threads') as typeof import('worker_threads');
  const signal = new Int32Array(new SharedArrayBuffer(8));
  const { port1: port, port2 } = new MessageChannel();
  let worker: Worker;
  try {
    worker = new Worker(file, { workerData: { port: port2, signal }, transferList: [port2] });
  } catch {
    return false;
  }
  worker.unref();
  port.unref();

  let types: readonly string[] | undefined;
  let failed = false;
  let ids = 0;
  const replies = new Map<number, { nodes: Int32Array | null; length: number }>();
  /** Texts sent ahead and not asked for yet, in order. */
  const ahead: ThreadRequest[] = [];
  /** Texts sent ahead but asked for after a later one (or never): their replies are dropped. */
  const dropped = new Set<number>();
  let next = 0;
  /** The last text the thread answered (it answers in the order sent). */
  let answered = -1;

  const send = (text: string): number => {
    const id = ids++;
    worker.postMessage({ id, text } satisfies ThreadRequest);
    return id;
  };
  const sendAhead = () => {
    while (ahead.length < AHEAD && next < texts.length) {
      const text = texts[next++];
      ahead.push({ id: send(text), text });
    }
  };
  const receive = (): boolean => {
    let got = false;
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
      got = true;
      const reply = m.message as ThreadReply;
      if ('types' in reply) types = reply.types;
      else if ('error' in reply) {
        failed = true;
        log?.(reply.error);
      } else {
        answered = reply.id;
        if (dropped.has(reply.id)) dropped.delete(reply.id);
        else replies.set(reply.id, reply);
      }
    }
    return got;
  };
  const take = (id: number): HclFlatTree | null => {
    for (;;) {
      const reply = replies.get(id);
      if (reply) {
        replies.delete(id);
        return reply.nodes && types ? { types, nodes: reply.nodes, length: reply.length } : null;
      }
      const seen = Atomics.load(signal, 0);
      if (receive()) continue;
      if (failed || answered >= id || Atomics.load(signal, 1) !== 0) return null;
      if (Atomics.wait(signal, 0, seen, STALLED_MS) === 'timed-out') return null;
    }
  };

  sendAhead();
  setHclParser((text) => {
    receive();
    if (failed) return null;
    let id: number;
    const at = ahead.findIndex((r) => r.text === text);
    if (at >= 0) {
      id = ahead[at].id;
      for (const skipped of ahead.splice(0, at + 1).slice(0, at)) if (!replies.delete(skipped.id)) dropped.add(skipped.id);
    } else id = send(text);
    sendAhead();
    return take(id);
  });
  return true;
}
