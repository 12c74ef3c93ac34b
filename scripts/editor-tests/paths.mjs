// Where the editor-test tools live. code-server is installed once into a cache folder outside
// the working tree (it is 300 MB and has native modules) and reused by every run.
import { homedir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';

/** Folder that holds one code-server version (override with POLICY_HANDSHAKE_CACHE). */
export function codeServerHome() {
  const cache = process.env.POLICY_HANDSHAKE_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'policy-handshake');
  return join(cache, 'code-server', CODE_SERVER_VERSION);
}

/** The code-server entry script (override with CODE_SERVER). */
export function codeServerBin() {
  return process.env.CODE_SERVER || join(codeServerHome(), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/** Written last by the installer: its presence means the install finished. */
export function codeServerMarker() {
  return join(codeServerHome(), '.installed');
}

/** Debian's Chromium (override with CHROMIUM). */
export function chromiumBin() {
  return process.env.CHROMIUM || '/usr/bin/chromium';
}
