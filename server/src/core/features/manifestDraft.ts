/**
 * A proposed `policy-handshake.json` for a folder, read from what the workspace holds there:
 * accounts from the ARNs, exports, CDK environments (`cdk.out/manifest.json`), Terraform
 * account variables and folder names, each named after what says most about it (the export's
 * account alias, the Terraform variable, the folder named with its id, the stage or stack, the
 * top folder of its files); keys from key-policy files, get-key-policy outputs, templates and
 * Terraform files (their ARN from where the workspace names the key); templates by folder, with
 * the account when it is evident (bound already, or the one account a folder's templates name,
 * or the folder named after an account); principals from the folders of bare identity policies
 * (matched with the roles the exports, templates and ARNs of the folder know). Placeholders only
 * where nothing is known. The editor shows it as a draft to review; nothing is written. Pure.
 */
import { keyOfPolicy } from '../handshake/keyPolicyAnalysis';
import { documentAccount } from '../handshake/identityAnalysis';
import type { PolicyDocument } from '../model/policyDocument';
import { readCdkManifest, isCdkManifestName } from '../sources/cdkAssembly';
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

interface FileInfo { path: string; rel: string; dir: string; top?: string; docs: PolicyDocument[]; shape: string; text: string }

const ROLE_ARN = /arn:aws[\w-]*:iam::(\d{12}):role\/[\w+=,.@\/-]+/g;
/** A Terraform variable named after an account (`workloads_account_id`) with an account id as its default. */
const TF_ACCOUNT_VARIABLE = /variable\s+"([A-Za-z][\w-]*?)_account(?:_id)?"\s*\{[^}]*?\bdefault\s*=\s*"(\d{12})"/g;
/** A Terraform AWS provider pinned to accounts. */
const TF_ALLOWED_ACCOUNTS = /\ballowed_account_ids\s*=\s*\[\s*"(\d{12})"\s*\]/g;
/** An account alias in an authorization-details export (as collection tools add it). */
const EXPORT_ALIAS = /"AccountAlias(?:es)?"\s*:\s*(?:\[\s*)?"([^"]{1,63})"/;
/** Folders whose name says nothing of an account. */
const BUILD_FOLDERS = new Set(['cdk.out', 'templates', 'template', 'extracted-policies', 'policies', 'iam', 'kms', 'keys', 'roles', 'infra', 'terraform', 'cloudformation', 'src', 'out', 'build', 'dist']);
const ID_IN_NAME = /(?:^|[^0-9])(\d{12})(?![0-9])/;

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
  const cdkStacks: { template: string; name: string; stage?: string; account?: string; region?: string }[] = [];
  /** The role ARNs each folder's files name (policies or not: a get-role output names its role). */
  const rolesByDir = new Map<string, Set<string>>();
  for (const path of ws.filePaths().sort()) {
    const rel = relativePath(folder, path);
    if (rel === undefined || rel.split('/').pop() === MANIFEST_NAME) continue;
    const dir = rel.split('/').slice(0, -1).join('/');
    for (const m of (ws.text(path) ?? '').matchAll(ROLE_ARN)) rolesByDir.set(dir, (rolesByDir.get(dir) ?? new Set()).add(m[0]));
    if (isCdkManifestName(path)) {
      const stage = /(?:^|\/)assembly-([^/]+)\//.exec(rel)?.[1];
      for (const st of readCdkManifest(path, ws.text(path) ?? '')) cdkStacks.push({ template: st.template, name: st.name, stage, account: st.context.account, region: st.context.region });
    }
    const d = ws.discovered(path);
    if (!d || d.shape === 'not-a-policy') continue;
    const parts = rel.split('/');
    files.push({ path, rel, dir: parts.slice(0, -1).join('/'), top: parts.length > 1 ? parts[0] : undefined, docs: d.documents, shape: d.shape, text: ws.text(path) ?? '' });
  }

  // Accounts, and what names each: the strongest evidence first.
  const ids = new Set<string>();
  const named = new Map<string, string[][]>();
  const nameFrom = (id: string, rank: number, name: string | undefined) => {
    if (!name) return;
    const list = named.get(id) ?? [[], [], [], [], []];
    list[rank].push(name);
    named.set(id, list);
  };
  const topAccounts = new Map<string, string[]>();
  for (const f of files) {
    for (const m of f.text.matchAll(ACCOUNT_IN_ARN)) ids.add(m[1]);
    const accounts = f.docs.map(docAccount).filter((a): a is string => !!a && /^\d{12}$/.test(a));
    for (const a of accounts) ids.add(a);
    if (f.shape === 'authorization-details') nameFrom(mostCommon(accounts) ?? '', 0, EXPORT_ALIAS.exec(f.text)?.[1]);
    for (const m of f.text.matchAll(TF_ACCOUNT_VARIABLE)) { ids.add(m[2]); nameFrom(m[2], 1, m[1].replace(/_/g, '-')); }
    for (const m of f.text.matchAll(TF_ALLOWED_ACCOUNTS)) ids.add(m[1]);
    const bound = ws.templateContext(f.path)?.account;
    if (bound) ids.add(bound);
    // A folder named with an account id (`caller-account-111122223333`): the rest of its name names it.
    for (const segment of f.rel.split('/').slice(0, -1)) {
      const id = ID_IN_NAME.exec(segment)?.[1];
      if (!id) continue;
      ids.add(id);
      nameFrom(id, 2, segment.replace(id, '').replace(/^[-_.\s]+|[-_.\s]+$/g, '') || undefined);
    }
    if (f.top && !ID_IN_NAME.test(f.top) && !BUILD_FOLDERS.has(f.top)) topAccounts.set(f.top, [...(topAccounts.get(f.top) ?? []), ...accounts]);
  }
  // A top folder whose documents all belong to one account names it.
  for (const [top, list] of topAccounts) {
    const distinct = new Set(list);
    if (distinct.size === 1) for (const a of list) nameFrom(a, 4, top);
  }
  // A CDK environment: its stage (`assembly-Prod`), or its stack when the account has one.
  for (const st of cdkStacks) if (st.account) ids.add(st.account);
  for (const id of ids) {
    const stacks = cdkStacks.filter((st) => st.account === id);
    nameFrom(id, 3, mostCommon(stacks.map((st) => st.stage).filter((x): x is string => !!x)) ?? (stacks.length === 1 ? stacks[0].name : undefined));
  }
  const accounts: Record<string, { name: string }> = {};
  const accountByName = new Map<string, string>();
  const used = new Set<string>();
  for (const id of [...ids].sort()) {
    const ranks = named.get(id) ?? [];
    let name: string | undefined;
    for (const list of ranks) {
      const pick = mostCommon(list.filter((n) => !used.has(n)));
      if (pick) { name = pick; break; }
    }
    if (name) accountByName.set(name, id);
    name ??= `account-${id.slice(-4)}`;
    used.add(name);
    accounts[id] = { name };
  }
  if (ids.size) notes.push('Account names come from what the workspace says of each account (an export\'s alias, a Terraform variable, a folder, a CDK stage or stack; else the last digits of the id): rename them as you call the accounts.');
  /** The account a folder path is named after (a segment that is an account's name, or holds its id). */
  const folderAccount = (dir: string): string | undefined => {
    for (const segment of dir.split('/').reverse()) {
      const id = ID_IN_NAME.exec(segment)?.[1] ?? accountByName.get(segment);
      if (id) return id;
    }
    return undefined;
  };

  // Key ARNs the workspace names, by account; Regions from them and from the bound templates.
  const keyArns = new Map<string, Set<string>>();
  const regions: string[] = [];
  for (const f of files) {
    for (const m of f.text.matchAll(KEY_ARN)) {
      keyArns.set(m[2], (keyArns.get(m[2]) ?? new Set()).add(m[0]));
      regions.push(m[1]);
    }
    const r = ws.templateContext(f.path)?.region;
    if (r) regions.push(r);
  }
  for (const st of cdkStacks) if (st.region) regions.push(st.region);
  const region = mostCommon(regions);

  const keys: { policy: string; arn: string }[] = [];
  const principals: { arn: string; policies: string[] }[] = [];
  const identityFolders = new Map<string, { account?: string; files: string[]; bound: Set<string> }>();
  const templateDirs = new Map<string, FileInfo[]>();
  const keyArnFor = (f: FileInfo, doc: PolicyDocument, account: string | undefined): string => {
    const named = account ? [...(keyArns.get(account) ?? [])] : [];
    const owned = doc.owner.keyArn && /:key\/[^*]+$/.test(doc.owner.keyArn) ? doc.owner.keyArn : undefined;
    if (owned) return owned;
    if (named.length === 1) {
      notes.push(`${f.rel}: the key's ARN is the one the identity policies name; check that it is this key.`);
      return named[0];
    }
    notes.push(`${f.rel}: fill in the key's ARN (${named.length ? `the workspace names ${named.length} keys of its account` : 'the workspace names none of its account\'s keys'}).`);
    return `arn:aws:kms:${region ?? REGION_PLACEHOLDER}:${account ?? ACCOUNT_PLACEHOLDER}:key/KEY-ID`;
  };
  for (const f of files) {
    if (TEMPLATE_SHAPES.has(f.shape)) {
      templateDirs.set(f.dir, [...(templateDirs.get(f.dir) ?? []), f]);
      continue;
    }
    for (const doc of f.docs) {
      if (doc.kind === 'kms-key-policy' && f.docs.length === 1) {
        keys.push({ policy: f.rel, arn: keyArnFor(f, doc, docAccount(doc) ?? folderAccount(f.dir)) });
      } else if (doc.kind === 'iam-identity-policy' && f.shape === 'policy') {
        const entry = identityFolders.get(f.dir) ?? { account: folderAccount(f.dir), files: [], bound: new Set<string>() };
        entry.files.push(f.rel);
        // Bound to principals already (by a manifest): those are the principals.
        for (const p of doc.owner.principals ?? []) entry.bound.add(p);
        identityFolders.set(f.dir, entry);
      }
    }
  }

  // Templates, a folder at a time, with the account when it is evident.
  const templates: { files: string | string[]; account: string; region: string }[] = [];
  const cdkBound = new Set(cdkStacks.filter((st) => st.account && st.region).map((st) => st.template));
  for (const [dir, list] of [...templateDirs].sort((a, b) => a[0].localeCompare(b[0]))) {
    const evidence = list.map((f) => templateAccount(ws, f));
    const agreed = evidence.every((a) => a && a === evidence[0]) ? evidence[0] : undefined;
    const account = agreed ?? folderAccount(dir);
    // Keys the templates declare, with their account (a template of one key: its ARN binds it).
    for (const f of list) {
      const keyDocs = f.docs.filter((d) => d.kind === 'kms-key-policy');
      if (keyDocs.length === 1) keys.push({ policy: f.rel, arn: keyArnFor(f, keyDocs[0], ws.templateContext(f.path)?.account ?? agreed ?? docAccount(keyDocs[0]) ?? account) });
      else if (keyDocs.length > 1) notes.push(`${f.rel}: declares ${keyDocs.length} keys (${keyDocs.map((d) => d.owner.label ?? '?').join(', ')}) of ${account ? `account ${account}` : 'its account'}; their ARNs are known once deployed.`);
    }
    // Stacks whose cloud assembly gives the account and Region need no entry.
    const open = list.filter((f) => !cdkBound.has(f.path));
    if (open.length === 0) continue;
    const regionHere = mostCommon(open.map((f) => ws.templateContext(f.path)?.region).filter((r): r is string => !!r)) ?? region;
    const exts = [...new Set(open.map((f) => f.rel.slice(f.rel.lastIndexOf('.'))))].sort();
    const globs = dir ? exts.map((e) => `${dir}/*${e}`) : open.map((f) => f.rel);
    templates.push({ files: globs.length === 1 ? globs[0] : globs, account: account ?? ACCOUNT_PLACEHOLDER, region: regionHere ?? REGION_PLACEHOLDER });
    if (!account || !regionHere) notes.push(`${globs.join(', ')}: fill in the ${!account && !regionHere ? 'account and Region' : !account ? 'account' : 'Region'} the templates are deployed to.`);
  }
  if (cdkBound.size) notes.push('The CDK stacks of a fixed environment get their account and Region from cdk.out/manifest.json: they need no templates entry.');

  // Bare identity policies: one principal per folder, named after the folder (or the role the exports, templates or the folder's ARNs know by that name).
  const known = ws.knownPrincipals();
  for (const [dir, entry] of identityFolders) {
    const base = dir ? dir.split('/').pop()! : '';
    const inFolder = rolesByDir.get(dir) ?? new Set<string>();
    const candidates = [...new Set([...known, ...inFolder])];
    const account = entry.account;
    const match = base ? candidates.filter((p) => normalized(p.slice(p.lastIndexOf('/') + 1)) === normalized(base) && (!account || p.split(':')[4] === account)) : [];
    // A folder named after its account (`caller-account-111122223333`) rather than a role: the one role of that account its files name.
    const ofAccount = account ? [...inFolder].filter((p) => p.split(':')[4] === account) : [];
    let arn: string;
    if (entry.bound.size === 1) arn = [...entry.bound][0];
    else if (match.length === 1) arn = match[0];
    else if (ofAccount.length === 1 && ID_IN_NAME.test(base)) arn = ofAccount[0];
    else if (base && !ID_IN_NAME.test(base)) {
      arn = `arn:aws:iam::${account ?? ACCOUNT_PLACEHOLDER}:role/${pascal(base)}`;
      notes.push(`${dir || '.'}: check the role these policies are attached to (${arn} is a guess from the folder's name).`);
    } else {
      arn = `arn:aws:iam::${account ?? ACCOUNT_PLACEHOLDER}:role/ROLE-NAME`;
      notes.push(`${dir || '.'}: fill in the role these policies are attached to.`);
    }
    principals.push({ arn, policies: dir ? [`${dir}/*.json`] : entry.files });
  }

  const manifest: Record<string, unknown> = { accounts };
  if (keys.length) manifest.keys = keys;
  if (principals.length) manifest.principals = principals.sort((a, b) => a.arn.localeCompare(b.arn));
  if (templates.length) manifest.templates = templates;
  return { text: JSON.stringify(manifest, null, 2) + '\n', notes };
}

/**
 * The account a template is deployed to, when it is evident: bound already (a manifest, a CDK
 * environment), a Terraform provider pinned to one account, or the one account its ARNs name.
 */
function templateAccount(ws: Workspace, f: FileInfo): string | undefined {
  const bound = ws.templateContext(f.path)?.account;
  if (bound) return bound;
  const pinned = [...new Set([...f.text.matchAll(TF_ALLOWED_ACCOUNTS)].map((m) => m[1]))];
  if (pinned.length === 1) return pinned[0];
  const named = [...new Set([...f.text.matchAll(ACCOUNT_IN_ARN)].map((m) => m[1]))];
  return named.length === 1 ? named[0] : undefined;
}
