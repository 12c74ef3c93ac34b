import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allCheckMetadata, allChecks } from '../../../server/src/core/checks/registry';
import { repoRoot } from '../../support/corpus';
import { probeStatementLocal } from './statementLocalProbe';

const ids = allCheckMetadata().map((m) => m.id);
const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const settings: Record<string, { enum?: string[]; default?: string }> = pkg.contributes.configuration.properties;

/** The check ids the product design names: every one must be registered. */
const DESIGN_IDS = [
  'json-syntax', 'schema', 'principal-not-allowed', 'principal-missing', 'unknown-service', 'unknown-action',
  'action-wildcard-matches-nothing', 'unknown-condition-operator', 'unknown-condition-key', 'condition-key-not-supported',
  'condition-value-type', 'invalid-arn', 'resource-type-mismatch', 'invalid-principal', 'version-missing', 'version-outdated',
  'duplicate-sid', 'invalid-sid', 'empty-array', 'redundant-action', 'policy-too-large', 'public-key-policy',
  'kms-wildcard-action', 'lockout-risk', 'key-policy-resource-not-star', 'statement-has-no-effect', 'alias-as-key-resource',
  'unique-id-principal', 'allow-with-not-principal', 'root-principal-without-grant', 'external-principal-without-grant',
  'external-account-undescribed', 'root-principal-broader-than-grants', 'iam-grant-without-key-trust',
  'cross-account-action-ineffective', 'iam-grant-exceeds-key-policy',
];

test('every check id of the design is registered, once', () => {
  assert.deepEqual(DESIGN_IDS.filter((id) => !ids.includes(id)), []);
  assert.equal(new Set(ids).size, ids.length, 'duplicate ids in the registry');
});

test('ids are kebab-case and each check module is named after its id', () => {
  for (const id of ids) assert.match(id, /^[a-z]+(-[a-z]+)*$/, id);
  const dir = path.join(repoRoot, 'server', 'src', 'core', 'checks');
  for (const c of allChecks) {
    const file = c.id.replace(/-([a-z])/g, (_m, ch: string) => ch.toUpperCase()) + '.ts';
    assert.ok(fs.existsSync(path.join(dir, file)), `checks/${file} for ${c.id}`);
  }
});

test('every check has a docs page with the sections users rely on, and no page lacks a check', () => {
  const docs = path.join(repoRoot, 'docs', 'checks');
  for (const id of ids) {
    const page = path.join(docs, `${id}.md`);
    assert.ok(fs.existsSync(page), `docs/checks/${id}.md`);
    const text = fs.readFileSync(page, 'utf8');
    assert.ok(text.startsWith(`# ${id}`), `${id}.md starts with its id`);
    for (const section of ['## What it flags', '## Why it matters', '## Example']) assert.ok(text.includes(section), `${id}.md: ${section}`);
  }
  const pages = fs.readdirSync(docs).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3));
  assert.deepEqual(pages.filter((p) => !ids.includes(p)), []);
});

test('every check has its package.json severity setting with the registry default, and no setting lacks a check', () => {
  for (const m of allCheckMetadata()) {
    const s = settings[`policyHandshake.checks.${m.id}`];
    assert.ok(s, `policyHandshake.checks.${m.id}`);
    assert.deepEqual(s.enum, ['off', 'hint', 'info', 'warning', 'error']);
    assert.equal(s.default, m.defaultSeverity, m.id);
  }
  const settingIds = Object.keys(settings).filter((k) => k.startsWith('policyHandshake.checks.')).map((k) => k.slice('policyHandshake.checks.'.length));
  assert.deepEqual(settingIds.filter((id) => !ids.includes(id)), []);
});

test('every check has its test file test/unit/checks/<id>.test.ts, and every test file there is a check\'s or a group\'s', () => {
  const dir = path.join(repoRoot, 'test', 'unit', 'checks');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.test.ts'));
  assert.deepEqual(ids.filter((id) => !files.includes(`${id}.test.ts`)).map((id) => `test/unit/checks/${id}.test.ts`), []);
  // Besides one file a check, one file a group (checks/groups/<group>.ts) may test the group as a whole: <group>-checks.test.ts.
  const groups = fs.readdirSync(path.join(repoRoot, 'server', 'src', 'core', 'checks', 'groups')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
  const known = new Set([...ids.map((id) => `${id}.test.ts`), ...groups.map((g) => `${g}-checks.test.ts`)]);
  assert.deepEqual(files.filter((f) => !known.has(f)), [], 'test files in test/unit/checks named after no check id and no group');
});

/**
 * Document checks that read more than the statement they report on although the sample
 * policies of statementLocalProbe.ts do not show it, with what they read. A check that
 * behaves statement-locally on the samples and is neither declared nor listed here fails
 * the test below, which says so.
 */
const NOT_STATEMENT_LOCAL: Record<string, string> = {
  'action-wildcard-matches-nothing': 'at most 50 service wildcards (*:Get*) are matched per document: the count runs across statements',
};

test('a document check that behaves statement-locally on the samples declares statementLocal, or says here why not', () => {
  const documentChecks = allChecks.filter((c) => (c.scope ?? 'document') === 'document');
  for (const id of Object.keys(NOT_STATEMENT_LOCAL)) {
    const c = documentChecks.find((x) => x.id === id);
    assert.ok(c && !c.statementLocal, `NOT_STATEMENT_LOCAL lists ${id}, which is not an undeclared document check`);
  }
  const could = documentChecks
    .filter((c) => !c.statementLocal && !(c.id in NOT_STATEMENT_LOCAL))
    .filter((c) => { const r = probeStatementLocal(c); return r.behavesLocally && r.findings > 0; })
    .map((c) => c.id);
  assert.deepEqual(could, [], `${could.join(', ')}: reported the same findings run a statement at a time as on the whole document. `
    + 'If what the check reports on a statement depends on that statement alone, declare `statementLocal: true` (and `documentInput` for what it reads '
    + 'of other statements); otherwise add it to NOT_STATEMENT_LOCAL with what it reads. See CONTRIBUTING.md, "Performance declarations".');
});
