// 4. Workspace scale: generated workspaces of 1,000, 5,000 and 20,000 policy files, cold
//    index + first full check, through the CLI and through the server (initialize with the
//    folder → every file's diagnostics published): time, peak RSS, growth.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { dist, policyTexts, runSection, Unavailable } from '../lib/context.mjs';
import { fileUri } from '../lib/lspClient.mjs';
import { measureCommand, procStatusKb } from '../lib/proc.mjs';
import { startServer } from '../lib/serverBench.mjs';
import { metric } from '../lib/stats.mjs';
import { generateWorkspace } from '../lib/workspaceGen.mjs';

await runSection(async ({ smoke }) => {
  const sizes = smoke ? [40, 80] : [1000, 5000, 20000];
  const runs = smoke ? 1 : 3;
  const managed = policyTexts(smoke);
  const tmp = mkdtempSync(join(tmpdir(), 'ph-bench-scale-'));
  const metrics = [];
  const notes = [];
  const cliMedian = new Map();
  const serverMedian = new Map();
  let serverUnavailable;
  try {
    for (const n of sizes) {
      const ws = generateWorkspace(join(tmp, `ws-${n}`), n, managed);
      const big = n === sizes[sizes.length - 1];
      // CLI: whole process, cold.
      const wall = [], rss = [];
      const outFile = join(tmp, `cli-${n}.json`);
      for (let i = 0; i < runs; i++) {
        const r = await measureCommand(process.execPath, [join(dist, 'cli.js'), 'check', ws.dir, '--format', 'json'], { cwd: ws.dir, stdoutFile: outFile });
        if (r.code !== 0 && r.code !== 1) throw new Error(`CLI exited with ${r.code} on ${n} files: ${r.stderr.slice(0, 500)}`);
        wall.push(r.wallMs); rss.push(r.rssMb);
      }
      const cliFindings = JSON.parse(readFileSync(outFile, 'utf8'));
      const expected = new Set(cliFindings.map((f) => fileUri(resolve(ws.dir, f.file))));
      metrics.push(metric(`scale-cli-${n}-ms`, `CLI cold check, ${n} files`, 'ms', wall, big && !smoke ? { target: { of: 'median', max: 10_000, text: '< 10 s' } } : {}));
      metrics.push(metric(`scale-cli-${n}-rss-mb`, `CLI peak RSS, ${n} files`, 'MB', rss));
      cliMedian.set(n, metrics.at(-2).median);
      notes.push(`${n} files: ${ws.accounts} accounts, ${ws.keys} keys, ${ws.principals} principals, ${(ws.bytes / 1e6).toFixed(1)} MB; CLI ${cliFindings.length} findings in ${expected.size} files`);
      // Server: initialize with the folder until every file's diagnostics are published.
      if (serverUnavailable) continue;
      const sWall = [], sRss = [];
      try {
        for (let i = 0; i < runs; i++) {
          const r = await serverColdIndex(ws.dir, expected);
          sWall.push(r.ms); sRss.push(r.rssMb);
          if (i === 0) notes.push(`${n} files, server: ${r.how}`);
        }
      } catch (e) {
        if (!(e instanceof Unavailable)) throw e;
        serverUnavailable = e.message;
        continue;
      }
      metrics.push(metric(`scale-server-${n}-ms`, `server initialize→all diagnostics, ${n} files`, 'ms', sWall, big && !smoke ? { target: { of: 'median', max: 10_000, text: '< 10 s' } } : {}));
      metrics.push(metric(`scale-server-${n}-rss-mb`, `server peak RSS, ${n} files`, 'MB', sRss, big && !smoke ? { target: { of: 'median', max: 400, text: '< 400 MB' } } : {}));
      serverMedian.set(n, metrics.at(-2).median);
      rmSync(ws.dir, { recursive: true, force: true });
    }
    const lo = sizes[0];
    const hi = sizes[sizes.length - 1];
    const nlogn = Math.log(hi) / Math.log(lo);
    for (const [label, medians] of [['CLI', cliMedian], ['server', serverMedian]]) {
      if (!medians.has(hi)) continue;
      const growth = (medians.get(hi) / medians.get(lo)) / (hi / lo);
      metrics.push(metric(`scale-${label.toLowerCase()}-growth`, `${label} time per file, ${hi} vs ${lo} files (1 = linear)`, '×', [growth], {
        target: { of: 'median', max: nlogn, text: `≤ n log n (${nlogn.toFixed(2)})` },
      }));
    }
    if (serverUnavailable) notes.push(`server: unavailable: ${serverUnavailable}`);
    return { title: 'Workspace scale (generated workspaces, cold index + first full check)', metrics, notes };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

/**
 * Start the server on a folder and wait until every expected file has diagnostics (the
 * files the CLI reports findings for), or until nothing has been published for 5 s.
 */
async function serverColdIndex(dir, expected) {
  const client = await startServer({ rootPath: dir }, 30_000);
  try {
    const covered = new Set();
    let lastAt = client.spawnedAt;
    let done;
    const complete = new Promise((resolveDone) => { done = resolveDone; });
    const track = (e) => {
      lastAt = e.at;
      if (e.diagnostics.length && expected.has(e.uri)) covered.add(e.uri);
      if (covered.size === expected.size) done('all expected files published');
    };
    for (const e of client.diagnostics.values()) track(e);
    client.waitFor((e) => { track(e); return false; }, 3_600_000).catch(() => {});
    let lastCount = -1;
    let quietSince = Date.now();
    const quiet = (async () => {
      for (;;) {
        await new Promise((r) => setTimeout(r, 100));
        if (client.publishCount !== lastCount) { lastCount = client.publishCount; quietSince = Date.now(); }
        else if (Date.now() - quietSince > (client.publishCount ? 5_000 : 60_000)) return client.publishCount ? `ended by 5 s of quiet (${covered.size}/${expected.size} expected files published)` : undefined;
      }
    })();
    const how = await Promise.race([complete, quiet]);
    if (how === undefined) throw new Unavailable('the server published no diagnostics for workspace files within 60 s (workspace indexing not implemented?)');
    const hwm = procStatusKb(client.pid, 'VmHWM') ?? 0;
    // The server logs its first pass when its progress ends: how many file texts it read again from disk.
    await client.waitForProgressEnd(10_000).catch(() => {});
    await new Promise((r) => setTimeout(r, 100));
    const reread = client.logs.map((m) => /; (\d+) file texts? read again from disk/.exec(m)?.[1]).find((x) => x !== undefined);
    return { ms: Number(lastAt - client.spawnedAt) / 1e6, rssMb: hwm / 1024, how: `${how}, ${client.publishCount} publishDiagnostics${reread === undefined ? '' : `, ${reread} file texts read again from disk`}` };
  } finally {
    await client.stop();
  }
}
