/**
 * The workspace manifest, `policy-handshake.json`, governing its folder and below: account
 * names, key policy files with their key ARNs, identity policy files with the principals
 * they are attached to, CloudFormation template values, the organization (its id and each
 * member account's OU path) and the trusted accounts. Reading never fails: what
 * cannot be used becomes a problem at its node (the `manifest` check reports them).
 */
import { parseJson, type JsonDocument, type JsonNode } from '../json/jsonDocument';
import { items, properties, stringValue } from '../json/nodes';
import { parseArn, ACCOUNT_ID } from '../model/arn';
import { partitionOf, type TemplateContext } from '../model/templateValues';
import { manifestValidator } from '../schema/policySchemas';
import { schemaProblems } from '../schema/schemaErrors';
import { removePropertyEdit } from '../model/valueEdits';
import type { LocalFix } from '../findings';
import { normalizePath } from '../relativePaths';
import { outsideProblem, resolveDots } from './glob';
import { duplicateKeyProblems, lastOfEachKey, lastValue } from '../model/duplicateKeys';

export const MANIFEST_NAME = 'policy-handshake.json';

export interface ManifestPattern {
  text: string;
  node: JsonNode;
  /** False when the pattern leaves the manifest's folder: it is reported and not used. */
  usable: boolean;
}

export interface ManifestKey { policy: ManifestPattern; arn: string; node: JsonNode }
export interface ManifestPrincipal { arn: string; account: string; policies: ManifestPattern[]; node: JsonNode }
export interface ManifestTemplate { files: ManifestPattern[]; context: TemplateContext; node: JsonNode }

export interface ManifestProblem {
  node: JsonNode;
  message: string;
  severity?: 'error' | 'warning';
  fixes?: LocalFix[];
  /** Other places of the manifest the message speaks of. */
  related?: { node: JsonNode; message: string }[];
}

export interface Manifest {
  path: string;
  /** The folder the manifest's paths are relative to. */
  root: string;
  json: JsonDocument;
  /** `complete`: the kinds of principal of which the workspace names every one in the account (the manifest says so). */
  accounts: Map<string, { name?: string; node: JsonNode; complete?: ('role' | 'user')[] }>;
  keys: ManifestKey[];
  principals: ManifestPrincipal[];
  templates: ManifestTemplate[];
  /** The organization the accounts belong to (usable values only). */
  organization?: { id: string; accounts: Map<string, string> };
  /** `trustedAccounts`: the only accounts allowed to reach the keys and roles the manifest governs; undefined when absent. */
  trustedAccounts?: Set<string>;
  problems: ManifestProblem[];
}

/** An organization id (AWS Organizations: `o-` and 10 to 32 lower-case letters or digits). */
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

/** The folder of a path, as written (separator kept). */
export function folderOf(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i < 0 ? '' : p.slice(0, i);
}

export function isManifestName(p: string): boolean {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return p.slice(i + 1) === MANIFEST_NAME;
}

