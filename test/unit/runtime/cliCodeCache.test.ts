/**
 * The CLI's entry (dist/cli.js, launch.ts) runs its bundle with the V8 code cache the build
 * wrote beside it. The cache must be one this Node accepts (else it only costs a read), and a
 * missing or damaged cache must change nothing but the time.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { wrap } from 'node:module';
import { repoRoot } from '../../support/corpus';
import { needs } from '../../support/needs';

const DIST = path.join(repoRoot, 'dist');
const BUNDLE = path.join(DIST, 'cli-main.js');
const CACHE = `${BUNDLE}.cache`;
const notBuilt = fs.existsSync(CACHE) ? undefined : `${CACHE} not built (node scripts/bundle.mjs)`;

test('the build leaves a code cache that this Node accepts for the CLI bundle, read as the entry reads it', needs('build', notBuilt), () => {
  // The bundle is ASCII, which the entry reads as Latin-1 (no decoding): the same text as UTF-8.
  const bytes = fs.readFileSync(BUNDLE);
  assert.equal(bytes.findIndex((b) => b > 0x7f), -1);
  const source = wrap(bytes.toString('latin1'));
  assert.equal(source, wrap(bytes.toString('utf8')));
  const cached = new vm.Script(source, { filename: BUNDLE, cachedData: fs.readFileSync(CACHE) });
  assert.equal(cached.cachedDataRejected, false);
  // V8 does check: a cache of another text is rejected.
  const other = new vm.Script(`${source}\n`, { filename: BUNDLE, cachedData: fs.readFileSync(CACHE) });
  assert.equal(other.cachedDataRejected, true);
});

test('with the cache, without it and with a damaged one, the CLI says the same', needs('build', notBuilt), () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-cli-cache-'));
  try {
    for (const f of fs.readdirSync(DIST).filter((f) => fs.statSync(path.join(DIST, f)).isFile() && !f.endsWith('.vsix'))) {
      fs.copyFileSync(path.join(DIST, f), path.join(dir, f));
    }
    const run = () => spawnSync(process.execPath, [path.join(dir, 'cli.js'), 'check', path.join(repoRoot, 'examples'), '--format', 'json'], { encoding: 'utf8', cwd: repoRoot });
    const withCache = run();
    assert.equal(withCache.stderr, '');
    assert.equal(withCache.status, 0);
    const findings = JSON.parse(withCache.stdout) as { code: string }[];
    assert.ok(findings.some((f) => f.code === 'root-principal-broader-than-grants'), withCache.stdout);

    const cache = path.join(dir, 'cli-main.js.cache');
    const bytes = fs.readFileSync(cache);
    fs.writeFileSync(cache, new Uint8Array(bytes.subarray(0, bytes.length >> 1)));
    const damaged = run();
    fs.rmSync(cache);
    const without = run();
    for (const r of [damaged, without]) {
      assert.equal(r.stderr, '');
      assert.equal(r.status, withCache.status);
      assert.equal(r.stdout, withCache.stdout);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
