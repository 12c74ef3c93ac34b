// Shared pieces of the server benches: start-up with a deadline, and the options that
// take the edit debounce out of the figures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileUri, LspClient } from './lspClient.mjs';
import { now } from './proc.mjs';
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

/**
 * The cross-file refresh: with `ws.probe`'s key policy and identity policy open in a server that
 * has read the workspace, `edits` full-text changes of the identity policy alternately remove and
 * restore the key's only grant; each latency is edit → the key policy republished (ms).
 */
export async function crossFileLatencies(client, ws, edits) {
  const keyUri = fileUri(ws.probe.keyPolicy);
  const iamUri = fileUri(ws.probe.iamPolicy);
  const keyText = readFileSync(ws.probe.keyPolicy, 'utf8');
  client.open(ws.probe.keyPolicy, keyText, 1);
  await client.waitForUri(keyUri, 120_000, (e) => e.version === 1 || e.version == null);
  client.open(ws.probe.iamPolicy, ws.probe.grantText, 1);
  await client.waitForUri(iamUri, 120_000).catch(() => {});
  // Measure once the workspace is read: the server ends its work-done progress when every
  // file is read and published (a server without progress: when publishing has paused).
  const indexed = client.progressCreated > 0 && (await client.waitForProgressEnd(180_000).then(() => true, () => false));
  await settle(client, indexed ? 300 : 1000, 180_000);
  const codes = (e) => e.diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}:${d.message}`).sort().join('|');
  const latencies = [];
  const seen = new Set([codes(client.diagnostics.get(keyUri))]);
  for (let i = 0; i < edits; i++) {
    const version = i + 2;
    const newText = i % 2 === 0 ? ws.probe.noGrantText : ws.probe.grantText;
    const waiting = client.waitForUri(keyUri, 5_000);
    const t = now();
    client.change(iamUri, version, [{ text: newText }]);
    let e;
    try {
      e = await waiting;
    } catch {
      throw new Unavailable('the key policy was not republished after an IAM policy edit that changes its handshake (handshake not in the workspace model yet?)');
    }
    seen.add(codes(e));
    latencies.push(Number(e.at - t) / 1e6);
  }
  if (seen.size < 2) throw new Unavailable('the key policy diagnostics did not change when its only grant was removed (handshake checks not registered yet?)');
  return { latencies, indexed };
}
