// 7. CloudFormation YAML: every YAML template of the corpus checked in one warm process
//    (read into the node tree, the templates' policies found and checked), against the yaml
//    library's own parse of the same texts (`parseDocument`, which the reader builds on).
import { existsSync } from 'node:fs';
import { corpus, examplesDir, loadCore, readTree, runSection, Unavailable } from '../lib/context.mjs';
import { metric } from '../lib/stats.mjs';
import { alternate, cpuMs } from '../lib/proc.mjs';

/** The corpus's YAML templates; in a smoke run the example key policy as a YAML template. */
function yamlTemplates(smoke, core) {
  if (smoke) {
    const policy = readTree(examplesDir).find((f) => f.path.endsWith('.json') && f.text.includes('"Statement"'));
    const text = `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      KeyPolicy: ${JSON.stringify(JSON.parse(policy.text))}\n`;
    return [{ path: 'smoke.yaml', text }];
  }
  if (!existsSync(corpus)) throw new Unavailable(`corpus not found at ${corpus}`);
  return readTree(corpus, /\.(ya?ml|template)$/).filter((f) => core.isYamlFile(f.path, f.text) && core.mayBeYamlTemplate(f.text));
}

await runSection(async ({ smoke }) => {
  const core = loadCore();
  const files = yamlTemplates(smoke, core);
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
  const runs = smoke ? 2 : 15;
  const check = () => { let n = 0; for (const f of files) n += core.checkText(f.path, f.text).findings.length; return n; };
  const parse = () => { let n = 0; for (const f of files) n += core.parseDocument(f.text).errors.length; return n; };
  const findings = check();
  parse();
  const { baselineMs: parseMs, baselineCpu: parseCpu, subjectMs: checkMs, subjectCpu: checkCpu } = alternate(runs, parse, check);
  // The reading alone (YAML into the node tree, no check): what the checks add on top of it.
  const readCpu = [];
  for (let i = 0; i < (smoke ? 1 : 5); i++) {
    const c = process.cpuUsage();
    for (const f of files) core.checkText(f.path, f.text, { checks: [] });
    readCpu.push(cpuMs(c));
  }
  const median = (list) => [...list].sort((a, b) => a - b)[list.length >> 1];
  return {
    title: 'CloudFormation YAML templates (one warm process)',
    metrics: [
      metric('yaml-check-cpu-ms', `full check of ${files.length} YAML templates (CPU time)`, 'ms', checkCpu, {
        baseline: { label: 'yaml parseDocument', samples: parseCpu },
        target: { of: 'ratio', max: 3, text: '≤ 3× the yaml library\'s parse' },
      }),
      metric('yaml-check-ms', `full check of ${files.length} YAML templates (wall time)`, 'ms', checkMs, { baseline: { label: 'yaml parseDocument', samples: parseMs } }),
    ],
    notes: [
      `${files.length} templates, ${(bytes / 1e6).toFixed(2)} MB, ${findings} findings; reading them with no check (YAML into the node tree, discovery, statements): ${median(readCpu).toFixed(1)} ms of CPU`,
    ],
  };
});
