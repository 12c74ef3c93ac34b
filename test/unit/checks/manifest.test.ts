/**
 * `manifest`: problems of policy-handshake.json, reported by the workspace on the manifest
 * itself (messages, severities, fixes). test/unit/workspace/manifest.test.ts covers parsing
 * and more path forms.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyEdits } from '../../support/fixture';
import { buildWorkspace, expectWorkspace } from '../handshake/workspaceFixture';
import { manifestSummary } from '../../../server/src/core/workspace/manifestFindings';

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
    ['error', '"1234" is not an account id: write the account\'s 12 digits. This entry is not used until then: its name applies to no account.'],
    ['error', 'The manifest has an unknown property "keyz": change it to "keys". It is ignored.'],
  ]);
  const rename = s.ws.findings(M)[1].fixes!;
  assert.deepEqual(rename.map((f) => [f.id, f.title]), [['rename-element', 'Change to "keys"'], ['remove-element', 'Remove "keyz"']]);
  const fixed = applyEdits(s.ws.text(M)!, rename[0].changes[0].edits);
  assert.deepEqual(Object.keys(JSON.parse(fixed)), ['accounts', 'keys']);
  s.ws.updateFile(M, fixed);
  assert.deepEqual(messages(s), [['error', '"1234" is not an account id: write the account\'s 12 digits. This entry is not used until then: its name applies to no account.']]);
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
    assert.deepEqual(messages(s), [['error', 'principals[0].policies is not valid: it must be an array of paths or globs. It binds no file to the principal until then.']]);
    assert.equal(ownerOf(s, '/ws/roles/app-reader.json'), undefined);
  }
});

const KEY_POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}';
const relatedOf = (s: ReturnType<typeof buildWorkspace>) => s.ws.findings(M).filter((f) => f.checkId === 'manifest')
  .map((f) => (f.related ?? []).map((r) => [r.file, s.ws.text(M)!.slice(r.span.offset, r.span.offset + r.span.length), r.message]));

test('manifest: a key given twice in one object is reported at the later key; the last is the one used, as JSON parsers read it', () => {
  const s = expectWorkspace({
    [M]: `{
  "accounts": {
    "111122223333": { "name": "security" },
    "444455556666": { "name": "workloads" },
    «manifest:"444455556666"»: { "name": "analytics" }
  },
  "keys": [{ "policy": "keys/app-data.json", "arn": "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" }],
  "principals": [{ "arn": "arn:aws:iam::444455556666:role/AppReader", "policies": ["roles/app-reader/*.json"] }],
  «manifest:"principals"»: [
    { "arn": "arn:aws:iam::444455556666:role/DataPipeline", "policies": ["roles/pipeline/*.json"], «manifest:"policies"»: ["roles/pipeline/v2/*.json"] }
  ]
}`,
    '/ws/keys/app-data.json': KEY_POLICY,
    '/ws/roles/app-reader/use-key.json': GRANT,
    '/ws/roles/pipeline/use-key.json': GRANT,
    '/ws/roles/pipeline/v2/use-key.json': GRANT,
  }, { only });
  assert.deepEqual(messages(s), [
    ['error', '"444455556666" is given twice in accounts: merge them into one. This later one is used (JSON keeps the last); the first is ignored.'],
    ['error', '"principals" is given twice in the manifest: merge them into one. This later one is used (JSON keeps the last); the first is ignored.'],
    ['error', '"policies" is given twice in principals[0]: merge them into one. This later one is used (JSON keeps the last); the first is ignored.'],
  ]);
  assert.deepEqual(relatedOf(s), [
    [[M, '"444455556666"', 'The first "444455556666", ignored']],
    [[M, '"principals"', 'The first "principals", ignored']],
    [[M, '"policies"', 'The first "policies", ignored']],
  ]);
  // What the findings say is what the product reads: the last of each.
  const m = s.ws.manifest(M)!;
  assert.equal(m.accounts.get('444455556666')!.name, 'analytics');
  assert.deepEqual(m.principals.map((p) => [p.arn, p.policies.map((x) => x.text)]), [['arn:aws:iam::444455556666:role/DataPipeline', ['roles/pipeline/v2/*.json']]]);
  assert.equal(ownerOf(s, '/ws/roles/app-reader/use-key.json'), undefined);
  assert.equal(ownerOf(s, '/ws/roles/pipeline/use-key.json'), undefined);
  assert.deepEqual(ownerOf(s, '/ws/roles/pipeline/v2/use-key.json'), ['arn:aws:iam::444455556666:role/DataPipeline']);
});

test('manifest: the fix removes the ignored key; a scalar given twice is to keep once; three times, each later key is reported', () => {
  const s = expectWorkspace({
    [M]: `{
  "templates": [
    { "files": "stacks/*.json", "account": "444455556666", «manifest:"account"»: "777788889999", "region": "us-west-2" }
  ],
  "trustedAccounts": [],
  «manifest:"trustedAccounts"»: [],
  «manifest:"trustedAccounts"»: ["777788889999"]
}`,
    '/ws/stacks/app.json': '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}',
  }, { only });
  assert.deepEqual(messages(s), [
    ['error', '"account" is given twice in templates[0]: keep one. This later one is used (JSON keeps the last); the first is ignored.'],
    ['error', '"trustedAccounts" is given 3 times in the manifest: merge them into one. This one is ignored: the last one is used (JSON keeps the last).'],
    ['error', '"trustedAccounts" is given 3 times in the manifest: merge them into one. This last one is used (JSON keeps the last); the others are ignored.'],
  ]);
  const m = s.ws.manifest(M)!;
  assert.equal(m.templates[0].context.account, '777788889999');
  assert.deepEqual([...m.trustedAccounts!], ['777788889999']);
  const fix = s.ws.findings(M)[0].fixes!;
  assert.deepEqual(fix.map((f) => [f.id, f.title, f.isPreferred]), [['remove-element', 'Remove the first "account" (ignored)', undefined]]);
  const fixed = applyEdits(s.ws.text(M)!, fix[0].changes[0].edits);
  assert.equal(fixed.split('\n')[2], '    { "files": "stacks/*.json", "account": "777788889999", "region": "us-west-2" }');
  s.ws.updateFile(M, fixed);
  assert.deepEqual(s.ws.manifest(M)!.templates[0].context.account, '777788889999');
  assert.equal(messages(s).length, 2);
});

test('manifest: duplicate keys in a manifest with a syntax error are reported; an unknown element given twice gets both findings', () => {
  const s = expectWorkspace({
    [M]: `{
  "accounts": { "444455556666": { "name": "workloads" }, «manifest:"444455556666"»: { "name": "workloads" } }
  «json-syntax:"keyz"»: [],
  «manifest:«manifest:"keyz"»»: []
}`,
  }, { only: ['manifest', 'json-syntax'] });
  // The unknown element and the duplicate are both said on the last "keyz", the one read.
  assert.deepEqual(messages(s).map(([, message]) => message.slice(0, 40)), [
    '"444455556666" is given twice in account',
    '"keyz" is given twice in the manifest: m',
    'The manifest has an unknown property "ke',
  ]);
});

test('manifest: the duplicate-key messages lead with one short sentence, a long key name cut in it', () => {
  const long = `ParameterWithAVeryLongName${'X'.repeat(60)}`;
  const s = buildWorkspace({
    [M]: `{ "templates": [{ "files": "a.json", "account": "444455556666", "region": "us-west-2", "parameters": { "${long}": "a", "${long}": "b", "${long}": "c" } }] }`,
  });
  const found = s.ws.findings(M).filter((f) => f.message.includes('is given'));
  assert.equal(found.length, 2);
  for (const f of found) {
    // The Problems panel's one line: what is wrong, a colon, what to do (as test/unit/handshake/messages.test.ts asks).
    const lead = /^.*?[.?](?= |$)/.exec(f.message)![0];
    assert.ok(lead.length <= 120, `${lead.length}: ${lead}`);
    assert.match(lead, /\S: [a-z][^]*[.?]$/);
  }
  assert.equal(found[0].message, `"${long.slice(0, 39)}…" is given 3 times in templates[0].parameters: keep one. This one is ignored: the last one is used (JSON keeps the last).`);
  assert.equal(s.ws.text(M)!.slice(found[0].span.offset, found[0].span.offset + found[0].span.length), `"${long}"`);
});

/*
 * What the manifest check flags is not used: a value the schema rejects binds nothing (the
 * Region, the account, the parameter stays unknown; the entry binds no file), and the finding
 * says so.
 */

