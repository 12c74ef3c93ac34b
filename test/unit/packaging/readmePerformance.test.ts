/**
 * The README's performance figures are generated from the bench's results file kept in the
 * repository (bench/results/latest.json) by scripts/performance-figures.mjs: this fails when
 * the README and the results file disagree.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { repoRoot } from '../../support/corpus';
import { callScriptFunction } from '../../support/scriptFunction';

const script = path.join(repoRoot, 'scripts', 'performance-figures.mjs');
const readme = () => fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
const results = () => JSON.parse(fs.readFileSync(path.join(repoRoot, 'bench', 'results', 'latest.json'), 'utf8')) as {
  date: string; smoke: boolean; sections: { id: string; status: string; metrics: { id: string; median: number; ratio?: number; met?: boolean }[] }[];
};

test('README: the performance figures are the ones bench/results/latest.json holds (node scripts/performance-figures.mjs)', () => {
  const run = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const r = results();
  assert.equal(r.smoke, false, 'the README shows a full bench run, not a smoke run');
  const text = readme();
  assert.ok(text.includes(`Measured by \`npm run bench\` on ${r.date.slice(0, 10)}`));
  const check = r.sections.find((s) => s.id === 'throughput')?.metrics.find((m) => m.id === 'check-cpu-ms');
  assert.ok(check, 'the results hold the throughput figure');
  assert.match(text, /\| full check of 1452 files \(CPU time\) \| [\d.]+ ms \| parseTree: [\d.]+ ms \| [\d.]+× \| ≤ 3× parse \| (yes|\*\*no\*\*) \|/);
});

/** The script's withPerformance(readme, …), run as the ES module it is. */
function withPerformance(readmeText: string, resultsValue: unknown): string | undefined {
  return callScriptFunction<string>(script, 'withPerformance', [readmeText, resultsValue]);
}

test('README: a new results file changes the figures, so the check above can fail', () => {
  const text = readme();
  assert.equal(withPerformance(text, results()), text);
  const changed = results();
  const check = changed.sections.find((s) => s.id === 'throughput')!.metrics.find((m) => m.id === 'check-cpu-ms')!;
  check.median = 1234.5;
  check.ratio = 9.87;
  check.met = false;
  const next = withPerformance(text, changed)!;
  assert.notEqual(next, text);
  assert.match(next, /\| full check of 1452 files \(CPU time\) \| 1235 ms \| parseTree: [\d.]+ ms \| 9\.87× \| ≤ 3× parse \| \*\*no\*\* \|/);
  assert.equal(withPerformance('# no markers', changed), undefined);
});
