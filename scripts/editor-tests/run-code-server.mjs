// Runs the extension-host test suite (out/test/editors/vscode/index.js) in a real VS Code:
// code-server on 127.0.0.1, driven by Debian's Chromium through playwright-core. VS Code loads
// this repository as the extension under development, calls the suite's run(), and reports
// the result through window.codeAutomationExit(code).
//
// With --vsix, the packaged extension as a user gets it instead: the VSIX is built the way
// `npm run package` builds it (or taken from --vsix-file), installed with
// `code-server --install-extension` into the run's extensions folder, and the workspace is a
// copy of examples/; the suites of out/test/editors/vscode/vsix/ run against the installed
// extension (nothing is loaded from the repository), and any error notification VS Code shows
// during the run is a failed test.
//
//   node scripts/editor-tests/run-code-server.mjs [--vsix [--vsix-file F]] [--timeout SECONDS] [--results FILE] [--keep] [--screenshot PNG]
//   node scripts/editor-tests/run-code-server.mjs --check   (lists missing tools; exit 3 if any)
//
// Exits with the suite's exit code. Prints a skip message and exits 0 when code-server or
// Chromium is not installed, unless POLICY_HANDSHAKE_REQUIRE_EDITORS=1 (then it fails).
// POLICY_HANDSHAKE_VERBOSE=1 also prints the browser console (the workbench's messages and the
// extension host's console output, such as a test's console.log).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromiumBin, codeServerBin } from './paths.mjs';
import { CHROMIUM_ARGS, freePort, isolatedEnv, makeRunFolder, missingTools, stopGroup, waitHealthy } from './codeServer.mjs';
import { installVsix, packVsix } from './vsix.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: opts } = parseArgs({
  options: {
    timeout: { type: 'string', default: '300' },
    results: { type: 'string' },
    keep: { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    vsix: { type: 'boolean', default: false },
    'vsix-file': { type: 'string' },
    screenshot: { type: 'string' },
  },
});
const timeoutMs = Number(opts.timeout) * 1000;
const testsIndex = join(repo, 'out', 'test', 'editors', 'vscode', 'index.js');

