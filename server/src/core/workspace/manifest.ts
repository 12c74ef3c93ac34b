/**
 * The workspace manifest, `policy-handshake.json`, governing its folder and below: account
 * names, key policy files with their key ARNs, identity policy files with the principals
 * they are attached to, CloudFormation template values, the organization (its id and each
 * member account's OU path) and the trusted accounts. Reading never fails: what
 * cannot be used becomes a problem at its node (the `manifest` check reports them).
 */
import { parseJson, type JsonDocument, type JsonNode } from '../json/jsonDocument';
import { items, properties, propValue, stringValue } from '../json/nodes';
import { parseArn, ACCOUNT_ID } from '../model/arn';
import { partitionOf, type TemplateContext } from '../model/templateValues';
import { manifestValidator } from '../schema/policySchemas';
import { schemaProblems } from '../schema/schemaErrors';
import { removeArrayItemEdit, removePropertyEdit } from '../model/valueEdits';
import type { LocalFix } from '../findings';
import { normalizePath } from '../relativePaths';
import { outsideProblem, resolveDots } from './glob';
import { duplicateKeyProblems, lastOfEachKey } from '../model/duplicateKeys';

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
/*
 * The patterns of the manifest's schema (schemas/manifest.schema.json), which the reader applies
 * too: a value the schema flags binds nothing (test/unit/workspace/manifest.test.ts keeps them
 * alike). ACCOUNT_ID (model/arn) and ORGANIZATION_ID above are the schema's too.
 */
