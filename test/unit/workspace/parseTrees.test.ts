/**
 * The workspace keeps parse trees only for files the workspace-scope checks read again;
 * other files are held as text, their own findings and compact copies of their identity
 * policies. The results must be exactly those of a workspace that keeps every tree: the
 * same findings (messages, ranges, related information, fixes), code lenses, hovers and
 * definitions, on hand-written shapes and on real and generated workspaces.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { codeLens } from '../../../server/src/core/features/codeLens';
import { definition } from '../../../server/src/core/features/definition';
import { handshakeHover } from '../../../server/src/core/features/handshakeHover';
import type { JsonNode } from '../../../server/src/core/json/jsonDocument';
import { compactDocument } from '../../../server/src/core/model/compactDocument';
import { prop, trimChildren } from '../../../server/src/core/json/nodes';
import { readStatements } from '../../../server/src/core/model/policyDocument';
import { discover } from '../../../server/src/core/sources/discover';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { corpusMissing, corpusPath, repoRoot, walk } from '../../support/corpus';
import { applyEdits } from '../../support/fixture';
import { A, B, C, KEY, OTHER_KEY } from '../handshake/workspaceFixture';
import { needs } from '../../support/needs';

type Files = { path: string; text: string }[];

function both(files: Files): { lean: Workspace; full: Workspace } {
  const lean = new Workspace();
  const full = new Workspace({ keepParseTrees: true });
  lean.updateFiles(files);
  full.updateFiles(files);
  return { lean, full };
}

/**
 * Every file's findings, code lenses, and hovers/definitions where findings start, in both
 * workspaces. The lean one lets go of every file's cross-file analyses once its findings are
 * out, as the server does for files that are not open: the features make them again.
 */
function assertSame(files: Files, { lean, full }: { lean: Workspace; full: Workspace }): number {
  for (const f of files) lean.findings(f.path);
  for (const f of files) lean.releaseAnalyses(f.path);
  assert.equal(lean.stats().analysesKept, 0);
  let compared = 0;
  for (const f of files) {
    const a = lean.findings(f.path);
    assert.deepEqual(a, full.findings(f.path), `findings of ${f.path}`);
    assert.deepEqual(codeLens(lean, f.path), codeLens(full, f.path), `code lenses of ${f.path}`);
    for (const x of a) {
      assert.deepEqual(handshakeHover(lean, f.path, x.span.offset), handshakeHover(full, f.path, x.span.offset), `hover at ${f.path}:${x.span.offset}`);
      assert.deepEqual(definition(lean, f.path, x.span.offset), definition(full, f.path, x.span.offset), `definition at ${f.path}:${x.span.offset}`);
    }
    compared += a.length;
  }
  return compared;
}

function readFolder(dir: string): Files {
  return walk(dir, '.json').map((p) => ({ path: p, text: fs.readFileSync(p, 'utf8') }));
}

const M = '/ws/policy-handshake.json';
const READER = `arn:aws:iam::${B}:role/Reader`;
const WRITER = `arn:aws:iam::${B}:role/Writer`;

