import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allCheckMetadata, allChecks } from '../../../server/src/core/checks/registry';
import { repoRoot } from '../../support/corpus';

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