/** The findings on the manifest by their place in it: severity and message. */
const inOrder = (s: ReturnType<typeof buildWorkspace>) => s.ws.findings(M).filter((f) => f.checkId === 'manifest')
  .sort((a, b) => a.span.offset - b.span.offset).map((f) => [f.severity, f.message]);
const fixesOf = (s: ReturnType<typeof buildWorkspace>) => s.ws.findings(M).filter((f) => f.checkId === 'manifest')
  .sort((a, b) => a.span.offset - b.span.offset).map((f) => (f.fixes ?? []).map((x) => [x.id, x.title, x.isPreferred]));

/** The Problems panel's one line: what is wrong, a colon, what to do (as test/unit/handshake/messages.test.ts asks). */
function assertLeads(s: ReturnType<typeof buildWorkspace>): void {
  for (const f of s.ws.findings(M)) {
    const lead = /^.*?[.?](?= |$)/.exec(f.message)![0];
    assert.ok(lead.length <= 120, `${lead.length}: ${lead}`);
    assert.match(lead, /\S: [a-z][^]*[.?]$/);
  }
}

/** A stack whose role builds the key's ARN and a kms:ViaService value from the template's Region. */
const REGION_STACK = `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": { "Role": { "Type": "AWS::IAM::Role", "Properties": {
    "AssumeRolePolicyDocument": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Principal": { "Service": "lambda.amazonaws.com" }, "Action": "sts:AssumeRole" }] },
    "Policies": [{ "PolicyName": "use-key", "PolicyDocument": { "Version": "2012-10-17", "Statement": [{
      "Effect": "Allow", "Action": "kms:Decrypt",
      "Resource": { "Fn::Sub": "arn:\${AWS::Partition}:kms:\${AWS::Region}:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
      "Condition": { "StringEquals": { "kms:ViaService": { "Fn::Sub": "s3.\${AWS::Region}.amazonaws.com" } } }
    }] } }]
  } } }
}`;
/** Checks that speak of what the stack's values resolve to. */
const resolved = ['manifest', 'invalid-arn', 'condition-value-type'];
const NO_REGION = 'It is not used until then: the entry gives its files no Region (AWS::Region).';
const stackOwner = (s: ReturnType<typeof buildWorkspace>) => s.ws.discovered('/ws/stacks/app.json')!.documents[0].owner;

