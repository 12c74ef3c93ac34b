/**
 * `__proto__`, `constructor` and `prototype` are plain keys in a policy: anywhere they
 * appear (statement, principal map, condition operator, condition key, manifest, template),
 * the findings are those of the same text with an ordinary key of the same length, and
 * Object.prototype is untouched afterwards.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyzeFiles } from '../../../server/src/core/analyze';
import { checkText } from '../../../server/src/core/engine';
import type { Finding } from '../../../server/src/core/findings';
import { hoverAt } from '../../../server/src/core/features/hover';
import { completionsAt } from '../../../server/src/core/features/completion';
import { Workspace } from '../../../server/src/core/workspace/workspace';

/** Each special key and a neutral key of the same length (so every range stays put). */
const KEYS: [string, string][] = [['__proto__', 'zz_protoz'], ['constructor', 'zonstructor'], ['prototype', 'zrototype']];

const POLICY = (k: string) => `{
  "Version": "2012-10-17",
  "${k}": {"polluted": true},
  "Statement": [
    {"Sid": "EnableIam", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root", "${k}": "x"}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "Use", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": ["kms:Decrypt"], "Resource": "*",
     "${k}": {"polluted": true},
     "Condition": {"${k}": {"kms:CallerAccount": "444455556666"}, "StringEquals": {"${k}": "x", "kms:ViaService": "s3.us-west-2.amazonaws.com"}}},
    {"Sid": "${k}", "Effect": "${k}", "Principal": {"${k}": "${k}", "AWS": "${k}"}, "Action": ["${k}", "kms:${k}", "${k}:Decrypt", "kms:${k}*"],
     "Resource": ["${k}", "arn:aws:kms:us-west-2:111122223333:${k}/x"],
     "Condition": {"${k}": {"${k}": "${k}"}, "StringEquals": {"aws:${k}": "${k}", "kms:${k}": "x"}, "ForAnyValue:${k}": {"kms:CallerAccount": "${k}"}}}
  ]
}`;

const VERSIONED = (k: string) => `{"Version": "${k}", "Statement": {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}}`;

const MANIFEST = (k: string) => JSON.stringify({
  [k]: { polluted: true },
  accounts: { [k]: { name: 'x' }, '111122223333': { name: 'security', [k]: 1 } },
  keys: [{ policy: 'key.json', arn: 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', [k]: 'x' }],
  principals: [{ arn: 'arn:aws:iam::444455556666:role/App', policies: ['iam/*.json'], [k]: [] }],
  templates: [{ files: 'template.json', account: '111122223333', region: 'us-west-2', parameters: { KeyAdmin: 'arn:aws:iam::111122223333:role/Admin' } }],
});

const TEMPLATE = (k: string) => JSON.stringify({
  AWSTemplateFormatVersion: '2010-09-09',
  Parameters: { [k]: { Type: 'String' } },
  Resources: {
    [k]: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: { 'Fn::Sub': 'arn:aws:iam::${AWS::AccountId}:root' } }, Action: 'kms:*', Resource: '*' }] } } },
    Role: { Type: 'AWS::IAM::Role', Properties: { [k]: 1, Policies: [{ PolicyName: k, PolicyDocument: { Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: { Ref: k } },
      { Effect: 'Allow', Action: 'kms:Encrypt', Resource: { 'Fn::Sub': `arn:aws:kms:\${AWS::Region}:\${AWS::AccountId}:key/\${${k}}` } },
    ] } }] } },
  },
}, null, 1);

const shape = (fs: Finding[]) => fs.map((f) => `${f.checkId}@${f.span.offset}+${f.span.length}`).sort();

function prototypeSnapshot() {
  return {
    object: Object.getOwnPropertyNames(Object.prototype).sort().join(),
    array: Object.getOwnPropertyNames(Array.prototype).sort().join(),
    fn: Object.getOwnPropertyNames(Function.prototype).sort().join(),
  };
}

for (const [special, plain] of KEYS) {
  test(`"${special}" keys change nothing and pollute nothing`, () => {
    const before = prototypeSnapshot();
    assert.equal(special.length, plain.length);
    for (const make of [POLICY, TEMPLATE, VERSIONED]) {
      const a = checkText('doc.json', make(special));
      const b = checkText('doc.json', make(plain));
      assert.deepEqual(shape(a.findings), shape(b.findings));
      assert.equal(a.discovered?.documents.length, b.discovered?.documents.length);
    }
    const files = (k: string) => [
      { path: '/ws/policy-handshake.json', text: MANIFEST(k) },
      { path: '/ws/key.json', text: POLICY(k) },
      { path: '/ws/iam/app.json', text: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*', [k]: 1 }] }) },
      { path: '/ws/template.json', text: TEMPLATE(k) },
    ];
    const withSpecial = analyzeFiles(files(special), {});
    const withPlain = analyzeFiles(files(plain), {});
    for (let i = 0; i < withSpecial.length; i++) assert.deepEqual(shape(withSpecial[i].findings), shape(withPlain[i].findings), withSpecial[i].file);
    // Editor features: hover and completion at every offset give what the neutral key gives.
    const model = (k: string) => {
      const ws = new Workspace();
      ws.updateFiles([...files(k), { path: '/ws/versioned.json', text: VERSIONED(k) }]);
      return ws;
    };
    const a = model(special);
    const b = model(plain);
    const same = (x: string | undefined) => x?.split(special).join(plain);
    for (const [path, make] of [['/ws/key.json', POLICY], ['/ws/versioned.json', VERSIONED]] as const) {
      for (let o = 0; o <= make(special).length; o++) {
        const ha = hoverAt(a, path, o);
        const hb = hoverAt(b, path, o);
        assert.equal(same(ha?.markdown), hb?.markdown, `hover at ${o} of ${path}`);
        assert.deepEqual(ha?.span, hb?.span);
        const ca = completionsAt(a, path, o);
        const cb = completionsAt(b, path, o);
        assert.deepEqual(ca?.items.map((i) => same(i.label)), cb?.items.map((i) => i.label), `completion at ${o} of ${path}`);
      }
    }
    assert.deepEqual(prototypeSnapshot(), before);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.prototype.toString.call([]), '[object Array]');
  });
}
