/**
 * Action and resource facts (`actionFact`, `resourceFact`): what each string says is worked
 * out once per spelling and shared by the checks. Each fact must say exactly what the
 * catalog and the ARN grammar say of the string when asked directly; the memo must hand
 * back one fact per spelling, and must not keep the text a string was read from alive.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { Catalog, defaultCatalog, fieldIndex, type ActionInfo } from '../../../server/src/core/catalog/catalog';
import { parseJson } from '../../../server/src/core/json/jsonDocument';
import { actionExpansion, actionFact } from '../../../server/src/core/model/actionFacts';
import { expandActionString, parseAction } from '../../../server/src/core/model/actionNames';
import { patternMeetsFormat, acceptedResources, listResources } from '../../../server/src/core/model/arnFormats';
import { arnProblem } from '../../../server/src/core/model/arnSyntax';
import { detectKind } from '../../../server/src/core/model/kind';
import { kmsActionsOf } from '../../../server/src/core/model/kmsActions';
import { hasVariable, replaceVariables } from '../../../server/src/core/model/policyVariables';
import { arnPartsProblem, fitsFormat, resourceFact } from '../../../server/src/core/model/resourceFacts';
import { corpusMissing, corpusPath, walk } from '../../support/corpus';
import { needs } from '../../support/needs';

const catalog = defaultCatalog();

/** What the catalog says of an action string when asked directly. */
function expectedActionFact(value: string) {
  const parsed = parseAction(value);
  if (!parsed) return undefined;
  const wild = (s: string) => s.includes('*') || s.includes('?');
  const serviceKnown = !wild(parsed.service) && catalog.hasService(parsed.service);
  return {
    value,
    service: parsed.service,
    name: parsed.name,
    serviceKey: parsed.service.toLowerCase(),
    serviceWildcard: wild(parsed.service),
    nameWildcard: wild(parsed.name),
    serviceKnown,
    action: serviceKnown && !wild(parsed.name) ? catalog.action(parsed.service, parsed.name) : undefined,
  };
}

function assertActionFact(value: string): void {
  const fact = actionFact(catalog, value);
  const expected = expectedActionFact(value);
  if (!expected) {
    assert.equal(fact, undefined, value);
    return;
  }
  assert.ok(fact, value);
  const { value: v, service, name, serviceKey, serviceWildcard, nameWildcard, serviceKnown, action } = fact;
  assert.deepEqual({ value: v, service, name, serviceKey, serviceWildcard, nameWildcard, serviceKnown, action }, expected, value);
  assert.equal(fact.lowerHash, fnv1a(value.toLowerCase()), `hash of ${value}`);
  const names = (list: readonly { service: string; name: string }[]) => list.map((a) => `${a.service}:${a.name}`).sort();
  assert.deepEqual(names(actionExpansion(catalog, fact)), names(expandActionString(catalog, value)), value);
}

/** FNV-1a over the UTF-16 units (the hash redundant-action compares lower-case entries by). */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h | 0;
}

/** A fresh string object with the same text (as the parser gives for each file). */
function fresh(s: string): string {
  return JSON.parse(JSON.stringify(`${s}\u0000`)).slice(0, -1);
}

test('action facts agree with the catalog asked directly: known, misspelt, wildcard, malformed', () => {
  const cases = ['kms:Decrypt', 'KMS:decrypt', 'kms:DECRYPT', 'kms:Decrpyt', 'kms:Get*', 'kms:Decrypt?', 'kms:*', 's3:GetObject', 'S3:Get*Acl',
    '*', '*:*', '*:Get*', 'k?s:Decrypt', 'foo:Bar', 'foo:*', 'kms:', ':Decrypt', 'kms:Decrypt:x', 'kms', '', ' kms:Decrypt', 'kms:Decrypt ', 'kms:Dé', 'KMS:DÉCRYPT', 'kms:İ', 'S3:[Get]@Z'];
  for (const c of cases) assertActionFact(c);
  // The expansion of an exact, known action is that action; of a misspelt one, nothing.
  assert.deepEqual(actionExpansion(catalog, actionFact(catalog, 'kms:decrypt')!).map((a) => a.name), ['Decrypt']);
  assert.equal(actionExpansion(catalog, actionFact(catalog, 'kms:Decrpyt')!).length, 0);
  assert.ok(actionExpansion(catalog, actionFact(catalog, 'kms:Generate*')!).length >= 5);
});