test('manifest: a template Region that is not a Region name is flagged and not used; the fix changes its case', () => {
  for (const [written, right] of [['US-WEST-2', 'us-west-2'], [' us-west-2 ', 'us-west-2'], ['Eu_Central_1', 'eu-central-1']]) {
    const s = expectWorkspace({
      [M]: `{ "templates": [{ "files": "stacks/*.json", "account": "444455556666", "region": «manifest:${JSON.stringify(written)}» }] }`,
      // Not built with it: no "arn:aws:kms:US-WEST-2:…" (invalid-arn), no "s3.US-WEST-2.amazonaws.com" (condition-value-type).
      '/ws/stacks/app.json': REGION_STACK,
    }, { only: resolved });
    assert.deepEqual(inOrder(s), [['error', `templates[0].region ${JSON.stringify(written)} is not a Region name: change it to "${right}". ${NO_REGION}`]]);
    assertLeads(s);
    const context = s.ws.manifest(M)!.templates[0].context;
    assert.equal(context.region, undefined);
    assert.equal(context.partition, undefined);
    assert.equal(context.account, '444455556666');
    assert.equal(stackOwner(s).region, undefined);
    assert.deepEqual(fixesOf(s), [[['fix-value', `Change to "${right}"`, true]]]);
    s.ws.updateFile(M, applyEdits(s.ws.text(M)!, s.ws.findings(M)[0].fixes![0].changes[0].edits));
    assert.deepEqual(inOrder(s), []);
    assert.equal(s.ws.manifest(M)!.templates[0].context.region, right);
    assert.equal(stackOwner(s).region, right);
  }
});

test('manifest: a template Region with no obvious fix, or not a string, is flagged and not used', () => {
  for (const [written, message] of [
    ['"us-west"', `templates[0].region "us-west" is not a Region name: write one such as us-west-2. ${NO_REGION}`],
    ['"eu-central"', `templates[0].region "eu-central" is not a Region name: write one such as us-west-2. ${NO_REGION}`],
    ['2', `templates[0].region is a number, not a string: write a Region name such as "us-west-2". ${NO_REGION}`],
    ['["us-west-2"]', `templates[0].region is a list, not a string: write a Region name such as "us-west-2". ${NO_REGION}`],
  ]) {
    const s = expectWorkspace({
      [M]: `{ "templates": [{ "files": "stacks/*.json", "account": "444455556666", "region": «manifest:${written}» }] }`,
      '/ws/stacks/app.json': REGION_STACK,
    }, { only: resolved });
    assert.deepEqual(inOrder(s), [['error', message]]);
    assert.deepEqual(fixesOf(s), [[]]);
    assertLeads(s);
    assert.equal(s.ws.manifest(M)!.templates[0].context.region, undefined);
    assert.equal(stackOwner(s).region, undefined);
  }
});

/** A stack whose role's kms:ViaService value is the parameter Services. */
const PARAMETER_STACK = `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Parameters": { "Services": { "Type": "CommaDelimitedList" } },
  "Resources": { "Role": { "Type": "AWS::IAM::Role", "Properties": {
    "AssumeRolePolicyDocument": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Principal": { "Service": "lambda.amazonaws.com" }, "Action": "sts:AssumeRole" }] },
    "Policies": [{ "PolicyName": "use-key", "PolicyDocument": { "Version": "2012-10-17", "Statement": [{
      "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      "Condition": { "StringEquals": { "kms:ViaService": { "Fn::Sub": "\${Services}" } } }
    }] } }]
  } } }
}`;

