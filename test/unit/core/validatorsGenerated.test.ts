/**
 * The schema validators are compiled at build time (scripts/compile-schemas.mjs). The
 * committed module must be what the schemas give, and the generated validators must judge
 * like ajv compiling the schemas at run time.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv';
import { manifestValidator, policyValidator, statementValidator } from '../../../server/src/core/schema/policySchemas';
import type { PolicyKind } from '../../../server/src/core/model/policyDocument';
import { repoRoot } from '../../support/corpus';

const KINDS: [PolicyKind, string][] = [
  ['kms-key-policy', 'key-policy.schema.json'],
  ['iam-identity-policy', 'identity-policy.schema.json'],
  ['iam-trust-policy', 'trust-policy.schema.json'],
  ['unknown', 'policy-common.schema.json'],
];
const BASE = 'https://raw.githubusercontent.com/policy-handshake/policy-handshake/main/schemas/';

test('the committed validators module is what the schemas give', () => {
  // The build script is an ES module: asked in a child process (this test is CommonJS).
  const script = pathToFileURL(path.join(repoRoot, 'scripts', 'compile-schemas.mjs')).href;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', `import { validatorsSource, GENERATED_PATH } from ${JSON.stringify(script)}; process.stdout.write(JSON.stringify({ path: GENERATED_PATH, text: validatorsSource(${JSON.stringify(repoRoot)}) }));`], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 });
  const fresh = JSON.parse(String(out)) as { path: string; text: string };
  const committed = fs.readFileSync(path.join(repoRoot, fresh.path), 'utf8');
  assert.ok(committed === fresh.text, `${fresh.path} is out of date: run node scripts/compile-schemas.mjs`);
});

test('generated validators give the errors ajv gives when it compiles the schemas at run time', () => {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictTypes: false, strictRequired: false, logger: false });
  ajv.addVocabulary(['errorMessage', 'patternErrorMessage', 'markdownDescription', 'defaultSnippets']);
  for (const f of fs.readdirSync(path.join(repoRoot, 'schemas'))) ajv.addSchema(JSON.parse(fs.readFileSync(path.join(repoRoot, 'schemas', f), 'utf8')));
  const samples: unknown[] = [
    { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }] },
    { Version: '2012-10-18', Statement: [{ Effect: 'allow', Action: 5, Resource: [], Extra: true }] },
    { Statement: { Sid: 'bad sid!', Effect: 'Deny', NotAction: ['s3:*'], Condition: { StringEquals: 'x' } } },
    { Version: '2008-10-17', Id: 7, Statement: [] },
    [],
    'text',
  ];
  const errors = (v: { errors?: unknown }) => JSON.stringify(v.errors ?? null);
  let invalid = 0;
  for (const [kind, file] of KINDS) {
    const runtime = ajv.getSchema(BASE + file)!;
    const runtimeStatement = ajv.getSchema(`${BASE}${file}#/definitions/statement`)!;
    for (const sample of samples) {
      const gen = policyValidator(kind);
      assert.equal(gen(sample), runtime(sample), `${kind}: ${JSON.stringify(sample)}`);
      assert.equal(errors(gen), errors(runtime), `${kind} errors: ${JSON.stringify(sample)}`);
      if (gen.errors) invalid++;
      const statement = Array.isArray((sample as { Statement?: unknown })?.Statement) ? (sample as { Statement: unknown[] }).Statement[0] : undefined;
      if (statement !== undefined) {
        const genStatement = statementValidator(kind);
        assert.equal(genStatement(statement), runtimeStatement(statement));
        assert.equal(errors(genStatement), errors(runtimeStatement));
      }
    }
  }
  assert.ok(invalid > 0, 'some samples are invalid');
  const runtimeManifest = ajv.getSchema(BASE + 'manifest.schema.json')!;
  for (const m of [{ accounts: { '111122223333': { name: 'security' } } }, { accounts: { x: 1 }, keys: 'no' }, {}]) {
    assert.equal(manifestValidator()(m), runtimeManifest(m));
    assert.equal(errors(manifestValidator()), errors(runtimeManifest));
  }
});
