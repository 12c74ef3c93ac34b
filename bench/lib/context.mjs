// Paths and options shared by the bench sections.
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const dist = join(root, 'dist');
export const corpus = process.env.POLICY_HANDSHAKE_CORPUS ?? resolve(root, '..', 'shared', 'corpus');
export const managedDir = join(corpus, 'aws-managed');
/** The example workspace, always in the repository: a smoke run reads it instead of the corpus. */
export const examplesDir = join(root, 'examples', 'cross-account');
export const require = createRequire(import.meta.url);

/** The core as bundled for the bench (dist/bench/core.js). */
export function loadCore() {
  return require(join(dist, 'bench', 'core.js'));
}

/** A section that cannot run yet (feature missing) throws this; the table says why. */
export class Unavailable extends Error {}

/** The `.json` files of a folder, sorted, with their texts. */
export function readFolder(dir, limit = Infinity) {
  const names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort().slice(0, limit);
  return names.map((n) => ({ path: join(dir, n), text: readFileSync(join(dir, n), 'utf8') }));
}

/** Options a section receives: `smoke` (tiny sizes, few runs) and `runs`. */
export function sectionOptions() {
  const raw = process.argv[2];
  return raw ? JSON.parse(raw) : { smoke: false };
}

/** Section entry point: run `fn(options)` and write its result as JSON to the file named by argv[3]. */
export async function runSection(fn) {
  const { writeFileSync } = await import('node:fs');
  const opts = sectionOptions();
  let result;
  try {
    result = { status: 'ok', ...(await fn(opts)) };
  } catch (e) {
    result = e instanceof Unavailable ? { status: 'unavailable', reason: e.message } : { status: 'error', reason: String(e?.stack ?? e) };
  }
  writeFileSync(process.argv[3], JSON.stringify(result));
  // Child processes and timers of a section must not keep the bench alive.
  process.exit(0);
}

/** Every `.json` file (or whose name matches `names`) below a folder, subfolders included, sorted by path, with their texts. */
export function readTree(dir, names = /\.json$/) {
  const out = [];
  const visit = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory()) visit(join(d, e.name));
      else if (names.test(e.name)) out.push({ path: join(d, e.name), text: readFileSync(join(d, e.name), 'utf8') });
    }
  };
  visit(dir);
  return out;
}

/**
 * The policy texts a section checks or copies into generated workspaces: the AWS managed
 * policies, or in a smoke run (which only proves the section works) the example workspace's
 * policies, so that the smoke run needs no corpus. Unavailable when the corpus is missing.
 */
export function policyTexts(smoke) {
  if (smoke) return readTree(examplesDir).filter((f) => !f.path.endsWith('policy-handshake.json')).map((f) => ({ name: f.path.slice(examplesDir.length + 1).replaceAll('/', '-'), path: f.path, text: f.text }));
  if (!existsSync(managedDir)) throw new Unavailable(`corpus not found at ${managedDir}`);
  return readFolder(managedDir).map((f) => ({ name: f.path.slice(managedDir.length + 1), path: f.path, text: f.text }));
}
