/**
 * What the workspace keeps per file on a large workspace, shared instead of copied: the
 * manifest's one tree, equal KMS action sets of key policies and grants, compact copies that
 * read their text again without a getter of their own, the manifest's pattern index built
 * only as deep as its patterns go, one binding for the files a manifest binds alike and one
 * facts entry per principal. Each is checked as a structure, and by what reads it.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { defaultCatalog } from '../../../server/src/core/catalog/catalog';
import { documentGrants } from '../../../server/src/core/handshake/accountGrants';
import { keyPolicyTrusts } from '../../../server/src/core/handshake/keyPolicyAnalysis';
import { compactDocument } from '../../../server/src/core/model/compactDocument';
import { readStatements } from '../../../server/src/core/model/policyDocument';
import { discover } from '../../../server/src/core/sources/discover';
import { PatternIndex } from '../../../server/src/core/workspace/patternIndex';
import { bindingFor } from '../../../server/src/core/workspace/fileBinding';
import { fileFacts } from '../../../server/src/core/workspace/fileFacts';
import { parseManifest } from '../../../server/src/core/workspace/manifest';
import { Workspace } from '../../../server/src/core/workspace/workspace';

const world = { catalog: defaultCatalog(), templateContext: () => undefined };

const keyPolicy = (account: string, actions: string[]) => JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
    { Sid: 'Use', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: actions, Resource: '*' },
  ],
}, null, 2);

test('equal KMS action sets of key-policy statements and identity grants are one set; sets of other members or order are their own', () => {
  const one = discover('/ws/k1.json', keyPolicy('111111111111', ['kms:Decrypt', 'kms:DescribeKey'])).documents[0];
  const two = discover('/ws/k2.json', keyPolicy('333333333333', ['kms:Decrypt', 'kms:DescribeKey'])).documents[0];
  const swapped = discover('/ws/k3.json', keyPolicy('444444444444', ['kms:DescribeKey', 'kms:Decrypt'])).documents[0];
  const [a, b, c] = [one, two, swapped].map((d) => keyPolicyTrusts(world, d).statements);
  assert.equal(a.length, 2);
  // `kms:*` of two files: one set, with every KMS action.
  assert.equal(a[0].actions.actions, b[0].actions.actions);
  assert.ok(a[0].actions.actions.has('schedulekeydeletion') && a[0].actions.actions.size > 40);
  assert.equal(a[1].actions.actions, b[1].actions.actions);
  assert.equal(a[1].capable, b[1].capable);
  assert.deepEqual([...a[1].actions.actions], ['decrypt', 'describekey']);
  // The same members in another order iterate in that order: not shared.
  assert.notEqual(c[1].actions.actions, a[1].actions.actions);
  assert.deepEqual([...c[1].actions.actions], ['describekey', 'decrypt']);
  const grant = (file: string, actions: string[]) => discover(file, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] })).documents[0];
  const [g1] = documentGrants(world, grant('/ws/g1.json', ['kms:Decrypt', 's3:GetObject']));
  const [g2] = documentGrants(world, grant('/ws/g2.json', ['kms:Decrypt']));
  assert.equal(g1.actions.actions, g2.actions.actions);
  assert.deepEqual([...g1.actions.actions], ['decrypt']);
});

test('a compact copy that reads its text again holds no text of its own: each read asks for the current text', () => {
  const text = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}';
  const [doc] = discover('/ws/p.json', text).documents;
  let reads = 0;
  let current = text;
  const copy = compactDocument(doc, new Set(readStatements(doc.root).map((s) => s.node)), new Set(), () => { reads++; return current; });
  assert.equal(Object.getOwnPropertyDescriptor(copy.json, 'text'), undefined, 'the text is not a property of each copy');
  assert.equal(copy.json.text, text);
  current = text.replace('kms:Decrypt', 'kms:Encrypt');
  assert.equal(copy.json.text, current);
  assert.equal(reads, 2);
  assert.deepEqual([copy.json.problems, copy.json.syntax, copy.json.root], [[], undefined, copy.root]);
  // Without a reader, the copy keeps the text it was made from.
  assert.equal(compactDocument(doc, new Set()).json.text, text);
});

const manifest = (extra = '') => JSON.stringify({
  accounts: { '111111111111': { name: 'keys' }, '222222222222': { name: 'apps' } },
  keys: [{ policy: 'keys/key.json', arn: 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab' }],
  principals: [{ arn: `arn:aws:iam::222222222222:role/reader${extra}`, policies: ['apps/reader/*.json'] }],
}, null, 2);

test('a manifest read as plain JSON is one tree: its entry reads the tree the manifest was read from; one with a placeholder is read again', () => {
  const ws = new Workspace();
  const p = '/ws/policy-handshake.json';
  ws.updateFile(p, manifest());
  assert.ok(ws.manifest(p));
  assert.equal(ws.discovered(p)!.json.root, ws.manifest(p)!.json.root);
  assert.equal(ws.discovered(p)!.json.text, manifest());
  // Its findings are placed from that tree: the pattern that matches no file, at its place in the text.
  const unmatched = ws.findings(p).filter((f) => f.message.includes('apps/reader/*.json'));
  assert.equal(unmatched.length, 1);
  assert.equal(unmatched[0].span.offset, manifest().indexOf('"apps/reader/*.json"'));
  // `${` in the text: the file source may read it as a template, so it is read on its own.
  const templated = manifest('-${env}');
  ws.updateFile(p, templated);
  assert.ok(ws.manifest(p));
  assert.notEqual(ws.discovered(p)!.json.root, ws.manifest(p)!.json.root);
  assert.equal(ws.discovered(p)!.json.text, templated);
});

test('the pattern index finds the patterns a path matches, in the order they were added per folder level, with levels made as needed', () => {
  const idx = new PatternIndex<string>();
  idx.add('accounts/1/roles/*.json', 'a');
  idx.add('accounts/1/roles/reader/*.json', 'b');
  idx.add('accounts/1/roles/x.json', 'c');
  idx.add('accounts/*/roles/*.json', 'd');
  idx.add('**/*.json', 'e');
  idx.add('accounts/1/roles/*.json', 'f');
  idx.add('keys/key.json', 'g');
  assert.equal(idx.size, 7);
  assert.deepEqual(idx.match('accounts/1/roles/x.json'), ['e', 'd', 'a', 'c', 'f']);
  assert.deepEqual(idx.match('accounts/1/roles/reader/p.json'), ['e', 'b']);
  assert.deepEqual(idx.match('accounts/2/roles/p.json'), ['e', 'd']);
  assert.deepEqual(idx.match('keys/key.json'), ['e', 'g']);
  assert.deepEqual(idx.match('keys/other.json'), ['e']);
  assert.deepEqual(idx.match('other.txt'), []);
  assert.deepEqual(new PatternIndex<string>().match('a/b.json'), []);
});

