import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { repoRoot } from '../../support/corpus';
import { callScriptFunction } from '../../support/scriptFunction';

const script = path.join(repoRoot, 'scripts', 'coverage-table.mjs');
const readme = () => fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
const mappings = () => JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'conformance', 'mappings.json'), 'utf8'));

test('README: the coverage table is the one mappings.json gives (node scripts/coverage-table.mjs)', () => {
  const run = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const text = readme();
  assert.ok(text.includes('| `EMPTY_SID_VALUE` | [`invalid-sid`](docs/checks/invalid-sid.md) |'));
  assert.ok(text.includes('| `RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL` | [`service-principal-without-source`](docs/checks/service-principal-without-source.md) |'));
  assert.ok(text.includes('| `SCP_SYNTAX_ERROR_PRINCIPAL` | out of scope: service control policies are not a policy kind of the product |'));
});

/** The script's withCoverage(readme, …), run as the ES module it is. */
function withCoverage(readmeText: string, mappingsValue: unknown): string | undefined {
  return callScriptFunction<string>(script, 'withCoverage', [readmeText, mappingsValue]);
}

test('README: a change to mappings.json changes the table, so the check above can fail', () => {
  const changed = mappings();
  const aa = changed.vocabularies['access-analyzer'];
  delete aa.mapped.EMPTY_SID_VALUE;
  aa.outOfScope.EMPTY_SID_VALUE = 'not covered';
  const text = readme();
  assert.equal(withCoverage(text, mappings()), text);
  const next = withCoverage(text, changed)!;
  assert.notEqual(next, text);
  assert.ok(next.includes('| `EMPTY_SID_VALUE` | out of scope: not covered |'));
  assert.equal(withCoverage('# no markers', changed), undefined);
});
