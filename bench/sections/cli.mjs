// 2. The CLI as a whole process over the managed-policy folder: wall time and peak RSS,
//    against a bare Node process that reads and JSON.parses the same files.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dist, examplesDir, managedDir, root, runSection, Unavailable } from '../lib/context.mjs';
import { haveGnuTime, measureCommand } from '../lib/proc.mjs';
import { metric } from '../lib/stats.mjs';

await runSection(async ({ smoke }) => {
  if (!smoke && !existsSync(managedDir)) throw new Unavailable(`corpus not found at ${managedDir}`);
  const runs = smoke ? 1 : 5;
  // The smoke run takes the example workspace: it only proves the section works.
  const folder = smoke ? examplesDir : managedDir;
  const cli = [join(dist, 'cli.js'), 'check', folder, '--format', 'json'];
  const base = [join(root, 'bench', 'lib', 'readParse.mjs'), folder];
  const wall = [], rss = [], baseWall = [], baseRss = [];
  let exit;
  for (let i = 0; i < runs; i++) {
    const b = await measureCommand(process.execPath, base);
    baseWall.push(b.wallMs); baseRss.push(b.rssMb);
    const r = await measureCommand(process.execPath, cli);
    if (r.code !== 0 && r.code !== 1) throw new Error(`CLI exited with ${r.code}: ${r.stderr.slice(0, 500)}`);
    exit = r.code;
    wall.push(r.wallMs); rss.push(r.rssMb);
  }
  return {
    title: `CLI whole process (${smoke ? 'example workspace' : 'AWS managed policies'} folder)`,
    metrics: [
      metric('cli-wall-ms', 'policy-handshake check --format json', 'ms', wall, { baseline: { label: 'node read+JSON.parse', samples: baseWall } }),
      metric('cli-peak-rss-mb', 'CLI peak RSS', 'MB', rss, { baseline: { label: 'node read+JSON.parse', samples: baseRss } }),
    ],
    notes: [`exit code ${exit}; peak RSS from ${haveGnuTime ? '/usr/bin/time -v' : '/proc/PID/status VmHWM samples'}`],
  };
});
