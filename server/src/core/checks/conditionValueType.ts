import type { Check, CheckContext } from './check';
import type { ConditionKeyInfo } from '../catalog/catalog';
import { CONDITION_OPERATORS, type ConditionEntry, statementConditions } from '../model/conditions';
import { isBase64Value, isBoolValue, isDateValue, isIpValue, isNumericValue } from '../model/conditionValues';
import { hasVariable, variablesEnabled } from '../model/policyVariables';
import { matchesWildcard, wildcardsIntersect } from '../wildcard';
import { lookupTable } from '../lookupTable';
import { templateText } from '../model/templateValues';
import { properties } from '../json/nodes';
import { replaceValueEdit } from '../model/valueEdits';

type OperatorKind = (typeof CONDITION_OPERATORS)[string];

/** What each operator kind accepts as a value, and how to say it. */
const VALUE_RULES: Partial<Record<OperatorKind, { ok: (v: unknown) => boolean; expected: string }>> = {
  Bool: { ok: isBoolValue, expected: 'true or false' },
  Null: { ok: isBoolValue, expected: 'true (the key is absent) or false (it is present)' },
  Numeric: { ok: isNumericValue, expected: 'a number' },
  Date: { ok: isDateValue, expected: 'an ISO 8601 date (2026-01-31 or 2026-01-31T12:00:00Z) or epoch seconds' },
  IPAddress: { ok: isIpValue, expected: 'an IPv4 or IPv6 address or CIDR range (203.0.113.0/24)' },
  ARN: { ok: (v) => typeof v === 'string' && (v === '*' || wildcardsIntersect(v, 'arn:*')), expected: 'an ARN' },
  Binary: { ok: isBase64Value, expected: 'base64 text' },
};

/**
 * Operator kinds that never fit a key of a given documented type. String operators are
 * allowed on every type (ARN keys included, as AWS documents); String-typed keys are never
 * flagged, since the reference types some boolean or numeric keys as String.
 */
const WRONG_OPERATORS = lookupTable<OperatorKind[]>({
  Bool: ['Numeric', 'Date', 'IPAddress', 'ARN'],
  ARN: ['Numeric', 'Date', 'Bool', 'IPAddress'],
  Numeric: ['Date', 'Bool', 'IPAddress', 'ARN'],
  Date: ['Bool', 'IPAddress', 'ARN'],
  IPAddress: ['Numeric', 'Date', 'Bool', 'ARN'],
});

const SCALAR_TYPES = ['String', 'ARN', 'Bool', 'Numeric', 'Date', 'IPAddress'];

const OPERATOR_FOR_TYPE: Record<string, string> = { Bool: 'Bool', ARN: 'ArnEquals/ArnLike', Numeric: 'Numeric…', Date: 'Date…', IPAddress: 'IpAddress/NotIpAddress' };

/** Keys whose values are alias names (`alias/NAME`), never alias ARNs (KMS Developer Guide, kms:RequestAlias, kms:ResourceAliases). */
const ALIAS_KEYS = new Set(['kms:requestalias', 'kms:resourcealiases']);
/** Keys whose values are Region codes. */
const REGION_KEYS = new Set(['aws:requestedregion', 'ec2:region', 's3:locationconstraint']);
/** The form of a Region code: partition prefix, area, direction, number (us-gov-west-1, ap-southeast-5, eusc-de-east-1). */
const REGION = /^[a-z]{2,4}(-(gov|iso|isob|isoe|isof|de))?-(central|north|south|east|west|northeast|northwest|southeast|southwest)-\d{1,2}$/;

/**
 * Condition values that do not fit their operator (`"Bool": {"aws:SecureTransport": "yes"}`),
 * operators that do not fit the key's documented type, policy variables where only String
 * and Arn operators take them, ForAllValues on single-valued keys, String…Like on ARN keys,
 * Region keys compared with text that is no Region code, and (a suggestion) StringLike "*",
 * which is the Null operator's "false".
 */
