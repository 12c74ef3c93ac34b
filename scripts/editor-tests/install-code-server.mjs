// Installs code-server (which embeds VS Code) from the npm registry into the cache folder, with
// no network access beyond the registry: native modules build against the installed Node's
// headers, and the ripgrep package finds a cached archive made from Debian's rg instead of
// downloading one. Reuses a finished install. Needs: build-essential python3 libkrb5-dev ripgrep.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CODE_SERVER_VERSION, codeServerBin, codeServerHome, codeServerMarker } from './paths.mjs';

// The versions code-server 4.100.3's @vscode/ripgrep 1.15.11 asks for.
const RIPGREP_PACKAGE = '1.15.11';
const RIPGREP_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

const home = codeServerHome();
if (existsSync(codeServerMarker()) && existsSync(codeServerBin())) {
  console.log(`code-server ${CODE_SERVER_VERSION} already installed in ${home}`);
  process.exit(0);
}

const which = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim();
const rg = which('rg');
if (!rg) {
  console.error('ripgrep (rg) is not installed: apt-get install -y ripgrep');
  process.exit(1);
}

// A short TMPDIR holding the ripgrep archive the package looks for before downloading.
const tmp = mkdtempSync('/tmp/phcs-');
const rgCache = join(tmp, `vscode-ripgrep-cache-${RIPGREP_PACKAGE}`);
mkdirSync(rgCache);
const tar = spawnSync('tar', ['-czf', join(rgCache, RIPGREP_ARCHIVE), '-C', dirname(rg), 'rg'], { stdio: 'inherit' });
if (tar.status !== 0) process.exit(1);

rmSync(home, { recursive: true, force: true });
mkdirSync(home, { recursive: true });
writeFileSync(join(home, 'package.json'), JSON.stringify({ name: 'policy-handshake-code-server', private: true }, null, 2) + '\n');

console.log(`Installing code-server ${CODE_SERVER_VERSION} into ${home} (a few minutes)`);
const started = Date.now();
const env = {
  ...process.env,
  TMPDIR: tmp,
  // node-gyp builds against the installed Node's headers instead of downloading them.
  npm_config_nodedir: process.env.npm_config_nodedir || '/usr',
  // node-pty's install runs `npx node-gyp`, which would otherwise wait for a yes.
  npm_config_yes: 'true',
  // Its postinstall refuses to run as root unless this is set.
  npm_config_unsafe_perm: 'true',
  // code-server's postinstall runs `npm install` again inside its own folders (no
  // package.json of ours there to approve scripts in), and its native modules need their
  // install scripts: allow them for this install only.
  npm_config_dangerously_allow_all_scripts: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};
const r = spawnSync('npm', ['install', '--no-save', '--omit=dev', `code-server@${CODE_SERVER_VERSION}`], { cwd: home, env, stdio: 'inherit' });
if (r.status !== 0 || !existsSync(codeServerBin())) {
  rmSync(tmp, { recursive: true, force: true });
  console.error(`code-server install failed (npm exit ${r.status})`);
  process.exit(1);
}
// Keep code-server's first-run config file out of the user's home.
const quiet = { ...process.env, XDG_CONFIG_HOME: join(tmp, 'config'), XDG_DATA_HOME: join(tmp, 'data') };
const version = spawnSync(process.execPath, [codeServerBin(), '--version'], { encoding: 'utf8', env: quiet });
rmSync(tmp, { recursive: true, force: true });
if (version.status !== 0) {
  console.error(`installed code-server does not start:\n${version.stdout}${version.stderr}`);
  process.exit(1);
}
const versionLine = version.stdout.trim().split('\n').pop();
writeFileSync(codeServerMarker(), `${versionLine}\n`);
console.log(`code-server installed in ${Math.round((Date.now() - started) / 1000)} s: ${versionLine}`);
