/**
 * The narrowing fixes on CDK output: a key stack synthesized here by aws-cdk-lib trusts
 * account B through `iam.AccountPrincipal`, which CDK writes as a `Fn::Join` of
 * `Ref AWS::Partition` and the account (a literal one, or a `Ref` of a stack parameter); two
 * named roles of B's stack have grants on the key. The fixes keep the Join's parts; each fixed
 * template is read again.
 */
import { before, after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as cdk from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Finding } from '../../../server/src/core/findings';
import type { JsonNode } from '../../../server/src/core/json/jsonDocument';
import { prop } from '../../../server/src/core/json/nodes';
import { readStatements } from '../../../server/src/core/model/policyDocument';
import { resolveString } from '../../../server/src/core/model/templateValues';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { A, B, applyFix } from './workspaceFixture';

const KEYS = 'cdk.out/KeyStack.template.json';
const READER = `arn:aws:iam::${B}:role/app-reader`;
const WRITER = `arn:aws:iam::${B}:role/app-writer`;

let dir: string;
const files: Record<string, string> = {};

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-cdk-narrow-'));
  const app = new cdk.App({ outdir: path.join(dir, 'cdk.out'), builtinCloudFormationValidation: false });
  // Account A: one key trusting B by its account id, one trusting the account a stack parameter names.
  const keys = new cdk.Stack(app, 'KeyStack', { env: { account: A, region: 'us-east-1' } });
  const partner = new cdk.CfnParameter(keys, 'PartnerAccount', { type: 'String' });
  new kms.Key(keys, 'LiteralKey').grantDecrypt(new iam.AccountPrincipal(B));
  new kms.Key(keys, 'ParamKey').grantDecrypt(new iam.AccountPrincipal(partner.valueAsString));
  // Account B: two named roles allowed kms:Decrypt on A's keys.
  const apps = new cdk.Stack(app, 'AppStack', { env: { account: B, region: 'us-east-1' } });
  for (const name of ['app-reader', 'app-writer']) {
    const role = new iam.Role(apps, name, { roleName: name, assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [`arn:aws:kms:us-east-1:${A}:key/*`] }));
  }
  app.synth();
  for (const name of fs.readdirSync(path.join(dir, 'cdk.out'))) {
    if (name.endsWith('.json')) files[`cdk.out/${name}`] = fs.readFileSync(path.join(dir, 'cdk.out', name), 'utf8');
  }
  // The parameter's value for the key stack.
  files['policy-handshake.json'] = JSON.stringify({ templates: [{ files: KEYS, account: A, region: 'us-east-1', parameters: { PartnerAccount: B } }] });
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

function workspace(): Workspace {
  const ws = new Workspace();
  ws.updateFiles(Object.entries(files).map(([p, text]) => ({ path: p, text })));
  return ws;
}

