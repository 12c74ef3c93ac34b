/**
 * examples/cross-account through the CLI: two accounts, a manifest, a key policy trusting
 * the workloads root, role policies (one granting the key, one not) and an
 * authorization-details export of the workloads account.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../../server/src/cli/main';
import { repoRoot } from '../../support/corpus';

function check(...args: string[]): { code: number; out: string } {
  let out = '';
  const code = runCli(['check', ...args], { stdout: (s) => { out += s; }, stderr: (s) => { out += s; }, cwd: repoRoot });
  return { code, out };
}

test('the example shows the root warning, the broader-than-grants info and the narrowing suggestion', () => {
  const { code, out } = check('examples/cross-account', '--format', 'json');
  assert.equal(code, 0);
  const findings = JSON.parse(out) as { file: string; code: string; range: { start: { line: number; character: number }; end: { line: number; character: number } }; message: string }[];
  assert.deepEqual(findings.map((f) => [f.file, f.code, f.range.start.line, f.range.start.character, f.range.end.character]), [
    ['examples/cross-account/security/keys/app-data.json', 'root-principal-broader-than-grants', 14, 28, 60],
    ['examples/cross-account/security/keys/app-data.json', 'root-principal-without-grant', 27, 28, 60],
  ]);
  assert.match(findings[0].message, /^Trusts all of workloads \(444455556666\), but only 2 of its principals use this key: narrow the principal to them\. They are role\/AppReader \(/);
});

test('an explicit --manifest binds the files the same way', () => {
  const viaFlag = check('examples/cross-account/security', 'examples/cross-account/workloads', '--manifest', 'examples/cross-account/policy-handshake.json', '--format', 'json');
  const codes = (JSON.parse(viaFlag.out) as { code: string }[]).map((f) => f.code);
  assert.deepEqual(codes, ['root-principal-broader-than-grants', 'root-principal-without-grant']);
});

test('examples/organization: an organization-wide key resolves to the member accounts, a kms:ViaService key is usable only through S3', () => {
  const { code, out } = check('examples/organization', '--format', 'json');
  assert.equal(code, 0);
  const findings = JSON.parse(out) as { file: string; code: string; range: { start: { line: number; character: number }; end: { line: number; character: number } }; message: string }[];
  assert.deepEqual(findings.map((f) => [f.file, f.code, f.range.start.line, f.range.start.character, f.range.end.character]), [
    // The partner account is outside the organization: its role's grant has no effect.
    ['examples/organization/partner/roles/auditor/read-org-logs.json', 'iam-grant-without-key-trust', 7, 18, 95],
    ['examples/organization/security/keys/s3-data.json', 'root-principal-broader-than-grants', 14, 28, 60],
  ]);
  assert.match(findings[1].message, /role\/DataWriter \(kms:Decrypt, kms:GenerateDataKey; only through s3\.us-west-2\.amazonaws\.com\)/);
});

// Issue 18, defect 10: a relative "$schema" in an example manifest broke as soon as the example was copied elsewhere.
test('the example manifests carry no $schema: the extension supplies the manifest schema for every policy-handshake.json', () => {
  const manifests: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'policy-handshake.json') manifests.push(path.relative(repoRoot, p));
    }
  };
  walk(path.join(repoRoot, 'examples'));
  assert.ok(manifests.length >= 2, `manifests: ${manifests}`);
  assert.deepEqual(manifests.filter((m) => '$schema' in JSON.parse(fs.readFileSync(path.join(repoRoot, m), 'utf8'))), []);
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { contributes: { jsonValidation: { fileMatch: string | string[]; url: string }[] } };
  const validation = pkg.contributes.jsonValidation.find((v) => [v.fileMatch].flat().includes('policy-handshake.json'));
  // For completion and hover only (test/unit/packaging/manifestSchemaContribution.test.ts): the manifest check validates.
  assert.equal(validation?.url, './schemas/manifest.editor.schema.json');
  assert.ok(fs.existsSync(path.join(repoRoot, validation.url)));
});
