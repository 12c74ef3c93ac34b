/**
 * KMS grants in the Key access picture (the view and `policy-handshake graph`): the grantee of
 * an `aws_kms_grant` on the key appears under its account with the grant's operations, marked
 * as reaching the key through the grant (its constraint as its condition), and its place is
 * the grant's declaration.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { keyAccess } from '../../../server/src/core/features/keyAccess';
import { formatGraph, keyAccessGraph } from '../../../server/src/core/features/keyAccessGraph';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { withHclParser } from '../../support/hcl';
import { A, B, KEY_ARN, appKeyTf, twoAccountManifest } from './twoAccounts';

withHclParser();

const KEY_TF = `${appKeyTf()}
resource "aws_kms_grant" "reader" {
  name              = "reader"
  key_id            = aws_kms_key.app.key_id
  grantee_principal = "arn:aws:iam::${B}:role/Reader"
  operations        = ["Decrypt", "DescribeKey"]
  constraints {
    encryption_context_equals = { App = "reports" }
  }
}

resource "aws_kms_grant" "batch" {
  name              = "batch"
  key_id            = aws_kms_key.app.key_id
  grantee_principal = "arn:aws:iam::${A}:role/Batch"
  operations        = ["Encrypt", "GenerateDataKey"]
}
`;

function workspace(): Workspace {
  const ws = new Workspace();
  ws.updateFile('/w/policy-handshake.json', twoAccountManifest({ keyFile: 'security/key.tf' }));
  ws.updateFile('/w/security/key.tf', KEY_TF);
  return ws;
}

test('key access: the grantees of KMS grants under their accounts, through the grant, constraints as conditions, placed at the grant', () => {
  const ws = workspace();
  const [key] = keyAccess(ws);
  assert.equal(key.arn, KEY_ARN);
  const text = ws.text('/w/security/key.tf')!;
  const shown = key.accounts.map((a) => ({
    account: a.account,
    own: a.own,
    principals: a.principals.map((p) => ({ label: p.label, arn: p.arn, actions: p.actions, conditions: p.conditions, grant: p.grant, opens: p.places.map((x) => text.slice(x.span.offset, x.span.offset + 30)) })),
  }));
  assert.deepEqual(shown, [
    { account: A, own: true, principals: [
      { label: 'role/Batch', arn: `arn:aws:iam::${A}:role/Batch`, actions: ['kms:Encrypt', 'kms:GenerateDataKey'], conditions: [], grant: 'aws_kms_grant.batch', opens: ['resource "aws_kms_grant" "batc'] },
    ] },
    { account: B, own: false, principals: [
      { label: 'role/Reader', arn: `arn:aws:iam::${B}:role/Reader`, actions: ['kms:Decrypt', 'kms:DescribeKey'], conditions: ['the grant\'s constraint: encryption context equal to {"App":"reports"}'], grant: 'aws_kms_grant.reader', opens: ['resource "aws_kms_grant" "read'] },
    ] },
  ]);
});

test('graph: a KMS grant is an edge from its grantee labelled "through a grant", dashed when the grant has a constraint', () => {
  const keys = keyAccess(workspace());
  const g = keyAccessGraph(keys);
  assert.deepEqual(g.edges.filter((e) => e.grant).map((e) => [g.nodes.find((n) => n.id === e.from)!.label, e.actions.join(', '), e.conditional, e.grant]), [
    ['role/Batch', 'kms:Encrypt, kms:GenerateDataKey', false, 'aws_kms_grant.batch'],
    ['role/Reader', 'kms:Decrypt, kms:DescribeKey', true, 'aws_kms_grant.reader'],
  ]);
  assert.equal(formatGraph(keys, 'mermaid'), `flowchart LR
  subgraph acct1["security (${A})"]
    k1[("key/1234abcd-12ab-34cd-56ef-1234567890ab")]
    a1{{"whole account"}}
    p1["role/Batch"]
  end
  subgraph acct2["workloads (${B})"]
    p2["role/Reader"]
  end
  a1 -->|"kms:*"| k1
  p1 -->|"kms:Encrypt, kms:GenerateDataKey (through a grant)"| k1
  p2 -.->|"kms:Decrypt, kms:DescribeKey (through a grant; conditional)"| k1
`);
});
