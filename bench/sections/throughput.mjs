// 1. Check throughput: every AWS managed policy checked in one warm process, against
//    jsonc-parser's parseTree of the same texts.
import { loadCore, policyTexts, runSection } from '../lib/context.mjs';
import { metric } from '../lib/stats.mjs';
import { alternate, cpuMs } from '../lib/proc.mjs';

await runSection(async ({ smoke }) => {
  const files = policyTexts(smoke);
  const core = loadCore();
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
  const runs = smoke ? 2 : 15;
  const check = () => { let n = 0; for (const f of files) n += core.checkText(f.path, f.text).findings.length; return n; };
  const parse = () => { let n = 0; for (const f of files) n += core.parseTree(f.text, [], { allowTrailingComma: false, disallowComments: false, allowEmptyContent: true })?.children?.length ?? 0; return n; };
  // Warm-up: JIT and the catalog's on-demand service data.
  const findings = check();
  parse();
  // Wall time, and the process's CPU time: the ratio to parsing is taken on CPU time.
  const { baselineMs: parseMs, baselineCpu: parseCpu, subjectMs: checkMs, subjectCpu: checkCpu } = alternate(runs, parse, check);
  const perSec = (list) => list.map((x) => (files.length * 1000) / x);
  const mbPerSec = (list) => list.map((x) => (bytes / 1e6) / (x / 1000));
  // Where the time goes: each check's marginal CPU cost, a pass with only that check less a
  // pass with none (the median of a few pairs). Timing each check's run inside a full pass
  // says less: the first check to read a shared value (statements' actions, a catalog
  // service) pays for the others.
  const median = (list) => [...list].sort((a, b) => a - b)[list.length >> 1];
  const passCpu = (checks) => {
    const c = process.cpuUsage();
    for (const f of files) core.checkText(f.path, f.text, { checks });
    return cpuMs(c);
  };
  // Each check's pass is paired with a pass with no check run just before it, and the
  // difference of the pair taken: the machine's speed and the collector's debt from the
  // passes before drift, and a bare pass measured once, apart, can cost more than a pass
  // with a check measured later.
  const rounds = smoke ? 1 : 5;
  const bareSamples = [];
  const marginalOf = (check) => {
    const differences = [];
    for (let i = 0; i < rounds; i++) {
      const without = passCpu([]);
      bareSamples.push(without);
      differences.push(passCpu([check]) - without);
    }
    return median(differences);
  };
  passCpu([]);
  const marginal = core.allChecks.map((c) => [c.id, marginalOf(c)]);
  const bare = median(bareSamples);
  const slowest = marginal.sort((a, b) => b[1] - a[1]).slice(0, 8).map(([id, t]) => `${id} ${t.toFixed(1)} ms`);
  return {
    title: 'Check throughput (AWS managed policies, one warm process)',
    metrics: [
      metric('check-cpu-ms', `full check of ${files.length} files (CPU time)`, 'ms', checkCpu, {
        baseline: { label: 'parseTree', samples: parseCpu },
        target: { of: 'ratio', max: 3, text: '≤ 3× parse' },
      }),
      metric('check-ms', `full check of ${files.length} files (wall time)`, 'ms', checkMs, { baseline: { label: 'parseTree', samples: parseMs } }),
      metric('check-policies-per-s', 'policies checked per second', 'policies/s', perSec(checkMs), { baseline: { label: 'parseTree', samples: perSec(parseMs) } }),
      metric('check-mb-per-s', 'MB checked per second', 'MB/s', mbPerSec(checkMs), { baseline: { label: 'parseTree', samples: mbPerSec(parseMs) } }),
    ],
    notes: [
      `${files.length} files, ${(bytes / 1e6).toFixed(2)} MB, ${findings} findings, ${core.allChecks.length} checks registered, ${core.defaultCatalog().loadedServiceCount()} catalog services loaded`,
      `a pass with no check (parse, discovery, statements): ${bare.toFixed(1)} ms of CPU; the costliest checks, each alone on top of it: ${slowest.join(', ') || '(none)'}`,
    ],
  };
});