test('the files of one principal\'s folder share one binding, and their facts one entry per principal; other files have their own', () => {
  const m = parseManifest('/ws/policy-handshake.json', manifest());
  const a = bindingFor(m, 'apps/reader/a.json');
  const b = bindingFor(m, 'apps/reader/b.json');
  assert.equal(a, b);
  assert.deepEqual(a, { kind: 'iam-identity-policy', owner: { principals: ['arn:aws:iam::222222222222:role/reader'], account: '222222222222' }, template: undefined });
  const key = bindingFor(m, 'keys/key.json');
  assert.notEqual(key, a);
  assert.deepEqual([key?.kind, key?.owner?.keyArn, key?.owner?.account], ['kms-key-policy', 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab', '111111111111']);
  assert.equal(bindingFor(m, 'other/x.json'), undefined);
  // Another manifest (the file changed): bindings of its own, equal where the entries are.
  const again = bindingFor(parseManifest('/ws/policy-handshake.json', manifest()), 'apps/reader/a.json');
  assert.notEqual(again, a);
  assert.deepEqual(again, a);
  const policy = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}';
  const [fa, fb] = ['/ws/apps/reader/a.json', '/ws/apps/reader/b.json'].map((p) => fileFacts(discover(p, policy, a), world.catalog, undefined));
  assert.deepEqual(fa.principals, [['222222222222', 'arn:aws:iam::222222222222:role/reader']]);
  assert.equal(fa.principals[0], fb.principals[0]);
  // Through the workspace: the role is known from both files, and still after one is removed.
  const ws = new Workspace();
  ws.updateFiles([{ path: '/ws/policy-handshake.json', text: manifest() }, { path: '/ws/apps/reader/a.json', text: policy }, { path: '/ws/apps/reader/b.json', text: policy }]);
  assert.deepEqual(ws.knownPrincipals(), ['arn:aws:iam::222222222222:role/reader']);
  ws.removeFile('/ws/apps/reader/a.json');
  assert.deepEqual(ws.knownPrincipals(), ['arn:aws:iam::222222222222:role/reader']);
  assert.deepEqual(ws.accountIam('222222222222').documents.map((d) => d.file), ['/ws/apps/reader/b.json']);
});