export const conditionValueType: Check = {
  id: 'condition-value-type',
  defaultSeverity: 'warning',
  summary: 'Condition value does not fit the operator or key type (Bool, Numeric, Date, IpAddress, Arn)',
  statementLocal: true,
  run(ctx) {
    const variables = variablesEnabled(ctx.doc.root);
    for (let k = 0; k < ctx.statements.length; k++) {
      const s = ctx.statements[k];
      const cs = statementConditions(s);
      for (let j = 0; j < cs.length; j++) {
        const c = cs[j];
        const base = c.operator.base;
        if (!base) continue;
        const kind = CONDITION_OPERATORS[base];
        const info = ctx.catalog.conditionKey(c.key);
        const rejected = c.operator.set === 'ForAllValues' && ctx.doc.kind === 'kms-key-policy' && rejectedForAllValues(c.key);
        if (rejected) reportRejectedForAllValues(ctx, c);
        else if (c.operator.set === 'ForAllValues' && kind !== 'Null' && !info?.global && kmsSingleValued(c.key)) reportSingleValued(ctx.report, c, c.key);
        if (info) checkKeyType(c, kind, info, ctx.report, rejected);
        if (info && base.endsWith('Like') && kind === 'String' && info.type.replace(/^ArrayOf/, '') === 'ARN') {
          ctx.report(c.keyNode, `${info.key} is an ARN key: compare it with ${base === 'StringLike' ? 'ArnLike' : 'ArnNotLike'} rather than ${c.operator.text}. In a String comparison a wildcard can run across the ARN's parts.`);
        }
        if (base === 'StringEquals' || base === 'StringNotEquals') {
          const wild = c.values.find((v) => v.value !== undefined && /[*?]/.test(variables ? v.value.replace(/\$\{[^}]*\}/g, '') : v.value));
          if (wild) reportWildcardWithoutLike(ctx, c, base, wild, info);
        }
        if (kind === 'String' && REGION_KEYS.has(c.key.toLowerCase())) {
          for (let i = 0; i < c.values.length; i++) {
            const item = c.values[i];
            const v = item.value;
            if (v === undefined || /[*?]|\$\{/.test(v) || REGION.test(v)) continue;
            ctx.report(item.node, `"${v}" is not an AWS Region name (such as us-east-1 or eu-central-2): ${c.key} never equals it. Write a Region code.`, { severity: 'error' });
          }
        }
        if (kind === 'String' && ALIAS_KEYS.has(c.key.toLowerCase())) {
          for (let i = 0; i < c.values.length; i++) {
            const item = c.values[i];
            const v = item.value;
            const alias = v === undefined ? undefined : /^arn:[^:]*:kms:[^:]*:[^:]*:(alias\/.+)$/.exec(v);
            if (!alias) continue;
            ctx.report(item.node, `${c.key} takes alias names, not alias ARNs: write "${alias[1]}". The key's value is the alias name, so "${v}" never matches it.`, {
              severity: 'error',
              fixes: [{ title: `Change to "${alias[1]}"`, id: 'alias-name', isPreferred: true, edits: [replaceValueEdit(item.node, alias[1])] }],
            });
          }
        }
        if (kind === 'String') reportOrganizationValues(ctx, c);
        if (kind === 'String' && c.key.toLowerCase() === 'kms:viaservice') reportViaServiceValues(ctx, c);
        if (kind === 'String') reportGrantValues(ctx, c);
        if (c.operator.text === 'StringLike') {
          for (let i = 0; i < c.values.length; i++) {
            const item = c.values[i];
            if (item.value !== '*') continue;
            ctx.report(item.node, `StringLike "*" only tests that the key is present: write a Null condition, which says so. For ${c.key}: {"Null": {"${c.key}": "false"}}.`, { severity: 'info' });
          }
        }
        if (info && info.type.startsWith('ArrayOf') && !c.operator.set && kind !== 'Null') reportMissingQualifier(ctx, c, info.key);
        // A single-valued Boolean compared with both values (INVALID_CONDITION_MULTIPLE_BOOLEAN).
        if (kind === 'Bool' && !c.operator.set && c.values.every((v) => !v.intrinsic && isBoolValue(v.node.value)) && new Set(c.values.map((v) => String(v.node.value).toLowerCase())).size > 1) {
          ctx.report(c.keyNode, `A Boolean key has one value per request: give one value. ${c.operator.text} on ${c.key} with several values (${c.values.map((v) => String(v.node.value)).join(', ')}) matches whichever it is.`, { severity: 'error' });
        }
        if (kind === 'Numeric' && !c.operator.set) reportRedundantNumbers(ctx, c);
        const rule = VALUE_RULES[kind];
        for (let i = 0; i < c.values.length; i++) {
          const item = c.values[i];
          const n = item.node;
          if (item.intrinsic || n.type === 'object' || n.type === 'array' || n.type === 'null') continue;
          const value = n.value as unknown;
          if (typeof value === 'string' && variables && hasVariable(value)) {
            // Access Analyzer's INVALID_VARIABLE_FOR_OPERATOR is an error.
            if (kind !== 'String' && kind !== 'ARN') ctx.report(n, `${base} does not replace policy variables: use a String or Arn operator. Variables are replaced only in String and Arn conditions; ${base} compares "${value}" as it is.`, { severity: 'error' });
            continue;
          }
          if (rule && !rule.ok(value)) {
            const literal = typeof value === 'string' && hasVariable(value) ? ' (${…} is literal text without "Version": "2012-10-17")' : '';
            ctx.report(n, `${base} expects ${rule.expected}: correct the value. ${JSON.stringify(value)} is not one${literal}.`);
          }
        }
      }
    }
  },
};

