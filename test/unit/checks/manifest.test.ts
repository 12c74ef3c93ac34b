/**
 * `manifest`: problems of policy-handshake.json, reported by the workspace on the manifest
 * itself (messages, severities, fixes). test/unit/workspace/manifest.test.ts covers parsing
 * and more path forms.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyEdits } from '../../support/fixture';
import { buildWorkspace, expectWorkspace } from '../handshake/workspaceFixture';

const M = '/ws/policy-handshake.json';
const POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}';
const only = ['manifest'];
const messages = (s: ReturnType<typeof buildWorkspace>) => s.ws.findings(M).filter((f) => f.checkId === 'manifest').map((f) => [f.severity, f.message]);

test('manifest: a well-formed manifest whose paths all match gives nothing', () => {
  expectWorkspace({
    [M]: `{
  "accounts": { "444455556666": { "name": "workloads" } },
  "principals": [{ "arn": "arn:aws:iam::444455556666:role/App", "policies": ["b/app/*.json"] }]
}`,
    '/ws/b/app/one.json': POLICY,
  }, { only });
});

test('manifest: a bad account id and an unknown top-level property, with the rename fix', () => {
  const s = expectWorkspace({
    [M]: `{
  "accounts": { «manifest:"1234"»: { "name": "short" } },
  «manifest:"keyz"»: []
}`,
  }, { only });
  assert.deepEqual(messages(s), [
    ['error', '"1234" is not an account id (12 digits).'],
    ['error', 'Unknown top-level element "keyz": did you mean "keys"?'],
  ]);
  const rename = s.ws.findings(M)[1].fixes!;
  assert.deepEqual(rename.map((f) => [f.id, f.title]), [['rename-element', 'Change to "keys"']]);
  const fixed = applyEdits(s.ws.text(M)!, rename[0].changes[0].edits);
  assert.deepEqual(Object.keys(JSON.parse(fixed)), ['accounts', 'keys']);
  s.ws.updateFile(M, fixed);
  assert.deepEqual(messages(s), [['error', '"1234" is not an account id (12 digits).']]);
});

test('manifest: an account\'s complete takes "role" and "user"', () => {
  expectWorkspace({ [M]: `{ "accounts": { "444455556666": { "name": "workloads", "complete": ["role", "user"] } } }` }, { only });
  const s = expectWorkspace({ [M]: `{ "accounts": { "444455556666": { "name": "workloads", "complete": [«manifest:"roles"»] } } }` }, { only });
  assert.deepEqual(messages(s).map(([severity]) => severity), ['error']);
});

test('manifest: a path outside the folder is an error, a path matching nothing a warning', () => {
  const s = expectWorkspace({
    [M]: `{
  "principals": [{ "arn": "arn:aws:iam::444455556666:role/App", "policies": [«manifest:"../x/*.json"», «manifest:"none/*.json"», "b/*.json"] }]
}`,
    '/ws/b/one.json': POLICY,
  }, { only });
  assert.deepEqual(messages(s), [
    ['error', '"../x/*.json" reaches outside the manifest\'s folder (..): a manifest governs its folder and below, and its paths stay inside it.'],
    ['warning', 'The policy path "none/*.json" matches no file in /ws.'],
  ]);
});

test('manifest: a path that matches nothing stops being reported when the file appears', () => {
  const s = expectWorkspace({
    [M]: '{ "keys": [{ "policy": «manifest:"keys/k.json"», "arn": "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" }] }',
  }, { only });
  assert.deepEqual(messages(s), [['warning', 'The key policy path "keys/k.json" matches no file in /ws.']]);
  s.ws.updateFile('/ws/keys/k.json', '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}');
  assert.deepEqual(messages(s), []);
});

test('manifest: the setting changes the severity or turns it off', () => {
  const s = buildWorkspace({ [M]: '{ "principals": [{ "arn": "arn:aws:iam::444455556666:role/App", "policies": ["none/*.json"] }] }' });
  s.ws.setOptions({ severities: { manifest: 'error' } });
  assert.deepEqual(messages(s).map((m) => m[0]), ['error']);
  s.ws.setOptions({ severities: { manifest: 'off' } });
  assert.deepEqual(messages(s), []);
});

test('manifest: an unclosed manifest is one json-syntax finding at the end, not one per unclosed bracket', () => {
  const s = buildWorkspace({ [M]: '{"accounts": {\n', '/ws/a.json': POLICY });
  assert.deepEqual(s.ws.findings(M).map((f) => [f.checkId, f.span.offset, f.message]), [['json-syntax', 15, 'Closing brace expected.']]);
});

test('manifest: a path whose .. stays inside the folder binds the file; one that climbs out, or follows **, is an error', () => {
  const s = expectWorkspace({
    [M]: `{
  "principals": [{ "arn": "arn:aws:iam::444455556666:role/App", "policies": ["b/../b/one.json", «manifest:"b/../../x.json"», «manifest:"**/../x.json"»] }]
}`,
    '/ws/b/one.json': POLICY,
  }, { only });
  assert.deepEqual(messages(s), [
    ['error', '"b/../../x.json" reaches outside the manifest\'s folder (..): a manifest governs its folder and below, and its paths stay inside it.'],
    ['error', '"**/../x.json" reaches outside the manifest\'s folder (..): a manifest governs its folder and below, and its paths stay inside it.'],
  ]);
  // "b/../b/one.json" matched the file: no "matches no file" warning for it above.
});

test('manifest: a path into a folder the reading skips (out, dist, node_modules…) says why it matches nothing', () => {
  const s = expectWorkspace({
    [M]: '{ "principals": [{ "arn": "arn:aws:iam::444455556666:role/App", "policies": [«manifest:"out/*.json"»] }] }',
  }, { only });
  assert.deepEqual(messages(s), [['warning', 'The policy path "out/*.json" matches no file in /ws. Files under a folder named out are not read (node_modules, .git, .hg, .svn, out, dist, .vscode-test are skipped): keep policy files elsewhere.']]);
});

/** A role's identity policy that grants the key of the manifests below. */
const GRANT = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}';
const ownerOf = (s: ReturnType<typeof buildWorkspace>, file: string) => s.ws.discovered(file)!.documents[0].owner.principals;

test('manifest: policies written as one string is flagged, binds no file, and the fix puts it in a list', () => {
  const s = expectWorkspace({
    [M]: `{
  "accounts": { "444455556666": { "name": "workloads" } },
  "principals": [
    { "arn": "arn:aws:iam::444455556666:role/AppReader", "policies": «manifest:"roles/app-reader.json"» }
  ]
}`,
    '/ws/roles/app-reader.json': GRANT,
  }, { only });
  // What the finding says: the file is read alone, bound to no principal.
  assert.equal(ownerOf(s, '/ws/roles/app-reader.json'), undefined);
  assert.deepEqual(messages(s), [
    ['error', 'principals[0].policies is a string, not a list: put it in brackets. It binds no file to the principal until then.'],
  ]);
  const fixes = s.ws.findings(M)[0].fixes!;
  assert.deepEqual(fixes.map((f) => [f.id, f.title, f.isPreferred]), [['fix-value', 'Put the path in a list', true]]);
  const fixed = applyEdits(s.ws.text(M)!, fixes[0].changes[0].edits);
  assert.equal(fixed.split('\n')[3], '    { "arn": "arn:aws:iam::444455556666:role/AppReader", "policies": ["roles/app-reader.json"] }');
  s.ws.updateFile(M, fixed);
  assert.deepEqual(messages(s), []);
  assert.deepEqual(ownerOf(s, '/ws/roles/app-reader.json'), ['arn:aws:iam::444455556666:role/AppReader']);
});

test('manifest: policies given as an object or a number is flagged and binds nothing', () => {
  for (const value of ['{ "path": "roles/app-reader.json" }', '42']) {
    const s = expectWorkspace({
      [M]: `{ "principals": [{ "arn": "arn:aws:iam::444455556666:role/AppReader", "policies": «manifest:${value}» }] }`,
      '/ws/roles/app-reader.json': GRANT,
    }, { only });
    assert.deepEqual(messages(s), [['error', 'principals[0].policies is not valid: it must be an array of paths or globs.']]);
    assert.equal(ownerOf(s, '/ws/roles/app-reader.json'), undefined);
  }
});
