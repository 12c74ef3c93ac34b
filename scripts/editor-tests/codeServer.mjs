// What the code-server runs share (the extension-host tests, the README screenshots): the
// tools' presence, an isolated run folder and environment, a free port, and stopping
// code-server with everything it started.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromiumBin, codeServerBin, codeServerMarker } from './paths.mjs';

// Chromium flags that keep it offline and quiet (besides headless, which Playwright sets).
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function missingTools() {
  const missing = [];
  if (!existsSync(codeServerBin()) || (!process.env.CODE_SERVER && !existsSync(codeServerMarker()))) {
    missing.push(`code-server (install: node scripts/editor-tests/install-code-server.mjs)`);
  }
  if (!existsSync(chromiumBin())) missing.push(`${chromiumBin()} (install: apt-get install -y chromium)`);
  return missing;
}

export function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function waitHealthy(base, server, deadline) {
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`code-server exited early with code ${server.exitCode}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) return;
    } catch { /* not listening yet */ }
    await sleep(250);
  }
  throw new Error('code-server did not answer /healthz in time');
}

/** The run folder: short paths (VS Code puts unix sockets under TMPDIR), all state inside. */
export function makeRunFolder() {
  const root = mkdtempSync('/tmp/phvs-');
  const dirs = {
    root,
    tmp: join(root, 't'),
    userData: join(root, 'user'),
    extensions: join(root, 'ext'),
    workspace: join(root, 'ws'),
    browser: join(root, 'browser'),
    xdg: join(root, 'xdg'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  for (const x of ['config', 'data', 'cache', 'state', 'runtime']) mkdirSync(join(dirs.xdg, x), { recursive: true, mode: 0o700 });
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'workbench.enableExperiments': false,
    'git.enabled': false,
    'task.autoDetect': 'off',
    'npm.autoDetect': 'off',
    'typescript.tsc.autoDetect': 'off',
  }, null, 2));
  return dirs;
}

export function isolatedEnv(dirs) {
  const env = {
    ...process.env,
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: join(dirs.xdg, 'config'),
    XDG_DATA_HOME: join(dirs.xdg, 'data'),
    XDG_CACHE_HOME: join(dirs.xdg, 'cache'),
    XDG_STATE_HOME: join(dirs.xdg, 'state'),
    XDG_RUNTIME_DIR: join(dirs.xdg, 'runtime'),
  };
  // Variables of an enclosing VS Code or Electron would confuse the one started here.
  for (const k of Object.keys(env)) if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') delete env[k];
  return env;
}

/** Stop code-server and everything it started (its process group). */
export function stopGroup(child) {
  if (!child) return Promise.resolve();
  const signal = (sig) => { try { process.kill(-child.pid, sig); } catch { /* already gone */ } };
  return new Promise((done) => {
    const finish = () => { clearTimeout(timer); signal('SIGKILL'); done(); };
    const timer = setTimeout(finish, 5000);
    if (child.exitCode !== null || child.signalCode !== null) finish();
    else { child.once('exit', finish); signal('SIGTERM'); }
  });
}