test('manifest: a parameter list with an item that is not a string, or a value of another type, is flagged and not used', () => {
  const s = expectWorkspace({
    [M]: `{ "templates": [{ "files": "stacks/*.json", "account": "444455556666", "region": "us-west-2", "parameters": {
  "Services": ["s3.us-west-2.amazonaws.com", «manifest:5»],
  "Other": ["a", «manifest:null»],
  "Env": «manifest:{ "name": "prod" }»,
  "Count": 3, "Enabled": true, "Names": ["a", "b"], "None": []
} }] }`,
    // Not "s3.us-west-2.amazonaws.com,5" (condition-value-type): the parameter stays unknown.
    '/ws/stacks/app.json': PARAMETER_STACK,
  }, { only: resolved });
  assert.deepEqual(inOrder(s), [
    ['error', 'templates[0].parameters.Services[1] is a number, not a string: put it in quotes. "Services" is not used until then: the entry gives its files no value for it.'],
    ['error', 'templates[0].parameters.Other[1] is null, not a string: write the value as a string. "Other" is not used until then: the entry gives its files no value for it.'],
    ['error', 'templates[0].parameters.Env is an object: write a string, a number, a boolean or a list of strings. It is not used until then: the entry gives its files no value for it.'],
  ]);
  assertLeads(s);
  assert.deepEqual({ ...s.ws.manifest(M)!.templates[0].context.parameters }, { Count: '3', Enabled: 'true', Names: 'a,b', None: '' });
  assert.deepEqual(fixesOf(s), [[['fix-value', 'Change to "5"', true]], [], []]);
  // Once it is a string, the list is used as written (and the stack's value is checked).
  s.ws.updateFile(M, applyEdits(s.ws.text(M)!, s.ws.findings(M).find((f) => f.fixes)!.fixes![0].changes[0].edits));
  assert.equal(s.ws.text(M)!.split('\n')[1], '  "Services": ["s3.us-west-2.amazonaws.com", "5"],');
  assert.equal(s.ws.manifest(M)!.templates[0].context.parameters!.Services, 's3.us-west-2.amazonaws.com,5');
  assert.deepEqual(s.ws.findings('/ws/stacks/app.json').filter((f) => f.checkId === 'condition-value-type').map((f) => f.message.split(':')[0]), ['"s3.us-west-2.amazonaws.com,5" never equals kms']);
});

test('manifest: parameters that are not an object are flagged, and none of them is used', () => {
  const s = expectWorkspace({
    [M]: '{ "templates": [{ "files": "stacks/*.json", "account": "444455556666", "region": "us-west-2", "parameters": «manifest:["Services"]» }] }',
    '/ws/stacks/app.json': PARAMETER_STACK,
  }, { only: resolved });
  assert.deepEqual(inOrder(s), [['error', 'templates[0].parameters is a list, not an object: map each parameter name to its value. None of them is used until then.']]);
  assertLeads(s);
  assert.deepEqual({ ...s.ws.manifest(M)!.templates[0].context.parameters }, {});
});

const NO_ACCOUNT = 'It is not used until then: the entry gives its files no account (AWS::AccountId).';

test('manifest: a template account that is not an account id is flagged and not used; the fix when the id is clear', () => {
  const s = expectWorkspace({
    [M]: `{ "templates": [
  { "files": "a/*.json", "account": «manifest:"4444-5555-6666"», "region": "us-west-2" },
  { "files": "b/*.json", "account": «manifest:444455556666», "region": "us-west-2" },
  { "files": "c/*.json", "account": «manifest:"44445555666"», "region": "us-west-2" }
] }`,
    '/ws/a/p.json': POLICY,
    '/ws/b/p.json': POLICY,
    '/ws/c/p.json': POLICY,
  }, { only });
  assert.deepEqual(inOrder(s), [
    ['error', `templates[0].account "4444-5555-6666" is not an account id: change it to "444455556666". ${NO_ACCOUNT}`],
    ['error', `templates[1].account is a number, not a string: change it to "444455556666". ${NO_ACCOUNT}`],
    ['error', `templates[2].account "44445555666" is not an account id: write the account's 12 digits. ${NO_ACCOUNT}`],
  ]);
  assertLeads(s);
  assert.deepEqual(s.ws.manifest(M)!.templates.map((t) => t.context.account), [undefined, undefined, undefined]);
  const fixes = s.ws.findings(M).filter((f) => f.fixes).sort((a, b) => a.span.offset - b.span.offset);
  assert.deepEqual(fixes.map((f) => f.fixes!.map((x) => [x.id, x.title, x.isPreferred])), [[['fix-value', 'Change to "444455556666"', true]], [['fix-value', 'Change to "444455556666"', true]]]);
  let text = s.ws.text(M)!;
  for (const f of fixes.reverse()) text = applyEdits(text, f.fixes![0].changes[0].edits);
  s.ws.updateFile(M, text);
  assert.deepEqual(s.ws.manifest(M)!.templates.map((t) => t.context.account), ['444455556666', '444455556666', undefined]);
});

