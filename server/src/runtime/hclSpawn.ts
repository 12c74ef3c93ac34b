/**
 * Starting the CLI's parsing thread (`hclWorker.ts`, bundled as dist/cli-hcl.js), in a module
 * that loads nothing else: the CLI's entry starts it before it loads the rest of the CLI
 * (cli/early.ts), so that the thread's start-up and its loading of the parser overlap with
 * that. `hclThread.ts` then gives it the texts and takes its trees.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { MessagePort, Worker } from 'worker_threads';

/** The started thread, the port its trees come on, and the count it raises after each message (slot 0; slot 1 is set when it ends). */
export interface HclWorker { worker: Worker; port: MessagePort; signal: Int32Array }

/** The thread's script: the bundle's, or the compiled module's when run unbundled. */
function script(): string | undefined {
  for (const name of ['cli-hcl.js', 'hclWorker.js']) {
    const file = path.join(__dirname, name);
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

/** Starts the parsing thread (it loads the parser at once); undefined when it cannot be started. */
export function spawnHclWorker(): HclWorker | undefined {
  const file = script();
  if (!file) return undefined;
  // Loaded here, when asked: a run that starts no thread does not load the module.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { MessageChannel, Worker } = require('worker_threads') as typeof import('worker_threads');
  const signal = new Int32Array(new SharedArrayBuffer(8));
  const { port1: port, port2 } = new MessageChannel();
  let worker: Worker;
  try {
    worker = new Worker(file, { workerData: { port: port2, signal }, transferList: [port2] });
  } catch {
    return undefined;
  }
  worker.unref();
  port.unref();
  return { worker, port, signal };
}
