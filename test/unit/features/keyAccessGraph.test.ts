/**
 * `policy-handshake graph`: who can use each key as Mermaid, Graphviz dot and JSON, on the
 * shipped examples (exact output), and bad usage.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../../server/src/cli/main';
import { repoRoot } from '../../support/corpus';

function graph(...args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runCli(['graph', ...args], { stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, cwd: repoRoot });
  return { code, out, err };
}

const KEY = 'key/1234abcd-12ab-34cd-56ef-1234567890ab';

test('graph of examples/cross-account as Mermaid (the default): accounts as subgraphs, edges labelled with the actions', () => {
  const { code, out } = graph('examples/cross-account');
  assert.equal(code, 0);
  assert.equal(out, `flowchart LR
  subgraph acct1["security (111122223333)"]
    k1[("${KEY}")]
    a1{{"whole account"}}
  end
  subgraph acct2["workloads (444455556666)"]
    p1["role/AppReader"]
    p2["role/DataPipeline"]
    a2{{"whole account"}}
  end
  a1 -->|"kms:*"| k1
  p1 -->|"kms:Decrypt, kms:DescribeKey"| k1
  p2 -->|"kms:Encrypt, kms:GenerateDataKey"| k1
  a2 --x|"kms:CreateGrant, kms:ListGrants, kms:RevokeGrant (no effect: no principal of the account has an IAM grant for them on this key)"| k1
`);
});

test('graph of examples/organization as dot: a service-only grant is dashed, an untrusted grant crossed out', () => {
  const { code, out } = graph('examples/organization', '--format', 'dot');
  assert.equal(code, 0);
  assert.equal(out, `digraph keyAccess {
  rankdir=LR;
  node [fontname="Helvetica"];
  edge [fontname="Helvetica", fontsize=10];
  subgraph cluster_1 {
    label="security (111122223333)";
    k1 [label="key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0", shape=cylinder];
    a1 [label="whole account", shape=hexagon];
    k2 [label="key/9f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0", shape=cylinder];
  }
  subgraph cluster_2 {
    label="partner (210987654321)";
    p1 [label="role/Auditor", shape=box];
  }
  subgraph cluster_3 {
    label="workloads (444455556666)";
    p2 [label="role/LogReader", shape=box];
    p4 [label="role/DataWriter", shape=box];
  }
  subgraph cluster_4 {
    label="analytics (777788889999)";
    p3 [label="role/Etl", shape=box];
  }
  a1 -> k1 [label="kms:*"];
  p1 -> k1 [label="kms:Decrypt (no effect: the key policy does not trust this principal or its account)", style=dotted, color=red, arrowhead=tee];
  p2 -> k1 [label="kms:Decrypt, kms:DescribeKey"];
  p3 -> k1 [label="kms:Decrypt"];
  a1 -> k2 [label="kms:*"];
  p4 -> k2 [label="kms:Decrypt, kms:GenerateDataKey (only via s3.us-west-2.amazonaws.com)", style=dashed];
}
`);
});

test('graph of examples/cross-account as JSON: accounts, nodes and edges', () => {
  const { code, out } = graph('examples/cross-account', '--format=json');
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(out), {
    accounts: [
      { account: '111122223333', name: 'security', nodes: ['k1', 'a1'] },
      { account: '444455556666', name: 'workloads', nodes: ['p1', 'p2', 'a2'] },
    ],
    nodes: [
      { id: 'k1', kind: 'key', label: KEY, account: '111122223333', arn: `arn:aws:kms:us-west-2:111122223333:${KEY}` },
      { id: 'a1', kind: 'account', label: 'whole account', account: '111122223333' },
      { id: 'p1', kind: 'principal', label: 'role/AppReader', account: '444455556666', arn: 'arn:aws:iam::444455556666:role/AppReader' },
      { id: 'p2', kind: 'principal', label: 'role/DataPipeline', account: '444455556666', arn: 'arn:aws:iam::444455556666:role/DataPipeline' },
      { id: 'a2', kind: 'account', label: 'whole account', account: '444455556666' },
    ],
    edges: [
      { from: 'a1', to: 'k1', actions: ['kms:*'], conditional: false },
      { from: 'p1', to: 'k1', actions: ['kms:Decrypt', 'kms:DescribeKey'], conditional: false },
      { from: 'p2', to: 'k1', actions: ['kms:Encrypt', 'kms:GenerateDataKey'], conditional: false },
      { from: 'a2', to: 'k1', actions: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], conditional: false, ineffective: 'no principal of the account has an IAM grant for them on this key' },
    ],
  });
});

test('graph: a format of check is bad usage, a folder without key policies is an empty graph', () => {
  const bad = graph('examples/cross-account', '--format', 'sarif');
  assert.equal(bad.code, 2);
  assert.equal(bad.err, 'policy-handshake: --format must be mermaid, dot or json\n');
  const empty = graph('examples/cross-account/workloads', '--format', 'json');
  assert.equal(empty.code, 0);
  assert.deepEqual(JSON.parse(empty.out), { accounts: [], nodes: [], edges: [] });
});

test('the README shows the graph of the shipped example as the command prints it', () => {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const block = /```mermaid\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'a mermaid block in the README');
  assert.equal(block[1], graph('examples/cross-account').out);
});