/** Identity policies of B that grant the key only through `Resource: "*"`: nothing names A's key, so their trees are not kept. */
function handwritten(): Files {
  const manifest = JSON.stringify({
    accounts: { [A]: { name: 'security' }, [B]: { name: 'workloads' }, [C]: { name: 'analytics' } },
    keys: [{ policy: 'keys/key.json', arn: KEY }, { policy: 'keys/other.json', arn: OTHER_KEY }],
    principals: [
      { arn: READER, policies: ['b/reader/*.json'] },
      { arn: WRITER, policies: ['b/writer/*.json'] },
    ],
  }, null, 2);
  const key = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Own', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'kms:*', Resource: '*' },
      { Sid: 'Workloads', Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${B}:root`, `arn:aws:iam::${C}:root`] }, Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: '*' },
      { Sid: 'NoEncryptForC', Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${C}:root` }, Action: 'kms:Encrypt', Resource: '*' },
    ],
  }, null, 2);
  const reader = `{
  "Version": "2012-10-17",
  "Statement": [
    { "Sid": "Objects", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*" },
    { "Sid": "UseKeys",
      "Effect": "Allow",
      "Action": ["kms:Decrypt", "kms:DescribeKey"],
      "Resource": "*" },
    { "Sid": "Logs", "Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*" },
    { "Sid": "NoReEncrypt", "Effect": "Deny", "Action": "kms:ReEncrypt*", "Resource": "*" },
    { "Sid": "Queues", "Effect": "Allow", "NotAction": "sqs:DeleteQueue", "NotResource": "arn:aws:sqs:*:${B}:prod-*" }
  ]
}
`;
  // A single statement object (no array), on one line.
  const writer = `{ "Version": "2012-10-17", "Statement": { "Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*" } }\n`;
  const writerOther = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}]}\n`;
  // Grants naming A's keys by ARN: more than the key policy trusts, and a key that trusts no one in B.
  const writerNamed = JSON.stringify({ Version: '2012-10-17', Statement: [
    { Sid: 'Sign', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Sign'], Resource: KEY },
    { Sid: 'Other', Effect: 'Allow', Action: 'kms:Decrypt', Resource: OTHER_KEY },
  ] }, null, 2);
  const otherKey = JSON.stringify({ Version: '2012-10-17', Statement: [
    { Sid: 'Own', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'kms:*', Resource: '*' },
  ] }, null, 2);
  // Account C described by an export: a role with an inline grant and an unrelated managed policy.
  const inline = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Effect: 'Allow', Action: 'kms:*', Resource: '*' }] });
  const managed = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'cloudwatch:GetMetricData', Resource: '*' }] });
  const details = JSON.stringify({
    RoleDetailList: [{
      RoleName: 'Analyst', Arn: `arn:aws:iam::${C}:role/Analyst`, Path: '/',
      RolePolicyList: [{ PolicyName: 'inline', PolicyDocument: inline }],
      AttachedManagedPolicies: [{ PolicyName: 'Metrics', PolicyArn: `arn:aws:iam::${C}:policy/Metrics` }],
    }],
    Policies: [{ PolicyName: 'Metrics', Arn: `arn:aws:iam::${C}:policy/Metrics`, DefaultVersionId: 'v1', AttachmentCount: 1, PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: managed }] }],
  }, null, 2);
  return [
    { path: M, text: manifest },
    { path: '/ws/keys/key.json', text: key },
    { path: '/ws/b/reader/policy.json', text: reader },
    { path: '/ws/b/writer/encrypt.json', text: writer },
    { path: '/ws/b/writer/ec2.json', text: writerOther },
    { path: '/ws/b/writer/named.json', text: writerNamed },
    { path: '/ws/keys/other.json', text: otherKey },
    { path: '/ws/c/authorization-details.json', text: details },
  ];
}

test('hand-written shapes: trees are kept only for key policies, and nothing differs', () => {
  const files = handwritten();
  const ws = both(files);
  // Kept: the two key policies only; the grant naming A's keys is checked on its compact copy.
  assert.deepEqual(ws.lean.stats(), { files: files.length, parseTreesKept: 2, analysesKept: 0 });
  assert.deepEqual(ws.full.stats(), { files: files.length, parseTreesKept: files.length - 1, analysesKept: 0 });
  const findings = assertSame(files, ws);
  // The findings made the cross-file analyses; the features made some of them again after their release.
  assert.ok(ws.full.stats().analysesKept > 0);
  assert.ok(ws.lean.stats().analysesKept > 0);
  const codes = ws.lean.findings('/ws/keys/key.json').map((f) => f.checkId);
  assert.ok(codes.includes('root-principal-broader-than-grants'), codes.join(', '));
  const named = ws.lean.findings('/ws/b/writer/named.json').map((f) => f.checkId);
  assert.ok(named.includes('iam-grant-exceeds-key-policy') && named.includes('iam-grant-without-key-trust'), named.join(', '));
  assert.ok(findings > 0);
  // Documents of files whose tree is not kept are parsed again on demand, the same.
  for (const f of files) assert.deepEqual(ws.lean.discovered(f.path)?.documents.map((d) => [d.kind, d.root.offset, d.root.length]), ws.full.discovered(f.path)?.documents.map((d) => [d.kind, d.root.offset, d.root.length]));
});

test('the narrowing and grant fixes read compact copies the same way, and re-checking after applying them agrees', () => {
  const files = handwritten();
  const ws = both(files);
  const apply = (w: Workspace) => {
    const f = w.findings('/ws/keys/key.json').find((x) => x.checkId === 'root-principal-broader-than-grants');
    assert.ok(f?.fixes?.length, 'a narrowing fix');
    for (const change of f!.fixes![0].changes) {
      const target = change.file ?? '/ws/keys/key.json';
      w.updateFile(target, applyEdits(w.text(target) ?? '', change.edits));
    }
  };
  apply(ws.lean);
  apply(ws.full);
  assert.equal(ws.lean.text('/ws/keys/key.json'), ws.full.text('/ws/keys/key.json'));
  assertSame(files, ws);
});

test('a compact copy keeps the kept statements node for node but their Sid, the last statement as an empty object, of the policy only its Statement, and shares nothing with the original', () => {
  const text = handwritten().find((f) => f.path === '/ws/b/reader/policy.json')!.text;
  const [doc] = discover('/x.json', text).documents;
  const statements = readStatements(doc.root);
  assert.ok(statements.length >= 5, 'the fixture has statements after the last kept one');
  const keep = new Set<JsonNode>([statements[1].node, statements[3].node]);
  const copy = compactDocument(doc, keep);
  const original = new Set<JsonNode>();
  const collect = (n: JsonNode) => { original.add(n); n.children?.forEach(collect); };
  collect(doc.json.root!);
  const shape = (n: JsonNode): unknown => [n.type, n.offset, n.length, n.value ?? null, (n.children ?? []).map(shape)];
  // A kept statement as the original, without its Sid property (read by the file's own checks alone).
  const withoutSid = (n: JsonNode): unknown => [n.type, n.offset, n.length, n.value ?? null, (n.children ?? []).filter((p) => p.children?.[0]?.value !== 'Sid').map(shape)];
  const copied = readStatements(copy.root);
  const last = statements[statements.length - 1];
  assert.deepEqual(copied.map((s) => s.node.offset), [statements[1].node.offset, statements[3].node.offset, last.node.offset]);
  assert.ok(statements[1].sid !== undefined && statements[3].sid !== undefined, 'the fixture names its kept statements');
  assert.deepEqual(shape(copied[0].node), withoutSid(statements[1].node));
  assert.deepEqual(shape(copied[1].node), withoutSid(statements[3].node));
  assert.deepEqual([copied[0].sid, copied[0].effect, copied[1].effect], [undefined, statements[1].effect, statements[3].effect]);
  // Of the policy object: its place and its Statement property only (no Version).
  assert.ok(prop(doc.root, 'Version'), 'the fixture has a Version');
  assert.deepEqual([copy.root.offset, copy.root.length, copy.root.children!.map((p) => p.children![0].value)], [doc.root.offset, doc.root.length, ['Statement']]);
  assert.deepEqual([copied[2].node.length, copied[2].node.children, copied[2].effect, Object.values(copied[2].elements).filter(Boolean)], [last.node.length, [], undefined, []]);
  const visit = (n: JsonNode, parent: JsonNode | undefined) => {
    assert.ok(!original.has(n), `node at ${n.offset} shared with the original`);
    assert.equal(n.parent, parent);
    n.children?.forEach((c) => visit(c, n));
  };
  visit(copy.root, undefined);
  assert.equal(copy.json.text, text);
  // Action names left out of a kept statement (those of other services): the other items stay as they were.
  const actions = statements[1].elements.Action!.value!;
  const [firstAction, ...otherActions] = actions.children!;
  const trimmed = readStatements(compactDocument(doc, keep, new Set([firstAction])).root);
  assert.deepEqual(trimmed[0].elements.Action!.value!.children!.map(shape), otherActions.map(shape));
  assert.deepEqual([trimmed[0].elements.Action!.value!.offset, trimmed[0].elements.Action!.value!.length], [actions.offset, actions.length]);
  assert.deepEqual(shape(trimmed[1].node), withoutSid(statements[3].node));
  // Nothing kept: the array holds the last statement only, where a new one is appended.
  const noneCopy = compactDocument(doc, new Set());
  const none = readStatements(noneCopy.root);
  assert.deepEqual(none.map((s) => [s.node.offset, s.node.length]), [[last.node.offset, last.node.length]]);
  // Five nodes: the policy object, its Statement property (key and array), the last statement's place.
  assert.deepEqual(shape(noneCopy.root), ['object', doc.root.offset, doc.root.length, null, [['property', prop(doc.root, 'Statement')!.property.offset, prop(doc.root, 'Statement')!.property.length, null, [
    ['string', prop(doc.root, 'Statement')!.key.offset, 11, 'Statement', []],
    ['array', prop(doc.root, 'Statement')!.value!.offset, prop(doc.root, 'Statement')!.value!.length, null, [['object', last.node.offset, last.node.length, null, []]]],
  ]]]]);
  // A single statement object that is not kept becomes an empty object in its place.
  const single = discover('/y.json', '{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}').documents[0];
  const stub = compactDocument(single, new Set());
  assert.deepEqual(readStatements(stub.root).map((s) => [s.node.offset, s.node.length, s.node.children?.length]), [[14, 54, 0]]);
});

test('examples/cross-account: the same results with and without kept trees', () => {
  const files = readFolder(path.join(repoRoot, 'examples', 'cross-account'));
  const ws = both(files);
  assert.ok(ws.lean.stats().parseTreesKept < ws.full.stats().parseTreesKept);
  assert.ok(assertSame(files, ws) > 0);
});

test('corpus: the cross-account scenarios, and the authorization-details exports with the real key policies, agree', needs('corpus', corpusMissing('cross-account') ?? corpusMissing('authorization-details') ?? corpusMissing('kms-key-policies')), () => {
  for (const scenario of fs.readdirSync(corpusPath('cross-account'))) {
    const dir = corpusPath('cross-account', scenario);
    if (!fs.statSync(dir).isDirectory()) continue;
    const files = readFolder(dir);
    assertSame(files, both(files));
  }
  const files = [...readFolder(corpusPath('authorization-details')), ...readFolder(corpusPath('kms-key-policies'))];
  const ws = both(files);
  assert.ok(ws.lean.stats().parseTreesKept < files.length / 2, `${ws.lean.stats().parseTreesKept} of ${files.length} trees kept`);
  assert.ok(assertSame(files, ws) > 0);
});

test('a generated many-account workspace (the bench generator): the same results, a fraction of the trees', needs('corpus', corpusMissing('aws-managed')), () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-trees-'));
  try {
    // The generator is an ES module of the bench: run in a child process.
    const script = `const g = await import(${JSON.stringify(pathToFileURL(path.join(repoRoot, 'bench', 'lib', 'workspaceGen.mjs')).href)});
      const info = g.generateWorkspace(${JSON.stringify(dir)}, 400, g.managedTexts(${JSON.stringify(corpusPath('aws-managed'))}));
      process.stdout.write(JSON.stringify({ keys: info.keys }));`;
    const info = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as { keys: number };
    const files = readFolder(dir);
    const ws = both(files);
    const cross = assertSame(files, ws);
    assert.ok(cross > 0);
    // Kept: the key policies only.
    const kept = ws.lean.stats().parseTreesKept;
    assert.equal(kept, info.keys, `${kept} of ${files.length} trees kept`);
    // An edit of a file whose tree is not kept, then a setting change: still the same.
    const copy = files.find((f) => /\/\d+-/.test(f.path) && f.text.includes('kms:'))!;
    const edited = copy.text.replace('"Effect": "Allow"', '"Effect": "Deny"');
    ws.lean.updateFile(copy.path, edited);
    ws.full.updateFile(copy.path, edited);
    ws.lean.setOptions({ severities: { 'redundant-action': 'off' } });
    ws.full.setOptions({ severities: { 'redundant-action': 'off' }, keepParseTrees: true });
    assertSame(files, ws);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('trimChildren: every node keeps its children, in order and with their parent links, in arrays of their own size', () => {
  const text = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["a", "b", "c"]}, "Action": [], "Resource": "*", "Condition": {}}]}';
  const [doc] = discover('/k.json', text).documents;
  const before = new Map<JsonNode, JsonNode[] | undefined>();
  const collect = (n: JsonNode) => { before.set(n, n.children); n.children?.forEach(collect); };
  collect(doc.json.root!);
  assert.equal(trimChildren(doc.json.root), before.size);
  let empty = 0;
  for (const [n, children] of before) {
    if (!children) { assert.equal(n.children, undefined); continue; }
    assert.notEqual(n.children, children, `children of the ${n.type} at ${n.offset} copied`);
    assert.deepEqual(n.children, children);
    for (const c of n.children!) assert.equal(c.parent, n);
    if (children.length === 0) { empty++; assert.ok(Object.isFrozen(n.children), 'empty children are one shared frozen array'); }
  }
  assert.equal(empty, 2, 'the fixture has an empty array and an empty object');
  assert.equal(trimChildren(undefined), 0);
});

test('a key policy of a closed file keeps its tree trimmed; opened and edited afterwards, its findings are those of a fresh read', () => {
  const keyPath = '/ws/keys/key.json';
  // An empty Condition in the key policy: the one node whose trimmed children are the shared frozen array.
  const files = handwritten().map((f) => (f.path === keyPath ? { ...f, text: f.text.replace('"Resource": "*"', '"Resource": "*",\n      "Condition": {}') } : f));
  assert.ok(files.find((f) => f.path === keyPath)!.text.includes('"Condition": {}'));
  const closed = new Workspace();
  closed.updateFiles(files);
  const edited = new Workspace();
  edited.updateFiles(files.filter((f) => f.path !== keyPath));
  const keyText = files.find((f) => f.path === keyPath)!.text;
  edited.updateFile(keyPath, keyText, true);
  // Trimmed: the closed file's tree holds the shared empty children; an edited file's tree is the parser's own.
  const statements = (w: Workspace) => prop(w.discovered(keyPath)!.documents[0].root, 'Statement')!.value!;
  const arrays = (n: JsonNode): JsonNode[][] => (n.children ? [n.children, ...n.children.flatMap(arrays)] : []);
  const fresh = discover(keyPath, keyText).documents[0];
  assert.ok(arrays(statements(closed)).length > 10);
  assert.deepEqual(arrays(statements(closed)).map((a) => a.length), arrays(prop(fresh.root, 'Statement')!.value!).map((a) => a.length));
  assert.deepEqual([arrays(statements(closed)).filter((a) => Object.isFrozen(a)).length, arrays(statements(edited)).filter((a) => Object.isFrozen(a)).length], [1, 0]);
  assert.deepEqual(closed.findings(keyPath), edited.findings(keyPath));
  // The closed file opened and edited: the edit builds on the trimmed tree.
  const changed = keyText.replace('"kms:Encrypt",', '"kms:Encrypt", "kms:ReEncrypt*",');
  assert.notEqual(changed, keyText);
  closed.updateFile(keyPath, changed, true);
  const again = new Workspace();
  again.updateFiles(files.map((f) => (f.path === keyPath ? { ...f, text: changed } : f)));
  for (const f of files) assert.deepEqual(closed.findings(f.path), again.findings(f.path), `findings of ${f.path}`);
  assert.ok(files.some((f) => again.findings(f.path).length > 0));
});

test('a closed identity policy read from its compact copy: its grant\'s condition is evaluated, the key finding relates to it at its line and column, the narrowing fix lists a role whose only policy grants nothing', () => {
  const reader = `{
  "Version": "2012-10-17",
  "Id": "reader",
  "Statement": [
    { "Sid": "Objects", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" },
    { "Sid": "ReadThroughS3",
      "Effect": "Allow",
      "Action": ["s3:PutObject", "kms:Decrypt"],
      "Resource": "${KEY}",
      "Condition": { "StringEquals": { "kms:ViaService": "s3.us-west-2.amazonaws.com" } } }
  ]
}
`;
  const files: Files = [
    { path: M, text: JSON.stringify({ accounts: { [A]: { name: 'security' }, [B]: { name: 'workloads' } }, keys: [{ policy: 'keys/key.json', arn: KEY }],
      principals: [{ arn: READER, policies: ['b/reader/*.json'] }, { arn: WRITER, policies: ['b/writer/*.json'] }] }) },
    { path: '/ws/keys/key.json', text: JSON.stringify({ Version: '2012-10-17', Statement: [
      { Sid: 'Own', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'kms:*', Resource: '*' },
      { Sid: 'Workloads', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' }] }, null, 2) },
    { path: '/ws/b/reader/grant.json', text: reader },
    { path: '/ws/b/writer/logs.json', text: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Logs', Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }] }) },
  ];
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const ws = new Workspace({ readText: (p) => texts.get(p) });
  ws.updateFiles(files);
  // The identity policies are compact copies: their policy objects keep the Statement property alone.
  const copies = ws.accountIam(B).documents;
  assert.deepEqual(copies.map((d) => [d.file, d.root.children!.map((p) => p.children![0].value)]), [['/ws/b/reader/grant.json', ['Statement']], ['/ws/b/writer/logs.json', ['Statement']]]);
  const [finding] = ws.findings('/ws/keys/key.json');
  assert.equal(finding.checkId, 'root-principal-broader-than-grants');
  assert.match(finding.message, /It is role\/Reader \(kms:Decrypt; only through s3\.us-west-2\.amazonaws\.com\)\./);
  // Related at the grant's Resource item that names the key.
  const start = reader.indexOf(`"${KEY}"`);
  assert.deepEqual(finding.related?.map((r) => [r.file, r.span.offset, r.span.length, r.message]), [['/ws/b/reader/grant.json', start, KEY.length + 2, 'Grant of role/Reader (only through s3.us-west-2.amazonaws.com)']]);
  assert.deepEqual([ws.lineOf('/ws/b/reader/grant.json', start), start - reader.lastIndexOf('\n', start) - 1], [8, 18]);
  assert.deepEqual(finding.fixes?.map((f) => f.title), [
    `Narrow the principal to ${READER} (has a grant on this key)`,
    `Narrow the principal to ${WRITER} (no grant on this key yet)`,
    'Keep the account principal and allow only role/Reader (ArnEquals aws:PrincipalArn condition)',
  ]);
  // Without the condition the grant is unconditional: the finding says so.
  const plain = reader.replace(',\n      "Condition": { "StringEquals": { "kms:ViaService": "s3.us-west-2.amazonaws.com" } } }', ' }');
  assert.notEqual(plain, reader);
  texts.set('/ws/b/reader/grant.json', plain);
  ws.updateFile('/ws/b/reader/grant.json', plain);
  assert.match(ws.findings('/ws/keys/key.json')[0].message, /It is role\/Reader \(kms:Decrypt\)\./);
});