test('manifest: an account id in accounts that is not 12 digits is flagged and binds nothing; the fix when the id is clear', () => {
  const s = expectWorkspace({
    [M]: `{
  "accounts": {
    «manifest:"1234"»: { "name": "short", "complete": ["role"] },
    «manifest:"4444-5555-6666"»: { "name": "workloads" },
    «manifest:"7777 8888 9999"»: { "name": "analytics" },
    "111122223333": { "name": "security" },
    "777788889999": { "name": "analytics" }
  }
}`,
  }, { only });
  assert.deepEqual(inOrder(s), [
    ['error', '"1234" is not an account id: write the account\'s 12 digits. This entry is not used until then: its name and complete apply to no account.'],
    ['error', '"4444-5555-6666" is not an account id: change it to "444455556666". This entry is not used until then: its name applies to no account.'],
    // The account is named already: a fix would give it twice.
    ['error', '"7777 8888 9999" is not an account id: write the account\'s 12 digits. This entry is not used until then: its name applies to no account.'],
  ]);
  assertLeads(s);
  const m = s.ws.manifest(M)!;
  assert.deepEqual([...m.accounts.keys()], ['111122223333', '777788889999']);
  assert.equal(manifestSummary(m, {}), '2 accounts, 0 keys, 0 principals, 0 templates; 3 problems');
  assert.equal(s.ws.accountName('1234'), undefined);
  assert.deepEqual(fixesOf(s), [[], [['fix-value', 'Change to "444455556666"', true]], []]);
  s.ws.updateFile(M, applyEdits(s.ws.text(M)!, s.ws.findings(M).find((f) => f.fixes)!.fixes![0].changes[0].edits));
  assert.equal(s.ws.accountName('444455556666'), 'workloads');
  assert.equal(inOrder(s).length, 2);
});

test('manifest: OU paths, organization account ids and trusted accounts the schema rejects are flagged and not used', () => {
  const s = expectWorkspace({
    [M]: `{
  "organization": { "id": "o-a1b2c3d4e5", "accounts": {
    "111122223333": «manifest:"o-zzzzzzzzzz/r-ab12/"»,
    "444455556666": «manifest:"o-a1b2c3d4e5/foo/"»,
    "555566667777": «manifest:"o-a1b2c3d4e5/r-ab12/OU-AB12-11111111/"»,
    «manifest:"4444"»: "o-a1b2c3d4e5/r-ab12/",
    "777788889999": "o-a1b2c3d4e5/r-ab12/ou-ab12-22222222/"
  } },
  "trustedAccounts": ["123456789012", «manifest:"12345"», «manifest:210987654321»]
}`,
  }, { only });
  const notOu = (id: string) => `organization.accounts.${id} is not an OU path: write one such as o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/. It is not used until then: the account's OU path is unknown.`;
  assert.deepEqual(inOrder(s), [
    ['error', 'organization.accounts.111122223333 is an OU path of another organization: start it with o-a1b2c3d4e5/. It is not used until then: the account\'s OU path is unknown.'],
    ['error', notOu('444455556666')],
    ['error', notOu('555566667777')],
    ['error', '"4444" is not an account id: write the account\'s 12 digits. Its OU path is not used until then.'],
    ['error', 'trustedAccounts[1] "12345" is not an account id: write the account\'s 12 digits. It is not used until then: the account it means is not trusted.'],
    ['error', 'trustedAccounts[2] is a number, not a string: change it to "210987654321". It is not used until then: the account it means is not trusted.'],
  ]);
  assertLeads(s);
  const m = s.ws.manifest(M)!;
  assert.deepEqual([...m.organization!.accounts.keys()], ['777788889999']);
  assert.deepEqual([...m.trustedAccounts!], ['123456789012']);
});