/**
 * A `*` or `?` in a StringEquals/StringNotEquals value, with the operator meant as the fix:
 * StringLike/StringNotLike, or ArnLike/ArnNotLike on an ARN-typed key whose values read as
 * ARNs (String…Like there is reported above). A value of `"*"` gets no Like operator: as a
 * pattern it only tests that the key is present (or, negated, absent), which the Null operator
 * says; that is the fix when it is the operator's only value, without IfExists or a set qualifier.
 */
function reportWildcardWithoutLike(ctx: CheckContext, c: ConditionEntry, base: string, wild: ConditionEntry['values'][number], info: ConditionKeyInfo | undefined): void {
  const rename = (name: string) => replaceValueEdit(c.operatorNode, name);
  const star = c.values.find((v) => v.value === '*');
  if (star) {
    const absent = base === 'StringNotEquals' ? 'true' : 'false';
    const fixable = c.values.length === 1 && !c.operator.set && !c.operator.ifExists && renamable(c, 'Null');
    const state = absent === 'false' ? 'present' : 'absent';
    ctx.report(star.node, `${base} has no wildcards: use a Null condition if you meant that the key is ${state}. ${base} compares "*" as the character *, and as a Like pattern "*" would only test that the key is ${state}. For ${c.key}: {"Null": {"${c.key}": "${absent}"}}.`, fixable
      ? { fixes: [{ title: `Change to {"Null": {"${c.key}": "${absent}"}}`, id: 'use-null-operator', edits: [rename('Null'), replaceValueEdit(star.node, absent)] }] }
      : undefined);
    return;
  }
  const arn = info?.type.replace(/^ArrayOf/, '') === 'ARN' && c.values.every((v) => v.value === undefined || VALUE_RULES.ARN!.ok(v.value));
  const like = c.operator.text.replace(base, base === 'StringEquals' ? (arn ? 'ArnLike' : 'StringLike') : (arn ? 'ArnNotLike' : 'StringNotLike'));
  ctx.report(wild.node, `${base} has no wildcards: use ${like} if you meant one. ${base} compares ${JSON.stringify(wild.value)} as it is; * and ? are wildcards only with a Like operator.`, renamable(c, like)
    ? { fixes: [{ title: `Change to ${like}`, id: 'use-like-operator', edits: [rename(like)] }] }
    : undefined);
}

