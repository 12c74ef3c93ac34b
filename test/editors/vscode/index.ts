/**
 * Entry of the extension-host test run (the `@vscode/test-electron` contract: VS Code loads this
 * module and awaits `run()`). Runs every `suite/*.js` with mocha (every `vsix/*.js` when
 * POLICY_HANDSHAKE_SUITE=vsix: the packaged extension installed from its VSIX); writes a JSON
 * summary to POLICY_HANDSHAKE_TEST_RESULTS when set, for the runner to report test by test.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as util from 'util';
import Mocha from 'mocha';

export interface SuiteResult { title: string; state: 'passed' | 'failed' | 'pending'; error?: string }

/**
 * The reporter's lines. Under code-server they reach the runner through the browser console,
 * among the workbench's own messages: POLICY_HANDSHAKE_LOG_MARK, when set, marks them. (Other
 * console output of the extension host shows with POLICY_HANDSHAKE_VERBOSE=1.)
 */
function print(...args: unknown[]): void {
  console.log(`${process.env.POLICY_HANDSHAKE_LOG_MARK ?? ''}${util.format(...args)}`);
}

export function run(): Promise<void> {
  Mocha.reporters.Base.consoleLog = print;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const dir = path.join(__dirname, process.env.POLICY_HANDSHAKE_SUITE === 'vsix' ? 'vsix' : 'suite');
  // POLICY_HANDSHAKE_SUITES=deletedFiles,hover runs only those suite files (for chasing one test).
  const only = process.env.POLICY_HANDSHAKE_SUITES?.split(',').map((s) => s.trim()).filter(Boolean);
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.js')).sort()) {
    if (!only?.length || only.includes(f.replace(/\.js$/, ''))) mocha.addFile(path.join(dir, f));
  }
  const results: SuiteResult[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const out = process.env.POLICY_HANDSHAKE_TEST_RESULTS;
      if (out) fs.writeFileSync(out, JSON.stringify(results, null, 2));
      print(`${results.filter((r) => r.state === 'passed').length} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed' }));
    runner.on('fail', (t, err: Error) => results.push({ title: t.fullTitle(), state: 'failed', error: err.stack ?? String(err) }));
    runner.on('pending', (t) => results.push({ title: t.fullTitle(), state: 'pending' }));
  });
}
