/**
 * The narrowing fixes on a templated JSON key policy (Terraform `templatefile`, `*.json.tpl`)
 * whose account principal is written with a placeholder the manifest gives a value to: each
 * role ARN keeps the placeholder (`arn:aws:iam::${workload_account}:role/Reader`), in the
 * principal and in the condition alternative, never the value of this one deployment; a
 * placeholder of the whole ARN, which the fixes cannot write so, gets no fix. Each fix is
 * applied and the file read again with the manifest's value.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Finding } from '../../../server/src/core/findings';
import { prop } from '../../../server/src/core/json/nodes';
import { readStatements } from '../../../server/src/core/model/policyDocument';
import { resolvedItems } from '../../../server/src/core/model/resolvedValues';
import type { Workspace } from '../../../server/src/core/workspace/workspace';
import { A, B, KEY, applyFix, buildWorkspace, single } from './workspaceFixture';

const KEY_FILE = '/ws/keys/app.json.tpl';
const READER = `arn:aws:iam::${B}:role/Reader`;
const WRITER = `arn:aws:iam::${B}:role/Writer`;
const grant = (action: string) => `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "${action}", "Resource": "${KEY}"}]}`;

/** A key policy template whose Workloads statement trusts `principal` (JSON text). */
const keyTemplate = (principal: string) => `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Own", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${A}:root"}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "Workloads", "Effect": "Allow", "Principal": {"AWS": ${principal}}, "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"}
  ]
}
`;

/** The template bound to account A with `parameters`, and B's roles Reader and Writer with grants on the key. */
function workspace(text: string, parameters: Record<string, string>): Workspace {
  const manifest = JSON.stringify({
    accounts: { [A]: { name: 'security' }, [B]: { name: 'workloads' } },
    keys: [{ policy: 'keys/app.json.tpl', arn: KEY }],
    principals: [{ arn: READER, policies: ['workloads/reader.json'] }, { arn: WRITER, policies: ['workloads/writer.json'] }],
    templates: [{ files: 'keys/app.json.tpl', account: A, region: 'us-west-2', parameters }],
  });
  return buildWorkspace({
    '/ws/policy-handshake.json': manifest,
    [KEY_FILE]: text,
    '/ws/workloads/reader.json': grant('kms:Decrypt'),
    '/ws/workloads/writer.json': grant('kms:Encrypt'),
  }).ws;
}

/** The Workloads statement's principals and ArnEquals aws:PrincipalArn values, as the product reads them. */
function read(ws: Workspace): { principals: (string | undefined)[]; condition: (string | undefined)[] } {
  const doc = ws.discovered(KEY_FILE)!.documents.find((d) => d.kind === 'kms-key-policy')!;
  const workloads = readStatements(doc.root).find((s) => s.sid === 'Workloads')!;
  const arnEquals = prop(workloads.elements.Condition?.value, 'ArnEquals')?.value;
  return {
    principals: resolvedItems(prop(workloads.elements.Principal!.value, 'AWS')!.value, doc.template).map((v) => v.value),
    condition: resolvedItems(prop(arnEquals, 'aws:PrincipalArn')?.value, doc.template).map((v) => v.value),
  };
}

/** Apply the fix (id, title matching) of the file's one broader-than-grants finding; the file must read back without errors. */
function apply(text: string, parameters: Record<string, string>, fixId: string, title: RegExp): { text: string; principals: (string | undefined)[]; condition: (string | undefined)[] } {
  const ws = workspace(text, parameters);
  const f: Finding = single(ws, KEY_FILE, 'root-principal-broader-than-grants');
  const fix = (f.fixes ?? []).find((x) => x.id === fixId && title.test(x.title));
  assert.ok(fix, `${fixId} ${title} among ${(f.fixes ?? []).map((x) => `${x.id}: ${x.title}`).join(' | ')}`);
  applyFix(ws, KEY_FILE, fix);
  const after = ws.text(KEY_FILE)!;
  assert.deepEqual(ws.discovered(KEY_FILE)!.json.problems, [], after);
  assert.deepEqual(ws.findings(KEY_FILE).filter((x) => x.severity === 'error' || /^root-principal|internal-error/.test(x.checkId)).map((x) => x.checkId), [], after);
  return { text: after, ...read(ws) };
}

const ACCOUNT = { workload_account: B };
const ROOT = '"arn:aws:iam::${workload_account}:root"';

test('templated JSON: the ARN placeholder principal narrowed to one role or two keeps ${workload_account}', () => {
  const before = keyTemplate(ROOT);
  const f = single(workspace(before, ACCOUNT), KEY_FILE, 'root-principal-broader-than-grants');
  assert.equal(before.slice(f.span.offset, f.span.offset + f.span.length), ROOT);
  const one = apply(before, ACCOUNT, 'narrow-root-to-role', /^Narrow the principal to arn:aws:iam::444455556666:role\/Reader /);
  assert.equal(one.text, before.replace(ROOT, '"arn:aws:iam::${workload_account}:role/Reader"'));
  assert.deepEqual(one.principals, [READER]);
  const two = apply(before, ACCOUNT, 'narrow-root-to-role', /^Narrow the principal to the 2 principals/);
  // The line would grow past its limit: one ARN a line.
  assert.equal(two.text, before.replace(ROOT, `[
      "arn:aws:iam::\${workload_account}:role/Reader",
      "arn:aws:iam::\${workload_account}:role/Writer"
    ]`));
  assert.deepEqual(two.principals, [READER, WRITER]);
});

test('templated JSON: the condition alternative names the roles with the placeholder, for an ARN or an account id placeholder', () => {
  const before = keyTemplate(ROOT);
  const cond = apply(before, ACCOUNT, 'narrow-root-with-condition', /./);
  assert.equal(cond.text, before.replace('"Resource": "*"}\n  ]', '"Resource": "*", "Condition": { "ArnEquals": { "aws:PrincipalArn": ["arn:aws:iam::${workload_account}:role/Reader", "arn:aws:iam::${workload_account}:role/Writer"] } }}\n  ]'));
  assert.deepEqual([cond.principals, cond.condition], [[`arn:aws:iam::${B}:root`], [READER, WRITER]]);
  const bare = keyTemplate('"${workload_account}"');
  const account = apply(bare, ACCOUNT, 'narrow-root-with-condition', /./);
  assert.equal(account.text, bare.replace('"Resource": "*"}\n  ]', '"Resource": "*", "Condition": { "ArnEquals": { "aws:PrincipalArn": ["arn:aws:iam::${workload_account}:role/Reader", "arn:aws:iam::${workload_account}:role/Writer"] } }}\n  ]'));
  assert.deepEqual([account.principals, account.condition], [[B], [READER, WRITER]]);
  const narrowed = apply(bare, ACCOUNT, 'narrow-root-to-role', /^Narrow the principal to arn:aws:iam::444455556666:role\/Reader /);
  assert.equal(narrowed.text, bare.replace('"${workload_account}"', '"arn:aws:iam::${workload_account}:role/Reader"'));
  assert.deepEqual(narrowed.principals, [READER]);
});

test('templated JSON: a placeholder of the whole root ARN gets no narrowing fix (the account would be hard-coded)', () => {
  const before = keyTemplate('"${trusted_root_arn}"');
  const f = single(workspace(before, { trusted_root_arn: `arn:aws:iam::${B}:root` }), KEY_FILE, 'root-principal-broader-than-grants');
  assert.equal(before.slice(f.span.offset, f.span.offset + f.span.length), '"${trusted_root_arn}"');
  assert.deepEqual((f.fixes ?? []).map((x) => x.id), []);
});
