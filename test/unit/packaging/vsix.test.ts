/**
 * The VSIX ships the bundles, the compiled action catalog and its licence, the schemas,
 * README, LICENSE and package.json, fewer than 30 files — nothing else (the check pages are
 * read where the findings link, on the repository's site) (no sources, tests, source maps, node_modules or out/). Packs the
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
  assert.deepEqual(topLevel, ['LICENSE.txt', 'changelog.md', 'dist', 'images', 'media', 'package.json', 'readme.md', 'schemas']);
  assert.deepEqual(inExtension.filter((e) => e.startsWith('media/') && !/^media\/walkthrough\/[a-z-]+\.(md|png|svg)$/.test(e)), [], 'only the walkthrough in media/');
  assert.ok(entries.length < 30, `${entries.length} files in the VSIX`);
  assert.deepEqual(inExtension.filter((e) => e.startsWith('images/')), ['images/icon.png']);

  const dist = inExtension.filter((e) => e.startsWith('dist/'));
  assert.deepEqual(dist.sort(), ['dist/cli-hcl.js', 'dist/cli-main.js', 'dist/cli-yaml.js', 'dist/cli.js', 'dist/client.js', 'dist/iam-catalog.dat', 'dist/iam-data-LICENSE.txt', 'dist/read-ahead.js', 'dist/server.js', 'dist/tree-sitter-terraform.wasm', 'dist/tree-sitter.wasm']);

  assert.deepEqual(inExtension.filter((e) => e.startsWith('schemas/') && !e.endsWith('.json')), []);
  assert.ok(inExtension.includes('schemas/manifest.schema.json'), 'the manifest schema is missing');
  assert.ok(inExtension.includes('schemas/manifest.editor.schema.json'), 'the manifest\'s editor schema (package.json jsonValidation) is missing');
  assert.deepEqual(inExtension.filter((e) => /\.(map|ts|tsbuildinfo)$/.test(e) || e.includes('node_modules/')), []);
});

test('every file package.json names is in the VSIX', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    main: string; icon?: string; bin?: Record<string, string>;
    contributes?: { jsonValidation?: { url: string }[]; walkthroughs?: { steps: { media: { markdown?: string; image?: string } }[] }[] };
  };
  const media = (pkg.contributes?.walkthroughs ?? []).flatMap((w) => w.steps.flatMap((s) => [s.media.markdown, s.media.image].filter((m): m is string => !!m)));
  const named = [pkg.main, ...(pkg.icon ? [pkg.icon] : []), ...Object.values(pkg.bin ?? {}), ...(pkg.contributes?.jsonValidation ?? []).map((v) => v.url), ...media]
    .filter((f) => !/^https?:/.test(f))
    .map((f) => path.posix.normalize(f));
  const shipped = new Set(vsixFiles());
  assert.deepEqual(named.filter((f) => !shipped.has(f)), []);
});

// Issue 18, defect 11: the extension page had no icon, categories or keywords, and settings without descriptions.
test('the extension page: a 128×128 PNG icon, categories, keywords, a changelog', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { icon?: string; categories?: string[]; keywords?: string[] };
  assert.equal(pkg.icon, 'images/icon.png');
  const png = fs.readFileSync(path.join(repoRoot, pkg.icon));
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(png.subarray(12, 16).toString('ascii'), 'IHDR');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  assert.deepEqual(pkg.categories, ['Linters', 'Programming Languages']);
  for (const k of ['aws', 'kms', 'iam', 'cross-account']) assert.ok(pkg.keywords?.includes(k), k);
  assert.match(fs.readFileSync(path.join(repoRoot, 'CHANGELOG.md'), 'utf8'), /^# Changelog\n\n## 0\.1\.0/);
});

interface SettingContribution { description?: string; markdownDescription?: string; enum?: string[]; enumDescriptions?: string[] }

/** Words of prose in a description once the setting's own id, code spans, links and markup are left out. */
function proseWords(text: string, id: string): string[] {
  const plain = text.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/`[^`]*`/g, ' ').split(id).join(' ').replace(/[*_#>]/g, ' ');
  return plain.match(/[A-Za-z][A-Za-z'-]+/g) ?? [];
}

/** What a user would miss in a setting's description: empty, only its id, or an enum value described by its own name. */
function descriptionProblems(key: string, s: SettingContribution): string[] {
  const problems: string[] = [];
  const id = key.slice(key.lastIndexOf('.') + 1);
  const text = s.markdownDescription ?? s.description ?? '';
  // Its first sentence (what the setting is about) says it in words, not only by its id.
  const first = /^.*?\.(?= |$)/.exec(text.replace(/\*\*`[^`]*`\*\*:\s*/, ''))?.[0] ?? text;
  if (proseWords(first, id).length < 3 || proseWords(text, id).length < 6) problems.push(`${key}: the description says too little: ${JSON.stringify(text)}`);
  if (s.enum) {
    if (s.enumDescriptions?.length !== s.enum.length) problems.push(`${key}: ${s.enumDescriptions?.length ?? 0} descriptions for ${s.enum.length} values`);
    s.enum.forEach((value, i) => {
      const d = s.enumDescriptions?.[i] ?? '';
      if (proseWords(d, value).length < 2) problems.push(`${key} = ${value}: the value's description says too little: ${JSON.stringify(d)}`);
    });
  }
  return problems;
}

