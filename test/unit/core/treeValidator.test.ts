/**
 * The validator that reads parse trees (schema/treeValidator.ts) must agree with ajv's
 * generated validators on every document where it answers: real policies of the corpus,
 * hand-written edge cases, and thousands of seeded mutations of them, for every policy kind.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { parseJson } from '../../../server/src/core/json/jsonDocument';
import { toValue } from '../../../server/src/core/json/nodes';
import type { PolicyKind } from '../../../server/src/core/model/policyDocument';
import { policyTreeValidator, policyValidator } from '../../../server/src/core/schema/policySchemas';
import { corpusMissing, corpusPath, walk } from '../../support/corpus';
import { needs } from '../../support/needs';

const KINDS: PolicyKind[] = ['kms-key-policy', 'iam-identity-policy', 'iam-trust-policy', 'unknown'];

/** Compares both validators on a text for every kind; returns how many answers the tree validator gave. */
function compare(text: string, label: string): number {
  const json = parseJson(text);
  if (!json.root) return 0;
  let answered = 0;
  for (const kind of KINDS) {
    let tree: boolean | undefined;
    try {
      tree = policyTreeValidator(kind)!(json.root);
    } catch (e) {
      assert.fail(`${label} as ${kind}: the tree validator threw ${String(e)}\n${text.slice(0, 400)}`);
    }
    const ajv: boolean = policyValidator(kind)(toValue(json.root)) as boolean;
    if (tree === undefined) continue;
    answered++;
    assert.equal(tree, ajv, `${label} as ${kind}: tree validator says ${tree}, ajv ${ajv}\n${text.slice(0, 400)}`);
  }
  return answered;
}

test('the tree validator compiles for every policy kind', () => {
  for (const kind of KINDS) assert.equal(typeof policyTreeValidator(kind), 'function', kind);
});

const HAND_WRITTEN: string[] = [
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}',
  '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["kms:Decrypt"],"Resource":["*"]}}',
  '{"Version":"2012-10-18","Statement":[]}',
  '{"Version":2012,"Statement":[]}',
  '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}]}',
  '{"Statement":[{"Effect":"Allow","Principal":"**","Action":"kms:*","Resource":"*"}]}',
  '{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root"]},"Action":"kms:*","Resource":"*"}]}',
  '{"Statement":[{"Effect":"Allow","Principal":{"AWS":[1]},"Action":"kms:*","Resource":"*"}]}',
  '{"Statement":[{"Effect":"Allow","Principal":{"Aws":"x"},"Action":"kms:*","Resource":"*"}]}',
  '{"Statement":[{"Effect":"Allow","Principal":"*","NotPrincipal":"*","Action":"kms:*","Resource":"*"}]}',
  '{"Statement":[{"Effect":"Allow","Action":"kms:Decrypt","NotAction":"kms:Encrypt","Resource":"*"}]}',
  '{"Statement":[{"Effect":"Allow","Resource":"*"}]}',
  '{"Statement":[{"Effect":"Allow","Action":"kms:Decrypt"}]}',
  '{"Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","NotResource":"*"}]}',
  '{"Statement":[{"Effect":"allow","Action":"kms:Decrypt","Resource":"*"}]}',
  '{"Statement":[{"Effect":"Allow","Action":"kms Decrypt","Resource":"*"}]}',
  '{"Statement":[{"Effect":"Allow","Action":"kms:Decrypt:x","Resource":"*"}]}',
  '{"Statement":[{"Effect":"Allow","Action":["*"],"Resource":"*"}]}',
  '{"Statement":[{"Effect":"Allow","Action":[],"Resource":[]}]}',
  '{"Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":["1",2,true]}}}]}',
  '{"Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":[null]}}}]}',
  '{"Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":{"a":1}}}}]}',
  '{"Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":"x"}}]}',
  '{"Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":[]}]}',
  '{"Statement":[{"Sid":1,"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}',
  '{"Statement":[{"Sid":"a","Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Extra":1}]}',
  '{"Id":"x","Statement":[{"Effect":"Deny","NotAction":"kms:Decrypt","NotResource":"arn:aws:s3:::b"}]}',
  '{"Id":5,"Statement":[{"Effect":"Deny","NotAction":"kms:Decrypt","NotResource":"arn:aws:s3:::b"}]}',
  '{"Statement":"x"}',
  '{"Statement":null}',
  '{"Statement":[null, 1, "a"]}',
  '{"Version":"2012-10-17"}',
  '{"Version":"2012-10-17","Statement":[],"Other":1}',
  '{"__proto__":{"a":1},"Statement":[]}',
  '{"Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
  '{"Statement":[{"Effect":"Allow","Principal":{"Federated":"x"},"Action":"sts:AssumeRoleWithWebIdentity","Resource":"*"}]}',
  '[]',
  '"x"',
  '{"Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"NumericLessThan":{"kms:x":1.5}}}]}',
];