// Chromium flags, the run folder and the rest are shared with the screenshots (codeServer.mjs).
const started = Date.now();
const LOG_MARK = '@@policy-handshake-test@@ ';
const log = (msg) => console.log(`[code-server ${opts.vsix ? 'VSIX ' : ''}tests ${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);

function extensionHostLog(userData) {
  const logs = join(userData, 'logs');
  const found = [];
  const walk = (d) => {
    for (const e of existsSync(d) ? readdirSync(d, { withFileTypes: true }) : []) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'remoteexthost.log') found.push(p);
    }
  };
  walk(logs);
  return found.map((p) => `--- ${p}\n${readFileSync(p, 'utf8').split('\n').slice(-60).join('\n')}`).join('\n');
}

/** An extension with no code and another id, the one "under development" of a VSIX run. */
function testDriverExtension(root) {
  const dir = join(root, 'driver');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({
    name: 'vsix-test-driver', publisher: 'policy-handshake-tests', version: '0.0.0', engines: { vscode: '^1.91.0' },
  }));
  return dir;
}

// Runs in the page before the workbench: notes each notification toast or list entry.
const NOTIFICATION_PROBE = `
  window.__policyHandshakeNotifications = [];
  setInterval(() => {
    for (const item of document.querySelectorAll('.notification-list-item')) {
      const icon = item.querySelector('.notification-list-item-icon');
      const message = item.querySelector('.notification-list-item-message');
      const seen = { icon: icon ? icon.className : '', text: message ? message.textContent : item.textContent };
      if (!window.__policyHandshakeNotifications.some((n) => n.icon === seen.icon && n.text === seen.text)) window.__policyHandshakeNotifications.push(seen);
    }
  }, 200);
`;

/**
 * What the VSIX run checks in the page once the suite is done, each as one more test result:
 * no notification was an error, and the walkthrough the suite opened last shows its title.
 * Returns the number that failed.
 */
async function checkPage(page) {
  await new Promise((r) => setTimeout(r, 500));
  const seen = await page.evaluate(() => window.__policyHandshakeNotifications ?? []);
  for (const n of seen) log(`notification (${n.icon.replace(/\b(codicon|notification-list-item-icon)\b/g, '').trim()}): ${n.text}`);
  const errors = seen.filter((n) => /\bcodicon-error\b/.test(n.icon));
  const walkthrough = page.locator('.gettingStartedContainer', { hasText: 'Get started with Policy Handshake' });
  const shown = await walkthrough.first().isVisible().catch(() => false);
  const checks = [
    { title: 'the packaged extension: no error notification during the run',
      error: errors.length ? `VS Code showed ${errors.length} error notification(s):\n${errors.map((n) => n.text).join('\n')}` : undefined },
    { title: 'the packaged extension: its walkthrough "Get started with Policy Handshake" shows',
      error: shown ? undefined : 'no walkthrough page titled "Get started with Policy Handshake" is visible' },
  ];
  for (const c of checks) console.log(`${c.error ? '  ✗' : '  ✓'} ${c.title}${c.error ? `: ${c.error}` : ''}`);
  if (opts.results && existsSync(opts.results)) {
    const results = JSON.parse(readFileSync(opts.results, 'utf8'));
    for (const c of checks) results.push(c.error ? { title: c.title, state: 'failed', error: c.error } : { title: c.title, state: 'passed' });
    writeFileSync(opts.results, JSON.stringify(results, null, 2));
  }
  return checks.filter((c) => c.error).length;
}

async function main() {
  const missing = missingTools();
  if (opts.check) {
    for (const m of missing) console.log(m);
    return missing.length ? 3 : 0;
  }
  if (missing.length) {
    const msg = `VS Code extension-host tests SKIPPED: not installed: ${missing.join('; ')}`;
    if (process.env.POLICY_HANDSHAKE_REQUIRE_EDITORS === '1') {
      console.error(msg.replace('SKIPPED', 'cannot run'));
      return 1;
    }
    console.log(msg);
    return 0;
  }
  if (!existsSync(testsIndex)) {
    console.error(`${testsIndex} is missing: run \`npm run build\` first`);
    return 1;
  }
  if (!opts.vsix && !existsSync(join(repo, 'dist', 'client.js'))) {
    console.error('dist/client.js is missing: run `npm run build` first');
    return 1;
  }

  const { chromium } = await import('playwright-core');
  const dirs = makeRunFolder();
  const env = isolatedEnv(dirs);
  if (opts.results) env.POLICY_HANDSHAKE_TEST_RESULTS = resolve(opts.results);
  env.POLICY_HANDSHAKE_LOG_MARK = LOG_MARK;
  // No extension gallery: the machine has no network, and the run needs none.
  env.EXTENSIONS_GALLERY = JSON.stringify({ serviceUrl: '' });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  let server;
  let context;
  let exitCode = 1;
  let failure = '';
  let page;
  try {
    if (opts.vsix) {
      const vsix = opts['vsix-file'] ? resolve(opts['vsix-file']) : (log('packing the VSIX'), packVsix(repo, join(dirs.root, 'vsix')));
      const installed = installVsix(vsix, dirs, env);
      log(`installed ${vsix} into ${installed}`);
      // A copy of examples/, made now: the workspace holds nothing of the repository itself.
      cpSync(join(repo, 'examples'), dirs.workspace, { recursive: true });
      env.POLICY_HANDSHAKE_SUITE = 'vsix';
      env.POLICY_HANDSHAKE_INSTALLED_EXTENSION = installed;
      env.POLICY_HANDSHAKE_USER_DATA = dirs.userData;
    }
    const bin = codeServerBin();
    const cmd = bin.endsWith('.js') ? [process.execPath, bin] : [bin];
    server = spawn(cmd[0], [...cmd.slice(1),
      '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
      '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions],
    { cwd: dirs.root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let serverOut = '';
    const keep = (b) => { serverOut = (serverOut + b.toString()).slice(-20000); };
    server.stdout.on('data', keep);
    server.stderr.on('data', keep);
    log(`code-server starting on ${base} (run folder ${dirs.root})`);
    await waitHealthy(base, server, deadline).catch((e) => { throw new Error(`${e.message}\n${serverOut}`); });

    context = await chromium.launchPersistentContext(dirs.browser, {
      executablePath: chromiumBin(), headless: true, args: CHROMIUM_ARGS, env,
    });
    page = context.pages()[0] ?? await context.newPage();
    // Every notification shown during the run, as its icon's classes and its message.
    if (opts.vsix) await page.addInitScript(NOTIFICATION_PROBE);
    let reportExit;
    const finished = new Promise((ok) => { reportExit = ok; });
    await page.exposeFunction('codeAutomationExit', (code) => { reportExit(Number(code)); });
    page.once('crash', () => reportExit('the page crashed'));
    page.once('close', () => reportExit('the page closed'));
    page.on('console', (m) => {
      const text = m.text();
      // The suite's reporter lines carry the mark; the workbench's own messages are left out.
      const at = text.indexOf(LOG_MARK);
      if (at >= 0) console.log(text.slice(at + LOG_MARK.length));
      else if (process.env.POLICY_HANDSHAKE_VERBOSE) log(`[browser ${m.type()}] ${text}`);
    });
    page.on('pageerror', (e) => { if (process.env.POLICY_HANDSHAKE_VERBOSE) console.log(`[page error] ${e.message}`); });

    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    // VS Code runs extension tests only with an extension under development: for the VSIX, an
    // empty one (testDriverExtension), so that the installed extension is the one that runs.
    const development = opts.vsix ? testDriverExtension(dirs.root) : repo;
    const payload = [['extensionDevelopmentPath', remote(development)], ['extensionTestsPath', remote(testsIndex)]];
    const url = `${base}/?folder=${encodeURIComponent(dirs.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    log('opening VS Code in Chromium');
    await page.goto(url, { waitUntil: 'commit', timeout: Math.max(1000, deadline - Date.now()) });
    let timer;
    const timedOut = new Promise((ok) => { timer = setTimeout(() => ok('timeout'), Math.max(0, deadline - Date.now())); });
    const outcome = await Promise.race([finished, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') failure = `timed out after ${opts.timeout} s waiting for the test run to finish`;
    else if (typeof outcome === 'string') failure = outcome;
    else exitCode = outcome;
    if (opts.screenshot) await page.screenshot({ path: resolve(opts.screenshot) }).catch((e) => log(`no screenshot: ${e.message}`));
    if (opts.vsix && !failure) {
      if (await checkPage(page) && exitCode === 0) exitCode = 1;
    }
  } catch (e) {
    failure = e instanceof Error ? e.message : String(e);
  } finally {
    await context?.close().catch(() => {});
    await stopGroup(server);
  }
  if (failure) {
    console.error(`[code-server tests] FAILED: ${failure}`);
    console.error(extensionHostLog(dirs.userData));
  }
  log(`finished with exit code ${exitCode}`);
  if (exitCode === 0 && !failure && !opts.keep) rmSync(dirs.root, { recursive: true, force: true });
  else log(`run folder kept: ${dirs.root}`);
  return failure ? 1 : exitCode;
}

process.exitCode = await main();