test('every setting and every enum value has a description a user understands (not empty, not its id)', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, SettingContribution> } };
  };
  const properties = Object.entries(pkg.contributes.configuration.properties);
  assert.ok(properties.length > 50, 'the settings of the checks are contributed');
  assert.deepEqual(properties.flatMap(([key, setting]) => descriptionProblems(key, setting)), []);
  for (const [key, setting] of properties) {
    // The settings editor shows the markdown description; a check's names the check and what it flags.
    assert.ok((setting.markdownDescription ?? '').length > 20, `${key}: markdownDescription`);
  }
  const lockout = pkg.contributes.configuration.properties['policyHandshake.checks.lockout-risk'];
  assert.equal(lockout.enumDescriptions![0], 'Not checked.');
  assert.match(lockout.enumDescriptions![4], /\(The default\.\)$/);
  // What the settings editor showed before (issue 18, defect 11): an id and no description, values without one.
  const KEY = 'policyHandshake.checks.iam-grant-exceeds-key-policy';
  assert.equal(descriptionProblems(KEY, { markdownDescription: '' }).length, 1);
  assert.equal(descriptionProblems(KEY, { markdownDescription: '**`iam-grant-exceeds-key-policy`**: `off`, `warning`' }).length, 1);
  assert.equal(descriptionProblems(KEY, { markdownDescription: 'Checks: Iam-grant-exceeds-key-policy' }).length, 1);
  assert.deepEqual(descriptionProblems(KEY, { ...pkg.contributes.configuration.properties[KEY], enumDescriptions: ['off', 'hint', 'Info.', '', 'error'] }).length, 5);
});

test('the README starts with the two developer commands, then speaks to users; development is in CONTRIBUTING.md', () => {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([^`]*)```/g)].map((m) => m[1].trim());
  assert.deepEqual(blocks.slice(0, 2), ['npm ci && npm run build && node dist/cli.js check examples/cross-account', 'bash .ci/run']);
  const headings = [...readme.matchAll(/^## (.*)$/gm)].map((m) => m[1]);
  assert.deepEqual(headings.slice(0, 5), ['Install', 'Quick start', 'Features', 'Settings', 'Checks']);
  assert.ok(!headings.includes('Development'));
  assert.match(fs.readFileSync(path.join(repoRoot, 'CONTRIBUTING.md'), 'utf8'), /## Building and testing[\s\S]*## Adding a check/);
});

// Issue 18: screenshots of the Key access view and of a hover in the README (scripts/screenshots.mjs takes them).
test('every image the README shows is a PNG of the repository', () => {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const images = [...readme.matchAll(/!\[[^\]]+\]\(([^)]+)\)/g)].map((m) => m[1]);
  assert.deepEqual(images.filter((i) => i.startsWith('images/')), ['images/key-access-view.png', 'images/hover.png']);
  for (const i of images) {
    const png = fs.readFileSync(path.join(repoRoot, i));
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], `${i} is a PNG`);
  }
});
