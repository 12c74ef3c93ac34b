/** Hover text for a principal: what its form means, with the account's name when the workspace knows it. */
import type { Catalog } from '../catalog/catalog';
import { accountPrincipal, iamPrincipalKind, parseArn } from '../model/arn';
import { conditionEntries } from '../model/conditions';
import type { PolicyDocument, Statement } from '../model/policyDocument';
import type { Workspace } from '../workspace/workspace';
import { accountLabel } from './workspaceFacts';
import { lookupTable } from '../lookupTable';

/** Condition keys that narrow a `*` principal to accounts, organizations or named principals. */
const RESTRICTING_KEYS = ['kms:calleraccount', 'aws:principalaccount', 'aws:principalorgid', 'aws:principalorgpaths', 'aws:principalarn', 'aws:sourceaccount', 'aws:sourcearn', 'aws:sourceorgid', 'aws:sourceowner', 'aws:userid', 'aws:username'];

/** The heading of the hover on an account principal (`arn:aws:iam::B:root` or `B`); editor tests look for it. */
export const ACCOUNT_PRINCIPAL_HEADING = '**Account principal**';

const UNIQUE_ID_KINDS = lookupTable<string>({ AROA: 'role', AIDA: 'user', AGPA: 'group' });

const WEB_IDENTITY_PROVIDERS = lookupTable<string>({
  'cognito-identity.amazonaws.com': 'Amazon Cognito identity pools',
  'accounts.google.com': 'Google',
  'graph.facebook.com': 'Facebook',
  'www.amazon.com': 'Login with Amazon',
});

export interface PrincipalSubject {
  /** `AWS`, `Service`, `Federated`, `CanonicalUser`, or `*` for the bare string form. */
  type: string;
  value: string;
  /** Written under NotPrincipal. */
  negated: boolean;
}

function everyone(statement: Statement | undefined): string {
  const keys = new Set<string>();
  for (const e of conditionEntries(statement?.elements.Condition?.value)) {
    if (RESTRICTING_KEYS.includes(e.key.toLowerCase())) keys.add(e.key);
  }
  const head = '**Everyone** (`*`): any principal of any AWS account; for some services also anonymous callers.';
  if (keys.size) return `${head}\n\nRestricted by this statement's conditions on ${[...keys].map((k) => `\`${k}\``).join(', ')}.`;
  return `${head}\n\nNo condition of this statement restricts the account, organization or principal: it applies to everyone.`;
}

/** `${AWS::AccountId}`, as a template's principal that the manifest does not resolve keeps it. */
const TEMPLATE_ACCOUNT = '${AWS::AccountId}';

/**
 * An account as a template leaves it to the deployment (`${AWS::AccountId}`, `${Param}`): the
 * words for it, or undefined for anything else.
 */
function templateAccount(account: string): string | undefined {
  if (account === TEMPLATE_ACCOUNT) return 'the template\'s own account (`AWS::AccountId`)';
  const name = /^\$\{([^}]+)\}$/.exec(account)?.[1];
  return name === undefined ? undefined : `the account given by \`${name}\` at deployment`;
}

function accountPrincipalText(label: string, own: boolean): string {
  return `${ACCOUNT_PRINCIPAL_HEADING} of ${label}: trusts the account's IAM policies, not its root user; nobody there can use it until one of them grants it.${own ? ' This is the key\'s own account.' : ''}`;
}