test('manifest: key and principal ARNs the schema rejects are flagged and bind no file', () => {
  const keyArn = (region: string, id = '1234abcd-12ab-34cd-56ef-1234567890ab') => `arn:aws:kms:${region}:111122223333:key/${id}`;
  const s = expectWorkspace({
    [M]: `{
  "keys": [
    { "policy": "keys/a.json", "arn": «manifest:"${keyArn('')}"» },
    { "policy": "keys/b.json", "arn": «manifest:"${keyArn('US-WEST-2')}"» },
    { "policy": "keys/c.json", "arn": «manifest:"${keyArn('us-west-2', '')}"» },
    { "policy": "keys/d.json", "arn": «manifest:42» }
  ],
  "principals": [
    { "arn": «manifest:"arn:aws:iam:us-east-1:444455556666:role/App"», "policies": ["roles/app.json"] },
    { "arn": «manifest:"arn:aws:iam::444455556666:role/"», "policies": ["roles/app.json"] }
  ]
}`,
    '/ws/keys/a.json': KEY_POLICY,
    '/ws/keys/b.json': KEY_POLICY,
    '/ws/keys/c.json': KEY_POLICY,
    '/ws/keys/d.json': KEY_POLICY,
    '/ws/roles/app.json': GRANT,
  }, { only });
  const key = (i: number) => `keys[${i}].arn is not a key ARN: write it as arn:aws:kms:<region>:<account id>:key/<key id>. This entry is not used until then: its key policy file is bound to no key.`;
  const principal = (i: number) => `principals[${i}].arn is not a role, user or group ARN: write it as arn:aws:iam::<account id>:role/<name>. This entry is not used until then: its policy files are bound to no principal.`;
  assert.deepEqual(inOrder(s), [['error', key(0)], ['error', key(1)], ['error', key(2)], ['error', key(3)], ['error', principal(0)], ['error', principal(1)]]);
  assertLeads(s);
  const m = s.ws.manifest(M)!;
  assert.deepEqual([m.keys.length, m.principals.length], [0, 0]);
  for (const file of ['a', 'b', 'c', 'd']) assert.equal(s.ws.discovered(`/ws/keys/${file}.json`)!.documents[0].owner.keyArn, undefined, file);
  assert.equal(ownerOf(s, '/ws/roles/app.json'), undefined);
});

test('manifest: a kind given twice in complete is flagged at the repeated one, with the fix that removes it', () => {
  const s = expectWorkspace({
    [M]: '{ "accounts": { "444455556666": { "name": "workloads", "complete": ["role", "user", «manifest:"role"»] } } }',
  }, { only });
  assert.deepEqual(inOrder(s), [['error', 'accounts.444455556666.complete[2] "role" repeats complete[0]: remove it.']]);
  assertLeads(s);
  assert.deepEqual(fixesOf(s), [[['remove-element', 'Remove the repeated "role"', true]]]);
  s.ws.updateFile(M, applyEdits(s.ws.text(M)!, s.ws.findings(M)[0].fixes![0].changes[0].edits));
  assert.equal(s.ws.text(M), '{ "accounts": { "444455556666": { "name": "workloads", "complete": ["role", "user"] } } }');
  assert.deepEqual(inOrder(s), []);
  const thrice = expectWorkspace({
    [M]: '{ "accounts": { "444455556666": { "name": "workloads", "complete": ["user", «manifest:"user"», «manifest:"user"»] } } }',
  }, { only });
  assert.deepEqual(inOrder(thrice).map(([, message]) => message), [
    'accounts.444455556666.complete[1] "user" repeats complete[0]: remove it.',
    'accounts.444455556666.complete[2] "user" repeats complete[0]: remove it.',
  ]);
  assert.deepEqual(thrice.ws.manifest(M)!.accounts.get('444455556666')!.complete, ['user']);
});