/** `templates[].region`: a Region name such as us-west-2. */
export const REGION = /^[a-z]{2}(-[a-z]+)+-[0-9]+$/;
/** `keys[].arn`: a key ARN. */
export const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key\/[A-Za-z0-9-]+$/;
/** `principals[].arn`: a role, user or group ARN. */
export const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user|group)\/.+$/;
/** `organization.accounts` values: the OU path of the account's parent, ending with a slash. */
export const OU_PATH = /^o-[a-z0-9]{10,32}\/r-[0-9a-z]{4,32}\/(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}\/)*$/;

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
  const fromSchema = new Set<ManifestProblem>();
  const schemaOk = validateWithSchema(m, root, fromSchema);
  const structural = (node: JsonNode, message: string) => { if (!schemaOk) m.problems.push({ node, message }); };
  /**
   * A value the reader does not use, said at `node` (what is wrong, what to do, and that it is
   * not used until then): in place of what the schema said at `at` (the node itself unless
   * given), or added when the schema said nothing there.
   */
  const unused = (node: JsonNode, message: string, fixes?: LocalFix[], at: JsonNode = node) => {
    const problem: ManifestProblem = fixes?.length ? { node, message, fixes } : { node, message };
    const i = m.problems.findIndex((x) => x.node === at && fromSchema.has(x));
    if (i >= 0) m.problems[i] = problem;
    else m.problems.push(problem);
  };
  /**
   * A value the reader does not use, whose problem the schema says well: `sentence` (that it is
   * not used until then) follows what the schema said at `node` (or `fallback` when it said
   * nothing), with the schema's fixes and `fixes`.
   */
  const notUsed = (node: JsonNode, sentence: string, fallback: string, fixes: LocalFix[] = []) => {
    const i = m.problems.findIndex((x) => x.node === node && fromSchema.has(x));
    const said = i >= 0 ? m.problems[i] : undefined;
    const all = [...(said?.fixes ?? []), ...fixes];
    const problem: ManifestProblem = all.length ? { node, message: `${said?.message ?? fallback} ${sentence}`, fixes: all } : { node, message: `${said?.message ?? fallback} ${sentence}` };
    if (i >= 0) m.problems[i] = problem;
    else m.problems.push(problem);
  };
  /** A problem the reader says at `node` in place of all the schema said there (or added when it said nothing). */
  const sayInstead = (node: JsonNode, problem: ManifestProblem) => {
    const said = m.problems.filter((x) => x.node === node && fromSchema.has(x));
    const i = said.length ? m.problems.indexOf(said[0]) : -1;
    if (i >= 0) m.problems[i] = problem;
    else m.problems.push(problem);
    m.problems = m.problems.filter((x) => !said.includes(x));
  };
  /**
   * The properties `entry` must have and has not, said once at the entry with `consequence`
   * (what the reader does without them). Returns their names.
   */
  const missing = (entry: JsonNode, label: string, shape: EntryShape, consequence: string): string[] => {
    const absent = Object.entries(shape).filter(([k, what]) => what !== undefined && !properties(entry).some((p) => p.name === k)).map(([k]) => k);
    if (!absent.length) return absent;
    const lead = absent.length === 1 ? `${label} has no "${absent[0]}": add ${shape[absent[0]]}.` : `${label} has no ${absent.map((k) => `"${k}"`).join(' and no ')}: add them.`;
    sayInstead(entry, { node: entry, message: `${lead} ${consequence}` });
    return absent;
  };
  /** Properties of `entry` that `shape` does not name: ignored, the entry used without them. The fix renames one the schema recognizes, or removes it. */
  const unknownProperties = (entry: JsonNode, label: string, shape: EntryShape, consequence = 'The entry is used without it.') => {
    for (const p of lastOfEachKey(entry)) {
      if (Object.prototype.hasOwnProperty.call(shape, p.name)) continue;
      const rename = m.problems.find((x) => x.node === p.key && fromSchema.has(x))?.fixes?.find((f) => f.id === 'rename-element');
      const to = rename ? String(JSON.parse(rename.edits[0].newText)) : undefined;
      const remove: LocalFix = { title: `Remove ${shown(p.name)}`, id: 'remove-element', isPreferred: !rename, edits: [removePropertyEdit(p.property)] };
      const todo = to === undefined ? 'remove it' : `change it to "${to}"`;
      sayInstead(p.key, { node: p.key, message: `${label} has an unknown property ${shown(p.name)}: ${todo}. ${consequence}`, fixes: rename ? [rename, remove] : [remove] });
    }
  };
  /** An account entry's missing name and unknown properties, with what the reader does with the entry. */
  const accountShape = (id: string, value: JsonNode, noName: string, unknown: string) => {
    missing(value, `accounts.${id}`, ACCOUNT_ENTRY, noName);
    unknownProperties(value, `accounts.${id}`, ACCOUNT_ENTRY, unknown);
  };
  if (root.type !== 'object') { structural(root, 'The manifest is a JSON object with accounts, keys, principals, templates, organization and trustedAccounts.'); return m; }
  unknownProperties(root, 'The manifest', MANIFEST_SHAPE, 'It is ignored.');

  const pattern = (node: JsonNode | undefined, what: string, unusedSentence = 'It is not used until then.'): ManifestPattern | undefined => {
    const text = stringValue(node);
    if (text === undefined) { if (node) notUsed(node, unusedSentence, `${what} is a string (a path or glob relative to the manifest's folder).`); return undefined; }
    const outside = outsideProblem(text);
    if (outside) m.problems.push({ node: node!, message: outside });
    return { text: outside ? normalizePath(text) : resolveDots(text)!, node: node!, usable: !outside };
  };

  for (const p of lastOfEachKey(root)) {
    switch (p.name) {
      case '$schema': break;
      case 'accounts':
        for (const a of lastOfEachKey(p.value)) {
          if (!ACCOUNT_ID.test(a.name)) {
            // Nothing attaches to it: its name and complete are no account's.
            const given = ['name', 'complete'].filter((k) => propValue(a.value, k));
            const what = given.length ? `: its ${given.join(' and ')} ${given.length > 1 ? 'apply' : 'applies'} to no account` : '';
            const { lead, fixes } = accountIdProblem(m.json.text, a.key, '', (id) => properties(p.value).some((o) => o.name === id));
            unused(a.key, `${lead} This entry is not used until then${what}.`, fixes);
            if (a.value?.type === 'object') accountShape(a.name, a.value, 'This entry is not used until then.', 'This entry is not used until then.');
            continue;
          }
          if (a.value?.type === 'object') accountShape(a.name, a.value, 'The account is used until then, without a name.', 'The entry is used without it.');
          const nameNode = propValue(a.value, 'name');
          const name = stringValue(nameNode);
          const noName = 'It is not used until then: the account has no name.';
          if (a.value && a.value.type !== 'object') notUsed(a.value, noName, 'An account is an object such as {"name": "security"}.');
          else if (nameNode && name === undefined) notUsed(nameNode, noName, 'An account\'s name is a string.');
          const listed = propValue(a.value, 'complete');
          if (listed && listed.type !== 'array') notUsed(listed, 'It is not used until then.', 'complete is a list of "role" and/or "user".', listed.type === 'string' ? [inList(listed, 'Put it in a list')] : []);
          // A kind given again: the schema flags the list; the finding is on the repeated item, which adds nothing.
          const list = listed?.type === 'array' ? items(listed) : [];
          list.forEach((x, j) => {
            if (x.value !== 'role' && x.value !== 'user') { notUsed(x, 'It is not used until then.', 'An entry of complete is "role" or "user".'); return; }
            const first = list.findIndex((y) => y.type === 'string' && y.value === x.value);
            if (x.type !== 'string' || first === j) return;
            const remove: LocalFix = { title: `Remove the repeated ${shown(String(x.value))}`, id: 'remove-element', isPreferred: true, edits: [removeArrayItemEdit(listed!, x)] };
            unused(x, `accounts.${a.name}.complete[${j}] ${shown(String(x.value))} repeats complete[${first}]: remove it.`, [remove], listed);
          });
          const complete = listed?.type === 'array' ? (['role', 'user'] as const).filter((k) => items(listed).some((x) => x.value === k)) : [];
          m.accounts.set(a.name, complete.length ? { name, node: a.key, complete } : { name, node: a.key });
        }
        if (p.value && p.value.type !== 'object') structural(p.value, 'accounts is an object: account id → { "name": … }.');
        break;
      case 'keys':
        for (const k of arrayOf(p.value, 'keys', structural)) {
          const entry = `keys[${p.value!.children!.indexOf(k)}]`;
          unknownProperties(k, entry, KEY_ENTRY);
          const absent = missing(k, entry, KEY_ENTRY, `This entry is not used until then: ${propValue(k, 'arn') ? 'no file is bound to its key' : propValue(k, 'policy') ? 'its key policy file is bound to no key' : 'no file is bound to a key'}.`);
          const arnNode = propValue(k, 'arn');
          const arn = usable(arnNode, KEY_ARN);
          const policy = pattern(propValue(k, 'policy'), 'policy', 'This entry is not used until then: no file is bound to its key.');
          if (!arnNode) continue;
          if (arn === undefined) {
            unused(arnNode, `${entry}.arn is not a key ARN: write it as arn:aws:kms:<region>:<account id>:key/<key id>. This entry is not used until then: its key policy file is bound to no key.`);
            continue;
          }
          if (absent.length || !policy) continue;
          const earlier = m.keys.find((e) => e.arn === arn);
          if (earlier) {
            m.problems.push({ node: arnNode!, message: `The key ${arn} already has its key policy "${earlier.policy.text}" (an earlier entry): a key has exactly one key policy. IAM grants on the key are checked against that one only.` });
          }
          m.keys.push({ policy, arn, node: k });
        }
        break;
      case 'principals':
        for (const e of arrayOf(p.value, 'principals', structural)) {
          const entry = `principals[${p.value!.children!.indexOf(e)}]`;
          unknownProperties(e, entry, PRINCIPAL_ENTRY);
          const arnNode = propValue(e, 'arn');
          const arn = usable(arnNode, PRINCIPAL_ARN);
          const parsed = arn === undefined ? undefined : parseArn(arn);
          // Without a usable ARN the entry binds nothing; without its policies, it is a principal of its account that no file grants.
          missing(e, entry, PRINCIPAL_ENTRY, parsed ? 'The principal is used until then, with no policy: it grants nothing.' : 'This entry is not used until then: its policy files are bound to no principal.');
          if (!arnNode) continue;
          if (arn === undefined || !parsed) {
            unused(arnNode, `${entry}.arn is not a role, user or group ARN: write it as arn:aws:iam::<account id>:role/<name>. This entry is not used until then: its policy files are bound to no principal.`);
            continue;
          }
          const policiesNode = propValue(e, 'policies');
          if (policiesNode?.type === 'string') unused(policiesNode, `${entry}.policies is a string, not a list: put it in brackets. It binds no file to the principal until then.`, [inList(policiesNode, 'Put the path in a list')]);
          else if (policiesNode && policiesNode.type !== 'array') notUsed(policiesNode, 'It binds no file to the principal until then.', 'policies is an array of paths or globs.');
          // The schema's rule: a list of paths, and nothing else binds a file (what is flagged is not used).
          const policies = policiesNode?.type === 'array' ? items(policiesNode).map((n) => pattern(n, 'policies entry')).filter((x): x is ManifestPattern => !!x) : [];
          m.principals.push({ arn, account: parsed.account, policies, node: e });
        }
        break;
      case 'templates':
        for (const t of arrayOf(p.value, 'templates', structural)) {
          const entry = `templates[${p.value!.children!.indexOf(t)}]`;
          unknownProperties(t, entry, TEMPLATE_ENTRY);
          // Without files the entry applies to nothing; without its account or Region, its files have that value unknown.
          const noFiles = !properties(t).some((x) => x.name === 'files');
          missing(t, entry, TEMPLATE_ENTRY, noFiles ? 'This entry is not used until then: it applies to no file.' : templateUnknowns(t));
          const filesNode = propValue(t, 'files');
          const files = items(filesNode).map((n) => pattern(n, 'files entry')).filter((x): x is ManifestPattern => !!x);
          // What the schema flags gives the files no value: the account or Region stays unknown.
          const accountNode = propValue(t, 'account');
          const account = usable(accountNode, ACCOUNT_ID);
          if (accountNode && account === undefined) {
            const { lead, fixes } = accountIdProblem(m.json.text, accountNode, `${entry}.account`);
            unused(accountNode, `${lead} It is not used until then: the entry gives its files no account (AWS::AccountId).`, fixes);
          }
          const regionNode = propValue(t, 'region');
          const region = usable(regionNode, REGION);
          if (regionNode && region === undefined) {
            const { lead, fixes } = regionProblem(regionNode, `${entry}.region`);
            unused(regionNode, `${lead} It is not used until then: the entry gives its files no Region (AWS::Region).`, fixes);
          }
          m.templates.push({
            files,
            node: t,
            context: { account, region, partition: region ? partitionOf(region) : undefined, parameters: parametersOf(m, propValue(t, 'parameters'), `${entry}.parameters`, unused) },
          });
        }
        break;
      case 'organization': {
        const idNode = propValue(p.value, 'id');
        const id = stringValue(idNode);
        const noOrganization = 'The organization is not used until then.';
        if (!p.value) break;
        if (p.value.type !== 'object') { notUsed(p.value, noOrganization, 'organization is an object: { "id": "o-…", "accounts": { account id → OU path } }.'); break; }
        unknownProperties(p.value, 'organization', ORGANIZATION_SHAPE, 'The organization is used without it.');
        if (id === undefined || !ORGANIZATION_ID.test(id)) { notUsed(idNode ?? p.value, noOrganization, 'organization needs "id": an organization id such as o-a1b2c3d4e5.'); break; }
        const accounts = new Map<string, string>();
        const members = propValue(p.value, 'accounts');
        for (const a of lastOfEachKey(members)) {
          if (!ACCOUNT_ID.test(a.name)) {
            const { lead, fixes } = accountIdProblem(m.json.text, a.key, '', (other) => properties(members).some((o) => o.name === other));
            unused(a.key, `${lead} Its OU path is not used until then.`, fixes);
            continue;
          }
          if (!a.value) continue;
          // The shape the schema takes; then the organization the path starts with is this one's.
          const path = usable(a.value, OU_PATH);
          const other = path !== undefined && !path.startsWith(`${id}/`);
          if (path === undefined || other) {
            const lead = other ? `is an OU path of another organization: start it with ${id}/.` : 'is not an OU path: write one such as o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/.';
            unused(a.value, `organization.accounts.${a.name} ${lead} It is not used until then: the account's OU path is unknown.`);
            continue;
          }
          accounts.set(a.name, path);
        }
        m.organization = { id, accounts };
        break;
      }
      case 'trustedAccounts': {
        const trusted = new Set<string>();
        if (!p.value) break;
        if (p.value.type !== 'array') {
          const fixes = p.value.type === 'string' ? [inList(p.value, 'Put it in a list')] : [];
          notUsed(p.value, 'None of it is used until then: access-outside-trusted-accounts is silent.', 'trustedAccounts is an array of 12-digit account ids.', fixes);
          break;
        }
        const entries = items(p.value);
        for (const n of entries) {
          const id = usable(n, ACCOUNT_ID);
          if (id !== undefined) { trusted.add(id); continue; }
          const { lead, fixes } = accountIdProblem(m.json.text, n, `trustedAccounts[${entries.indexOf(n)}]`);
          unused(n, `${lead} It is not used until then: the account it means is not trusted.`, fixes);
        }
        m.trustedAccounts = trusted;
        break;
      }
      default: // said by unknownProperties
    }
  }
  return m;
}

