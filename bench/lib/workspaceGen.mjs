// Generated workspaces for the scale and cross-file benches: N policy files spread over
// many accounts (key policies, per-role KMS grants, copies of AWS managed policies),
// a policy-handshake.json manifest binding keys and roles, and cross-account grants in
// both directions. Deterministic for a given N. Written to a temp folder, never committed.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const FILES_PER_ACCOUNT = 40;
const ROLES_PER_ACCOUNT = 12;
const KEYS_PER_ACCOUNT = 2;
/** An account trusted by some key policies but absent from the manifest. */
export const UNDESCRIBED_ACCOUNT = '999988887777';
const REGION = 'us-east-1';
const CRYPTO = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];
const ADMIN = ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'];

export const accountId = (i) => String(100000000000 + i * 7919).padStart(12, '0');
const keyId = (i, k) => {
  const h = ((i + 1) * 2654435761 + k * 40503) >>> 0;
  const hex = h.toString(16).padStart(8, '0');
  return `${hex}-${hex.slice(0, 4)}-4${hex.slice(1, 4)}-8${hex.slice(4, 7)}-${(hex + hex).slice(0, 12)}`;
};
export const keyArn = (i, k) => `arn:aws:kms:${REGION}:${accountId(i)}:key/${keyId(i, k)}`;
const root = (i) => `arn:aws:iam::${typeof i === 'string' ? i : accountId(i)}:root`;
const roleArn = (i, r) => `arn:aws:iam::${accountId(i)}:role/${typeof r === 'string' ? r : `role-${r}`}`;

const policy = (statements) => JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2) + '\n';