/**
 * Whether the entry's operator block can be renamed to `name`: it holds this key alone, and no
 * other block of the Condition has that name already (two blocks of one name: a JSON reader
 * keeps the last, and the other's keys are lost).
 */
function renamable(c: ConditionEntry, name: string): boolean {
  const property = c.operatorNode.parent;
  if ((property?.children?.[1]?.children?.length ?? 0) !== 1) return false;
  const lower = name.toLowerCase();
  return !properties(property?.parent).some((p) => p.key !== c.operatorNode && p.name.toLowerCase() === lower);
}

/** How the entry's String operator compares: with wildcards (`…Like`), ignoring case (`…IgnoreCase`), or exactly. */
function stringComparison(c: ConditionEntry): { like: boolean; ignoreCase: boolean } {
  const base = c.operator.base;
  return { like: base === 'StringLike' || base === 'StringNotLike', ignoreCase: base === 'StringEqualsIgnoreCase' || base === 'StringNotEqualsIgnoreCase' };
}

/** The operations a KMS grant can carry (KMS Developer Guide, "Grant operations"). */
const GRANT_OPERATION_NAMES = ['Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext',
  'GenerateDataKeyWithoutPlaintext', 'GenerateMac', 'ReEncryptFrom', 'ReEncryptTo', 'Sign', 'Verify', 'VerifyMac', 'CreateGrant',
  'DescribeKey', 'GetPublicKey', 'RetireGrant'];
const GRANT_CONSTRAINT_TYPES = ['EncryptionContextEquals', 'EncryptionContextSubset'];

/**
 * Values of `kms:GrantOperations` and `kms:GrantConstraintType` that a CreateGrant request can
 * never carry: an operation no grant can hold (`ListGrants`, `RevokeGrant`…), a name in another
 * case (String comparisons are case-sensitive), a constraint type that does not exist.
 */
function reportGrantValues(ctx: CheckContext, c: ConditionEntry): void {
  const k = c.key.toLowerCase();
  if (k === 'kms:granteeprincipal') {
    // A grant's grantee is an account, user, role, federated user or role session: never a group or a service principal.
    for (let i = 0; i < c.values.length; i++) {
      const v = c.values[i].value;
      if (v === undefined || c.values[i].intrinsic) continue;
      const what = /^arn:[^:]*:iam::[^:]*:group\//.test(v) ? 'an IAM group' : /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(v) ? 'a service principal' : undefined;
      if (what) ctx.report(c.values[i].node, `"${v}" is ${what}, and a grant's grantee never is: kms:GranteePrincipal never equals it. Name the role or user the grant is for.`);
    }
    return;
  }
  const names = k === 'kms:grantoperations' ? GRANT_OPERATION_NAMES : k === 'kms:grantconstrainttype' ? GRANT_CONSTRAINT_TYPES : undefined;
  if (!names) return;
  const { like, ignoreCase } = stringComparison(c);
  const what = k === 'kms:grantoperations' ? 'an operation a grant can carry' : 'a grant constraint type';
  for (let i = 0; i < c.values.length; i++) {
    const item = c.values[i];
    const v = item.value;
    if (item.intrinsic || v === undefined || v.includes('${')) continue;
    const fits = (n: string) => (like ? matchesWildcard(v, n) : ignoreCase ? n.toLowerCase() === v.toLowerCase() : n === v);
    if (names.some(fits)) continue;
    const cased = names.find((n) => n.toLowerCase() === v.toLowerCase());
    const hint = cased ? ` Write "${cased}": the comparison is case-sensitive.` : ` ${k === 'kms:grantoperations' ? 'A grant carries only' : 'The types are'} ${names.join(', ')}.`;
    ctx.report(item.node, `"${v}" is not ${what}: ${c.key} never ${like ? 'matches' : 'equals'} it.${hint}`, {
      fixes: cased && !like ? [{ title: `Change to "${cased}"`, id: 'grant-value-case', isPreferred: true, edits: [replaceValueEdit(item.node, cased)] }] : undefined,
    });
  }
}

