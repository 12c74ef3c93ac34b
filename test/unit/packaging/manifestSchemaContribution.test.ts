/**
 * The schema the extension contributes to VS Code for `policy-handshake.json` (package.json
 * `jsonValidation`). VS Code's JSON language features validate every file against the schema
 * they are given: with the manifest's own schema, each problem was reported twice, once by VS
 * Code ("must be a Region name such as us-west-2 …") and once by the `manifest` check beside it.
 * The contributed schema keeps what VS Code completes and shows on hover (descriptions, snippets,
 * the values of `complete`) and validates nothing: the `manifest` check reports each problem once.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv';
import { repoRoot } from '../../support/corpus';
import { buildWorkspace } from '../handshake/workspaceFixture';

interface Contribution { fileMatch: string | string[]; url: string }
type Schema = Record<string, unknown>;

const readJson = (rel: string) => JSON.parse(fs.readFileSync(path.join(repoRoot, rel), 'utf8')) as Schema;

/** The schema package.json contributes for policy-handshake.json, as VS Code reads it. */
function contributed(): { url: string; schema: Schema } {
  const pkg = readJson('package.json') as { contributes: { jsonValidation: Contribution[] } };
  const matching = pkg.contributes.jsonValidation.filter((v) => [v.fileMatch].flat().includes('policy-handshake.json'));
  assert.equal(matching.length, 1);
  return { url: matching[0].url, schema: readJson(matching[0].url) };
}

/** A JSON Schema validator as strict as VS Code's about the keywords it knows, told of VS Code's annotations. */
function validatorOf(schema: Schema) {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, logger: false });
  ajv.addVocabulary(['errorMessage', 'patternErrorMessage', 'markdownDescription', 'defaultSnippets']);
  return ajv.compile(schema);
}

const ARN = 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
/** Manifests with one error each, as people write them. */
const ONE_ERROR: [string, string][] = [
  ['a Region in upper case', `{ "templates": [{ "files": "stacks/*.json", "account": "444455556666", "region": "US-WEST-2" }] }`],
  ['an unknown property in a key entry', `{ "keys": [{ "policy": "keys/app-data.json", "arn": "${ARN}", "region": "us-west-2" }] }`],
  ['a key entry without its ARN', '{ "keys": [{ "policy": "keys/app-data.json" }] }'],
  ['policies written as one string', '{ "principals": [{ "arn": "arn:aws:iam::444455556666:role/App", "policies": "roles/app.json" }] }'],
  ['an account id with separators', '{ "accounts": { "4444-5555-6666": { "name": "workloads" } } }'],
  ['a kind of complete misspelt', '{ "accounts": { "444455556666": { "name": "workloads", "complete": ["roles"] } } }'],
];

/** The files the manifests name. */
const FILES = {
  '/ws/keys/app-data.json': `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}`,
  '/ws/roles/app.json': `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${ARN}"}]}`,
  '/ws/stacks/app.json': '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}',
};

test('package.json contributes the editor schema of the manifest, which validates nothing: one finding per problem', () => {
  const { url, schema } = contributed();
  assert.equal(url, './schemas/manifest.editor.schema.json');
  const vscodeValidates = validatorOf(schema);
  for (const [what, text] of ONE_ERROR) {
    const s = buildWorkspace({ '/ws/policy-handshake.json': text, ...FILES });
    const own = s.ws.findings('/ws/policy-handshake.json').filter((f) => f.checkId === 'manifest');
    assert.equal(own.length, 1, `${what}: ${own.map((f) => f.message).join(' | ')}`);
    assert.equal(vscodeValidates(JSON.parse(text)), true, `${what}: ${JSON.stringify(vscodeValidates.errors)}`);
  }
  // The manifest's own schema, which the product validates with, rejects each of them.
  const full = validatorOf(readJson('schemas/manifest.schema.json'));
  assert.deepEqual(ONE_ERROR.filter(([, text]) => full(JSON.parse(text))).map(([what]) => what), []);
});

test('the editor schema keeps the descriptions, snippets and values VS Code completes and shows on hover', () => {
  const { schema } = contributed();
  const full = readJson('schemas/manifest.schema.json');
  const accounts = (s: Schema) => (s.properties as Record<string, Schema>).accounts;
  const keyEntry = (s: Schema) => ((s.properties as Record<string, Schema>).keys.items as Schema).properties as Record<string, Schema>;
  assert.equal(schema.description, full.description);
  assert.deepEqual(Object.keys(schema.properties as Schema), Object.keys(full.properties as Schema));
  assert.equal(keyEntry(schema).arn.description, keyEntry(full).arn.description);
  assert.deepEqual(accounts(schema).defaultSnippets, [{ label: 'account', body: { '${1:111122223333}': { name: '${2:name}' } } }]);
  const complete = ((accounts(schema).additionalProperties as Schema).properties as Record<string, Schema>).complete;
  assert.deepEqual((complete.items as Schema).examples, ['role', 'user']);
  // A value's skeleton, which VS Code took from its type: a list of key entries, a string.
  assert.deepEqual((schema.properties as Record<string, Schema>).keys.defaultSnippets, [{ bodyText: '[$1]' }]);
  assert.deepEqual(keyEntry(schema).arn.defaultSnippets, [{ bodyText: '"$1"' }]);
  const kept = JSON.stringify(schema);
  for (const keyword of ['"type"', '"pattern"', '"required"', '"enum"', '"propertyNames"', '"uniqueItems"', '"errorMessage"', '"patternErrorMessage"', 'false']) {
    assert.ok(!kept.includes(keyword), `${keyword} is left in the editor schema`);
  }
});

test('the committed editor schema is what scripts/compile-schemas.mjs derives from the manifest schema', () => {
  const script = pathToFileURL(path.join(repoRoot, 'scripts', 'compile-schemas.mjs')).href;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', `import { editorSchemaSource, EDITOR_SCHEMA_PATH } from ${JSON.stringify(script)}; process.stdout.write(JSON.stringify({ path: EDITOR_SCHEMA_PATH, text: editorSchemaSource(${JSON.stringify(repoRoot)}) }));`], { cwd: repoRoot });
  const fresh = JSON.parse(String(out)) as { path: string; text: string };
  assert.equal(fresh.path, 'schemas/manifest.editor.schema.json');
  assert.ok(fs.readFileSync(path.join(repoRoot, fresh.path), 'utf8') === fresh.text, `${fresh.path} is out of date: run node scripts/compile-schemas.mjs`);
});