/** An entry's properties by name, each with what to add when it is missing (undefined: optional). */
type EntryShape = Record<string, string | undefined>;
const MANIFEST_SHAPE: EntryShape = { $schema: undefined, accounts: undefined, keys: undefined, principals: undefined, templates: undefined, organization: undefined, trustedAccounts: undefined };
/** The organization's id is said by the reader itself (without it, the organization is not used). */
const ORGANIZATION_SHAPE: EntryShape = { id: undefined, accounts: undefined };
const ACCOUNT_ENTRY: EntryShape = { name: 'one, such as "workloads"', complete: undefined };
const KEY_ENTRY: EntryShape = { policy: 'the path of its key policy file', arn: 'the key\'s ARN' };
const PRINCIPAL_ENTRY: EntryShape = { arn: 'the role, user or group ARN', policies: 'the list of its identity policy files' };
const TEMPLATE_ENTRY: EntryShape = { files: 'the path or glob of its templates', account: 'the account id its stacks are deployed to', region: 'the Region its stacks are deployed to', parameters: undefined };

/** What a template entry without its account or Region gives its files. */
function templateUnknowns(t: JsonNode): string {
  const unknown = [propValue(t, 'account') ? undefined : 'account', propValue(t, 'region') ? undefined : 'Region'].filter((x) => x);
  return `The entry is used until then, its ${unknown.join(' and ')} unknown.`;
}