test('one fact per spelling, whatever string object carries it; a spelling in other case is another fact', () => {
  const a = actionFact(catalog, fresh('kms:ReEncryptFrom'));
  const b = actionFact(catalog, fresh('kms:ReEncryptFrom'));
  assert.ok(a);
  assert.equal(a, b);
  assert.notEqual(actionFact(catalog, 'kms:reencryptfrom'), a);
  assert.equal(actionFact(catalog, 'kms:reencryptfrom')?.action, a.action);
  // Spellings that differ only in case share the hash redundant-action compares entries by.
  assert.equal(actionFact(catalog, 'kms:reencryptfrom')?.lowerHash, a.lowerHash);
  assert.notEqual(actionFact(catalog, 'kms:ReEncryptTo')?.lowerHash, a.lowerHash);
  const r = resourceFact(fresh('arn:aws:s3:::bucket/${aws:username}/*'), true);
  assert.equal(resourceFact(fresh('arn:aws:s3:::bucket/${aws:username}/*'), true), r);
  // With and without policy variables enabled the same spelling is matched differently.
  assert.equal(r.matched, 'arn:aws:s3:::bucket/*/*');
  assert.equal(resourceFact('arn:aws:s3:::bucket/${aws:username}/*', false).matched, 'arn:aws:s3:::bucket/${aws:username}/*');
});

test('resource facts agree with the ARN grammar asked directly', () => {
  const cases = ['*', 'arn:aws:s3:::bucket', 'arn:aws:s3:::bucket/*', 'ARN:aws:s3:::b', 'arn:aws:S3:::b', 'arn:aws:kms:us-east-1:111122223333:alias/app',
    'arn:aws:kms:us-east-1:111122223333:key/abc', 'arn:aws:kms:*:*:alias/*', 'arn:aws:*:*:*:*', 'arn:aws:s3', 'arn:aws:s3:*', 'arn:awz:s3:::b', '??*',
    'arn:aws:iam::${aws:PrincipalAccount}:role/x', 'arn:aws:ec2:us-east-1:12345678901:instance/i-1', 'not an arn', '', 'arn:aws:kms:us-east-1:111122223333:key/a:alias/b'];
  for (const c of cases) for (const variables of [true, false]) assertResourceFact(c, variables);
});

function assertResourceFact(value: string, variables: boolean): void {
  const fact = resourceFact(value, variables);
  const matched = variables ? replaceVariables(value) : value;
  const parts = matched.split(':');
  const service = parts[2] === undefined || /[*?]/.test(parts[2]) ? undefined : parts[2].toLowerCase();
  assert.deepEqual(
    { value: fact.value, hasVariable: fact.hasVariable, matched: fact.matched, problem: fact.problem, service: fact.service, kmsAlias: fact.kmsAlias, allWildcards: fact.allWildcards },
    { value, hasVariable: hasVariable(value), matched, problem: arnProblem(matched), service, kmsAlias: parts[2] === 'kms' && parts.slice(5).join(':').startsWith('alias/'), allWildcards: /^[*?]+$/.test(matched) },
    `${value} (variables ${variables})`,
  );
}

test('resource facts match formats as the format matcher does', () => {
  const formats = ['s3:GetObject', 's3:ListBucket', 'kms:Decrypt', 'iam:PassRole', 'ec2:RunInstances'].flatMap((a) => acceptedResources(catalog, catalog.action(a.split(':')[0], a.split(':')[1])!).formats);
  assert.ok(formats.length >= 8);
  const resources = ['arn:aws:s3:::bucket', 'arn:aws:s3:::bucket/key', 'arn:aws:s3:::*', 'arn:aws:kms:*:111122223333:key/*', 'arn:aws:iam::111122223333:role/x', '*', 'arn:aws:ec2:*:*:instance/*', 'arn:aws:s3:::b/${aws:username}'];
  for (const r of resources) {
    for (const f of formats) {
      const fact = resourceFact(r, true);
      // Twice: the second answer comes from the fact's memo.
      for (let i = 0; i < 2; i++) assert.equal(fitsFormat(fact, f), patternMeetsFormat(fact.matched, f.tokens), `${r} ~ ${f.arn}`);
    }
  }
  // A bucket ARN has no object part; a bucket name may hold anything, a slash too.
  assert.equal(fitsFormat(resourceFact('arn:aws:s3:::bucket', true), formats.find((f) => f.type === 'object')!), false);
  assert.equal(fitsFormat(resourceFact('arn:aws:s3:::bucket', true), formats.find((f) => f.type === 'bucket')!), true);
  assert.equal(fitsFormat(resourceFact('arn:aws:iam::111122223333:role/x', true), formats.find((f) => f.type === 'object')!), false);
});

