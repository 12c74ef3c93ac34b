import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { defaultCatalog } from '../../../server/src/core/catalog/catalog';
import { completionsAt, type CompletionEntry } from '../../../server/src/core/features/completion';
import { atCursor, spanText } from './cursor';

const catalog = defaultCatalog();

function complete(marked: string, options: Parameters<typeof atCursor>[1] = {}) {
  const at = atCursor(marked, options);
  const c = completionsAt(at.ws, at.path, at.offset);
  return { c, at, replaced: c ? spanText(at.text, c.replace) : undefined, labels: c ? c.items.map((i) => i.label) : [] };
}

function item(items: CompletionEntry[] | undefined, label: string): CompletionEntry {
  const found = items?.find((i) => i.label === label);
  assert.ok(found, `no entry ${label}`);
  return found;
}

/** Labels in the order an editor shows them (sortText, then label). */
function ordered(items: CompletionEntry[]): string[] {
  return [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label) || a.label.localeCompare(b.label)).map((i) => i.label);
}

const keyPolicy = (statement: string) => `{"Version": "2012-10-17", "Statement": [
  {"Sid": "Owner", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
  ${statement}
]}`;

test('completion: after "kms: the service actions, with description and access level', () => {
  const { c, replaced } = complete(keyPolicy('{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": ["kms:$0"], "Resource": "*"}'));
  assert.equal(replaced, 'kms:');
  const decrypt = item(c?.items, 'Decrypt');
  const a = catalog.action('kms', 'Decrypt')!;
  assert.equal(decrypt.kind, 'action');
  assert.equal(decrypt.documentation, a.description);
  assert.equal(decrypt.detail, a.accessLevel);
  assert.equal(decrypt.insertText, 'kms:Decrypt');
  assert.equal(c!.items.filter((i) => i.kind === 'action' && i.label !== '*').length, catalog.actions('kms').length);
});

test('completion: the replace span is the whole string content, written service case kept', () => {
  const { c, replaced } = complete('{"Statement": [{"Effect": "Allow", "Action": "KMS:Dec$0rypt", "Resource": "*"}]}');
  assert.equal(replaced, 'KMS:Decrypt');
  assert.equal(item(c?.items, 'Decrypt').insertText, 'KMS:Decrypt');
});

test('completion: an unterminated action string replaces up to the cursor', () => {
  const { replaced, labels } = complete('{"Statement": [{"Effect": "Allow", "Action": ["kms:Gen$0\n]}]}');
  assert.equal(replaced, 'kms:Gen');
  assert.ok(labels.includes('GenerateDataKey'));
});

test('completion: before the colon, service prefixes with names; used services first', () => {
  const { c, replaced } = complete(keyPolicy('{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "km$0", "Resource": "*"}'));
  assert.equal(replaced, 'km');
  const kms = item(c?.items, 'kms');
  assert.equal(kms.kind, 'service');
  assert.equal(kms.detail, catalog.serviceNames().get('kms'));
  assert.equal(kms.insertText, 'kms:');
  assert.equal(ordered(c!.items)[0], 'kms');
  // With a colon already there, only the prefix is replaced.
  const edit = complete('{"Statement": [{"Effect": "Allow", "Action": "k$0ms:Decrypt", "Resource": "*"}]}');
  assert.equal(edit.replaced, 'kms');
  assert.equal(item(edit.c?.items, 's3').insertText, 's3');
});