function keyPolicy(i, k, trusted, extraTrust) {
  const statements = [
    { Sid: 'EnableIamPolicies', Effect: 'Allow', Principal: { AWS: root(i) }, Action: 'kms:*', Resource: '*' },
    { Sid: 'KeyAdministrators', Effect: 'Allow', Principal: { AWS: roleArn(i, 'key-admin') }, Action: ADMIN, Resource: '*' },
  ];
  if (trusted.length) statements.push({ Sid: 'CrossAccountUse', Effect: 'Allow', Principal: { AWS: trusted.map(root) }, Action: CRYPTO, Resource: '*' });
  if (extraTrust.length) statements.push({ Sid: 'PartnerUse', Effect: 'Allow', Principal: { AWS: extraTrust.map(root) }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*', Condition: { StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` } } });
  return policy(statements);
}

const grantPolicy = (arns, actions = ['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey']) =>
  policy([{ Sid: 'UseDataKeys', Effect: 'Allow', Action: actions, Resource: arns }]);

/** The managed-policy texts the identity files are copied from. */
export function managedTexts(managedDir) {
  return readdirSync(managedDir).filter((n) => n.endsWith('.json')).sort().map((n) => ({ name: n, text: readFileSync(join(managedDir, n), 'utf8') }));
}

/**
 * Write a workspace of exactly `n` policy files (plus the manifest) into `dir`.
 * Returns what the benches need: the probe pair for the cross-file edit, counts.
 */
export function generateWorkspace(dir, n, managed) {
  const accounts = Math.max(3, Math.round(n / FILES_PER_ACCOUNT));
  const files = new Map(); // relative path -> text
  const manifest = { accounts: {}, keys: [], principals: [] };
  // Which accounts' roles grant each key: key "i/k" -> set of account indexes.
  const granters = new Map();
  const grants = []; // [account, role, [targetAccount, key][]]
  for (let i = 0; i < accounts; i++) {
    for (let r = 0; r < ROLES_PER_ACCOUNT; r++) {
      const targets = r % 4 === 3 ? [[i, r % KEYS_PER_ACCOUNT]] : [[(i + 1 + (r % 3)) % accounts, (r >> 2) % KEYS_PER_ACCOUNT]];
      if (r % 5 === 0) targets.push([(i + accounts - 1) % accounts, 1]);
      grants.push([i, r, targets]);
      for (const [t, k] of targets) if (t !== i) {
        const key = `${t}/${k}`;
        if (!granters.has(key)) granters.set(key, new Set());
        granters.get(key).add(i);
      }
    }
  }
  let copy = 0;
  for (let i = 0; i < accounts; i++) {
    const id = accountId(i);
    const quota = Math.floor(n / accounts) + (i < n % accounts ? 1 : 0);
    const before = files.size;
    manifest.accounts[id] = { name: `account-${i}` };
    for (let k = 0; k < KEYS_PER_ACCOUNT; k++) {
      const rel = `accounts/${id}/keys/key-${k}.json`;
      const trusted = [...(granters.get(`${i}/${k}`) ?? [])].sort((a, b) => a - b);
      // Some keys also trust a described account that grants nothing, or an undescribed one.
      const extra = [];
      if ((i + k) % 3 === 0) extra.push((i + 7) % accounts === i ? UNDESCRIBED_ACCOUNT : accountId((i + 7) % accounts));
      if ((i + k) % 4 === 1) extra.push(UNDESCRIBED_ACCOUNT);
      files.set(rel, keyPolicy(i, k, trusted, extra));
      manifest.keys.push({ policy: rel, arn: keyArn(i, k) });
    }
    for (let r = 0; r < ROLES_PER_ACCOUNT; r++) {
      manifest.principals.push({ arn: roleArn(i, r), policies: [`accounts/${id}/roles/role-${r}/*.json`] });
    }
    for (const [, r, targets] of grants.filter((g) => g[0] === i)) {
      files.set(`accounts/${id}/roles/role-${r}/kms-access.json`, grantPolicy(targets.map(([t, k]) => keyArn(t, k))));
    }
    while (files.size - before < quota) {
      const m = managed[copy++ % managed.length];
      files.set(`accounts/${id}/roles/role-${copy % ROLES_PER_ACCOUNT}/${copy}-${m.name}`, m.text);
    }
  }
  // The probe: account 0's key trusts account 1's root, and one role of account 1 alone grants it.
  const probeKey = `accounts/${accountId(0)}/keys/probe.json`;
  const probeArn = `arn:aws:kms:${REGION}:${accountId(0)}:key/00000000-1111-4222-8333-444444444444`;
  const probeIam = `accounts/${accountId(1)}/roles/probe-role/kms-probe.json`;
  replaceOneCopy(files, accountId(0), probeKey, policy([
    { Sid: 'EnableIamPolicies', Effect: 'Allow', Principal: { AWS: root(0) }, Action: 'kms:*', Resource: '*' },
    { Sid: 'ProbeUse', Effect: 'Allow', Principal: { AWS: root(1) }, Action: CRYPTO, Resource: '*' },
  ]));
  const probeGrant = grantPolicy([probeArn], ['kms:Decrypt']);
  replaceOneCopy(files, accountId(1), probeIam, probeGrant);
  manifest.keys.push({ policy: probeKey, arn: probeArn });
  manifest.principals.push({ arn: roleArn(1, 'probe-role'), policies: [`accounts/${accountId(1)}/roles/probe-role/*.json`] });

  writeWorkspace(dir, files, manifest);
  return {
    dir,
    files: files.size,
    accounts,
    keys: manifest.keys.length,
    principals: manifest.principals.length,
    bytes: [...files.values()].reduce((s, t) => s + Buffer.byteLength(t), 0),
    probe: {
      keyPolicy: join(dir, probeKey),
      iamPolicy: join(dir, probeIam),
      grantText: probeGrant,
      // Same file with the grant removed: the key's trust of account 1 then has no grant.
      noGrantText: probeGrant.replace('"kms:Decrypt"', '"s3:GetObject"'),
    },
  };
}

/** Swap one managed-policy copy of an account for another file, keeping the count. */
function replaceOneCopy(files, id, rel, text) {
  const victim = [...files.keys()].find((p) => p.startsWith(`accounts/${id}/roles/`) && !p.endsWith('/kms-access.json'));
  if (victim) files.delete(victim);
  files.set(rel, text);
}

/** Write a generated workspace: its files (relative path → text) and its manifest. */
export function writeWorkspace(dir, files, manifest) {
  mkdirSync(dir, { recursive: true });
  for (const [rel, text] of files) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  writeFileSync(join(dir, 'policy-handshake.json'), JSON.stringify(manifest, null, 2) + '\n');
}