test('facts are per catalog: asking another catalog in between does not give the first one\'s facts, nor the other way round', () => {
  // A second catalog over the same data has action objects of its own.
  const other = new Catalog(catalog.data);
  const first = actionFact(catalog, fresh('kms:Decrypt'))!;
  const second = actionFact(other, fresh('kms:Decrypt'))!;
  assert.equal(first.action, catalog.action('kms', 'Decrypt'));
  assert.equal(second.action, other.action('kms', 'Decrypt'));
  assert.notEqual(second.action, first.action);
  assert.equal(actionFact(catalog, fresh('kms:Decrypt')), first);
  assert.equal(actionFact(other, fresh('kms:Decrypt')), second);
});

test('a resource\'s Region or account problem is the answer of the catalog asked, each time it is asked', () => {
  // The same data without iam: its ARNs have no documented formats there, so no problem.
  const data = catalog.data;
  const withoutIam = new Catalog({ ...data, serviceNames: () => Object.fromEntries(Object.entries(data.serviceNames()).filter(([k]) => k !== 'iam')) });
  const fact = resourceFact(fresh('arn:aws:iam:us-east-1:111122223333:role/App'), true);
  const problem = 'iam resource ARNs of this kind have no Region: write arn:aws:iam::111122223333:role/App';
  assert.equal(arnPartsProblem(catalog, fact), problem);
  assert.equal(arnPartsProblem(withoutIam, fact), undefined);
  assert.equal(arnPartsProblem(catalog, fact), problem);
  assert.equal(arnPartsProblem(catalog, resourceFact(fresh('arn:aws:iam::111122223333:role/App'), true)), undefined);
  assert.equal(arnPartsProblem(catalog, resourceFact(fresh('arn:aws:sqs::111122223333:queue'), true)), 'sqs resource ARNs of this kind need a Region (arn:aws:sqs:REGION:…)');
});

test('the catalog\'s action names and lower-case look-ups agree with its actions, for every service', () => {
  for (const service of catalog.serviceNames().keys()) {
    const names = catalog.actions(service).map((a) => a.name);
    assert.deepEqual(catalog.actionNames(service), names, service);
    for (const name of names) assert.equal(catalog.action(service, name.toLowerCase())?.name, name, `${service}:${name}`);
    // A wildcard pattern matches names whatever their case: `*` is every action, in the reference's order.
    assert.deepEqual(catalog.expandActionName(service, '*').map((a) => a.name), names, service);
  }
  assert.deepEqual(catalog.actionNames('no-such-service'), []);
  assert.deepEqual(catalog.expandActionName('kms', 'reencrypt*').map((a) => a.name).sort(), ['ReEncryptFrom', 'ReEncryptTo']);
});

test('an expansion is one frozen list per pattern, whatever its case: a caller cannot change later answers', () => {
  const fresh = new Catalog(catalog.data);
  const kept = fresh.expandActionName('kms', 'ReEncrypt*');
  assert.deepEqual(kept.map((a) => a.name), ['ReEncryptFrom', 'ReEncryptTo']);
  assert.ok(Object.isFrozen(kept));
  assert.equal(fresh.expandActionName('kms', 'reencrypt*'), kept);
  assert.throws(() => (kept as ActionInfo[]).pop(), TypeError);
  assert.deepEqual(fresh.expandActionName('kms', 'ReEncrypt*').map((a) => a.name), ['ReEncryptFrom', 'ReEncryptTo']);
  assert.deepEqual(fresh.expandActionName('no-such-service', '*'), []);
  assert.ok(Object.isFrozen(fresh.expandActionName('no-such-service', '*')));
  // A fact's expansion is that list.
  assert.equal(actionExpansion(fresh, actionFact(fresh, 'kms:ReEncrypt*')!), kept);
});