function awsPrincipal(ws: Workspace, doc: PolicyDocument, statement: Statement | undefined, value: string): string {
  if (value === '*') return everyone(statement);
  const account = accountPrincipal(value);
  if (account) return accountPrincipalText(accountLabel(ws, account, doc.file), doc.owner.account === account);
  // Written with intrinsic functions whose values are not known here (see hover's intrinsicValue).
  // `${AWS::AccountId}` holds colons: the ARN's parts are found with each `${…}` set aside.
  const vars: string[] = [];
  const masked = value.replace(/\$\{[^}]*\}/g, (m) => `\u0001${vars.push(m) - 1}\u0001`);
  const unmask = (t: string) => t.replace(/\u0001(\d+)\u0001/g, (_m, i: string) => vars[Number(i)]);
  const parsed = parseArn(masked);
  const arnOf = parsed && { partition: unmask(parsed.partition), service: parsed.service, region: unmask(parsed.region), account: unmask(parsed.account), resource: unmask(parsed.resource) };
  const templateRoot = value === TEMPLATE_ACCOUNT || (arnOf?.service === 'iam' && arnOf.region === '' && arnOf.resource === 'root' && arnOf.account === TEMPLATE_ACCOUNT);
  if (templateRoot) return accountPrincipalText(templateAccount(TEMPLATE_ACCOUNT)!, doc.kind === 'kms-key-policy');
  const given = templateAccount(value) ?? (arnOf?.service === 'iam' && arnOf.region === '' && arnOf.resource === 'root' ? templateAccount(arnOf.account) : undefined);
  if (given) return value.startsWith('arn:') ? accountPrincipalText(given, false) : `**Principal given at deployment** (\`${value.slice(2, -1)}\`): an account id, or a role or user ARN. Give the template's parameters in policy-handshake.json (\`templates\`) to check what it names.`;
  const uid = /^(AROA|AIDA|AGPA)[A-Z0-9]{12,}$/.exec(value);
  if (uid) {
    const kind = UNIQUE_ID_KINDS[uid[1]];
    return `**Unique id of an IAM ${kind}**\n\nAWS shows a principal this way when the ${kind} it named was deleted. The statement matches nobody now, even if a ${kind} with the same name is created again: write its ARN again.`;
  }
  const arn = arnOf;
  if (!arn) return `\`${value}\` is not a valid AWS principal: use an account id, an IAM role or user ARN, or \`*\`.`;
  const inTemplate = templateAccount(arn.account);
  const where = /^\d{12}$/.test(arn.account) ? ` in account ${accountLabel(ws, arn.account, doc.file)}` : inTemplate ? ` in ${inTemplate}` : '';
  const rest = arn.resource.slice(arn.resource.indexOf('/') + 1);
  switch (iamPrincipalKind(masked)) {
    case 'role':
      return `**IAM role** \`${rest}\`${where}\n\nAWS stores it as the role's unique id: if the role is deleted and created again, this statement no longer applies to it.`;
    case 'user':
      return `**IAM user** \`${rest}\`${where}`;
    case 'assumed-role': {
      const [role, ...session] = rest.split('/');
      return `**Assumed-role session** \`${session.join('/')}\` of role \`${role}\`${where}\n\nMatches only sessions with this name.`;
    }
    case 'federated-user':
      return `**Federated user session** \`${rest}\`${where} (from \`GetFederationToken\`)`;
    case 'group':
      return `**IAM group** \`${rest}\`${where}\n\nGroups cannot be principals: name the users or roles instead.`;
    default:
      return `\`${value}\` is not a role, user or account principal.`;
  }
}

function servicePrincipal(catalog: Catalog, value: string): string {
  if (value === '*') return '`*` is not a service principal.';
  const m = /^([a-z0-9.-]+?)(\.[a-z]{2}(-[a-z]+)+-\d)?\.amazonaws\.com(\.cn)?$/.exec(value);
  if (!m) return `**Service principal** \`${value}\``;
  const prefix = m[1].split('.').pop()!;
  const name = catalog.serviceNames().get(prefix);
  return `**Service principal** \`${value}\`: ${name ?? `the \`${prefix}\` service`} acting on its own behalf${m[2] ? ` in ${m[2].slice(1)}` : ''}.`;
}

function federatedPrincipal(ws: Workspace, value: string, file: string): string {
  const web = WEB_IDENTITY_PROVIDERS[value];
  if (web) return `**Web identity provider**: ${web}. Used with \`sts:AssumeRoleWithWebIdentity\`.`;
  const arn = parseArn(value);
  if (arn && arn.service === 'iam') {
    const where = /^\d{12}$/.test(arn.account) ? ` in account ${accountLabel(ws, arn.account, file)}` : '';
    if (arn.resource.startsWith('saml-provider/')) return `**SAML identity provider** \`${arn.resource.slice(14)}\`${where}. Used with \`sts:AssumeRoleWithSAML\`.`;
    if (arn.resource.startsWith('oidc-provider/')) return `**OIDC identity provider** \`${arn.resource.slice(14)}\`${where}. Used with \`sts:AssumeRoleWithWebIdentity\`.`;
  }
  return `**Federated principal** \`${value}\``;
}

export function principalMarkdown(catalog: Catalog, ws: Workspace, doc: PolicyDocument, statement: Statement | undefined, p: PrincipalSubject): string {
  let text: string;
  switch (p.type) {
    case '*':
      text = p.value === '*' ? everyone(statement) : `\`${p.value}\`: only \`"*"\` may be written without a principal type; use \`{"AWS": "${p.value}"}\`.`;
      break;
    case 'AWS': text = awsPrincipal(ws, doc, statement, p.value); break;
    case 'Service': text = servicePrincipal(catalog, p.value); break;
    case 'Federated': text = federatedPrincipal(ws, p.value, doc.file); break;
    case 'CanonicalUser': text = `**Canonical user** \`${p.value}\`: an Amazon S3 canonical user id.`; break;
    default: text = `\`${p.type}\` is not a principal type: use \`AWS\`, \`Service\`, \`Federated\` or \`CanonicalUser\`.`;
  }
  if (p.negated) text += '\n\nListed under `NotPrincipal`: the statement applies to every principal except this one.';
  return text;
}