export function parseManifest(path: string, text: string): Manifest {
  const json = parseJson(text);
  const m: Manifest = { path, root: folderOf(path), json, accounts: new Map(), keys: [], principals: [], templates: [], problems: [] };
  const root = json.root;
  if (!root) return m;
  // A key given twice: the last is read, as JSON parsers read it (and the schema checks it).
  m.problems.push(...duplicateKeyProblems(root));
  const schemaOk = validateWithSchema(m, root);
  const structural = (node: JsonNode, message: string) => { if (!schemaOk) m.problems.push({ node, message }); };
  if (root.type !== 'object') { structural(root, 'The manifest is a JSON object with accounts, keys, principals, templates, organization and trustedAccounts.'); return m; }

  const pattern = (node: JsonNode | undefined, what: string): ManifestPattern | undefined => {
    const text = stringValue(node);
    if (text === undefined) { if (node) structural(node, `${what} is a string (a path or glob relative to the manifest's folder).`); return undefined; }
    const outside = outsideProblem(text);
    if (outside) m.problems.push({ node: node!, message: outside });
    return { text: outside ? normalizePath(text) : resolveDots(text)!, node: node!, usable: !outside };
  };

  for (const p of lastOfEachKey(root)) {
    switch (p.name) {
      case '$schema': break;
      case 'accounts':
        for (const a of lastOfEachKey(p.value)) {
          if (!ACCOUNT_ID.test(a.name)) structural(a.key, `"${a.name}" is not an account id (12 digits).`);
          const name = stringValue(lastValue(a.value, 'name'));
          const listed = lastValue(a.value, 'complete');
          const complete = listed?.type === 'array' ? (['role', 'user'] as const).filter((k) => items(listed).some((x) => x.value === k)) : [];
          m.accounts.set(a.name, complete.length ? { name, node: a.key, complete } : { name, node: a.key });
        }
        if (p.value && p.value.type !== 'object') structural(p.value, 'accounts is an object: account id → { "name": … }.');
        break;
      case 'keys':
        for (const k of arrayOf(p.value, 'keys', structural)) {
          const arnNode = lastValue(k, 'arn');
          const arn = stringValue(arnNode);
          const policy = pattern(lastValue(k, 'policy'), 'policy');
          const parsed = arn ? parseArn(arn) : undefined;
          if (!arn || !parsed || parsed.service !== 'kms' || !ACCOUNT_ID.test(parsed.account) || !parsed.resource.startsWith('key/')) {
            structural(arnNode ?? k, 'A key needs its key ARN, such as arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab.');
            continue;
          }
          if (!policy) { if (!lastValue(k, 'policy')) structural(k, 'A key needs "policy": the path of its key policy file.'); continue; }
          const earlier = m.keys.find((e) => e.arn === arn);
          if (earlier) {
            m.problems.push({ node: arnNode!, message: `The key ${arn} already has its key policy "${earlier.policy.text}" (an earlier entry): a key has exactly one key policy. IAM grants on the key are checked against that one only.` });
          }
          m.keys.push({ policy, arn, node: k });
        }
        break;
      case 'principals':
        for (const e of arrayOf(p.value, 'principals', structural)) {
          const arnNode = lastValue(e, 'arn');
          const arn = stringValue(arnNode);
          const parsed = arn ? parseArn(arn) : undefined;
          if (!arn || !parsed || parsed.service !== 'iam' || !ACCOUNT_ID.test(parsed.account) || !/^(role|user|group)\//.test(parsed.resource)) {
            structural(arnNode ?? e, 'A principal needs its role, user or group ARN, such as arn:aws:iam::444455556666:role/ExampleRole.');
            continue;
          }
          const policiesNode = lastValue(e, 'policies');
          if (!policiesNode) structural(e, 'A principal needs "policies": the paths or globs of its identity policy files.');
          else if (policiesNode.type === 'string') oneProblemAt(m, { node: policiesNode, message: `principals[${p.value!.children!.indexOf(e)}].policies is a string, not a list: put it in brackets. It binds no file to the principal until then.`, fixes: [inList(policiesNode, 'Put the path in a list')] });
          else if (policiesNode.type !== 'array') structural(policiesNode, 'policies is an array of paths or globs.');
          // The schema's rule: a list of paths, and nothing else binds a file (what is flagged is not used).
          const policies = policiesNode?.type === 'array' ? items(policiesNode).map((n) => pattern(n, 'policies entry')).filter((x): x is ManifestPattern => !!x) : [];
          m.principals.push({ arn, account: parsed.account, policies, node: e });
        }
        break;
      case 'templates':
        for (const t of arrayOf(p.value, 'templates', structural)) {
          const filesNode = lastValue(t, 'files');
          if (!filesNode) structural(t, 'A template entry needs "files": a path or glob, or a list of them.');
          const files = items(filesNode).map((n) => pattern(n, 'files entry')).filter((x): x is ManifestPattern => !!x);
          const account = stringValue(lastValue(t, 'account'));
          const region = stringValue(lastValue(t, 'region'));
          if (account !== undefined && !ACCOUNT_ID.test(account)) structural(lastValue(t, 'account')!, 'account is a 12-digit account id.');
          // No prototype: a parameter named `constructor` is only that.
          const parameters: Record<string, string> = Object.create(null);
          for (const param of lastOfEachKey(lastValue(t, 'parameters'))) {
            const v = param.value;
            if (v?.type === 'string' || v?.type === 'number' || v?.type === 'boolean') parameters[param.name] = String(v.value);
            else if (v?.type === 'array') parameters[param.name] = items(v).map((x) => String(x.value)).join(',');
          }
          m.templates.push({
            files,
            node: t,
            context: {
              account: account && ACCOUNT_ID.test(account) ? account : undefined,
              region,
              partition: region ? partitionOf(region) : undefined,
              parameters,
            },
          });
        }
        break;
      case 'organization': {
        const idNode = lastValue(p.value, 'id');
        const id = stringValue(idNode);
        if (p.value?.type !== 'object') { structural(p.value ?? p.key, 'organization is an object: { "id": "o-…", "accounts": { account id → OU path } }.'); break; }
        if (id === undefined || !ORGANIZATION_ID.test(id)) { structural(idNode ?? p.key, 'organization needs "id": an organization id such as o-a1b2c3d4e5.'); break; }
        const accounts = new Map<string, string>();
        for (const a of lastOfEachKey(lastValue(p.value, 'accounts'))) {
          const path = stringValue(a.value);
          if (!ACCOUNT_ID.test(a.name)) { structural(a.key, `"${a.name}" is not an account id (12 digits).`); continue; }
          if (path === undefined || !path.endsWith('/')) { structural(a.value ?? a.key, 'An OU path ends with a slash, such as o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/.'); continue; }
          // The schema checks the shape; the organization the path starts with is this one's.
          if (!path.startsWith(`${id}/`)) { m.problems.push({ node: a.value!, message: `The OU path starts with the organization id: ${id}/r-…/.` }); continue; }
          accounts.set(a.name, path);
        }
        m.organization = { id, accounts };
        break;
      }
      case 'trustedAccounts': {
        const trusted = new Set<string>();
        if (p.value?.type !== 'array') { structural(p.value ?? p.key, 'trustedAccounts is an array of 12-digit account ids.'); break; }
        for (const n of items(p.value)) {
          const id = stringValue(n);
          if (id === undefined || !ACCOUNT_ID.test(id)) structural(n, 'An entry of trustedAccounts is a 12-digit account id.');
          else trusted.add(id);
        }
        m.trustedAccounts = trusted;
        break;
      }
      default:
        structural(p.key, `Unknown manifest property "${p.name}": use accounts, keys, principals, templates, organization or trustedAccounts.`);
    }
  }
  return m;
}