test('completion: condition keys of the statement actions first, then global, then the rest of the service', () => {
  const { c, replaced } = complete(keyPolicy('{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333", "$0": ""}}}'));
  assert.equal(replaced, '');
  const order = ordered(c!.items);
  const rank = (label: string) => {
    const i = order.indexOf(label);
    assert.ok(i >= 0, `no entry ${label}`);
    return i;
  };
  assert.ok(rank('kms:ViaService') < rank('aws:SourceIp'));
  assert.ok(rank('aws:SourceIp') < rank('kms:BypassPolicyLockoutSafetyCheck'));
  assert.ok(!order.includes('kms:CallerAccount'), 'a key already in the block is not offered again');
  assert.ok(!order.some((l) => l.startsWith('s3:')), 'keys of services the statement does not use are left out');
  // Issue 18, defect 8: the placeholder was dropped; the entry is now a snippet with a tab stop on the part to write.
  const context = item(c!.items, 'kms:EncryptionContext:${EncryptionContextKey}');
  assert.deepEqual([context.insertText, context.filterText, context.snippet], ['kms:EncryptionContext:${1:key}', 'kms:EncryptionContext:', true]);
  assert.deepEqual([item(c!.items, 'aws:RequestTag/${TagKey}').insertText, item(c!.items, 'aws:RequestTag/${TagKey}').snippet], ['aws:RequestTag/${1:key}', true]);
  assert.equal(item(c!.items, 'kms:ViaService').snippet, undefined);
});

test('completion: a condition key with a placeholder stays a snippet when it brings its closing quote', () => {
  const { c } = complete('{"Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:Enc$0"}}}]}');
  const context = item(c?.items, 'kms:EncryptionContext:${EncryptionContextKey}');
  assert.deepEqual([context.insertText, context.snippet], ['kms:EncryptionContext:${1:key}": ', true]);
});

test('completion: condition key without a colon yet brings the closing quote and colon', () => {
  const { c, replaced } = complete('{"Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:Vi$0"}}}]}');
  assert.equal(replaced, 'kms:Vi"');
  assert.equal(item(c?.items, 'kms:ViaService').insertText, 'kms:ViaService": ');
});

test('completion: condition operators, present ones left out', () => {
  const { labels } = complete('{"Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}, "$0": {}}}]}');
  for (const op of ['StringEquals', 'StringLikeIfExists', 'ForAnyValue:StringLike', 'ArnLike', 'Null']) assert.ok(labels.includes(op), op);
  assert.ok(!labels.includes('Bool'));
  assert.ok(!labels.includes('NullIfExists'));
});

test('completion: element names exclude present ones and their Not forms', () => {
  const inKey = complete(keyPolicy('{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "$0": 1}'));
  assert.deepEqual(ordered(inKey.c!.items), ['Sid', 'Principal', 'NotPrincipal', 'Condition']);
  assert.equal(inKey.replaced, '');
  // Outside quotes: the entry brings its quotes and the comma it needs.
  const bare = complete(keyPolicy('{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*" $0}'));
  assert.deepEqual(ordered(bare.c!.items), ['Sid', 'Principal', 'NotPrincipal', 'Condition']);
  assert.equal(item(bare.c!.items, 'Sid').insertText, ', "Sid": ');
  // Identity policies have no principal.
  const identity = complete('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "$0"}]}');
  assert.deepEqual(ordered(identity.c!.items), ['Sid', 'Condition']);
});

test('completion: policy-level names, Version and Effect values', () => {
  assert.deepEqual(complete('{"Version": "2012-10-17", "$0": 1, "Statement": []}').labels, ['Id']);
  assert.deepEqual(complete('{"Version": "$0", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}').labels, ['2012-10-17', '2008-10-17']);
  const effect = complete('{"Statement": [{"Effect": "$0", "Action": "s3:GetObject", "Resource": "*"}]}');
  assert.deepEqual(effect.labels, ['Allow', 'Deny']);
  const bare = complete('{"Statement": [{"Effect": $0, "Action": "s3:GetObject", "Resource": "*"}]}');
  assert.equal(item(bare.c?.items, 'Deny').insertText, '"Deny"');
  assert.equal(bare.replaced, '');
});

