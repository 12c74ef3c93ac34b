// The scale section's server figure for one size, for A/B comparisons of builds (item 38):
// the server spawned on the generated workspace until its progress ends (every file read and
// published); wall time to the last publish, peak RSS (VmHWM), CPU time of the server and of
// its main thread (the rest is the garbage collector's, the compiler's and the I/O threads').
//   [ROUNDS=n] [NODE_ARGS='--cpu-prof …'] node bench/serverProbe.mjs <files> [server.js …]
//   (several bundles: run in turn, per round; NODE_ARGS: flags of the spawned server's node,
//   instead of the client's: NODE_ARGS= for none)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { dist, policyTexts } from './lib/context.mjs';
import { LspClient } from './lib/lspClient.mjs';
import { procStatusKb } from './lib/proc.mjs';
import { BENCH_INIT_OPTIONS } from './lib/serverBench.mjs';
import { generateWorkspace } from './lib/workspaceGen.mjs';

const n = Number(process.argv[2] ?? 5000);
const servers = process.argv.slice(3).length ? process.argv.slice(3).map((s) => resolve(s)) : [join(dist, 'server.js')];
const rounds = Number(process.env.ROUNDS ?? 1);
// Without NODE_ARGS, the flags the VS Code client starts the server with (SERVER_NODE_FLAGS).
const nodeArgs = process.env.NODE_ARGS === undefined ? undefined : process.env.NODE_ARGS.split(' ').filter(Boolean);
const tmp = mkdtempSync(join(tmpdir(), 'ph-server-probe-'));
// The whole process's, or with `tid` one thread's (the main thread's id is the process's).
const cpuSeconds = (pid, tid) => {
  const f = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};
try {
  const ws = generateWorkspace(join(tmp, 'ws'), n, policyTexts(false));
  for (let r = 0; r < rounds; r++) {
    for (const server of servers) {
      const load = loadavg()[0];
      const c = await LspClient.start({ rootPath: ws.dir, initializationOptions: BENCH_INIT_OPTIONS, server, nodeArgs });
      let last = c.spawnedAt;
      c.waitFor((e) => { last = e.at; return false; }, 3_600_000).catch(() => {});
      await c.waitForProgressEnd(600_000);
      const ended = process.hrtime.bigint();
      // Publishing goes on after the progress ends only for files already queued: wait for a quiet 1 s.
      for (let count = -1; count !== c.publishCount;) { count = c.publishCount; await new Promise((res) => setTimeout(res, 1000)); }
      const hwm = procStatusKb(c.pid, 'VmHWM') / 1024;
      const cpu = cpuSeconds(c.pid);
      const mainCpu = cpuSeconds(c.pid, c.pid);
      console.log(JSON.stringify({ server, files: n, wallS: +(Number(last - c.spawnedAt) / 1e9).toFixed(2), progressEndS: +(Number(ended - c.spawnedAt) / 1e9).toFixed(2), peakMb: +hwm.toFixed(1), cpuS: cpu, mainCpuS: mainCpu, publishes: c.publishCount, load: +load.toFixed(2) }));
      await c.stop();
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(0);