/** `problem` in place of what was said at its node already (the schema's word on it), or added. */
function oneProblemAt(m: Manifest, problem: ManifestProblem): void {
  const at = m.problems.findIndex((p) => p.node === problem.node);
  if (at >= 0) m.problems[at] = problem;
  else m.problems.push(problem);
}

/** The fix that puts one value in brackets, a list of that value. */
function inList(node: JsonNode, title: string): LocalFix {
  return { title, id: 'fix-value', isPreferred: true, edits: [{ offset: node.offset, length: 0, newText: '[' }, { offset: node.offset + node.length, length: 0, newText: ']' }] };
}

function arrayOf(node: JsonNode | undefined, name: string, structural: (n: JsonNode, m: string) => void): JsonNode[] {
  if (!node) return [];
  if (node.type !== 'array') { structural(node, `${name} is an array.`); return []; }
  return (node.children ?? []).filter((c) => {
    if (c.type !== 'object') { structural(c, `Each entry of ${name} is an object.`); return false; }
    return true;
  });
}

/** Problems from the manifest's JSON Schema; false when the schema is not available (own structural checks run instead). */
function validateWithSchema(m: Manifest, root: JsonNode): boolean {
  let validate: ReturnType<typeof manifestValidator>;
  try {
    validate = manifestValidator();
  } catch {
    return false;
  }
  if (validate(nodeValue(root))) return true;
  // A property name the schema rejects (account ids): reported at the name itself.
  const errors = validate.errors ?? [];
  const badNames = new Set<string>();
  for (const e of errors) {
    const name = (e as { propertyName?: string }).propertyName ?? (e.keyword === 'propertyNames' ? String(e.params.propertyName) : undefined);
    if (name === undefined || badNames.has(`${e.instancePath}/${name}`)) continue;
    badNames.add(`${e.instancePath}/${name}`);
    const key = lastOfEachKey(resolveNode(root, e.instancePath)).find((p) => p.name === name)?.key;
    if (key) m.problems.push({ node: key, message: e.instancePath === '/accounts' ? `"${name}" is not an account id (12 digits).` : `"${name}" is not a valid name here.` });
  }
  const problems = schemaProblems(root, errors.filter((e) => e.keyword !== 'propertyNames' && !(e as { propertyName?: string }).propertyName), {
    allowsIntrinsics: false,
    kindLabel: 'manifest',
    removeProperty: removePropertyEdit,
  });
  for (const p of problems) m.problems.push({ node: p.at, message: p.message, fixes: p.fixes });
  return true;
}

/** Plain value of a node with ordinary objects (ajv walks them). */
function nodeValue(node: JsonNode | undefined): unknown {
  if (!node) return undefined;
  switch (node.type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const p of properties(node)) {
        // Defined, not assigned: `__proto__` stays a plain (and unknown) key, as it is in the file.
        Object.defineProperty(o, p.name, { value: nodeValue(p.value), enumerable: true, writable: true, configurable: true });
      }
      return o;
    }
    case 'array': return (node.children ?? []).map(nodeValue);
    default: return node.value;
  }
}

/** The node at a JSON pointer (object members and array items). */
function resolveNode(root: JsonNode, pointer: string): JsonNode | undefined {
  let node: JsonNode | undefined = root;
  for (const seg of pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    if (!node) return undefined;
    node = node.type === 'array' ? node.children?.[Number(seg)] : lastValue(node, seg);
  }
  return node;
}
