/**
 * A proposed `policy-handshake.json` for a folder, read from what the workspace holds there:
 * accounts from the ARNs and exports (named after the top folder their files are in), keys from
 * key-policy files and get-key-policy outputs (their ARN from where the workspace names the
 * key), templates from CloudFormation and Terraform files, principals from the folders of bare
 * identity policies (matched with the roles and users the exports and templates know). The
 * editor shows it as a draft to review; nothing is written. Pure.
 */
import { keyOfPolicy } from '../handshake/keyPolicyAnalysis';
import { documentAccount } from '../handshake/identityAnalysis';
import type { PolicyDocument } from '../model/policyDocument';
import { relativePath } from '../relativePaths';
import { MANIFEST_NAME } from '../workspace/manifest';
import type { Workspace } from '../workspace/workspace';

export interface ManifestDraft {
  /** The manifest's text (JSON, two-space indent). */
  text: string;
  /** What the user should check before saving: guesses and placeholders. */
  notes: string[];
}

/** Placeholders the user replaces (the draft says where). */
export const ACCOUNT_PLACEHOLDER = 'ACCOUNT-ID';
export const REGION_PLACEHOLDER = 'REGION';

const ACCOUNT_IN_ARN = /arn:aws[\w-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/g;
const KEY_ARN = /arn:aws[\w-]*:kms:([a-z0-9-]+):(\d{12}):key\/[0-9a-f-]{8,}/g;
const TEMPLATE_SHAPES = new Set(['cloudformation', 'terraform', 'terraform-plan']);

interface FileInfo { rel: string; top?: string; docs: PolicyDocument[]; shape: string; text: string }

/** `app-reader` → `AppReader`. */
function pascal(name: string): string {
  return name.split(/[-_.\s]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

const normalized = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

/** The account a document belongs to, as far as the document tells. */
function docAccount(doc: PolicyDocument): string | undefined {
  if (doc.kind === 'kms-key-policy') return keyOfPolicy(doc).key?.account;
  return documentAccount(doc);
}

export function manifestDraft(ws: Workspace, folder: string): ManifestDraft {
  const notes: string[] = [];
  const files: FileInfo[] = [];
  for (const path of ws.filePaths().sort()) {
    const rel = relativePath(folder, path);
    if (rel === undefined || rel.split('/').pop() === MANIFEST_NAME) continue;
    const d = ws.discovered(path);
    if (!d || d.shape === 'not-a-policy') continue;
    const parts = rel.split('/');
    files.push({ rel, top: parts.length > 1 ? parts[0] : undefined, docs: d.documents, shape: d.shape, text: ws.text(path) ?? '' });
  }

  // Accounts: every account an ARN names, named after the top folder holding its documents.
  const ids = new Set<string>();
  const tops = new Map<string, string[]>();
  for (const f of files) {
    for (const m of f.text.matchAll(ACCOUNT_IN_ARN)) ids.add(m[1]);
    for (const doc of f.docs) {
      const a = docAccount(doc);
      if (!a || !/^\d{12}$/.test(a)) continue;
      ids.add(a);
      if (f.top) tops.set(a, [...(tops.get(a) ?? []), f.top]);
    }
  }
  const accounts: Record<string, { name: string }> = {};
  const folderAccount = new Map<string, string>();
  const used = new Set<string>();
  for (const id of [...ids].sort()) {
    let name = mostCommon(tops.get(id) ?? []);
    if (name && !used.has(name)) folderAccount.set(name, id);
    else name = `account-${id.slice(-4)}`;
    used.add(name);
    accounts[id] = { name };
  }
  if (ids.size) notes.push('Account names come from the folders holding their files (or the last digits of the id): rename them as you call the accounts.');

  // Key ARNs the workspace names, by account.
  const keyArns = new Map<string, Set<string>>();
  const regions: string[] = [];
  for (const f of files) {
    for (const m of f.text.matchAll(KEY_ARN)) {
      keyArns.set(m[2], (keyArns.get(m[2]) ?? new Set()).add(m[0]));
      regions.push(m[1]);
    }
  }
  const region = mostCommon(regions);

  const keys: { policy: string; arn: string }[] = [];
  const templates: { files: string; account: string; region: string }[] = [];
  const principals: { arn: string; policies: string[] }[] = [];
  const identityFolders = new Map<string, { account?: string; files: string[]; bound: Set<string> }>();
  for (const f of files) {
    if (TEMPLATE_SHAPES.has(f.shape)) {
      const account = (f.top && folderAccount.get(f.top)) ?? mostCommon(f.docs.map(docAccount).filter((a): a is string => !!a));
      templates.push({ files: f.rel, account: account ?? ACCOUNT_PLACEHOLDER, region: region ?? REGION_PLACEHOLDER });
      if (!account || !region) notes.push(`${f.rel}: fill in the account and Region the template is deployed to.`);
      continue;
    }
    for (const doc of f.docs) {
      if (doc.kind === 'kms-key-policy' && f.docs.length === 1) {
        const account = docAccount(doc) ?? (f.top ? folderAccount.get(f.top) : undefined);
        const named = account ? [...(keyArns.get(account) ?? [])] : [];
        const owned = doc.owner.keyArn && /:key\/[^*]+$/.test(doc.owner.keyArn) ? doc.owner.keyArn : undefined;
        const arn = owned ?? (named.length === 1 ? named[0] : `arn:aws:kms:${region ?? REGION_PLACEHOLDER}:${account ?? ACCOUNT_PLACEHOLDER}:key/KEY-ID`);
        if (!owned && named.length !== 1) notes.push(`${f.rel}: fill in the key's ARN (${named.length ? `the workspace names ${named.length} keys of its account` : 'the workspace names none of its account\'s keys'}).`);
        else if (!owned) notes.push(`${f.rel}: the key's ARN is the one the identity policies name; check that it is this key.`);
        keys.push({ policy: f.rel, arn });
      } else if (doc.kind === 'iam-identity-policy' && f.shape === 'policy') {
        const dir = f.rel.includes('/') ? f.rel.slice(0, f.rel.lastIndexOf('/')) : '';
        const entry = identityFolders.get(dir) ?? { account: f.top ? folderAccount.get(f.top) : undefined, files: [], bound: new Set<string>() };
        entry.files.push(f.rel);
        // Bound to principals already (by a manifest): those are the principals.
        for (const p of doc.owner.principals ?? []) entry.bound.add(p);
        identityFolders.set(dir, entry);
      }
    }
  }

  // Bare identity policies: one principal per folder, named after the folder (or the role the exports know by that name).
  const known = ws.knownPrincipals();
  for (const [dir, entry] of identityFolders) {
    const base = dir ? dir.split('/').pop()! : '';
    const match = base ? known.filter((p) => normalized(p.slice(p.lastIndexOf('/') + 1)) === normalized(base) && (!entry.account || p.split(':')[4] === entry.account)) : [];
    let arn: string;
    if (entry.bound.size === 1) arn = [...entry.bound][0];
    else if (match.length === 1) arn = match[0];
    else {
      arn = `arn:aws:iam::${entry.account ?? ACCOUNT_PLACEHOLDER}:role/${base ? pascal(base) : 'ROLE-NAME'}`;
      notes.push(`${dir || '.'}: check the role these policies are attached to (${arn} is a guess from the folder's name).`);
    }
    principals.push({ arn, policies: dir ? [`${dir}/*.json`] : entry.files });
  }

  const manifest: Record<string, unknown> = { accounts };
  if (keys.length) manifest.keys = keys;
  if (principals.length) manifest.principals = principals.sort((a, b) => a.arn.localeCompare(b.arn));
  if (templates.length) manifest.templates = templates;
  return { text: JSON.stringify(manifest, null, 2) + '\n', notes };
}