test('hand-written documents: the tree validator agrees with ajv wherever it answers', () => {
  let answered = 0;
  for (const text of HAND_WRITTEN) answered += compare(text, 'hand-written');
  assert.ok(answered >= HAND_WRITTEN.length * 3, `only ${answered} answers`);
});

test('a key given twice, or a property without a value, is left to ajv', () => {
  const validate = policyTreeValidator('iam-identity-policy')!;
  const twice = parseJson('{"Statement":[{"Effect":"Deny","Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}');
  assert.equal(validate(twice.root!), undefined);
  const broken = parseJson('{"Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":}]}');
  assert.equal(validate(broken.root!), undefined);
  // The same document without the problem is answered.
  assert.equal(validate(parseJson('{"Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}').root!), true);
});

/** Seeded mutations of a policy value: types changed, keys added, removed, renamed, values swapped. */
function* mutations(value: unknown, seed: number, count: number): Generator<string> {
  let state = seed >>> 0 || 1;
  const random = (n: number) => {
    state ^= state << 13; state ^= state >>> 17; state ^= state << 5;
    return (state >>> 0) % n;
  };
  const replacements: unknown[] = ['*', 'kms:Decrypt', 'kms Decrypt', 'Allow', 'Maybe', 1, true, null, [], {}, ['a', 1], { AWS: '*' }, { StringEquals: { 'aws:x': 'y' } }, '2012-10-17'];
  const keys = ['Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition', 'Sid', 'Version', 'Id', 'Statement', 'AWS', 'Service', 'Bogus'];
  for (let i = 0; i < count; i++) {
    const copy = JSON.parse(JSON.stringify(value)) as unknown;
    // Pick a random container and change it.
    const containers: (Record<string, unknown> | unknown[])[] = [];
    const visit = (v: unknown) => {
      if (v && typeof v === 'object') {
        containers.push(v as Record<string, unknown>);
        for (const c of Object.values(v as object)) visit(c);
      }
    };
    visit(copy);
    if (containers.length === 0) continue;
    for (let k = 1 + random(2); k > 0; k--) {
      const target = containers[random(containers.length)];
      const names = Object.keys(target);
      const what = random(4);
      if (Array.isArray(target)) {
        if (what === 0 && target.length) target.splice(random(target.length), 1);
        else target[random(target.length + 1)] = replacements[random(replacements.length)];
      } else if (what === 0 && names.length) delete target[names[random(names.length)]];
      else if (what === 1) target[keys[random(keys.length)]] = replacements[random(replacements.length)];
      else if (names.length) target[names[random(names.length)]] = replacements[random(replacements.length)];
    }
    yield JSON.stringify(copy);
  }
}

test('seeded mutations of hand-written documents: the same answers', () => {
  let answered = 0;
  HAND_WRITTEN.forEach((text, i) => {
    const value = JSON.parse(text) as unknown;
    for (const m of mutations(value, 1000 + i, 60)) answered += compare(m, `mutation ${i}`);
  });
  assert.ok(answered > 4000, `only ${answered} answers`);
});

test('the corpus (managed policies, key policies, linter fixtures) and mutations of it: the same answers', needs('corpus', corpusMissing()), () => {
  const files = [...walk(corpusPath('aws-managed'), '.json'), ...walk(corpusPath('kms-key-policies'), '.json'), ...walk(corpusPath('linter-fixtures'), '.json')];
  assert.ok(files.length > 1500);
  let answered = 0;
  let valid = 0;
  files.forEach((file, i) => {
    const text = fs.readFileSync(file, 'utf8');
    answered += compare(text, file);
    const root = parseJson(text).root;
    if (root && policyTreeValidator('iam-identity-policy')!(root) === true) valid++;
    if (i % 10 === 0) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        // Not JSON (a fixture of a syntax error): the text itself was compared above.
        return;
      }
      for (const m of mutations(value, i, 8)) answered += compare(m, `mutation of ${file}`);
    }
  });
  assert.ok(valid > 1000, `only ${valid} valid identity policies`);
  assert.ok(answered > 5000, `only ${answered} answers`);
});
