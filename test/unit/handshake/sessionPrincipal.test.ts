/**
 * A key policy naming an assumed-role session (`arn:aws:sts::B:assumed-role/App/alice`) lets
 * in only the sessions of role App named alice, not the role: the handshake's access for the
 * role is conditional ("only sessions named alice"), never certain; the graph's edge is dashed.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { handshakeHover } from '../../../server/src/core/features/handshakeHover';
import { keyAccess } from '../../../server/src/core/features/keyAccess';
import { formatGraph } from '../../../server/src/core/features/keyAccessGraph';
import { A, B, KEY, expectWorkspace, identityPolicy, keyPolicy, manifest, role, single } from './workspaceFixture';

const M = '/ws/policy-handshake.json';
const K = '/ws/keys/key.json';
const APP = '/ws/b/app/p.json';
const SESSION = `arn:aws:sts::${B}:assumed-role/App/alice`;
const trustSession = (actions = '"kms:Decrypt"') => `{"Sid": "Trust", "Effect": "Allow", "Principal": {"AWS": "${SESSION}"}, "Action": ${actions}, "Resource": "*"}`;
const grant = (actions: string) => `{"Sid": "Use", "Effect": "Allow", "Action": ${actions}, "Resource": "${KEY}"}`;

test('a session principal: the key-side hover says only sessions named alice', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(trustSession()),
    [APP]: identityPolicy(grant('"kms:Decrypt"')),
  });
  const h = handshakeHover(s.ws, K, s.texts[K].indexOf('assumed-role') + 3);
  assert.equal(h?.markdown, `**Handshake** · \`${KEY}\`\n\n`
    + `Trusts \`assumed-role/App/alice\` of workloads (${B}) for kms:Decrypt.\n\n`
    + 'Can use this key:\n- `role/App`: kms:Decrypt — b/app/p.json:4 (conditional: only sessions named alice)\n\n'
    + 'Searched 1 known principal and 1 identity policy in 1 file.');
});

test('a session principal: the grant-side hover and the exceeds message say only sessions named alice', () => {
  const s = expectWorkspace({
    [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
    [K]: keyPolicy(trustSession()),
    [APP]: identityPolicy(`{"Sid": "Use", "Effect": "Allow", "Action": ["kms:Decrypt", «iam-grant-exceeds-key-policy:"kms:Encrypt"»], "Resource": "${KEY}"}`),
  });
  const h = handshakeHover(s.ws, APP, s.texts[APP].indexOf(KEY) + 5);
  assert.match(h?.markdown ?? '', /`role\/App` can use kms:Decrypt \(only sessions named alice\) — trusted by "Trust" at keys\/key\.json:5\./);
  assert.equal(single(s.ws, APP, 'iam-grant-exceeds-key-policy').message, 'kms:Encrypt has no effect on the key: remove it, or allow it in the key policy. '
    + `The key policy of ${KEY} (keys/key.json) allows role/App only kms:Decrypt (only sessions named alice).`);
});

test('a session principal: key access lists the role as conditional, and the graph edge is dashed; naming the role too makes it certain', () => {
  const graph = (keyText: string) => {
    const s = expectWorkspace({
      [M]: manifest({ [role(B, 'App')]: ['b/app/*.json'] }),
      [K]: keyText,
      [APP]: identityPolicy(grant('"kms:Decrypt"')),
    });
    const b = keyAccess(s.ws)[0].accounts.find((a) => a.account === B)!;
    const hover = handshakeHover(s.ws, APP, s.texts[APP].indexOf(KEY) + 5)?.markdown ?? '';
    return { principals: b.principals.map((p) => `${p.label}: ${p.actions.join(', ')} [${p.conditions.join('; ')}]`), mermaid: formatGraph(keyAccess(s.ws), 'mermaid'), hover };
  };
  const only = graph(keyPolicy(trustSession()));
  assert.deepEqual(only.principals, ['role/App: kms:Decrypt [only sessions named alice]']);
  assert.match(only.mermaid, /p\d -\.->\|"kms:Decrypt \(conditional\)"\| k1/);
  const both = graph(keyPolicy(trustSession(), `{"Sid": "Role", "Effect": "Allow", "Principal": {"AWS": "${role(B, 'App')}"}, "Action": "kms:Decrypt", "Resource": "*"}`));
  assert.deepEqual(both.principals, ['role/App: kms:Decrypt []']);
  assert.match(both.mermaid, /p\d -->\|"kms:Decrypt"\| k1/);
  // The grant side: the role is trusted whole by "Role", for certain.
  assert.match(both.hover, /`role\/App` can use kms:Decrypt — trusted by "Trust" at keys\/key\.json:5, "Role" at keys\/key\.json:6\./);
});

test('a session of a role of the key\'s own account: its grant is not without trust, and works only for that session name', () => {
  const LOCAL = '/ws/a/local/p.json';
  const s = expectWorkspace({
    [M]: manifest({ [role(A, 'Local')]: ['a/local/*.json'] }),
    [K]: `{"Version": "2012-10-17", "Statement": [
      {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": "${role(A, 'Admin')}"}, "Action": "kms:*", "Resource": "*"},
      {"Sid": "Bob", "Effect": "Allow", "Principal": {"AWS": "arn:aws:sts::${A}:assumed-role/Local/bob"}, "Action": "kms:Decrypt", "Resource": "*"}
    ]}`,
    [LOCAL]: identityPolicy(grant('"kms:Decrypt"')),
  });
  const h = handshakeHover(s.ws, LOCAL, s.texts[LOCAL].indexOf(KEY) + 5);
  assert.match(h?.markdown ?? '', /`role\/Local` can use kms:Decrypt \(only sessions named bob\) — trusted by "Bob" at keys\/key\.json:3\./);
});
