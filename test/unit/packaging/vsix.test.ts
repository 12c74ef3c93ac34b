/**
 * The VSIX ships the bundles, the action catalog data, schemas, docs, README, LICENSE and
 * package.json — nothing else (no sources, tests, source maps, node_modules or out/). Packs the
 * current build with vsce (as `npm run package` does, without rebuilding) and reads the archive.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../support/corpus';
import { zipEntries } from './zipEntries';

const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');

function packVsix(): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-vsix-'));
  try {
    const out = path.join(dir, 'policy-handshake.vsix');
    const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '-o', out], {
      cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000,
    });
    assert.equal(r.status, 0, `vsce package failed:\n${r.stdout}\n${r.stderr}`);
    return zipEntries(out);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

let packed: string[] | undefined;
/** The VSIX's entries (packed once per run). */
function vsixEntries(): string[] {
  packed ??= packVsix();
  return packed;
}
/** The extension's files in the VSIX, relative to the extension folder. */
function vsixFiles(): string[] {
  return vsixEntries().filter((e) => e.startsWith('extension/')).map((e) => e.slice('extension/'.length));
}

test('the VSIX holds exactly the shipped files', () => {
  const entries = vsixEntries();
  const inExtension = vsixFiles();
  assert.deepEqual(entries.filter((e) => !e.startsWith('extension/')).sort(), ['[Content_Types].xml', 'extension.vsixmanifest']);

  // vsce stores LICENSE as LICENSE.txt and README.md as readme.md.
  const topLevel = [...new Set(inExtension.map((e) => e.split('/')[0]))].sort();
  assert.deepEqual(topLevel, ['LICENSE.txt', 'dist', 'docs', 'package.json', 'readme.md', 'schemas']);

  const dist = inExtension.filter((e) => e.startsWith('dist/'));
  assert.deepEqual(dist.filter((e) => !e.startsWith('dist/iam-data/')).sort(), ['dist/cli.js', 'dist/client.js', 'dist/server.js', 'dist/tree-sitter-terraform.wasm', 'dist/tree-sitter.wasm']);
  for (const required of ['dist/iam-data/services.json', 'dist/iam-data/LICENSE.txt']) assert.ok(dist.includes(required), `${required} is missing`);
  assert.ok(dist.some((e) => /^dist\/iam-data\/actions\/kms\.json$/.test(e)), 'the kms actions are missing');
  assert.deepEqual(dist.filter((e) => e.startsWith('dist/iam-data/') && !/\.(json|txt)$/.test(e)), [], 'only data files in dist/iam-data');

  assert.deepEqual(inExtension.filter((e) => e.startsWith('schemas/') && !e.endsWith('.json')), []);
  assert.ok(inExtension.includes('schemas/manifest.schema.json'), 'the manifest schema (package.json jsonValidation) is missing');
  assert.deepEqual(inExtension.filter((e) => e.startsWith('docs/') && !/\.(md|png|svg|gif)$/.test(e)), [], 'only documentation in docs/');
  assert.deepEqual(inExtension.filter((e) => /\.(map|ts|tsbuildinfo)$/.test(e) || e.includes('node_modules/')), []);
});

test('every file package.json names is in the VSIX', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    main: string; bin?: Record<string, string>; contributes?: { jsonValidation?: { url: string }[] };
  };
  const named = [pkg.main, ...Object.values(pkg.bin ?? {}), ...(pkg.contributes?.jsonValidation ?? []).map((v) => v.url)]
    .filter((f) => !/^https?:/.test(f))
    .map((f) => path.posix.normalize(f));
  const shipped = new Set(vsixFiles());
  assert.deepEqual(named.filter((f) => !shipped.has(f)), []);
});