/** The text of a string node that `pattern` accepts; undefined for any other node. */
function usable(node: JsonNode | undefined, pattern: RegExp): string | undefined {
  const text = stringValue(node);
  return text !== undefined && pattern.test(text) ? text : undefined;
}

/** Longest value shown whole in a message; longer ones are cut (the finding's range shows it all). */
const SHOWN = 40;
const shown = (text: string) => JSON.stringify(text.length > SHOWN ? `${text.slice(0, SHOWN - 1)}…` : text);

/** What a node holds, in words: "a number", "null", "a list". */
function kindOf(node: JsonNode): string {
  switch (node.type) {
    case 'array': return 'a list';
    case 'object': return 'an object';
    case 'null': return 'null';
    default: return `a ${node.type}`;
  }
}

/** The fix that writes `value` (a string) in place of the node. */
function changeTo(node: JsonNode, value: string): LocalFix {
  return { title: `Change to ${JSON.stringify(value)}`, id: 'fix-value', isPreferred: true, edits: [{ offset: node.offset, length: node.length, newText: JSON.stringify(value) }] };
}

/** What a message's first sentence says of a value given for an account id that is not one, with the fix when the id meant is clear. */
function accountIdProblem(text: string, node: JsonNode, label: string, taken: (id: string) => boolean = () => false): { lead: string; fixes?: LocalFix[] } {
  const named = label ? `${label} ` : '';
  if (node.type === 'string') {
    const written = String(node.value);
    // Written with separators ("4444-5555-6666", "4444 5555 6666"): the digits are the id.
    const digits = written.replace(/[\s-]/g, '');
    if (ACCOUNT_ID.test(digits) && !taken(digits)) return { lead: `${named}${shown(written)} is not an account id: change it to "${digits}".`, fixes: [changeTo(node, digits)] };
    return { lead: `${named}${shown(written)} is not an account id: write the account's 12 digits.` };
  }
  // An unquoted number: its digits as written (a number of 12 digits is exact in JSON readers).
  const raw = text.slice(node.offset, node.offset + node.length);
  if (node.type === 'number' && ACCOUNT_ID.test(raw)) return { lead: `${label} is a number, not a string: change it to "${raw}".`, fixes: [changeTo(node, raw)] };
  return { lead: `${label} is ${kindOf(node)}, not a string: write the account's 12 digits in quotes.` };
}

