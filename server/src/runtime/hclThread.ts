/**
 * The CLI's HCL parser in a thread of its own (`hclWorker.ts`, bundled as dist/cli-hcl.js):
 * the .tf texts are sent ahead, in the order the check reads them, and parsed there while
 * this thread checks the files before them. The core's parse function, which is synchronous,
 * takes a text's flattened tree from the thread's port (`receiveMessageOnPort`), waiting on a
 * shared counter (`Atomics.wait`) until it is there. A text asked for out of that order is
 * sent when asked for. This thread never loads the parser, and a run that starts no thread
 * does not load `worker_threads`.
 */
import { spawnHclWorker, type HclWorker } from './hclSpawn';
import { setHclParser, type HclFlatTree } from '../core/sources/hcl/hclSyntax';

/** Texts to parse, numbered from `first` on. */
export interface ThreadRequest { first: number; texts: string[] }
/**
 * The node types, why the parser could not be loaded, or the trees of texts `first`… in one
 * buffer: the i-th ends at `ends[i]` (and starts where the one before ends); an empty one is a
 * text the parser gave up on.
 */
export type ThreadReply =
  | { types: readonly string[] }
  | { error: string }
  | { first: number; ends: number[]; nodes: Int32Array };

/** How many texts are sent ahead of the one being read (the flat trees waiting to be read are held until then). */
const AHEAD = 256;
/** Texts are sent this many to a message (each message costs both threads more than its texts). */
const CHUNK = 64;
/** A parse that has made no progress for this long (a stuck thread) gives no tree. */
const STALLED_MS = 60_000;

/** The started thread: `ahead` gives it the .tf files' texts, in the order the check will read them. */
export interface HclThread { ahead(texts: readonly string[]): void }

/**
 * Starts the parsing thread (it loads the parser while this thread reads the files), or takes
 * the one `started` already, and gives the core its parse function; undefined when the thread
 * cannot be started (the caller then loads the parser in this thread). `log` says once why the
 * parser could not be loaded there, and `.tf` files then give no documents, as without a parser.
 */
export function startHclThread(log?: (message: string) => void, started: HclWorker | undefined = spawnHclWorker()): HclThread | undefined {
  if (!started) return undefined;
  const { worker, port, signal } = started;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { receiveMessageOnPort } = require('worker_threads') as typeof import('worker_threads');

  let types: readonly string[] | undefined;
  let failed = false;
  let ids = 0;
  const replies = new Map<number, Int32Array>();
  /** Texts sent ahead and not asked for yet, in order. */
  const ahead: { id: number; text: string }[] = [];
  /** Texts sent ahead but asked for after a later one (or never): their trees are dropped. */
  const dropped = new Set<number>();
  let texts: readonly string[] = [];
  let next = 0;
  /** The last text the thread answered (it answers in the order sent). */
  let answered = -1;

  const send = (list: string[]): number => {
    const first = ids;
    ids += list.length;
    worker.postMessage({ first, texts: list } satisfies ThreadRequest);
    return first;
  };
  const sendAhead = () => {
    while (ahead.length <= AHEAD - CHUNK && next < texts.length) {
      const list = texts.slice(next, next + CHUNK);
      next += list.length;
      const first = send(list);
      list.forEach((text, i) => ahead.push({ id: first + i, text }));
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
        let start = 0;
        reply.ends.forEach((end, i) => {
          const id = reply.first + i;
          answered = id;
          if (dropped.has(id)) dropped.delete(id);
          else replies.set(id, reply.nodes.subarray(start, end));
          start = end;
        });
      }
    }
    return got;
  };
  const take = (id: number): HclFlatTree | null => {
    for (;;) {
      const nodes = replies.get(id);
      if (nodes) {
        replies.delete(id);
        return nodes.length && types ? { types, nodes, length: nodes.length } : null;
      }
      const seen = Atomics.load(signal, 0);
      if (receive()) continue;
      if (failed || answered >= id) return null;
      if (Atomics.load(signal, 1) !== 0 || Atomics.wait(signal, 0, seen, STALLED_MS) === 'timed-out') {
        // The thread ended or stopped answering: said once, and the .tf files left give no documents.
        failed = true;
        log?.('The Terraform (HCL) parsing thread stopped; the .tf files not parsed yet are not checked.');
        return null;
      }
    }
  };

  setHclParser((text) => {
    receive();
    if (failed) return null;
    let id: number;
    const at = ahead.findIndex((r) => r.text === text);
    if (at >= 0) {
      id = ahead[at].id;
      for (const skipped of ahead.splice(0, at + 1).slice(0, at)) if (!replies.delete(skipped.id)) dropped.add(skipped.id);
    } else id = send([text]);
    sendAhead();
    return take(id);
  });
  return {
    ahead(list) {
      texts = list;
      next = 0;
      sendAhead();
    },
  };
}