/**
 * Services whose calls carry another service's name in `kms:ViaService` (KMS Developer Guide,
 * "AWS KMS condition keys", the kms:ViaService table): EBS calls as `ec2`; RDS, Aurora, Neptune
 * and RDS Performance Insights as `rds`; Snowball as `importexport`.
 */
const VIA_SERVICE_NAMES: Record<string, string> = { ebs: 'ec2', aurora: 'rds', neptune: 'rds', 'neptune-db': 'rds', pi: 'rds', snowball: 'importexport' };
const VIA_SERVICE_TITLES: Record<string, string> = { ebs: 'EBS', aurora: 'Aurora', neptune: 'Neptune', 'neptune-db': 'Neptune', pi: 'RDS Performance Insights', snowball: 'Snowball' };
const VIA_SERVICE_FORM = /^([a-z0-9-]+)\.([a-z0-9-]+)\.amazonaws\.com$/;

/**
 * `kms:ViaService` values that never match (KMS Developer Guide, kms:ViaService): the value
 * is `SERVICE.REGION.amazonaws.com`, in every partition. A service principal's form
 * (`ec2.amazonaws.com`, no Region), a `.cn` suffix, a Region part that is no Region, a
 * service named as EBS or Aurora rather than as it calls (`ec2`, `rds`), or capitals (String
 * comparisons are case-sensitive). A template value is judged by what it writes, its
 * `${…}` parts read as any text.
 */
