/**
 * The benchmark suite cannot rot: its smoke mode (tiny sizes, one run) goes through every
 * section against the built bundles and must write well-formed results. Timings are never
 * asserted here; they are the bench's business.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../support/corpus';

const SECTIONS = ['throughput', 'cli', 'editing', 'scale', 'startup', 'limits', 'yaml', 'terraform'];

interface Summary { median: number; min: number; max: number; runs: number }
interface Metric extends Summary {
  id: string;
  label: string;
  unit: string;
  baseline?: Summary & { label: string; unit: string };
  ratio?: number | null;
  target?: { text: string; max?: number; min?: number; of?: string };
  met?: boolean | null;
  p50?: number;
  p99?: number;
}
interface Section { id: string; title: string; status: string; reason?: string; seconds: number; metrics: Metric[]; notes: string[] }

function assertSummary(s: Summary, what: string): void {
  for (const k of ['median', 'min', 'max'] as const) assert.ok(Number.isFinite(s[k]), `${what}: ${k} is a number (${s[k]})`);
  assert.ok(s.min <= s.median && s.median <= s.max, `${what}: min ≤ median ≤ max`);
  assert.ok(Number.isInteger(s.runs) && s.runs >= 1, `${what}: runs`);
}

// The smoke run reads examples/, not the corpus: it runs everywhere.
test('bench --smoke writes well-formed results for every section', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-bench-smoke-'));
  try {
    const out = path.join(dir, 'results.json');
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'bench', 'run.mjs'), '--smoke', '--out', out], { cwd: repoRoot, encoding: 'utf8', timeout: 600_000 });
    assert.equal(r.status, 0, r.stderr);
    const results = JSON.parse(fs.readFileSync(out, 'utf8')) as { schema: number; smoke: boolean; date: string; command: string; machine: { cpus: number; node: string }; sections: Section[] };
    assert.equal(results.schema, 1);
    assert.equal(results.smoke, true);
    assert.ok(!Number.isNaN(Date.parse(results.date)));
    assert.ok(results.machine.cpus >= 1 && results.machine.node.startsWith('v'));
    assert.deepEqual(results.sections.map((s) => s.id), SECTIONS);
    for (const s of results.sections) {
      // A section may be unavailable (a feature not built yet), never broken.
      assert.ok(s.status === 'ok' || s.status === 'unavailable', `${s.id}: ${s.status} ${s.reason ?? ''}`);
      assert.ok(typeof s.title === 'string' && s.title.length > 0);
      if (s.status !== 'ok') continue;
      assert.ok(s.metrics.length > 0, `${s.id} has figures`);
      for (const m of s.metrics) {
        const what = `${s.id}/${m.id}`;
        assert.match(m.id, /^[a-z0-9-]+$/, what);
        assert.ok(m.label && m.unit, what);
        assertSummary(m, what);
        if (m.baseline) {
          assertSummary(m.baseline, `${what} baseline`);
          assert.ok(m.ratio === null || Number.isFinite(m.ratio), `${what} ratio`);
        }
        if (m.target) {
          assert.ok(m.target.text, `${what} target text`);
          assert.ok(m.met === null || typeof m.met === 'boolean', `${what} met`);
        }
        if (m.p99 !== undefined) assert.ok(Number.isFinite(m.p99) && Number.isFinite(m.p50!), `${what} percentiles`);
      }
      assert.ok(s.notes.every((n) => typeof n === 'string'));
    }
    // The core sections need nothing but the bundles and the corpus.
    for (const id of ['throughput', 'cli', 'limits', 'yaml', 'terraform']) assert.equal(results.sections.find((s) => s.id === id)!.status, 'ok', id);
    // The table names every section.
    for (const id of SECTIONS) assert.match(r.stdout, new RegExp(`^${id}\\b`, 'm'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
