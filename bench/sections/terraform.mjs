// 7. Terraform: a generated 2,000-file Terraform workspace (`bench/lib/terraformGen.mjs`).
//    (a) the full check of every .tf file in one warm process, against the HCL parser's own
//    parse of the same texts (tree-sitter through web-tree-sitter); (b) a role's .tf edit that
//    removes/restores the only grant of another account's key → the key's .tf file republished,
//    through a real JSON-RPC client (dist/server.js).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCore, runSection, Unavailable } from '../lib/context.mjs';
import { ms, now } from '../lib/proc.mjs';
import { crossFileLatencies, startServer, withoutDebounce } from '../lib/serverBench.mjs';
import { metric, percentile } from '../lib/stats.mjs';
import { generateTerraformWorkspace } from '../lib/terraformGen.mjs';

await runSection(async ({ smoke }) => {
  const tmp = mkdtempSync(join(tmpdir(), 'ph-bench-tf-'));
  try {
    const ws = generateTerraformWorkspace(join(tmp, 'ws'), smoke ? 60 : 2000);
    const core = loadCore();
    if (!(await core.loadHclParser())) throw new Unavailable('the HCL parser did not load');
    const metrics = [];
    const notes = [];
    const bytes = ws.texts.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
    const check = () => { let n = 0; for (const f of ws.texts) n += core.checkText(f.path, f.text).findings.length; return n; };
    const parse = () => { let n = 0; for (const f of ws.texts) n += core.parseHcl(f.text)?.children.length ?? 0; return n; };
    const findings = check();
    parse();
    const runs = smoke ? 1 : 7;
    const checkCpu = [], parseCpu = [], checkMs = [];
    const cpuMs = (c) => { const d = process.cpuUsage(c); return (d.user + d.system) / 1000; };
    for (let i = 0; i < runs; i++) {
      let c = process.cpuUsage();
      parse(); parseCpu.push(cpuMs(c));
      c = process.cpuUsage();
      const t = now(); check(); checkMs.push(ms(t)); checkCpu.push(cpuMs(c));
    }
    metrics.push(metric('tf-check-cpu-ms', `full check of ${ws.files} .tf files (CPU time)`, 'ms', checkCpu, {
      baseline: { label: 'tree-sitter HCL parse', samples: parseCpu },
      target: { of: 'ratio', max: 3, text: '≤ 3× parse' },
    }));
    metrics.push(metric('tf-check-ms', `full check of ${ws.files} .tf files (wall time)`, 'ms', checkMs));
    notes.push(`${ws.files} .tf files in ${ws.accounts} modules, ${(bytes / 1e6).toFixed(2)} MB, ${findings} findings; the check parses each file itself (the parse is part of the checked figure)`);
    const client = await startServer({ rootPath: ws.dir });
    try {
      const edits = smoke ? 4 : 100;
      const { latencies, indexed } = await crossFileLatencies(client, ws, edits);
      const d = withoutDebounce(latencies);
      metrics.push(metric('tf-edit-cross-file-ms', `role .tf edit→key .tf refreshed, ${ws.files}-file Terraform workspace (${edits} edits${d.included ? `, ${d.debounce} ms debounce subtracted` : ''})`, 'ms', d.net, {
        target: { of: 'p99', max: 50, text: 'p99 < 50 ms' },
        p50: percentile(d.net, 50),
        p99: percentile(d.net, 99),
      }));
      notes.push(`cross-file: the probe key (jsonencode) trusts one account whose single role grants it through a policy document block; the edit removes/restores that grant (full-text change of the role's .tf); edits start ${indexed ? 'after the server ended its workspace-reading progress' : 'after 1 s without publishes'}`);
    } catch (e) {
      if (!(e instanceof Unavailable)) throw e;
      notes.push(`cross-file refresh: unavailable: ${e.message}`);
    } finally {
      await client.stop();
    }
    return { title: 'Terraform (2,000 .tf files: check cost, cross-file refresh)', metrics, notes };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
