/**
 * Runs the extension-host suite in a real VS Code (code-server + Chromium, see
 * scripts/editor-tests/run-code-server.mjs) and reports each of its tests here, so that
 * `node scripts/run-tests.mjs` counts them; then the same for the packaged extension: the VSIX
 * built as `npm run package` builds it, installed into a fresh code-server, on a copy of
 * examples/ (`--vsix`, the suites of test/editors/vscode/vsix/). Skipped when code-server or
 * Chromium is not installed, unless POLICY_HANDSHAKE_REQUIRE_EDITORS=1 (CI), where that is a
 * failure.
 */
import { test } from 'node:test';

type TestContext = Parameters<Exclude<Parameters<typeof test>[0], string | undefined>>[0];
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { SuiteResult } from './index';
import { skipInside } from '../../support/needs';

const repo = path.resolve(__dirname, '..', '..', '..', '..');
const runner = path.join(repo, 'scripts', 'editor-tests', 'run-code-server.mjs');

/** The tools the run needs and does not find (the runner knows where it looks). */
function missingTools(): string[] {
  const r = spawnSync(process.execPath, [runner, '--check'], { encoding: 'utf8' });
  if (r.status === 0) return [];
  if (r.status === 3) return r.stdout.trim().split('\n');
  throw new Error(`${runner} --check failed (${r.status}):\n${r.stdout}${r.stderr}`);
}

function runSuite(resultsFile: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [runner, '--results', resultsFile, ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const take = (b: Buffer) => { output += b.toString(); };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Runs the code-server runner with `args` and reports each result of its suite as a subtest. */
async function reportSuite(t: TestContext, args: string[]): Promise<void> {
  const missing = missingTools();
  if (missing.length) {
    const why = `not installed: ${missing.join('; ')}`;
    skipInside(t, 'editors', why);
    return;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'phvs-results-'));
  const resultsFile = path.join(dir, 'results.json');
  try {
    const { code, output } = await runSuite(resultsFile, args);
    let results: SuiteResult[] | undefined;
    try { results = JSON.parse(readFileSync(resultsFile, 'utf8')) as SuiteResult[]; } catch { results = undefined; }
    if (!results) throw new Error(`the suite reported no results (runner exit ${code}):\n${output}`);
    for (const r of results) {
      await t.test(r.title, { skip: r.state === 'pending' }, () => {
        if (r.state === 'failed') throw new Error(`${r.error}\n\n--- VS Code run ---\n${output}`);
      });
    }
    if (code !== 0 && results.every((r) => r.state !== 'failed')) throw new Error(`runner exited with ${code}:\n${output}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('VS Code extension host (code-server)', { timeout: 10 * 60_000 }, (t) => reportSuite(t, []));

// Issue 18: the extension as a user installs it; a file the VSIX lacks at run time fails here.
test('the packaged extension installed from its VSIX (code-server)', { timeout: 5 * 60_000 }, (t) => reportSuite(t, ['--vsix', '--timeout', '240']));
