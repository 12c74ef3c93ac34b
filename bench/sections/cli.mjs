// 2. The CLI as a whole process, cold, as CI runs it: `policy-handshake check --format json`
//    over the managed-policy folder and over a 20-file workspace, against a bare Node process
//    that reads the same files and parses them with jsonc-parser; over the corpus's
//    CloudFormation YAML templates, against one that parses them with the yaml library; over
//    a generated Terraform workspace, against one that loads the HCL parser and parses the
//    .tf files. The two processes alternate, run after run (hyperfine-like), so that both see
//    the same load; medians and their ratio.
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { corpus, dist, examplesDir, loadCore, managedDir, readTree, root, runSection, Unavailable } from '../lib/context.mjs';
import { haveGnuTime, measureCommand } from '../lib/proc.mjs';
import { metric } from '../lib/stats.mjs';
import { generateTerraformWorkspace } from '../lib/terraformGen.mjs';

/** Runs the CLI and the baseline over a folder, alternating, `runs` times each after one warm-up of each (file cache). */
async function compare(folder, runs, baseline = 'readParse.mjs') {
  const cli = [join(dist, 'cli.js'), 'check', folder, '--format', 'json'];
  const base = [join(root, 'bench', 'lib', baseline), folder];
  await measureCommand(process.execPath, base);
  await measureCommand(process.execPath, cli);
  const wall = [], rss = [], cpu = [], baseWall = [], baseRss = [], baseCpu = [];
  let exit;
  for (let i = 0; i < runs; i++) {
    const b = await measureCommand(process.execPath, base);
    baseWall.push(b.wallMs); baseRss.push(b.rssMb); baseCpu.push(b.cpuMs);
    const r = await measureCommand(process.execPath, cli);
    if (r.code !== 0 && r.code !== 1) throw new Error(`CLI exited with ${r.code}: ${r.stderr.slice(0, 500)}`);
    exit = r.code;
    wall.push(r.wallMs); rss.push(r.rssMb); cpu.push(r.cpuMs);
  }
  return { wall, rss, cpu, baseWall, baseRss, baseCpu, exit };
}

/** The CPU times' medians and their ratio, as a note (other load on the machine moves CPU time less than wall time). */
function cpuNote(what, r) {
  if (r.cpu.some((c) => c === undefined)) return undefined;
  const median = (list) => [...list].sort((a, b) => a - b)[list.length >> 1];
  const [cli, base] = [median(r.cpu), median(r.baseCpu)];
  return `${what}: CPU time (user + system) ${cli.toFixed(0)} ms against ${base.toFixed(0)} ms, ${(cli / base).toFixed(2)}×`;
}

await runSection(async ({ smoke }) => {
  if (!smoke && !existsSync(managedDir)) throw new Unavailable(`corpus not found at ${managedDir}`);
  const runs = smoke ? 1 : 9;
  // The smoke run takes the example workspace: it only proves the section works.
  const folder = smoke ? examplesDir : managedDir;
  const baseLabel = 'node read + jsonc-parser';
  const big = await compare(folder, runs);
  const cpuNotes = [cpuNote(smoke ? 'example workspace' : 'managed policies', big)];
  const metrics = [
    metric('cli-wall-ms', `CLI check, ${smoke ? 'example workspace' : 'AWS managed policies'} (whole process)`, 'ms', big.wall, {
      baseline: { label: baseLabel, samples: big.baseWall },
      target: { of: 'ratio', max: 2, text: '≤ 2× read+parse' },
    }),
    metric('cli-peak-rss-mb', 'CLI peak RSS', 'MB', big.rss, { baseline: { label: baseLabel, samples: big.baseRss } }),
  ];
  // A small workspace: 20 policies in a folder of their own; start-up dominates.
  const small = mkdtempSync(join(tmpdir(), 'ph-bench-cli20-'));
  try {
    for (const name of readdirSync(smoke ? join(examplesDir, 'security', 'keys') : managedDir).filter((n) => n.endsWith('.json')).sort().slice(0, 20)) {
      copyFileSync(join(smoke ? join(examplesDir, 'security', 'keys') : managedDir, name), join(small, name));
    }
    const r = await compare(small, runs);
    cpuNotes.push(cpuNote('20 files', r));
    metrics.push(metric('cli-20-wall-ms', 'CLI check, 20-file workspace (whole process)', 'ms', r.wall, {
      baseline: { label: baseLabel, samples: r.baseWall },
      target: { of: 'ratio', max: 1.5, text: '≤ 1.5× read+parse' },
    }));
  } finally {
    rmSync(small, { recursive: true, force: true });
  }
  // The corpus's CloudFormation YAML templates (the yaml section's selection), in a folder of their own.
  const templates = mkdtempSync(join(tmpdir(), 'ph-bench-cli-yaml-'));
  try {
    let count = 0;
    if (smoke) {
      const policy = readTree(examplesDir).find((f) => f.path.endsWith('.json') && f.text.includes('"Statement"'));
      writeFileSync(join(templates, 'key.yaml'), `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      KeyPolicy: ${JSON.stringify(JSON.parse(policy.text))}\n`);
      count = 1;
    } else {
      if (!existsSync(corpus)) throw new Unavailable(`corpus not found at ${corpus}`);
      const core = loadCore();
      for (const f of readTree(corpus, /\.(ya?ml|template)$/).filter((t) => core.isYamlFile(t.path, t.text) && core.mayBeYamlTemplate(t.text))) {
        writeFileSync(join(templates, `${String(count++).padStart(4, '0')}-${basename(f.path)}`), f.text);
      }
    }
    const r = await compare(templates, runs, 'readParseYaml.mjs');
    cpuNotes.push(cpuNote('YAML templates', r));
    metrics.push(metric('cli-yaml-wall-ms', `CLI check, ${count} CloudFormation YAML template${count === 1 ? '' : 's'} (whole process)`, 'ms', r.wall, {
      baseline: { label: 'node read + yaml parseDocument', samples: r.baseWall },
      target: { of: 'ratio', max: 2, text: '≤ 2× read+parse' },
    }));
  } finally {
    rmSync(templates, { recursive: true, force: true });
  }
  // A generated Terraform workspace (the terraform section's generator).
  const terraform = mkdtempSync(join(tmpdir(), 'ph-bench-cli-tf-'));
  try {
    const ws = generateTerraformWorkspace(join(terraform, 'ws'), smoke ? 20 : 500);
    const r = await compare(join(terraform, 'ws'), runs, 'readParseHcl.mjs');
    cpuNotes.push(cpuNote('Terraform', r));
    metrics.push(metric('cli-tf-wall-ms', `CLI check, ${ws.files}-file Terraform workspace (whole process)`, 'ms', r.wall, {
      baseline: { label: 'node + HCL parser load, read + parse', samples: r.baseWall },
      target: { of: 'ratio', max: 2, text: '≤ 2× read+parse' },
    }));
  } finally {
    rmSync(terraform, { recursive: true, force: true });
  }
  return {
    title: `CLI whole process (${smoke ? 'example workspace' : 'AWS managed policies'}; 20 files; YAML templates; Terraform)`,
    metrics,
    notes: [
      `exit code ${big.exit}; the CLI and the baseline alternate, ${runs} runs each after a warm-up; peak RSS from ${haveGnuTime ? '/usr/bin/time -v' : '/proc/PID/status VmHWM samples'}`,
      ...cpuNotes.filter(Boolean),
    ],
  };
});