/** What a message's first sentence says of a value given for a Region name that is not one, with the fix when the Region meant is clear. */
function regionProblem(node: JsonNode, label: string): { lead: string; fixes?: LocalFix[] } {
  if (node.type !== 'string') return { lead: `${label} is ${kindOf(node)}, not a string: write a Region name such as "us-west-2".` };
  const written = String(node.value);
  // Upper case, spaces around it, underscores for hyphens ("US-WEST-2", "eu_central_1"): the Region is clear.
  const right = written.trim().toLowerCase().replace(/[_\s]+/g, '-');
  if (REGION.test(right)) return { lead: `${label} ${shown(written)} is not a Region name: change it to "${right}".`, fixes: [changeTo(node, right)] };
  return { lead: `${label} ${shown(written)} is not a Region name: write one such as us-west-2.` };
}

/**
 * A template entry's parameter values by name: a string, a number or a boolean as its text, a
 * list of strings joined with commas (as CloudFormation passes a list parameter). A value of
 * another type, or a list with an item that is not a string, is flagged and not used: the
 * parameter stays unknown.
 */
function parametersOf(m: Manifest, node: JsonNode | undefined, label: string, unused: (node: JsonNode, message: string, fixes?: LocalFix[]) => void): Record<string, string> {
  // No prototype: a parameter named `constructor` is only that.
  const parameters: Record<string, string> = Object.create(null);
  if (node && node.type !== 'object') {
    unused(node, `${label} is ${kindOf(node)}, not an object: map each parameter name to its value. None of them is used until then.`);
    return parameters;
  }
  for (const param of lastOfEachKey(node)) {
    const v = param.value;
    if (!v) continue;
    const name = `${label}.${param.name.length > SHOWN ? `${param.name.slice(0, SHOWN - 1)}…` : param.name}`;
    const notUsed = `${shown(param.name)} is not used until then: the entry gives its files no value for it.`;
    if (v.type === 'string' || v.type === 'number' || v.type === 'boolean') parameters[param.name] = String(v.value);
    else if (v.type === 'array') {
      const list = items(v);
      const others = list.filter((x) => x.type !== 'string');
      for (const x of others) {
        const at = `${name}[${list.indexOf(x)}] is ${kindOf(x)}, not a string`;
        // A number or a boolean is the text written (`5`, `true`) in quotes.
        if (x.type === 'number' || x.type === 'boolean') unused(x, `${at}: put it in quotes. ${notUsed}`, [changeTo(x, m.json.text.slice(x.offset, x.offset + x.length))]);
        else unused(x, `${at}: write the value as a string. ${notUsed}`);
      }
      if (!others.length) parameters[param.name] = list.map((x) => String(x.value)).join(',');
    } else unused(v, `${name} is ${kindOf(v)}: write a string, a number, a boolean or a list of strings. It is not used until then: the entry gives its files no value for it.`);
  }
  return parameters;
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
function validateWithSchema(m: Manifest, root: JsonNode, fromSchema: Set<ManifestProblem>): boolean {
  let validate: ReturnType<typeof manifestValidator>;
  try {
    validate = manifestValidator();
  } catch {
    return false;
  }
  if (validate(nodeValue(root))) return true;
  const add = (problem: ManifestProblem) => { m.problems.push(problem); fromSchema.add(problem); };
  // A property name the schema rejects (account ids): reported at the name itself.
  const errors = validate.errors ?? [];
  const badNames = new Set<string>();
  for (const e of errors) {
    const name = (e as { propertyName?: string }).propertyName ?? (e.keyword === 'propertyNames' ? String(e.params.propertyName) : undefined);
    if (name === undefined || badNames.has(`${e.instancePath}/${name}`)) continue;
    badNames.add(`${e.instancePath}/${name}`);
    const key = lastOfEachKey(resolveNode(root, e.instancePath)).find((p) => p.name === name)?.key;
    // The reader says more of the account ids it does not use (in place of this).
    if (key) add({ node: key, message: `"${name}" is not a valid name here.` });
  }
  const problems = schemaProblems(root, errors.filter((e) => e.keyword !== 'propertyNames' && !(e as { propertyName?: string }).propertyName), {
    allowsIntrinsics: false,
    kindLabel: 'manifest',
    removeProperty: removePropertyEdit,
  });
  for (const p of problems) add({ node: p.at, message: p.message, fixes: p.fixes });
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
    node = node.type === 'array' ? node.children?.[Number(seg)] : propValue(node, seg);
  }
  return node;
}
