/**
 * How a policy's statements are read (`readStatements`): each statement element by its name,
 * the last of duplicate keys counting, as JSON readers take it (the schema reports the
 * others), keys outside the grammar left out, Effect and Sid read from their last key.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseJson } from '../../../server/src/core/json/jsonDocument';
import { principalEntries, readStatements, STATEMENT_ELEMENTS } from '../../../server/src/core/model/policyDocument';

function read(text: string) {
  const root = parseJson(text).root;
  assert.ok(root);
  return { text, statements: readStatements(root) };
}

/** The text of a node, as written. */
const written = (text: string, node: { offset: number; length: number } | undefined) => (node ? text.slice(node.offset, node.offset + node.length) : undefined);

test('readStatements: every element by its name, the last of duplicate keys, other keys left out', () => {
  // Each element twice, the first value marked "1", the second "2"; keys outside the grammar in between.
  const elements = STATEMENT_ELEMENTS.map((name) => `"${name}": "${name}-1", "X${name}": 0, "${name}": "${name}-2"`);
  const { text, statements } = read(`{"Statement": [{${elements.join(', ')}, "Comment": "c"}, {"Effect": "Deny", "Sid": "s", "Effect": "Allow", "Action": ["a:B"]}]}`);
  assert.equal(statements.length, 2);
  const [first, second] = statements;
  for (const name of STATEMENT_ELEMENTS) {
    const e = first.elements[name];
    assert.ok(e, name);
    assert.equal(e.name, name);
    assert.equal(written(text, e.value), `"${name}-2"`, name);
    assert.equal(written(text, e.key), `"${name}"`, name);
    assert.equal(written(text, e.property), `"${name}": "${name}-2"`, name);
    assert.ok(e.key.offset > text.indexOf(`"X${name}"`), name);
  }
  assert.deepEqual(Object.keys(first.elements).filter((k) => first.elements[k as keyof typeof first.elements] !== undefined).sort(), [...STATEMENT_ELEMENTS].sort());
  // "Effect-2" is not a valid effect; "Sid-2" is the Sid.
  assert.equal(first.effect, undefined);
  assert.equal(first.sid, 'Sid-2');
  assert.equal(first.index, 0);
  assert.equal(second.index, 1);
  assert.equal(second.effect, 'Allow');
  assert.equal(second.sid, 's');
  assert.equal(written(text, second.elements.Action?.value), '["a:B"]');
  assert.equal(second.elements.Resource, undefined);
  assert.equal(second.elements.Principal, undefined);
});

test('readStatements: a single statement object, statements that are not objects, Effect and Sid that are not strings', () => {
  const one = read(`{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}`);
  assert.equal(one.statements.length, 1);
  assert.equal(one.statements[0].effect, 'Allow');
  assert.equal(written(one.text, one.statements[0].elements.Resource?.value), '"*"');
  const odd = read(`{"Statement": ["x", 1, {"Effect": ["Allow"], "Sid": 3}, null]}`);
  assert.equal(odd.statements.length, 1);
  assert.equal(odd.statements[0].effect, undefined);
  assert.equal(odd.statements[0].sid, undefined);
  assert.equal(written(odd.text, odd.statements[0].elements.Effect?.value), '["Allow"]');
});

test('principalEntries: a principal type given twice counts once, its last value', () => {
  const text = `{"AWS": "arn:aws:iam::111122223333:root", "Service": "s3.amazonaws.com", "AWS": ["arn:aws:iam::444455556666:role/App"]}`;
  const root = parseJson(text).root;
  assert.deepEqual(principalEntries(root).map((e) => [e.type, e.item.value]), [['Service', 's3.amazonaws.com'], ['AWS', 'arn:aws:iam::444455556666:role/App']]);
});
