// The packaged extension as a user gets it: the VSIX built the way `npm run package` builds it
// (production bundles, then `vsce package` honouring .vscodeignore), in a folder of its own so
// that dist/ (read by the other tests) is left alone, and installed into a code-server
// extensions folder with `code-server --install-extension`.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { codeServerBin } from './paths.mjs';

function run(cmd, args, options) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000, ...options });
  if (r.status !== 0) throw new Error(`${[cmd, ...args].join(' ')} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * Packs the extension into `<stage>/policy-handshake.vsix`: the files vsce would take from the
 * repository (`vsce ls`: .vscodeignore applied) but dist/, plus .vscodeignore itself, are
 * copied into `stage`; `scripts/bundle.mjs --production --outdir <stage>/dist` builds dist/
 * there; then `vsce package` runs in `stage`, where .vscodeignore decides again what ships.
 */
export function packVsix(repo, stage) {
  const vsce = join(repo, 'node_modules', '@vscode', 'vsce', 'vsce');
  const listed = run(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: repo }).split('\n').map((l) => l.trim()).filter(Boolean);
  mkdirSync(stage, { recursive: true });
  for (const f of [...listed.filter((f) => !f.startsWith('dist/')), '.vscodeignore']) {
    mkdirSync(dirname(join(stage, f)), { recursive: true });
    cpSync(join(repo, f), join(stage, f));
  }
  run(process.execPath, [join(repo, 'scripts', 'bundle.mjs'), '--production', '--outdir', join(stage, 'dist')], { cwd: repo });
  const vsix = join(stage, 'policy-handshake.vsix');
  run(process.execPath, [vsce, 'package', '--no-dependencies', '-o', vsix], { cwd: stage });
  return vsix;
}

/**
 * Installs a VSIX into `extensionsDir` as a user does (`code-server --install-extension`);
 * returns the folder the extension was unpacked into.
 */
export function installVsix(vsix, dirs, env) {
  const bin = codeServerBin();
  const cmd = bin.endsWith('.js') ? [process.execPath, bin] : [bin];
  run(cmd[0], [...cmd.slice(1), '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--install-extension', vsix], { cwd: dirs.root, env });
  const installed = readdirSync(dirs.extensions).filter((d) => d.startsWith('policy-handshake.policy-handshake-'));
  if (installed.length !== 1) throw new Error(`expected one installed policy-handshake extension in ${dirs.extensions}, found: ${readdirSync(dirs.extensions).join(', ')}`);
  const folder = join(dirs.extensions, installed[0]);
  if (!existsSync(join(folder, 'package.json'))) throw new Error(`${folder} has no package.json`);
  return folder;
}
