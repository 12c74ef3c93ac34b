// Shared pieces of the server benches: start-up with a deadline, and the options that
// take the edit debounce out of the figures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LspClient } from './lspClient.mjs';
import { dist, Unavailable } from './context.mjs';

/**
 * The server debounces diagnostics after an edit. The benches ask for no delay through
 * `initializationOptions.debounceMs` so that the figures are the server's own work; when a
 * server ignores it, the measured figures include its debounce (the notes say which).
 */
export const BENCH_INIT_OPTIONS = { debounceMs: 0 };

/** The server's default edit debounce, read from the bundle (150 ms when it cannot be read). */
export function serverDebounceMs() {
  try {
    const m = /DEFAULT_DEBOUNCE_MS = (\d+)/.exec(readFileSync(join(dist, 'server.js'), 'utf8'));
    return m ? Number(m[1]) : 150;
  } catch {
    return 150;
  }
}

/**
 * Latencies with the debounce taken out. A server that honoured `debounceMs: 0` answers
 * faster than its debounce at least once; otherwise every figure includes the debounce and
 * it is subtracted (the debounce timer starts when the edit arrives).
 */
export function withoutDebounce(latencies) {
  const debounce = serverDebounceMs();
  const included = debounce > 0 && Math.min(...latencies) >= debounce;
  return { debounce, included, net: included ? latencies.map((x) => x - debounce) : latencies };
}

export async function startServer(opts = {}, deadlineMs = 15_000) {
  let client;
  const started = LspClient.start({ initializationOptions: BENCH_INIT_OPTIONS, ...opts }).then((c) => (client = c));
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Unavailable(`dist/server.js did not answer initialize within ${deadlineMs} ms (LSP server not built yet?)`)), deadlineMs));
  try {
    return await Promise.race([started, timeout]);
  } catch (e) {
    started.then((c) => c.stop(), () => {});
    throw e;
  } finally {
    void client;
  }
}

/** Wait until no diagnostics have been published for `quietMs` (or `maxMs` passed). */
export async function settle(client, quietMs, maxMs) {
  const start = Date.now();
  let last = client.publishCount;
  let lastChange = Date.now();
  while (Date.now() - start < maxMs) {
    await new Promise((r) => setTimeout(r, 50));
    if (client.publishCount !== last) { last = client.publishCount; lastChange = Date.now(); }
    else if (Date.now() - lastChange >= quietMs) return;
  }
}
