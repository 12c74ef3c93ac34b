/**
 * CDK output: templates synthesized here by aws-cdk-lib itself (one app for the file), read
 * as the workspace reads `cdk.out/`: the stacks' accounts and Regions from the cloud
 * assembly manifest, `Fn::Join` of pseudo parameters, `Fn::GetAtt` of a key of the same
 * template, exports and `Fn::ImportValue`, asset parameters.
 */
import { before, after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as cdk from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import type { Finding } from '../../../server/src/core/findings';
import { defaultCatalog } from '../../../server/src/core/catalog/catalog';
import { discover } from '../../../server/src/core/sources/discover';
import { readCdkManifest } from '../../../server/src/core/sources/cdkAssembly';
import { keyOf } from '../../../server/src/core/handshake/keyIdentity';
import { grantNamesKey, readIdentityGrants } from '../../../server/src/core/handshake/identityGrants';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { A, B, C } from './workspaceFixture';

/** A key of A that B's roles use through a fixed ARN (its id is not in the template: deployed later). */
const SHARED_ARN = `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

let dir: string;
const files: Record<string, string> = {};

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-cdk-'));
  const app = new cdk.App({ outdir: path.join(dir, 'cdk.out'), builtinCloudFormationValidation: false });
  const envA = { account: A, region: 'us-east-1' };
  const envB = { account: B, region: 'us-east-1' };

  // Account A: a key B uses for kms:Decrypt, and a key trusting B for encryption that nobody in B is granted.
  const keys = new cdk.Stack(app, 'KeyStack', { env: envA });
  const shared = new kms.Key(keys, 'SharedKey');
  shared.grantDecrypt(new iam.AccountPrincipal(B));
  const orphan = new kms.Key(keys, 'OrphanKey');
  orphan.grantEncrypt(new iam.AccountPrincipal(B));

  // Account B: a role granted A's shared key by its ARN, and its own key (Fn::GetAtt) for encryption.
  const apps = new cdk.Stack(app, 'AppStack', { env: envB });
  const reader = new iam.Role(apps, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  kms.Key.fromKeyArn(apps, 'SharedKeyRef', SHARED_ARN).grantDecrypt(reader);
  new kms.Key(apps, 'LocalKey').grantEncrypt(reader);

  // Account A again: a role of another stack granted the shared key through an export.
  const consumer = new cdk.Stack(app, 'ConsumerStack', { env: envA });
  shared.grantEncrypt(new iam.Role(consumer, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));

  // Asset parameters (the legacy synthesizer): values known only at deployment.
  const assets = new cdk.Stack(app, 'AssetStack', { env: { account: C, region: 'us-east-1' }, synthesizer: new cdk.LegacyStackSynthesizer() });
  const assetDir = path.join(dir, 'asset');
  fs.mkdirSync(assetDir);
  fs.writeFileSync(path.join(assetDir, 'index.js'), 'exports.handler = async () => 1;\n');
  const asset = new s3assets.Asset(assets, 'Code', { path: assetDir });
  const runner = new iam.Role(assets, 'Runner', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  asset.grantRead(runner);
  runner.addToPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [cdk.Fn.join('', ['arn:', cdk.Aws.PARTITION, ':kms:', cdk.Aws.REGION, ':', cdk.Aws.ACCOUNT_ID, ':key/', asset.s3ObjectKey])] }));

  app.synth();
  for (const name of fs.readdirSync(path.join(dir, 'cdk.out'))) {
    if (name.endsWith('.json')) files[`cdk.out/${name}`] = fs.readFileSync(path.join(dir, 'cdk.out', name), 'utf8');
  }
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

function workspace(except: string[] = [], extra: Record<string, string> = {}): Workspace {
  const ws = new Workspace();
  ws.updateFiles(Object.entries({ ...files, ...extra }).filter(([p]) => !except.includes(p)).map(([p, text]) => ({ path: p, text })));
  return ws;
}

/** The logical id of the resource whose text holds the finding. */
function resourceOf(text: string, f: Finding): string {
  const ids = [...text.matchAll(/^ {2}"([A-Za-z0-9]+)": \{\n {3}"Type"/gm)].map((m) => ({ id: m[1], at: m.index! }));
  return ids.filter((r) => r.at <= f.span.offset).pop()?.id ?? '(none)';
}

const KEYS = 'cdk.out/KeyStack.template.json';
const APPS = 'cdk.out/AppStack.template.json';

test('the cloud assembly manifest gives each stack its environment', () => {
  const stacks = readCdkManifest('cdk.out/manifest.json', files['cdk.out/manifest.json']);
  const byName = Object.fromEntries(stacks.map((s) => [s.name, s]));
  assert.deepEqual(byName.KeyStack, { name: 'KeyStack', template: KEYS, context: { account: A, region: 'us-east-1', partition: 'aws' } });
  assert.deepEqual(byName.AppStack.context, { account: B, region: 'us-east-1', partition: 'aws' });
  assert.equal(byName.AppStack.template, APPS);
  assert.deepEqual(readCdkManifest('web/manifest.json', '{"name": "app", "icons": []}'), []);
  assert.deepEqual(readCdkManifest('cdk.out/manifest.json', '{"artifacts": {"S": {"type": "aws:cloudformation:stack", "environment": "aws://unknown-account/unknown-region", "properties": {"templateFile": "S.template.json"}}}}'),
    [{ name: 'S', template: 'cdk.out/S.template.json', context: {} }]);
});

test('a key of account A trusting B: granted through a fixed ARN, no finding; not granted, root-principal-without-grant', () => {
  const ws = workspace();
  const text = files[KEYS];
  const handshake = ws.findings(KEYS).filter((f) => f.checkId.startsWith('root-principal') || f.checkId === 'external-account-undescribed');
  // SharedKey: B's role is granted (the root principal is only wider than it); OrphanKey: nobody in B is.
  assert.deepEqual(handshake.map((f) => [f.checkId, resourceOf(text, f).replace(/[0-9A-F]{8}$/, '')]).sort(), [
    ['root-principal-broader-than-grants', 'SharedKey'],
    ['root-principal-without-grant', 'OrphanKey'],
  ]);
  const [missing] = handshake.filter((f) => f.checkId === 'root-principal-without-grant');
  // The finding is on the trusted principal: Fn::Join of AWS::Partition and B's root.
  const principal = text.slice(missing.span.offset, missing.span.offset + missing.span.length);
  assert.match(principal, /^\{\s+"Fn::Join"[\s\S]*"Ref": "AWS::Partition"[\s\S]*:iam::444455556666:root/);
  assert.match(missing.message, /^Account 444455556666 is trusted for kms:Encrypt, kms:GenerateDataKey, .*, kms:ReEncryptTo, but none of its principals has an IAM grant for them on this key \(searched 0 known principals and 1 identity policy in 1 file\)/);
  const [broader] = handshake.filter((f) => f.checkId === 'root-principal-broader-than-grants');
  assert.match(broader.message, /^Account 444455556666 is trusted as a whole, but only one of its principals has an IAM grant on this key: .*\(ReaderDefaultPolicy[0-9A-F]{8}\) \(kms:Decrypt on "arn:aws:kms:us-east-1:111122223333:key\/1234abcd-12ab-34cd-56ef-1234567890ab"; cdk.out\/AppStack.template.json:\d+; conditional\)/);
});

test('B grants its own key through Fn::GetAtt: that grant is not one on the key of A', () => {
  // The grant of kms:Encrypt names LocalKey of B's template; A's OrphanKey trusts B for encryption.
  const ws = workspace();
  const orphan = ws.findings(KEYS).filter((f) => f.checkId === 'root-principal-without-grant');
  assert.equal(orphan.length, 1);
  // Without the GetAtt (the grant on `*`), B's role would use the key: no finding.
  const star = files[APPS].replace(/"Resource": \{\n\s+"Fn::GetAtt": \[\n\s+"LocalKey[0-9A-F]+",\n\s+"Arn"\n\s+\]\n\s+\}/, '"Resource": "*"');
  assert.notEqual(star, files[APPS]);
  assert.deepEqual(workspace([], { [APPS]: star }).findings(KEYS).filter((f) => f.checkId === 'root-principal-without-grant'), []);
});

test('without the cloud assembly manifest the accounts are not known: no handshake finding', () => {
  const ws = workspace(['cdk.out/manifest.json']);
  assert.deepEqual(ws.findings(KEYS).filter((f) => f.checkId === 'root-principal-without-grant'), []);
  // The manifest arriving later binds the templates already read; leaving again unbinds them.
  ws.updateFile('cdk.out/manifest.json', files['cdk.out/manifest.json']);
  assert.equal(ws.findings(KEYS).filter((f) => f.checkId === 'root-principal-without-grant').length, 1);
  ws.removeFile('cdk.out/manifest.json');
  assert.equal(ws.findings(KEYS).filter((f) => f.checkId === 'root-principal-without-grant').length, 0);
});

test('a manifest templates entry wins over the stack environment', () => {
  // Bound to another account, B's roles are no longer B's: B is not described.
  const manifest = JSON.stringify({ templates: [{ files: 'cdk.out/AppStack.template.json', account: '999988887777' }] });
  const ws = workspace([], { 'policy-handshake.json': manifest });
  const ids = ws.findings(KEYS).filter((f) => f.checkId.startsWith('root-principal') || f.checkId === 'external-account-undescribed').map((f) => f.checkId);
  assert.deepEqual(ids, ['external-account-undescribed', 'external-account-undescribed']);
});

test('Fn::ImportValue of an export of the key, and Fn::GetAtt in its own template, name that key and no other', () => {
  const catalog = defaultCatalog();
  const keyDocs = discover(KEYS, files[KEYS], { owner: { account: A, region: 'us-east-1' }, template: { account: A, region: 'us-east-1' } }).documents;
  const keyFor = (id: RegExp) => keyOf(keyDocs.find((d) => id.test(d.owner.label ?? ''))!)!;
  const shared = keyFor(/^SharedKey/);
  const orphan = keyFor(/^OrphanKey/);
  const ctx = { account: A, region: 'us-east-1' };
  const consumer = discover('cdk.out/ConsumerStack.template.json', files['cdk.out/ConsumerStack.template.json'], { owner: ctx, template: ctx }).documents;
  const grants = consumer.flatMap((d) => readIdentityGrants(d, catalog, ctx));
  assert.equal(grants.length, 1);
  assert.match(JSON.stringify(grants[0].resources[0].keyRef), /^"export:111122223333\/us-east-1\/KeyStack:ExportsOutputFnGetAttSharedKey/);
  assert.equal(grantNamesKey(grants[0], shared).certainty, 'yes');
  assert.equal(grantNamesKey(grants[0], orphan).certainty, 'no');
  // The same export name in another account is another export.
  const ctxB = { account: B, region: 'us-east-1' };
  const elsewhere = consumer.flatMap((d) => readIdentityGrants(d, catalog, ctxB));
  assert.equal(grantNamesKey(elsewhere[0], shared).certainty, 'no');
  // A key known by its manifest ARN only: an unresolved reference may be it.
  assert.equal(grantNamesKey(grants[0], { account: A, region: 'us-east-1', partition: 'aws' }).certainty, 'maybe');
});

test('asset parameters and pseudo parameters are unknown values, never findings', () => {
  const ws = workspace();
  const own = ws.findings('cdk.out/AssetStack.template.json');
  assert.match(files['cdk.out/AssetStack.template.json'], /"Ref": "AssetParameters[0-9a-f]+S3Bucket/);
  assert.deepEqual(own.map((f) => `${f.checkId}: ${f.message}`), []);
  for (const p of Object.keys(files)) {
    assert.deepEqual(ws.findings(p).filter((f) => f.severity === 'error' || f.checkId === 'internal-error').map((f) => `${p} ${f.checkId}: ${f.message}`), []);
  }
});
