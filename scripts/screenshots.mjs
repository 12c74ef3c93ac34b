// The README's screenshots, taken in a real VS Code (code-server, driven by Chromium through
// playwright-core) with this repository as the extension under development and a copy of
// examples/cross-account as the workspace:
//   images/key-access-view.png  the key policy with its findings and the Key access view
//   images/hover.png            the hover on the trusted workloads root
//
//   npm run build && node scripts/screenshots.mjs [--out DIR]
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromiumBin, codeServerBin } from './editor-tests/paths.mjs';
import { CHROMIUM_ARGS, freePort, isolatedEnv, makeRunFolder, missingTools, sleep, stopGroup, waitHealthy } from './editor-tests/codeServer.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({ options: { out: { type: 'string', default: join(repo, 'images') } } });
const log = (m) => console.log(`[screenshots] ${m}`);

async function runPalette(page, text) {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
  await page.keyboard.type(text);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first().click();
  await sleep(500);
}

async function main() {
  const missing = missingTools();
  if (missing.length) { console.error(`not installed: ${missing.join('; ')}`); return 1; }
  const { chromium } = await import('playwright-core');
  const dirs = makeRunFolder();
  cpSync(join(repo, 'examples', 'cross-account'), dirs.workspace, { recursive: true });
  // Hovers open below the line, where the editor has room for the whole of them.
  const settings = join(dirs.userData, 'User', 'settings.json');
  writeFileSync(settings, JSON.stringify({ ...JSON.parse(readFileSync(settings, 'utf8')), 'editor.hover.above': false }, null, 2));
  const env = isolatedEnv(dirs);
  env.EXTENSIONS_GALLERY = JSON.stringify({ serviceUrl: '' });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let server;
  let context;
  try {
    const bin = codeServerBin();
    const cmd = bin.endsWith('.js') ? [process.execPath, bin] : [bin];
    server = spawn(cmd[0], [...cmd.slice(1), '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
      '--disable-workspace-trust', '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions], { cwd: dirs.root, env, detached: true, stdio: 'ignore' });
    await waitHealthy(base, server, Date.now() + 60_000);
    context = await chromium.launchPersistentContext(dirs.browser, {
      executablePath: chromiumBin(), headless: true, args: CHROMIUM_ARGS, env, viewport: { width: 1280, height: 860 },
    });
    const page = context.pages()[0] ?? await context.newPage();
    const payload = [['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${repo}`]];
    await page.goto(`${base}/?folder=${encodeURIComponent(dirs.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await sleep(3000);
    log('opening the key policy');
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
    await page.keyboard.type('app-data.json');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'security/keys' }).first().click();
    await page.locator('.monaco-editor .view-lines').first().waitFor({ state: 'visible' });
    await runPalette(page, 'Focus on Key access View');
    // Room for the view: the folder's tree collapsed, the side bar wider.
    await page.locator('.pane-header', { hasText: /^ws$/i }).first().click();
    for (let i = 0; i < 3; i++) await runPalette(page, 'Increase Current View Size');
    // The server reads the workspace and the view fills in: wait for the roles.
    await page.locator('.monaco-list-row', { hasText: 'role/DataPipeline' }).first().waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('.squiggly-info, .squiggly-warning').first().waitFor({ state: 'attached', timeout: 60_000 });
    // The editor keeps the focus (no selection highlight in the view).
    await page.locator('.monaco-editor .view-lines').first().click({ position: { x: 400, y: 5 } });
    await sleep(1500);
    mkdirSync(opts.out, { recursive: true });
    await page.screenshot({ path: join(opts.out, 'key-access-view.png') });
    log(`wrote ${join(opts.out, 'key-access-view.png')}`);

    log('hovering on the trusted account');
    const root = page.locator('.view-line span', { hasText: '444455556666:root' }).first();
    await root.hover();
    await page.locator('.monaco-hover', { hasText: 'Account principal' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await sleep(1500);
    await page.screenshot({ path: join(opts.out, 'hover.png') });
    log(`wrote ${join(opts.out, 'hover.png')}`);
    return 0;
  } catch (e) {
    // What the page showed when a step failed, to see why.
    const shot = join(dirs.root, '..', 'policy-handshake-screenshots-failed.png');
    await context?.pages()[0]?.screenshot({ path: shot }).catch(() => {});
    console.error(`[screenshots] failed (the page as it was: ${shot})`);
    throw e;
  } finally {
    await context?.close().catch(() => {});
    await stopGroup(server);
    rmSync(dirs.root, { recursive: true, force: true });
  }
}

process.exitCode = await main();