test('a name\'s start and a star expands to the actions whose names start so, for every service, in the reference\'s order', () => {
  const fresh = new Catalog(catalog.data);
  let patterns = 0;
  for (const service of catalog.serviceNames().keys()) {
    const names = catalog.actionNames(service);
    // Each distinct first word (`Describe`, `List`, `Get`…) and each whole name, in both cases, and starts that
    // stand inside other names (`Object` of `GetObject`) or match nothing.
    const starts = new Set<string>(['Object', 'zzz', 'e']);
    for (const name of names) {
      starts.add(/^[A-Z][a-z]*/.exec(name)?.[0] ?? name);
      starts.add(name);
    }
    for (const start of starts) {
      const expected = names.filter((n) => n.toLowerCase().startsWith(start.toLowerCase()));
      assert.deepEqual(fresh.expandActionName(service, `${start}*`).map((a) => a.name), expected, `${service}:${start}*`);
      assert.deepEqual(fresh.expandActionName(service, `${start.toUpperCase()}*`).map((a) => a.name), expected, `${service}:${start.toUpperCase()}*`);
      patterns++;
    }
  }
  assert.ok(patterns > 20_000, `${patterns} patterns`);
  // Each action found by a start is the catalog's own (the same object as by its name).
  assert.equal(fresh.expandActionName('kms', 'Gen*')[0], fresh.action('kms', 'GenerateDataKey'));
  assert.deepEqual(fresh.expandActionName('kms', 'gen*').map((a) => `${a.name} ${a.accessLevel} ${a.resourceTypes.map((t) => t.name).join()}`), [
    'GenerateDataKey Write key', 'GenerateDataKeyPair Write key', 'GenerateDataKeyPairWithoutPlaintext Write key',
    'GenerateDataKeyWithoutPlaintext Write key', 'GenerateMac Write key', 'GenerateRandom Write ',
  ]);
});

test('a name is found among a field\'s names only whole: first, last, neither a prefix nor a suffix of another', () => {
  const field = ['Get', 'GetObject', 'PutObject', 'Object', 'List'].join('\t');
  assert.deepEqual(fieldIndex(field, 'Get'), { index: 0, at: 0 });
  assert.deepEqual(fieldIndex(field, 'GetObject'), { index: 1, at: 4 });
  assert.deepEqual(fieldIndex(field, 'Object'), { index: 3, at: 24 });
  assert.deepEqual(fieldIndex(field, 'List'), { index: 4, at: 31 });
  for (const absent of ['', 'Put', 'Obj', 'get', 'Get\tGetObject', 'ListX', 'XList']) assert.equal(fieldIndex(field, absent), undefined, absent);
  assert.deepEqual(fieldIndex('Only', 'Only'), { index: 0, at: 0 });
});

test('a fresh catalog answers the first look-ups of a service by searching its names and the later ones from its map, alike', () => {
  for (const service of ['kms', 's3', 'ec2', 'iam', 'sts']) {
    // Every action by its index in the reference (no look-up by name).
    const all = catalog.actions(service);
    const order = [...all.keys()];
    const fresh = new Catalog(catalog.data);
    // The last names first (searched), then every name (most from the map).
    for (const i of [...order.slice(-10).reverse(), ...order]) {
      const got = fresh.action(service, all[i].name);
      assert.deepEqual(got && [got.name, got.accessLevel, got.resourceTypes, got.conditionKeys], [all[i].name, all[i].accessLevel, all[i].resourceTypes, all[i].conditionKeys], `${service}:${all[i].name}`);
    }
    assert.equal(new Catalog(catalog.data).action(service, 'NoSuchAction'), undefined);
  }
});