test('manifest: every other value the schema flags says it is not used, with a fix that puts one value in a list', () => {
  const s = expectWorkspace({
    [M]: `{
  "accounts": {
    "111122223333": { "name": «manifest:7» },
    "444455556666": «manifest:"workloads"»,
    "777788889999": { "name": "analytics", "complete": [«manifest:"Role"», «manifest:3»] },
    "210987654321": { "name": "data", "complete": «manifest:"role"» }
  },
  "keys": [{ "policy": «manifest:5», "arn": "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" }],
  "principals": [{ "arn": "arn:aws:iam::444455556666:role/App", "policies": ["roles/app.json", «manifest:7»] }],
  "templates": [{ "files": ["stacks/*.json", «manifest:8»], "account": "444455556666", "region": "us-west-2" }],
  "organization": { "id": «manifest:"O-A1B2C3D4E5"» },
  "trustedAccounts": «manifest:"444455556666"»
}`,
    '/ws/roles/app.json': GRANT,
    '/ws/stacks/app.json': PARAMETER_STACK,
  }, { only });
  assert.deepEqual(inOrder(s).map(([, message]) => message), [
    'accounts.111122223333.name is not valid: it must be a string. It is not used until then: the account has no name.',
    'accounts.444455556666 is not valid: it must be an object such as {"name": "security"}. It is not used until then: the account has no name.',
    'accounts.777788889999.complete[0] is not valid: it must be "role" or "user". It is not used until then.',
    'accounts.777788889999.complete[1] is not valid: it must be "role" or "user". It is not used until then.',
    'accounts.210987654321.complete is not valid: it must be an array of "role" and/or "user". It is not used until then.',
    'keys[0].policy is not valid: it must be a path or glob (a string). This entry is not used until then: no file is bound to its key.',
    'principals[0].policies[1] is not valid: it must be a path or glob (a string). It is not used until then.',
    'templates[0].files[1] is not valid: it must be a path or glob (a string). It is not used until then.',
    'organization.id is not valid: it must be an organization id such as o-a1b2c3d4e5. The organization is not used until then.',
    'trustedAccounts is not valid: it must be an array of 12-digit account ids. None of it is used until then: access-outside-trusted-accounts is silent.',
  ]);
  assertLeads(s);
  assert.deepEqual(fixesOf(s), [[], [], [['fix-value', 'Change to "role"', true]], [], [['fix-value', 'Put it in a list', true]], [], [], [], [], [['fix-value', 'Put it in a list', true]]]);
  const m = s.ws.manifest(M)!;
  assert.deepEqual([...m.accounts].map(([id, a]) => [id, a.name, a.complete]), [['111122223333', undefined, undefined], ['444455556666', undefined, undefined], ['777788889999', 'analytics', undefined], ['210987654321', 'data', undefined]]);
  assert.deepEqual([m.keys.length, m.organization, m.trustedAccounts], [0, undefined, undefined]);
  let text = s.ws.text(M)!;
  for (const f of s.ws.findings(M).filter((x) => x.fixes?.[0].title === 'Put it in a list').sort((a, b) => b.span.offset - a.span.offset)) text = applyEdits(text, f.fixes![0].changes[0].edits);
  s.ws.updateFile(M, text);
  assert.deepEqual(s.ws.manifest(M)!.accounts.get('210987654321')!.complete, ['role']);
  assert.deepEqual([...s.ws.manifest(M)!.trustedAccounts!], ['444455556666']);
});

// A missing required property or an unknown one said only what the schema saw, not whether the entry is used: the reader says it.
test('manifest: a key entry without its arn or its policy says it is not used; the key policy file stays unbound', () => {
  const arn = 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const s = expectWorkspace({
    [M]: `{
  "keys": [
    «manifest:{ "policy": "keys/app-data.json" }»,
    «manifest:{ "arn": "${arn}" }»,
    «manifest:{ }»
  ]
}`,
    '/ws/keys/app-data.json': KEY_POLICY,
  }, { only });
  assert.deepEqual(inOrder(s), [
    ['error', 'keys[0] has no "arn": add the key\'s ARN. This entry is not used until then: its key policy file is bound to no key.'],
    ['error', 'keys[1] has no "policy": add the path of its key policy file. This entry is not used until then: no file is bound to its key.'],
    ['error', 'keys[2] has no "policy" and no "arn": add them. This entry is not used until then: no file is bound to a key.'],
  ]);
  assertLeads(s);
  assert.deepEqual(s.ws.manifest(M)!.keys, []);
  assert.equal(s.ws.discovered('/ws/keys/app-data.json')!.documents[0].owner.keyArn, undefined);
});

test('manifest: a principal without its arn is not used; one without its policies is a known principal that no file grants', () => {
  const s = expectWorkspace({
    [M]: `{
  "principals": [
    «manifest:{ "policies": ["roles/app.json"] }»,
    «manifest:{ "arn": "arn:aws:iam::444455556666:role/Reporting" }»
  ]
}`,
    '/ws/roles/app.json': GRANT,
  }, { only });
  assert.deepEqual(inOrder(s), [
    ['error', 'principals[0] has no "arn": add the role, user or group ARN. This entry is not used until then: its policy files are bound to no principal.'],
    ['error', 'principals[1] has no "policies": add the list of its identity policy files. The principal is used until then, with no policy: it grants nothing.'],
  ]);
  assertLeads(s);
  assert.deepEqual(s.ws.manifest(M)!.principals.map((p) => [p.arn, p.policies.length]), [['arn:aws:iam::444455556666:role/Reporting', 0]]);
  assert.equal(ownerOf(s, '/ws/roles/app.json'), undefined);
});

