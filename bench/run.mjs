// The benchmark suite: `npm run bench` (or `node bench/run.mjs [--smoke] [--only a,b] [--out FILE]`).
// Each section runs in its own Node process over the bundles in dist/ and returns figures
// (median, min, max of several runs, with a baseline measured in the same run); the table
// is printed and everything is written to bench/results.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { dist, root } from './lib/context.mjs';
import { formatTable } from './lib/stats.mjs';

export const SECTIONS = [
  { id: 'throughput', title: 'Check throughput' },
  { id: 'cli', title: 'CLI whole process' },
  { id: 'editing', title: 'Editing latency' },
  { id: 'scale', title: 'Workspace scale' },
  { id: 'startup', title: 'Start-up' },
  { id: 'limits', title: 'Crafted inputs (limits, adversarial wildcards)' },
  { id: 'yaml', title: 'CloudFormation YAML templates' },
  { id: 'terraform', title: 'Terraform workspace' },
];

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => {
  const i = args.findIndex((a) => a === name || a.startsWith(name + '='));
  if (i < 0) return undefined;
  return args[i].includes('=') ? args[i].slice(name.length + 1) : args[i + 1];
};
const smoke = flag('--smoke');
const only = option('--only')?.split(',');
const out = option('--out') ?? join(root, 'bench', 'results.json');

async function buildBundles() {
  if (!existsSync(join(dist, 'server.js')) || !existsSync(join(dist, 'cli.js')) || !existsSync(join(dist, 'iam-catalog.dat'))) {
    const r = spawnSync(process.execPath, ['scripts/bundle.mjs'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('scripts/bundle.mjs failed');
  }
  // The core with the shipped bundles' settings, for the in-process sections.
  await build({
    entryPoints: [join(root, 'bench', 'core-entry.ts')],
    outfile: join(dist, 'bench', 'core.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    mainFields: ['module', 'main'],
    logLevel: 'warning',
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
}

function runSection(section, tmp) {
  const resultFile = join(tmp, `${section.id}.json`);
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--expose-gc', join(root, 'bench', 'sections', `${section.id}.mjs`), JSON.stringify({ smoke }), resultFile], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: smoke ? 120_000 : 1_800_000,
  });
  let result;
  try {
    result = JSON.parse(readFileSync(resultFile, 'utf8'));
  } catch {
    result = { status: 'error', reason: `section process ended with ${r.status ?? r.signal} and wrote no result` };
  }
  return { id: section.id, title: result.title ?? section.title, seconds: (Date.now() - started) / 1000, metrics: [], notes: [], ...result };
}

await buildBundles();
const loadBefore = loadavg();
const tmp = mkdtempSync(join(tmpdir(), 'ph-bench-'));
const sections = [];
for (const s of SECTIONS) {
  if (only && !only.includes(s.id)) continue;
  process.stderr.write(`bench: ${s.id}…\n`);
  sections.push(runSection(s, tmp));
}
rmSync(tmp, { recursive: true, force: true });

const cpu = cpus();
const results = {
  schema: 1,
  date: new Date().toISOString(),
  command: `node bench/run.mjs ${args.join(' ')}`.trim(),
  smoke,
  machine: {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model,
    memoryGb: +(totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    // Other work on the machine skews every figure: the 1-minute load average before and after.
    loadAverage: { before: +loadBefore[0].toFixed(2), after: +loadavg()[0].toFixed(2) },
  },
  sections,
};
mkdirSync(join(out, '..'), { recursive: true });
writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
console.log(formatTable(sections));
for (const s of sections) for (const n of s.notes ?? []) console.log(`  ${s.id}: ${n}`);
console.log(`\nmachine: ${results.machine.cpus} CPUs, load average ${results.machine.loadAverage.before} → ${results.machine.loadAverage.after}; results: ${out}`);