test('every action and resource string of the AWS managed policies: facts agree with the direct answers', needs('corpus', corpusMissing('aws-managed')), () => {
  const actions = new Set<string>();
  const resources = new Set<string>();
  for (const file of walk(corpusPath('aws-managed'), '.json')) {
    const policy = JSON.parse(fs.readFileSync(file, 'utf8')) as { Statement?: unknown };
    const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
    for (const s of statements as Record<string, unknown>[]) {
      for (const k of ['Action', 'NotAction']) for (const a of [s?.[k]].flat()) if (typeof a === 'string') actions.add(a);
      for (const k of ['Resource', 'NotResource']) for (const r of [s?.[k]].flat()) if (typeof r === 'string') resources.add(r);
    }
  }
  assert.ok(actions.size > 10_000 && resources.size > 1_000);
  for (const a of actions) assertActionFact(a);
  // What an expansion accepts, taken together, is what its actions accept one by one.
  let anything = 0;
  for (const a of actions) {
    const fact = actionFact(catalog, a);
    if (!fact) continue;
    const expansion = actionExpansion(catalog, fact);
    const together = listResources(catalog, expansion);
    const each = expansion.map((x) => acceptedResources(catalog, x));
    assert.equal(together.anything, each.some((x) => x.unknown || x.starOnly), a);
    assert.deepEqual(new Set(together.formatLists), new Set(each.map((x) => x.formats)), a);
    assert.equal(together.formatLists.length, new Set(each.map((x) => x.formats)).size, a);
    assert.equal(listResources(catalog, expansion), together, a);
    if (together.anything) anything++;
  }
  assert.ok(anything > 1_000 && anything < actions.size - 1_000, `${anything} accept anything`);
  for (const r of resources) assertResourceFact(r, true);
});

/** Runs a full garbage collection (exposed for the test only). */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

test('the memos keep no file text alive: a fact (or the KMS actions of a string) read from a slice of a large text holds a copy', () => {
  const heap = () => {
    collectGarbage();
    return process.memoryUsage().heapUsed;
  };
  const before = heap();
  // 40 texts of 1 MB, each with an action and a resource read as slices of the text (as
  // parsed strings of 13 characters or more are).
  for (let i = 0; i < 40; i++) {
    const action = `kms:GenerateDataKeyPairWithoutPlaintext${i}`;
    const resource = `arn:aws:s3:::bucket-number-${i}/*`;
    const text = `"${action}" "${resource}" ${'x'.repeat(1_000_000 + i)}`;
    assert.equal(actionFact(catalog, text.slice(1, 1 + action.length))?.name, `GenerateDataKeyPairWithoutPlaintext${i}`);
    assert.equal(resourceFact(text.slice(action.length + 4, action.length + 4 + resource.length), true).service, 's3');
    assert.deepEqual(kmsActionsOf(catalog, text.slice(1, 1 + action.length)), []);
  }
  const grown = heap() - before;
  assert.ok(grown < 10_000_000, `the heap grew by ${(grown / 1e6).toFixed(1)} MB: the memos keep file texts alive`);
});

test('kind detection reads the first of duplicate Action keys, NotAction without Action, and principals of any statement', () => {
  const kind = (text: string) => detectKind(parseJson(text).root!);
  assert.equal(kind('{"Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Action":"sts:AssumeRole"}]}'), 'kms-key-policy');
  assert.equal(kind('{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Action":"kms:Decrypt"}]}'), 'iam-trust-policy');
  assert.equal(kind('{"Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"x"},"NotAction":"kms:Decrypt"}]}'), 'kms-key-policy');
  assert.equal(kind('{"Statement":[{"Effect":"Allow","Action":"kms:Decrypt"},{"Principal":{"Service":"ec2.amazonaws.com"},"Action":["sts:AssumeRole"]}]}'), 'iam-trust-policy');
  assert.equal(kind('{"Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}'), 'iam-identity-policy');
  assert.equal(kind('{"Statement":[{}]}'), 'unknown');
  assert.equal(kind('{"Statement":[]}'), 'unknown');
  assert.equal(kind('{"Statement":[{"Principal":"*","Action":"s3:GetObject"}]}'), 'unknown');
});

test('the KMS actions of a spelling stay right past the memo\'s bound', () => {
  for (let i = 0; i < 12_000; i++) kmsActionsOf(catalog, `kms:Decrypt${i}*`);
  assert.deepEqual(kmsActionsOf(catalog, 'kms:Decrypt'), ['decrypt']);
  assert.deepEqual(kmsActionsOf(catalog, 'KMS:ReEncrypt*').sort(), ['reencryptfrom', 'reencryptto']);
  assert.deepEqual(kmsActionsOf(catalog, 's3:GetObject'), []);
});