test('manifest: a template entry without files is not used; one without its account or Region is used, that value unknown', () => {
  const s = expectWorkspace({
    [M]: `{
  "templates": [
    «manifest:{ "account": "444455556666", "region": "us-west-2" }»,
    «manifest:{ "files": "stacks/*.json", "region": "us-west-2" }»,
    «manifest:{ "files": "stacks/*.json", "account": "444455556666" }»
  ]
}`,
    '/ws/stacks/app.json': PARAMETER_STACK,
  }, { only });
  assert.deepEqual(inOrder(s), [
    ['error', 'templates[0] has no "files": add the path or glob of its templates. This entry is not used until then: it applies to no file.'],
    ['error', 'templates[1] has no "account": add the account id its stacks are deployed to. The entry is used until then, its account unknown.'],
    ['error', 'templates[2] has no "region": add the Region its stacks are deployed to. The entry is used until then, its Region unknown.'],
  ]);
  assertLeads(s);
  assert.deepEqual(s.ws.manifest(M)!.templates.map((t) => [t.files.length, t.context.account, t.context.region]), [[0, '444455556666', 'us-west-2'], [1, undefined, 'us-west-2'], [1, '444455556666', undefined]]);
});

test('manifest: an account without a name is used, unnamed', () => {
  const s = expectWorkspace({ [M]: '{ "accounts": { "444455556666": «manifest:{ "complete": ["role"] }» } }' }, { only });
  assert.deepEqual(inOrder(s), [['error', 'accounts.444455556666 has no "name": add one, such as "workloads". The account is used until then, without a name.']]);
  assertLeads(s);
  assert.deepEqual([...s.ws.manifest(M)!.accounts].map(([id, a]) => [id, a.name, a.complete]), [['444455556666', undefined, ['role']]]);
});

test('manifest: an unknown property in an entry is ignored, the entry used without it; the fix renames or removes it', () => {
  const arn = 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const s = expectWorkspace({
    [M]: `{
  "accounts": { "111122223333": { "name": "security", «manifest:"owner"»: "platform" } },
  "keys": [{ "policy": "keys/app-data.json", "arn": "${arn}", «manifest:"region"»: "us-west-2" }],
  "templates": [{ "files": "stacks/*.json", "account": "444455556666", "region": "us-west-2", «manifest:"Parameters"»: { "Services": "s3" } }]
}`,
    '/ws/keys/app-data.json': KEY_POLICY,
    '/ws/stacks/app.json': PARAMETER_STACK,
  }, { only });
  assert.deepEqual(inOrder(s), [
    ['error', 'accounts.111122223333 has an unknown property "owner": remove it. The entry is used without it.'],
    ['error', 'keys[0] has an unknown property "region": remove it. The entry is used without it.'],
    ['error', 'templates[0] has an unknown property "Parameters": change it to "parameters". The entry is used without it.'],
  ]);
  assertLeads(s);
  assert.deepEqual(fixesOf(s), [
    [['remove-element', 'Remove "owner"', true]],
    [['remove-element', 'Remove "region"', true]],
    [['rename-element', 'Change to "parameters"', true], ['remove-element', 'Remove "Parameters"', false]],
  ]);
  assert.equal(s.ws.discovered('/ws/keys/app-data.json')!.documents[0].owner.keyArn, arn);
  assert.equal(s.ws.manifest(M)!.accounts.get('111122223333')!.name, 'security');
  const removeRegion = s.ws.findings(M).find((f) => f.message.startsWith('keys[0]'))!.fixes![0];
  assert.equal(applyEdits(s.ws.text(M)!, removeRegion.changes[0].edits).split('\n')[2], `  "keys": [{ "policy": "keys/app-data.json", "arn": "${arn}" }],`);
  const rename = s.ws.findings(M).find((f) => f.message.startsWith('templates[0]'))!.fixes![0];
  s.ws.updateFile(M, applyEdits(s.ws.text(M)!, rename.changes[0].edits));
  assert.deepEqual(Object.entries(s.ws.manifest(M)!.templates[0].context.parameters ?? {}), [['Services', 's3']]);
});

test('manifest: an unknown property of the organization is ignored, the organization used; an entry already not used says so again', () => {
  const s = expectWorkspace({
    [M]: `{
  "accounts": { «manifest:"4444-5555"»: «manifest:{ "complete": ["role"] }» },
  "organization": { "id": "o-a1b2c3d4e5", «manifest:"account"»: { "444455556666": "o-a1b2c3d4e5/r-ab12/" } }
}`,
  }, { only });
  assert.deepEqual(inOrder(s), [
    ['error', '"4444-5555" is not an account id: write the account\'s 12 digits. This entry is not used until then: its complete applies to no account.'],
    ['error', 'accounts.4444-5555 has no "name": add one, such as "workloads". This entry is not used until then.'],
    ['error', 'organization has an unknown property "account": change it to "accounts". The organization is used without it.'],
  ]);
  assertLeads(s);
  assert.deepEqual([s.ws.manifest(M)!.organization?.id, s.ws.manifest(M)!.organization?.accounts.size, s.ws.manifest(M)!.accounts.size], ['o-a1b2c3d4e5', 0, 0]);
});