/** The key resource (`LiteralKey…`, `ParamKey…`) whose text holds the finding. */
function keyOf(text: string, f: Finding): string {
  const ids = [...text.matchAll(/^ {2}"([A-Za-z]+)[0-9A-F]{8}": \{\n {3}"Type"/gm)].map((m) => ({ id: m[1], at: m.index! }));
  return ids.filter((r) => r.at <= f.span.offset).pop()?.id ?? '(none)';
}

function broader(ws: Workspace, key: string): Finding {
  const text = ws.text(KEYS)!;
  const found = ws.findings(KEYS).filter((f) => f.checkId === 'root-principal-broader-than-grants' && keyOf(text, f) === key);
  assert.equal(found.length, 1, key);
  return found[0];
}

const items = (n: JsonNode): JsonNode[] => (n.type === 'array' ? n.children! : [n]);

/**
 * Apply the fix of `key`'s finding (id, title) and read the template again: no parse problem, no
 * root-principal finding left on that key; the trusting statement's principals and its
 * aws:PrincipalArn values, resolved.
 */
function apply(key: string, id: string, title: RegExp): { text: string; principals: (string | undefined)[]; condition: (string | undefined)[] } {
  const ws = workspace();
  const fix = (broader(ws, key).fixes ?? []).find((x) => x.id === id && title.test(x.title));
  assert.ok(fix, `${key} ${id} ${title}`);
  applyFix(ws, KEYS, fix);
  const text = ws.text(KEYS)!;
  const found = ws.discovered(KEYS)!;
  assert.deepEqual(found.json.problems, [], text);
  assert.deepEqual(ws.findings(KEYS).filter((f) => (/^root-principal/.test(f.checkId) && keyOf(text, f) === key) || f.severity === 'error' || f.checkId === 'internal-error').map((f) => f.checkId), [], text);
  const doc = found.documents.find((d) => d.kind === 'kms-key-policy' && d.owner.label?.startsWith(key))!;
  const statement = readStatements(doc.root).find((s) => s.effect === 'Allow' && JSON.stringify(s.elements.Action?.value?.value) === '"kms:Decrypt"')!;
  const aws = prop(statement.elements.Principal!.value, 'AWS')!.value!;
  const condition = prop(prop(statement.elements.Condition?.value, 'ArnEquals')?.value, 'aws:PrincipalArn')?.value;
  return {
    text,
    principals: items(aws).map((n) => resolveString(n, doc.template)),
    condition: condition ? items(condition).map((n) => resolveString(n, doc.template)) : [],
  };
}

const LITERAL_PRINCIPAL = `       "Principal": {
        "AWS": {
         "Fn::Join": [
          "",
          [
           "arn:",
           {
            "Ref": "AWS::Partition"
           },
           ":iam::444455556666:root"
          ]
         ]
        }
       },`;

const PARAM_STATEMENT = `       "Principal": {
        "AWS": {
         "Fn::Join": [
          "",
          [
           "arn:",
           {
            "Ref": "AWS::Partition"
           },
           ":iam::",
           {
            "Ref": "PartnerAccount"
           },
           ":root"
          ]
         ]
        }
       },
       "Resource": "*"
      }`;

test('CDK output: the Fn::Join trust of B is what CDK writes, and is broader than the grants of the two roles', () => {
  const text = files[KEYS];
  assert.equal(text.split(LITERAL_PRINCIPAL).length, 2);
  assert.equal(text.split(PARAM_STATEMENT).length, 2);
  const ws = workspace();
  assert.match(broader(ws, 'LiteralKey').message, /^Trusts all of 444455556666, but only 2 of its principals use this key/);
  assert.match(broader(ws, 'ParamKey').message, /^Trusts all of 444455556666, but only 2 of its principals use this key/);
});

test('CDK output: narrow-root-to-role keeps the Fn::Join: one role changes its last part, two roles give a list of Fn::Join', () => {
  const one = apply('LiteralKey', 'narrow-root-to-role', /^Narrow the principal to arn:aws:iam::444455556666:role\/app-reader /);
  assert.equal(one.text, files[KEYS].replace(LITERAL_PRINCIPAL, LITERAL_PRINCIPAL.replace('":iam::444455556666:root"', '":iam::444455556666:role/app-reader"')));
  assert.deepEqual(one.principals, [READER]);
  const two = apply('LiteralKey', 'narrow-root-to-role', /^Narrow the principal to the 2 principals/);
  assert.equal(two.text, files[KEYS].replace(LITERAL_PRINCIPAL, `       "Principal": {
        "AWS": [
         { "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":iam::444455556666:role/app-reader"]] },
         { "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":iam::444455556666:role/app-writer"]] }
        ]
       },`));
  assert.deepEqual(two.principals, [READER, WRITER]);
  const param = apply('ParamKey', 'narrow-root-to-role', /^Narrow the principal to the 2 principals/);
  assert.equal(param.text, files[KEYS].replace(PARAM_STATEMENT, `       "Principal": {
        "AWS": [
         { "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":iam::", { "Ref": "PartnerAccount" }, ":role/app-reader"]] },
         { "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":iam::", { "Ref": "PartnerAccount" }, ":role/app-writer"]] }
        ]
       },
       "Resource": "*"
      }`));
  assert.deepEqual(param.principals, [READER, WRITER]);
});

test('CDK output: narrow-root-with-condition names each role as a Fn::Join of the same parts, laid out as the template is', () => {
  const cond = apply('ParamKey', 'narrow-root-with-condition', /./);
  assert.equal(cond.text, files[KEYS].replace(PARAM_STATEMENT, `${PARAM_STATEMENT.slice(0, -'\n      }'.length)},
       "Condition": {
        "ArnEquals": {
         "aws:PrincipalArn": [
          {
           "Fn::Join": [
            "",
            [
             "arn:",
             {
              "Ref": "AWS::Partition"
             },
             ":iam::",
             {
              "Ref": "PartnerAccount"
             },
             ":role/app-reader"
            ]
           ]
          },
          {
           "Fn::Join": [
            "",
            [
             "arn:",
             {
              "Ref": "AWS::Partition"
             },
             ":iam::",
             {
              "Ref": "PartnerAccount"
             },
             ":role/app-writer"
            ]
           ]
          }
         ]
        }
       }
      }`));
  assert.deepEqual([cond.principals, cond.condition], [[`arn:aws:iam::${B}:root`], [READER, WRITER]]);
});
