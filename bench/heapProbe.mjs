// In-process footprint probe (item 36, 38): the core driven as the server drives it on the
// scale section's generated workspace: every file read one at a time from disk (closed files
// keep no text), then every file's findings made and let go of. Prints the live heap after
// two collections at each stage.
//   [OUT=<out folder>] node --expose-gc bench/heapProbe.mjs <files> [--snapshot <prefix>]
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { writeHeapSnapshot } from 'node:v8';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { policyTexts } from './lib/context.mjs';
import { generateWorkspace } from './lib/workspaceGen.mjs';

const require = createRequire(import.meta.url);
// OUT: another build's out/ folder, for an A/B comparison.
const out = process.env.OUT ?? new URL('../out/', import.meta.url).pathname;
require(join(out, 'server/src/runtime/catalogFiles.js')).installCatalogFiles();
const { Workspace } = require(join(out, 'server/src/core/workspace/workspace.js'));
// The server's screen: a manifest always passes.
const { mayHoldPolicies } = require(join(out, 'server/src/lsp/diskFiles.js'));

const n = Number(process.argv[2] ?? 5000);
const snap = process.argv.indexOf('--snapshot') > 0 ? process.argv[process.argv.indexOf('--snapshot') + 1] : undefined;
const tmp = mkdtempSync(join(tmpdir(), 'ph-heap-'));
const heap = () => { global.gc(); global.gc(); return process.memoryUsage().heapUsed / 1e6; };
try {
  const ws0 = generateWorkspace(join(tmp, 'ws'), n, policyTexts(false));
  const walk = (dir) => readdirSync(dir).flatMap((e) => { const p = join(dir, e); return statSync(p).isDirectory() ? walk(p) : [p]; });
  const files = walk(ws0.dir).sort((a, b) => Number(b.endsWith('policy-handshake.json')) - Number(a.endsWith('policy-handshake.json')));
  const base = heap();
  const ws = new Workspace({ readText: (p) => { try { return readFileSync(p, 'utf8'); } catch { return undefined; } } });
  const t0 = process.cpuUsage();
  for (const f of files) { const text = readFileSync(f, 'utf8'); if (mayHoldPolicies(f, text)) ws.updateFile(f, text); }
  const read = heap();
  if (snap) writeHeapSnapshot(`${snap}-read.heapsnapshot`);
  let findings = 0;
  for (const f of ws.filePaths()) { findings += ws.findings(f).length; ws.releaseFindings(f); }
  const after = heap();
  if (snap) writeHeapSnapshot(`${snap}-findings.heapsnapshot`);
  const cpu = process.cpuUsage(t0);
  console.log(JSON.stringify({ files: ws.filePaths().length, manifests: ws.manifestPaths().length, findings, baseMb: +base.toFixed(1), afterReadingMb: +read.toFixed(1), afterFindingsMb: +after.toFixed(1), cpuS: +((cpu.user + cpu.system) / 1e6).toFixed(2), reread: ws.textsReadAgain }));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
