/**
 * The `manifest` check: what the schema rejects, paths that leave the workspace folder,
 * paths and globs that match no file. Ranges are the offending nodes of the manifest.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ACCOUNT_ID } from '../../../server/src/core/model/arn';
import { KEY_ARN, ORGANIZATION_ID, OU_PATH, parseManifest, PRINCIPAL_ARN, REGION } from '../../../server/src/core/workspace/manifest';
import { repoRoot } from '../../support/corpus';
import { expectWorkspace } from '../handshake/workspaceFixture';

const M = '/ws/policy-handshake.json';
const POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}';

test('paths and globs that match no file', () => {
  expectWorkspace({
    [M]: `{
  "keys": [{ "policy": «manifest:"keys/missing.json"», "arn": "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" }],
  "principals": [{ "arn": "arn:aws:iam::444455556666:role/App", "policies": ["b/app/*.json", «manifest:"b/nothing/**/*.json"»] }],
  "templates": [{ "files": [«manifest:"stacks/*.template.json"»], "account": "444455556666", "region": "us-west-2" }]
}`,
    '/ws/b/app/one.json': POLICY,
  });
});

test('paths that reach outside the workspace folder are reported and not used', () => {
  const s = expectWorkspace({
    [M]: `{
  "principals": [{ "arn": "arn:aws:iam::444455556666:role/App", "policies": [«manifest:"../elsewhere/*.json"», «manifest:"/etc/policies/*.json"», "b/**/*.json"] }]
}`,
    '/ws/b/app/one.json': POLICY,
    '/elsewhere/two.json': POLICY,
  });
  assert.equal(s.ws.discovered('/elsewhere/two.json')!.documents[0].owner.principals, undefined);
  assert.deepEqual(s.ws.discovered('/ws/b/app/one.json')!.documents[0].owner.principals, ['arn:aws:iam::444455556666:role/App']);
});

test('schema violations: a bad account id, a bad key ARN, an unknown property', () => {
  const s = expectWorkspace({
    [M]: `{
  "accounts": { «manifest:"1234"»: { "name": "short" } },
  "keys": [{ "policy": "k.json", "arn": «manifest:"arn:aws:kms:us-west-2:111122223333:alias/app"» }],
  «manifest:"keyz"»: []
}`,
    '/ws/k.json': POLICY,
  });
  assert.ok(s.ws.findings(M).every((f) => f.severity === 'error'));
});

test('an unmatched path is a warning; severities follow the settings', () => {
  const s = expectWorkspace({ [M]: '{ "principals": [{ "arn": "arn:aws:iam::444455556666:role/App", "policies": [«manifest:"none/*.json"»] }] }' });
  assert.equal(s.ws.findings(M)[0].severity, 'warning');
  s.ws.setOptions({ severities: { manifest: 'off' } });
  assert.deepEqual(s.ws.findings(M), []);
});

test('parsing: accounts, keys, principals and template contexts', () => {
  const m = parseManifest('/ws/policy-handshake.json', JSON.stringify({
    accounts: { '111122223333': { name: 'security' } },
    keys: [{ policy: './keys/k.json', arn: 'arn:aws:kms:us-west-2:111122223333:key/abc' }],
    principals: [{ arn: 'arn:aws:iam::444455556666:role/App', policies: ['b/*.json'] }],
    templates: [{ files: 'cfn/*.json', account: '444455556666', region: 'cn-north-1', parameters: { Env: 'prod', Count: 3 } }],
  }));
  assert.equal(m.root, '/ws');
  assert.equal(m.accounts.get('111122223333')!.name, 'security');
  assert.equal(m.keys[0].policy.text, 'keys/k.json');
  assert.equal(m.principals[0].account, '444455556666');
  const { parameters, ...context } = m.templates[0].context;
  assert.deepEqual(context, { account: '444455556666', region: 'cn-north-1', partition: 'aws-cn' });
  assert.deepEqual({ ...parameters }, { Env: 'prod', Count: '3' });
  assert.deepEqual(m.problems, []);
});

test('parsing: the organization with its OU paths, and trustedAccounts', () => {
  const m = parseManifest('/ws/policy-handshake.json', JSON.stringify({
    organization: { id: 'o-a1b2c3d4e5', accounts: { '111122223333': 'o-a1b2c3d4e5/r-ab12/', '444455556666': 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/' } },
    trustedAccounts: ['777788889999'],
  }));
  assert.deepEqual(m.problems, []);
  assert.equal(m.organization!.id, 'o-a1b2c3d4e5');
  assert.deepEqual([...m.organization!.accounts], [['111122223333', 'o-a1b2c3d4e5/r-ab12/'], ['444455556666', 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/']]);
  assert.deepEqual([...m.trustedAccounts!], ['777788889999']);
  assert.equal(parseManifest('/ws/policy-handshake.json', '{}').trustedAccounts, undefined);
});

test('bad organization and trustedAccounts values: id shape, OU paths of another organization or without the slash, account ids', () => {
  const s = expectWorkspace({
    [M]: `{
  "organization": { "id": "o-a1b2c3d4e5", "accounts": {
    "111122223333": «manifest:"o-zzzzzzzzzz/r-ab12/"»,
    "444455556666": «manifest:"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111"»,
    «manifest:"4444"»: "o-a1b2c3d4e5/r-ab12/",
    "777788889999": "o-a1b2c3d4e5/r-ab12/ou-ab12-22222222/"
  } },
  "trustedAccounts": ["123456789012", «manifest:"12345"», «manifest:123456789012»]
}`,
  });
  const messages = s.ws.findings(M).map((f) => f.message);
  assert.ok(messages.includes('organization.accounts.111122223333 is an OU path of another organization: start it with o-a1b2c3d4e5/. It is not used until then: the account\'s OU path is unknown.'), messages.join(' | '));
  const m = s.ws.manifest(M)!;
  assert.deepEqual([...m.organization!.accounts.keys()], ['777788889999']);
  assert.deepEqual([...m.trustedAccounts!], ['123456789012']);
  expectWorkspace({ [M]: '{ "organization": { "id": «manifest:"a1b2c3d4e5"» } }' });
});

test('the reader applies the schema\'s own patterns: what the schema flags binds nothing', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'schemas', 'manifest.schema.json'), 'utf8'));
  const entry = (name: string) => schema.properties[name].items.properties;
  const source = (pattern: string) => new RegExp(pattern).source;
  assert.equal(REGION.source, source(entry('templates').region.pattern));
  assert.equal(ACCOUNT_ID.source.replace('\\d', '[0-9]'), source(entry('templates').account.pattern));
  assert.equal(ACCOUNT_ID.source.replace('\\d', '[0-9]'), source(schema.properties.accounts.propertyNames.pattern));
  assert.equal(ACCOUNT_ID.source.replace('\\d', '[0-9]'), source(schema.properties.trustedAccounts.items.pattern));
  assert.equal(KEY_ARN.source, source(entry('keys').arn.pattern));
  assert.equal(PRINCIPAL_ARN.source, source(entry('principals').arn.pattern));
  assert.equal(ORGANIZATION_ID.source, source(schema.properties.organization.properties.id.pattern));
  assert.equal(OU_PATH.source, source(schema.properties.organization.properties.accounts.additionalProperties.pattern));
});