test('completion: principal types, and principals and accounts known in the workspace', () => {
  const types = complete(keyPolicy('{"Effect": "Allow", "Principal": {"Service": "logs.amazonaws.com", "$0"}, "Action": "kms:Decrypt", "Resource": "*"}'));
  assert.deepEqual(types.labels, ['AWS', 'Federated', 'CanonicalUser']);
  const details = JSON.stringify({ RoleDetailList: [{ RoleName: 'app', Arn: 'arn:aws:iam::444455556666:role/app', RolePolicyList: [
    { PolicyName: 'use-key', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] } },
  ] }] });
  const manifest = JSON.stringify({ accounts: { '444455556666': { name: 'workloads' } } });
  const values = complete(keyPolicy('{"Effect": "Allow", "Principal": {"AWS": "$0"}, "Action": "kms:Decrypt", "Resource": "*"}'), { path: 'ws/key.json', others: { 'ws/auth.json': details, 'ws/policy-handshake.json': manifest } });
  assert.equal(item(values.c?.items, 'arn:aws:iam::444455556666:role/app').kind, 'principal');
  const root = item(values.c?.items, 'arn:aws:iam::444455556666:root');
  assert.equal(root.kind, 'principal');
  assert.match(root.detail ?? '', /workloads/);
  assert.ok(values.labels.includes('*'));
  const account = complete(keyPolicy('{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:CallerAccount": "$0"}}}'), { path: 'ws/key.json', others: { 'ws/policy-handshake.json': manifest } });
  assert.equal(item(account.c?.items, '444455556666').detail, 'workloads');
});

test('completion: key ARNs the workspace knows, in identity-policy resources', () => {
  const key = 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const others = {
    'ws/policy-handshake.json': JSON.stringify({ keys: [{ policy: 'keys/app.json', arn: key }] }),
    'ws/keys/app.json': keyPolicy('{"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "kms:Decrypt", "Resource": "*"}'),
  };
  const { c } = complete('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": ["$0"]}]}', { path: 'ws/role.json', others });
  assert.equal(item(c?.items, key).kind, 'keyArn');
  // In a key policy, Resource is "*".
  const inKeyPolicy = complete(keyPolicy('{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "kms:Decrypt", "Resource": "$0"}'), { path: 'ws/other-key.json', others });
  assert.deepEqual(inKeyPolicy.labels, ['*']);
});

test('completion: Bool condition values', () => {
  const { labels } = complete(keyPolicy('{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "kms:CreateGrant", "Resource": "*", "Condition": {"Bool": {"kms:GrantIsForAWSResource": "$0"}}}'));
  assert.deepEqual(labels, ['true', 'false']);
});

test('completion: inside a get-key-policy string the replace span maps into the file', () => {
  const { c, replaced } = complete(String.raw`{"Policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:De$0\",\"Resource\":\"*\"}]}"}`);
  assert.equal(replaced, 'kms:De');
  assert.equal(item(c?.items, 'Decrypt').insertText, 'kms:Decrypt');
  // Quotes an entry brings are escaped as the string holds them.
  const effect = complete(String.raw`{"Policy": "{\"Statement\":[{\"Effect\": $0, \"Principal\":\"*\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}"}`);
  assert.equal(effect.replaced, '');
  assert.equal(item(effect.c?.items, 'Allow').insertText, String.raw`\"Allow\"`);
});

test('completion: undefined on non-policy JSON and outside documents', () => {
  assert.equal(complete('{"name": "pkg", "version": "$0"}', { path: 'package.json' }).c, undefined);
  assert.equal(complete('{"Resources": {"Key": {"Type": "AWS::KMS::Key", "Properties": {"Description": "$0", "KeyPolicy": {"Statement": []}}}}}', { path: 'stack.json' }).c, undefined);
  assert.equal(complete('{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Sid": "$0"}]}').c, undefined);
  const at = atCursor('{"Statement": []}$0');
  assert.equal(completionsAt(at.ws, at.path, at.offset), undefined);
  assert.equal(completionsAt(at.ws, 'missing.json', 0), undefined);
});