function reportViaServiceValues(ctx: CheckContext, c: ConditionEntry): void {
  const { like, ignoreCase } = stringComparison(c);
  for (let i = 0; i < c.values.length; i++) {
    const item = c.values[i];
    const written = item.value ?? (item.intrinsic ? templateText(item.node, ctx.doc.template) : undefined);
    if (written === undefined) continue;
    const templated = written.includes('${');
    // Wildcards under StringEquals are the wildcard rule's to report.
    if (/[*?]/.test(written) && !like) continue;
    const text = ignoreCase ? written.toLowerCase() : written;
    const pattern = templated || (like && /[*?]/.test(text));
    const plain = !pattern && !item.intrinsic;
    const fix = (value: string) => (plain
      ? { fixes: [{ title: `Change to "${value}"`, id: 'via-service-name', isPreferred: true, edits: [replaceValueEdit(item.node, value)] }] }
      : {});
    if (!pattern) {
      const m = VIA_SERVICE_FORM.exec(text);
      if (m) {
        const [, service, region] = m;
        const renamed = VIA_SERVICE_NAMES[service];
        if (renamed) {
          const value = `${renamed}.${region}.amazonaws.com`;
          ctx.report(item.node, `"${written}" never matches kms:ViaService: write "${value}". ${VIA_SERVICE_TITLES[service]} calls KMS as "${renamed}".`, { severity: 'error', ...fix(value) });
        } else if (!REGION.test(region)) {
          ctx.report(item.node, `"${written}" never matches kms:ViaService: write a Region code in place of "${region}". The value is SERVICE.REGION.amazonaws.com, such as ${service}.us-east-1.amazonaws.com, or ${service}.*.amazonaws.com with StringLike for every Region.`, { severity: 'error' });
        }
        continue;
      }
      const lower = text.toLowerCase();
      if (lower !== text && VIA_SERVICE_FORM.test(lower) && REGION.test(lower.split('.')[1]) && !VIA_SERVICE_NAMES[lower.split('.')[0]]) {
        ctx.report(item.node, `"${written}" never equals kms:ViaService, which is lower case: write "${lower}". The comparison is case-sensitive.`, { severity: 'error', ...fix(lower) });
        continue;
      }
      const cn = /^([a-z0-9-]+\.[a-z0-9-]+)\.amazonaws\.com\.cn$/.exec(lower);
      if (cn && lower === text) {
        const value = `${cn[1]}.amazonaws.com`;
        ctx.report(item.node, `"${written}" never matches kms:ViaService: write "${value}". The value ends in .amazonaws.com in every partition, China's too.`, { severity: 'error', ...fix(value) });
        continue;
      }
      const principal = /^([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(lower);
      const service = principal?.[1] ?? (/^[a-z0-9-]+$/.test(lower) ? lower : undefined);
      const advice = service
        ? `write ${service}.REGION.amazonaws.com, such as ${service}.us-east-1.amazonaws.com, or ${service}.*.amazonaws.com with StringLike for every Region.${principal ? ' It is a service principal\'s form, without the Region.' : ''}`
        : 'write SERVICE.REGION.amazonaws.com, such as ec2.us-east-1.amazonaws.com.';
      ctx.report(item.node, `"${written}" never ${like ? 'matches' : 'equals'} kms:ViaService: ${advice}`, { severity: 'error' });
      continue;
    }
    // A pattern (StringLike, or a template's ${…}): judged where it cannot fit the form at all.
    const glob = templated ? text.replace(/\$\{[^}]*\}/g, '*') : text;
    const service = /^([a-z0-9-]+)\./.exec(glob)?.[1];
    if (service && VIA_SERVICE_NAMES[service]) {
      ctx.report(item.node, `"${written}" never matches kms:ViaService: write ${VIA_SERVICE_NAMES[service]}${written.slice(service.length)}. ${VIA_SERVICE_TITLES[service]} calls KMS as "${VIA_SERVICE_NAMES[service]}".`, { severity: 'error' });
      continue;
    }
    if (!wildcardsIntersect(glob, '*.*.amazonaws.com')) {
      ctx.report(item.node, `"${written}" never matches kms:ViaService: write SERVICE.REGION.amazonaws.com, such as ec2.us-east-1.amazonaws.com. The value ends in .amazonaws.com in every partition.`, { severity: 'error' });
    }
  }
}

/** Keys whose values are organization ids (`o-…`) and OU paths (`o-…/r-…/ou-…/`), lower case. */
const ORG_ID_KEYS = new Set(['aws:principalorgid', 'aws:resourceorgid', 'aws:sourceorgid']);
const ORG_PATH_KEYS = new Set(['aws:principalorgpaths', 'aws:resourceorgpaths', 'aws:sourceorgpaths']);

/**
 * Organization ids and OU paths that never match, or match in any organization (IAM User
 * Guide, aws:PrincipalOrgID and aws:PrincipalOrgPaths): an id is `o-` and letters and digits;
 * a path starts with the organization id and ends with `/`; OU and root ids are unique only
 * within one organization, so a path whose organization is a wildcard matches the OU in every
 * organization.
 */
function reportOrganizationValues(ctx: CheckContext, c: ConditionEntry): void {
  const k = c.key.toLowerCase();
  const isId = ORG_ID_KEYS.has(k);
  if (!isId && !ORG_PATH_KEYS.has(k)) return;
  // Ids and paths are lower case; IgnoreCase compares them whatever their case.
  const { like, ignoreCase } = stringComparison(c);
  for (let i = 0; i < c.values.length; i++) {
    const item = c.values[i];
    const v = item.value === undefined || !ignoreCase ? item.value : item.value.toLowerCase();
    if (item.intrinsic || v === undefined || v.includes('${')) continue;
    // Wildcards under StringEquals are the wildcard rule's to report.
    const wild = /[*?]/.test(v);
    if (wild && !like) continue;
    if (isId) {
      if (wild || /^o-[a-z0-9]{10,32}$/.test(v)) continue;
      const path = /^o-[a-z0-9]+\//.test(v) ? ` It is an OU path: compare it with ${c.key.replace(/OrgID$/i, 'OrgPaths')} (ForAnyValue:StringLike).` : '';
      ctx.report(item.node, `"${item.value}" is not an organization id (o- and 10 to 32 letters or digits): ${c.key} never equals it.${path}`, { severity: 'error' });
      continue;
    }
    const org = v.split('/')[0];
    if (/[*?]/.test(org)) {
      if (v === '*' || !/\/(r|ou)-[a-z0-9]/.test(v)) continue;
      ctx.report(item.node, `"${item.value}" matches this OU in every organization: start the path with your organization id (o-…/). OU and root ids are unique only within one organization, so another organization's OU of the same id matches too.`, { severity: 'warning' });
      continue;
    }
    if (!org.startsWith('o-')) {
      ctx.report(item.node, `"${item.value}" never matches ${c.key}: every path starts with the organization id (o-…/r-…/ou-…/). Write the whole path from your organization id, such as o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*.`, { severity: 'error' });
      continue;
    }
    if (!wild && !v.endsWith('/')) {
      ctx.report(item.node, `"${item.value}" never matches ${c.key}: every path ends with "/". Write "${item.value}/" for this OU alone, or "${item.value}/*" for it and the OUs below it.`, {
        severity: 'error',
        fixes: [{ title: `Change to "${item.value}/"`, id: 'org-path-slash', isPreferred: true, edits: [replaceValueEdit(item.node, `${item.value}/`)] }],
      });
    }
  }
}

/**
 * The global keys' types and single/multivalued-ness are documented key by key in the IAM
 * User Guide; for those, a String operator on a Bool key (Access Analyzer's "type mismatch")
 * and ForAllValues on a single-valued key are reported too. Service keys' types in the
 * reference are not reliable enough for either (e.g. keys typed String that take lists).
 */
function checkKeyType(c: ConditionEntry, kind: OperatorKind, info: ConditionKeyInfo, report: (at: ConditionEntry['keyNode'], message: string) => void, forAllValuesReported: boolean): void {
  const multi = info.type.startsWith('ArrayOf');
  const type = info.type.replace(/^ArrayOf/, '');
  if (WRONG_OPERATORS[type]?.includes(kind) || (info.global && type === 'Bool' && kind === 'String')) {
    report(c.keyNode, `${c.key} is a ${type} key: compare it with ${OPERATOR_FOR_TYPE[type]} rather than ${c.operator.base}.`);
  }
  if (!forAllValuesReported && info.global && c.operator.set === 'ForAllValues' && !multi && kind !== 'Null' && SCALAR_TYPES.includes(type)) reportSingleValued(report, c, c.key);
}

function reportSingleValued(report: (at: ConditionEntry['keyNode'], message: string) => void, c: ConditionEntry, key: string): void {
  report(c.keyNode, `${key} is single-valued: ForAllValues is meant for multivalued keys and is also true when the key is absent, which can allow more than intended. Remove "ForAllValues:".`);
}

/**
 * KMS keys the KMS Developer Guide documents as single-valued (the reference's types for
 * service keys are not read, see checkKeyType): `kms:EncryptionContext:KEY` for each context key.
 */
const KMS_SINGLE_VALUED = new Set(['kms:calleraccount', 'kms:viaservice', 'kms:grantisforawsresource', 'kms:granteeprincipal', 'kms:retiringprincipal']);

/** Whether a key (lower case) is `prefix` followed by a name (`kms:EncryptionContext:app`, `aws:RequestTag/env`). */
function namedUnder(k: string, prefix: string): boolean {
  return k.length > prefix.length && k.startsWith(prefix);
}

function kmsSingleValued(key: string): boolean {
  const k = key.toLowerCase();
  return KMS_SINGLE_VALUED.has(k) || namedUnder(k, 'kms:encryptioncontext:');
}

/** Keys KMS refuses under ForAllValues in a policy it is given (OverlyPermissiveCondition). */
function rejectedForAllValues(key: string): boolean {
  const k = key.toLowerCase();
  return namedUnder(k, 'kms:encryptioncontext:') || namedUnder(k, 'aws:requesttag/');
}

function reportRejectedForAllValues(ctx: CheckContext, c: ConditionEntry): void {
  const plain = c.operator.text.replace(/^ForAllValues:/i, '');
  ctx.report(c.keyNode, `KMS rejects ForAllValues on ${c.key} in a key policy: remove "ForAllValues:". CreateKey and PutKeyPolicy refuse the policy (OverlyPermissiveCondition): ${c.key} is single-valued, and ForAllValues would also hold when the request has no such value.`, {
    severity: 'error',
    fixes: renamable(c, plain) ? [{ title: `Change to ${plain}`, id: 'remove-for-all-values', isPreferred: true, edits: [replaceValueEdit(c.operatorNode, plain)] }] : undefined,
  });
}

/**
 * A multivalued key (`ArrayOf…` in the reference) compared without ForAnyValue/ForAllValues:
 * a request with several values does not compare as a set. The fixes add a qualifier when the
 * operator holds this key alone (a qualifier on the operator applies to all its keys).
 */
function reportMissingQualifier(ctx: CheckContext, c: ConditionEntry, key: string): void {
  const fix = (set: string, preferred: boolean) => ({ title: `Change to ${set}:${c.operator.text}`, id: `add-${set}`, isPreferred: preferred, edits: [replaceValueEdit(c.operatorNode, `${set}:${c.operator.text}`)] });
  ctx.report(c.keyNode, `This key is multivalued: add ForAnyValue: or ForAllValues: to ${c.operator.text}. A request can carry several values of ${key}, and ${c.operator.text} without a set qualifier does not compare them as a set. Write ForAnyValue:${c.operator.text} (one value must match) or ForAllValues:${c.operator.text} (every value must match).`, {
    severity: 'error',
    fixes: [...(renamable(c, `ForAnyValue:${c.operator.text}`) ? [fix('ForAnyValue', false)] : []), ...(renamable(c, `ForAllValues:${c.operator.text}`) ? [fix('ForAllValues', false)] : [])],
  });
}

/**
 * Several numbers under a Numeric less/greater operator: any one matching is enough, so the
 * greatest (less-than) or least (greater-than) alone says the same. The fix keeps that one.
 */
function reportRedundantNumbers(ctx: CheckContext, c: ConditionEntry): void {
  const base = c.operator.base;
  const less = base === 'NumericLessThan' || base === 'NumericLessThanEquals';
  if (!less && base !== 'NumericGreaterThan' && base !== 'NumericGreaterThanEquals') return;
  if (c.values.length < 2 || c.valueNode?.type !== 'array') return;
  let best: { text: string; n: number } | undefined;
  for (let i = 0; i < c.values.length; i++) {
    const item = c.values[i];
    const raw = item.node.type === 'number' || item.node.type === 'string' ? String(item.node.value) : undefined;
    if (raw === undefined || !isNumericValue(item.node.value)) return;
    const n = Number(raw);
    if (!best || (less ? n > best.n : n < best.n)) best = { text: raw, n };
  }
  if (!best) return;
  const keep = best.text;
  const kept = c.values.find((v) => String(v.node.value) === keep)!;
  const text = ctx.doc.json.text;
  ctx.report(c.valueNode, `Several values under ${c.operator.text} are redundant: any one matching is enough, so the ${less ? 'greatest' : 'least'} one (${keep}) alone says the same for ${c.key}. Keep ${keep}.`, {
    severity: 'info',
    fixes: [{ title: `Keep only ${keep}`, id: 'keep-one-number', isPreferred: true, edits: [{ offset: c.valueNode.offset, length: c.valueNode.length, newText: text.slice(kept.node.offset, kept.node.offset + kept.node.length) }] }],
  });
}
