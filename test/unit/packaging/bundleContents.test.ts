/**
 * The bundles carry none of the AGPL packages the tests use as an oracle
 * (`@cloud-copilot/iam-simulate` and its dependencies iam-policy and iam-utils): every file
 * the build writes under dist/ is free of their names and of strings only their code holds.
 * Reads the current build (`npm run build` writes dist/).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../support/corpus';

/** Package names (the bundler's path comments) and string literals of each package's code. */
const MARKERS: Record<string, string[]> = {
  '@cloud-copilot/iam-simulate': ['iam-simulate', 'AllowedForAccount', 'DeniedForAccount'],
  '@cloud-copilot/iam-policy': ['iam-policy', 'Action contains whitespace'],
  '@cloud-copilot/iam-utils': ['iam-utils', 'auditmanager:updateassessmentframeworkshare'],
};

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (!e.name.endsWith('.vsix')) out.push(p);
  }
  return out;
}

/** Which markers a text holds, as `package: marker`. */
function agplMarkersIn(text: string): string[] {
  return Object.entries(MARKERS).flatMap(([pkg, markers]) => markers.filter((m) => text.includes(m)).map((m) => `${pkg}: ${m}`));
}

test('no bundled file under dist/ holds code of iam-simulate, iam-policy or iam-utils', () => {
  const dist = path.join(repoRoot, 'dist');
  const files = filesUnder(dist);
  for (const bundle of ['cli.js', 'cli-main.js', 'client.js', 'server.js']) assert.ok(files.includes(path.join(dist, bundle)), `dist/${bundle} (run npm run build)`);
  const found = files.flatMap((f) => agplMarkersIn(fs.readFileSync(f, 'utf8')).map((m) => `${path.relative(repoRoot, f)} (${m})`));
  assert.deepEqual(found, []);
});

test('the markers find the packages in their own code', () => {
  const pkgDir = (name: string) => path.join(repoRoot, 'node_modules', ...name.split('/'), 'dist', 'cjs');
  for (const [pkg, markers] of Object.entries(MARKERS)) {
    const text = filesUnder(pkgDir(pkg)).filter((f) => f.endsWith('.js')).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    // Each string literal marker is in the package's code (its name is in the bundler's path comments).
    for (const m of markers.slice(1)) assert.ok(text.includes(m), `${pkg} code holds ${m}`);
  }
});
