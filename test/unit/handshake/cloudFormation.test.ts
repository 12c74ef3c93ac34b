/**
 * CloudFormation templates on both sides of the handshake: intrinsic functions resolved
 * with the manifest's `templates` values (account, region, parameters).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Workspace } from '../../../server/src/core/workspace/workspace';
import { applyEdits } from '../../support/fixture';
import { hoverAt } from '../../../server/src/core/features/hover';
import { keyAccess } from '../../../server/src/core/features/keyAccess';
import { formatGraph } from '../../../server/src/core/features/keyAccessGraph';
import { yamlKeyTemplate, yamlRolePolicyTemplate, yamlRoleTemplate } from '../../support/cfnYaml';
import { A, B, HANDSHAKE_IDS, KEY, buildWorkspace, expectWorkspace, single } from './workspaceFixture';

const M = '/ws/policy-handshake.json';

const keyTemplate = `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Parameters": { "WorkloadAccount": { "Type": "String" } },
  "Resources": {
    "AppDataKey": {
      "Type": "AWS::KMS::Key",
      "Properties": {
        "KeyPolicy": {
          "Version": "2012-10-17",
          "Statement": [
            { "Sid": "Own", "Effect": "Allow", "Principal": { "AWS": { "Fn::Sub": "arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root" } }, "Action": "kms:*", "Resource": "*" },
            { "Sid": "Workloads", "Effect": "Allow", "Principal": { "AWS": «MARK:{ "Fn::Sub": "arn:\${AWS::Partition}:iam::\${WorkloadAccount}:root" }» }, "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*" }
          ]
        }
      }
    }
  }
}`;

const roleTemplate = (resource: string) => `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Parameters": { "KeyAccount": { "Type": "String" }, "KeyId": { "Type": "String" } },
  "Resources": {
    "AppRole": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "RoleName": "App",
        "AssumeRolePolicyDocument": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Principal": { "Service": "lambda.amazonaws.com" }, "Action": "sts:AssumeRole" }] },
        "Policies": [{
          "PolicyName": "use-key",
          "PolicyDocument": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "kms:Decrypt", "Resource": ${resource} }] }
        }]
      }
    }
  }
}`;

const templates = (keyBinding: boolean, params = true) => JSON.stringify({
  accounts: { [A]: { name: 'security' }, [B]: { name: 'workloads' } },
  ...(keyBinding ? { keys: [{ policy: 'security/key.template.json', arn: KEY }] } : {}),
  templates: [
    { files: 'security/*.template.json', account: A, region: 'us-west-2', parameters: params ? { WorkloadAccount: B } : {} },
    { files: ['workloads/*.template.json'], account: B, region: 'us-west-2', parameters: { KeyAccount: A, KeyId: KEY.split('/')[1] } },
  ],
}, null, 2);

const subKeyArn = '{ "Fn::Sub": "arn:${AWS::Partition}:kms:${AWS::Region}:${KeyAccount}:key/${KeyId}" }';

test('templates on both sides: the Fn::Sub principal and the Fn::Sub key ARN are resolved from the manifest', () => {
  const s = expectWorkspace({
    [M]: templates(true),
    '/ws/security/key.template.json': keyTemplate.replace('«MARK:', '«root-principal-broader-than-grants:'),
    '/ws/workloads/app.template.json': roleTemplate(subKeyArn),
  });
  const f = single(s.ws, '/ws/security/key.template.json', 'root-principal-broader-than-grants');
  assert.match(f.message, /narrow the principal to it\. It is role\/App \(kms:Decrypt/);
  // The narrowing fix keeps the Fn::Sub and its parameter and partition: only root becomes the role.
  const fix = f.fixes!.find((x) => x.id === 'narrow-root-to-role')!;
  assert.equal(fix.changes[0].edits[0].newText, JSON.stringify('arn:${AWS::Partition}:iam::${WorkloadAccount}:role/App'));
});

test('a template key known by account and region only: an exact ARN grant is a conditional match', () => {
  const s = expectWorkspace({
    [M]: templates(false),
    '/ws/security/key.template.json': keyTemplate.replace('«MARK:', '«root-principal-broader-than-grants:'),
    '/ws/workloads/app.template.json': roleTemplate(subKeyArn),
  });
  assert.match(single(s.ws, '/ws/security/key.template.json', 'root-principal-broader-than-grants').related![0].message, /conditional/);
});

test('the grant names a key of another region: no match', () => {
  expectWorkspace({
    [M]: templates(false),
    '/ws/security/key.template.json': keyTemplate.replace('«MARK:', '«root-principal-without-grant:'),
    '/ws/workloads/app.template.json': roleTemplate(`{ "Fn::Sub": "arn:aws:kms:eu-west-1:\${KeyAccount}:key/\${KeyId}" }`),
  });
});

test('without the parameter value the principal is unknown: no handshake finding, no error', () => {
  expectWorkspace({
    [M]: templates(true, false),
    '/ws/security/key.template.json': keyTemplate.replace('«MARK:', '').replace('»', ''),
    '/ws/workloads/app.template.json': roleTemplate(subKeyArn),
  }, { only: ['root-principal-without-grant', 'root-principal-broader-than-grants', 'external-account-undescribed', 'iam-grant-without-key-trust', 'iam-grant-exceeds-key-policy', 'internal-error', 'manifest'] });
});

// add-iam-grant into the role's policy in a template, JSON or YAML, in the template's own style.


const grantManifest = (roleFiles: string) => JSON.stringify({
  accounts: { [A]: { name: 'security' }, [B]: { name: 'workloads' } },
  keys: [{ policy: 'security/key.template.json', arn: KEY }],
  templates: [
    { files: 'security/*.template.json', account: A, region: 'us-west-2', parameters: { WorkloadAccount: B } },
    { files: roleFiles, account: B, region: 'us-west-2' },
  ],
}, null, 2);

function applyGrant(ws: Workspace, roleFile: string): string {
  const f = single(ws, '/ws/security/key.template.json', 'root-principal-without-grant');
  const fix = (f.fixes ?? []).filter((x) => x.id === 'add-iam-grant');
  assert.deepEqual(fix.map((x) => [x.title, x.changes.map((c) => c.file)]), [[`Grant 1 key action to role/App in ${roleFile.replace('/ws/', '')}`, [roleFile]]]);
  const text = applyEdits(ws.text(roleFile)!, fix[0].changes[0].edits);
  ws.updateFile(roleFile, text);
  return text;
}

const logs = `- Sid: Logs
  Effect: Allow
  Action: [logs:CreateLogStream, logs:PutLogEvents]
  Resource: '*' # any log group`;

const keyOnlyDecrypt = keyTemplate.replace('«MARK:', '').replace('»', '').replace('["kms:Decrypt", "kms:DescribeKey"]', '"kms:Decrypt"');

test('add-iam-grant into a YAML template: a block sequence item in the Statement list, comments kept; the warning becomes the broader info', () => {
  const role = '/ws/workloads/app.yaml';
  const { ws } = buildWorkspace({
    [M]: grantManifest('workloads/*.yaml'),
    '/ws/security/key.template.json': keyOnlyDecrypt,
    [role]: yamlRoleTemplate(logs, 'App'),
  });
  const text = applyGrant(ws, role);
  assert.equal(text, yamlRoleTemplate(`${logs}
- Sid: UseKey1234abcd
  Effect: Allow
  Action:
    - kms:Decrypt
  Resource: ${KEY}`, 'App'));
  assert.deepEqual(ws.findings(role).map((f) => f.checkId), []);
  assert.deepEqual(ws.findings('/ws/security/key.template.json').filter((f) => f.checkId.startsWith('root-principal')).map((f) => f.checkId), ['root-principal-broader-than-grants']);
});

test('add-iam-grant never edits a template policy that is attached to users or groups too (it would grant them the key): the role gets a policy of its own', () => {
  const role = '/ws/workloads/app.yaml';
  const template = (attach: string) => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: App
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
  Shared:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [!Ref Role]
${attach}      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource: '*'
`;
  const fixFiles = (attach: string) => {
    const { ws } = buildWorkspace({ [M]: grantManifest('workloads/*.yaml'), '/ws/security/key.template.json': keyOnlyDecrypt, [role]: template(attach) });
    const f = single(ws, '/ws/security/key.template.json', 'root-principal-without-grant');
    return (f.fixes ?? []).filter((x) => x.id === 'add-iam-grant').map((x) => [x.title, x.changes.map((c) => c.file)]);
  };
  assert.deepEqual(fixFiles(''), [['Grant 1 key action to role/App in workloads/app.yaml', [role]]]);
  // Attached to a group as well: the role gets a policy of its own in the template (a new policy
  // file would grant nothing: the template, not the manifest, says what the role's policies are).
  const own = [['Grant 1 key action to role/App in workloads/app.yaml as policy UseKey1234abcd of Role', [role]]];
  assert.deepEqual(fixFiles('      Groups: [Ops]\n'), own);
  // Attached to user alice too: she is a known user now, named by the template but not declared
  // there (no resource of hers to add a policy to): no fix for her.
  assert.deepEqual(fixFiles('      Users: [alice]\n'), own);
});

test('add-iam-grant into a YAML template whose Statement is a flow list, and into a JSON template', () => {
  const yaml = '/ws/workloads/app.yaml';
  const flow = buildWorkspace({
    [M]: grantManifest('workloads/*.yaml'),
    '/ws/security/key.template.json': keyOnlyDecrypt,
    [yaml]: yamlRoleTemplate(`[{Effect: Allow, Action: 's3:GetObject', Resource: '*'}]`, 'App'),
  }).ws;
  assert.equal(applyGrant(flow, yaml), yamlRoleTemplate(`[{Effect: Allow, Action: 's3:GetObject', Resource: '*'}, { "Sid": "UseKey1234abcd", "Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": "${KEY}" }]`, 'App'));
  assert.deepEqual(flow.findings('/ws/security/key.template.json').filter((f) => f.checkId.startsWith('root-principal')).map((f) => f.checkId), ['root-principal-broader-than-grants']);

  const json = '/ws/workloads/app.template.json';
  const ws = buildWorkspace({
    [M]: grantManifest('workloads/*.template.json'),
    '/ws/security/key.template.json': keyOnlyDecrypt,
    [json]: roleTemplate('"*"').replace('"Action": "kms:Decrypt"', '"Action": "s3:GetObject"'),
  }).ws;
  const text = applyGrant(ws, json);
  const statements = JSON.parse(text).Resources.AppRole.Properties.Policies[0].PolicyDocument.Statement;
  assert.deepEqual(statements[1], { Sid: 'UseKey1234abcd', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: KEY });
  assert.deepEqual(ws.findings('/ws/security/key.template.json').filter((f) => f.checkId.startsWith('root-principal')).map((f) => f.checkId), ['root-principal-broader-than-grants']);
});

test('a template role without RoleName is named by its logical id where its grant is described', () => {
  const s = expectWorkspace({
    [M]: grantManifest('workloads/*.yaml'),
    '/ws/security/key.template.json': keyTemplate.replace('«MARK:', '«root-principal-broader-than-grants:'),
    '/ws/workloads/app.yaml': yamlRoleTemplate(`- Effect: Allow\n  Action: kms:Decrypt\n  Resource: '*'`),
  });
  const f = single(s.ws, '/ws/security/key.template.json', 'root-principal-broader-than-grants');
  assert.match(f.message, /only one of its principals uses this key: name the principals that need it\. It is role Role \(name generated at deployment\) \(kms:Decrypt on "\*"\)\./);
  // Where the grant is, the related entry says.
  assert.ok(f.related!.some((r) => r.file.endsWith('workloads/app.yaml')));
});

// `!Sub [text, {Var: value}]`: the map's variables substitute `${Var}` in a principal.

const subListManifest = JSON.stringify({
  accounts: { [A]: { name: 'security' }, [B]: { name: 'workloads' } },
  keys: [{ policy: 'security/key.yaml', arn: KEY }],
  principals: [{ arn: `arn:aws:iam::${B}:role/App`, policies: ['workloads/app.json'] }],
  templates: [{ files: 'security/*.yaml', account: A, region: 'us-west-2', parameters: { WorkloadAccount: B } }],
}, null, 2);
const appGrant = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY}"}]}`;
const subListKey = (principal: string) => yamlKeyTemplate(`- Sid: Workloads
  Effect: Allow
  Principal:
    AWS: ${principal}
  Action: kms:Decrypt
  Resource: '*'`);

test('!Sub list form: a literal, an unquoted number or a Ref of a parameter in the map names the trusted account', () => {
  for (const value of [`'${B}'`, B, '!Ref WorkloadAccount', '{Ref: WorkloadAccount}']) {
    const s = expectWorkspace({
      [M]: subListManifest,
      '/ws/security/key.yaml': subListKey(`«root-principal-broader-than-grants:!Sub ['arn:\${AWS::Partition}:iam::\${Acct}:root', {Acct: ${value}}]»`),
      '/ws/workloads/app.json': appGrant,
    });
    assert.match(single(s.ws, '/ws/security/key.yaml', 'root-principal-broader-than-grants').message, /It is role\/App \(kms:Decrypt\)/, value);
  }
  // The task's own spelling: a literal account in a literal partition.
  expectWorkspace({
    [M]: subListManifest,
    '/ws/security/key.yaml': subListKey(`«root-principal-broader-than-grants:!Sub ['arn:aws:iam::\${Acct}:root', {Acct: '${B}'}]»`),
    '/ws/workloads/app.json': appGrant,
  });
});

test('!Sub list form in a JSON template (Fn::Sub: [text, {…}]) trusts the account; an unknown variable value is no finding', () => {
  const json = (vars: string) => keyTemplate.replace('«MARK:', '').replace('»', '')
    .replace('{ "Fn::Sub": "arn:${AWS::Partition}:iam::${WorkloadAccount}:root" }', `{ "Fn::Sub": ["arn:\${AWS::Partition}:iam::\${Acct}:root", ${vars}] }`);
  const manifest = JSON.stringify({
    accounts: { [A]: { name: 'security' }, [B]: { name: 'workloads' } },
    keys: [{ policy: 'security/key.template.json', arn: KEY }],
    principals: [{ arn: `arn:aws:iam::${B}:role/App`, policies: ['workloads/app.json'] }],
    templates: [{ files: 'security/*.template.json', account: A, region: 'us-west-2' }],
  });
  const trusted = buildWorkspace({ [M]: manifest, '/ws/security/key.template.json': json(`{ "Acct": "${B}" }`), '/ws/workloads/app.json': appGrant.replace('kms:Decrypt', 's3:GetObject') });
  const f = single(trusted.ws, '/ws/security/key.template.json', 'root-principal-without-grant');
  assert.match(f.message, new RegExp(B));
  // A value the template does not know (a GetAtt, an unset parameter): unknown, never an error.
  for (const vars of ['{ "Acct": { "Fn::GetAtt": ["Other", "AccountId"] } }', '{ "Acct": { "Ref": "Unset" } }']) {
    const s = buildWorkspace({ [M]: manifest, '/ws/security/key.template.json': json(vars), '/ws/workloads/app.json': appGrant });
    assert.deepEqual(s.ws.findings('/ws/security/key.template.json').filter((x) => x.severity === 'error' || HANDSHAKE_IDS.includes(x.checkId)).map((x) => x.checkId), [], vars);
  }
});

// add-iam-grant into a role policy written as JSON text in a template's string.

test('add-iam-grant into a policy written as !Sub JSON text (single-quoted YAML): the statement on one line in the string; re-checked clean', () => {
  const role = '/ws/workloads/app.yaml';
  const policy = (extra: string) => yamlRolePolicyTemplate(` !Sub '{"Version": "2012-10-17",
            "Statement": [{"Sid": "Logs", "Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "arn:\${AWS::Partition}:logs:*:\${AWS::AccountId}:*"}${extra}]}'`, 'App');
  const { ws } = buildWorkspace({ [M]: grantManifest('workloads/*.yaml'), '/ws/security/key.template.json': keyOnlyDecrypt, [role]: policy('') });
  assert.equal(applyGrant(ws, role), policy(`, { "Sid": "UseKey1234abcd", "Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": "${KEY}" }`));
  assert.deepEqual(ws.findings(role).map((f) => f.checkId), []);
  assert.deepEqual(ws.findings('/ws/security/key.template.json').filter((f) => f.checkId.startsWith('root-principal')).map((f) => f.checkId), ['root-principal-broader-than-grants']);
});

test('add-iam-grant into a policy written as a JSON string of a JSON template: the statement escaped as the string holds it; re-checked clean', () => {
  const role = '/ws/workloads/app.template.json';
  const policy = (extra: string) => roleTemplate('"*"').replace(
    /"PolicyDocument": \{.*\}\n/,
    `"PolicyDocument": { "Fn::Sub": "{\\"Version\\": \\"2012-10-17\\", \\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Action\\": \\"s3:GetObject\\", \\"Resource\\": \\"arn:\${AWS::Partition}:s3:::b/*\\"}${extra}]}" }\n`);
  assert.notEqual(policy(''), roleTemplate('"*"'));
  const { ws } = buildWorkspace({ [M]: grantManifest('workloads/*.template.json'), '/ws/security/key.template.json': keyOnlyDecrypt, [role]: policy('') });
  const text = applyGrant(ws, role);
  assert.equal(text, policy(`, { \\"Sid\\": \\"UseKey1234abcd\\", \\"Effect\\": \\"Allow\\", \\"Action\\": [\\"kms:Decrypt\\"], \\"Resource\\": \\"${KEY}\\" }`));
  const statements = JSON.parse(JSON.parse(text).Resources.AppRole.Properties.Policies[0].PolicyDocument['Fn::Sub']).Statement;
  assert.deepEqual(statements[1], { Sid: 'UseKey1234abcd', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: KEY });
  assert.deepEqual(ws.findings(role).map((f) => f.checkId), []);
  assert.deepEqual(ws.findings('/ws/security/key.template.json').filter((f) => f.checkId.startsWith('root-principal')).map((f) => f.checkId), ['root-principal-broader-than-grants']);
});

// add-iam-grant into a policy whose Statement is empty: the statement becomes its one item.

test('add-iam-grant into an empty Statement: YAML (a block sequence in place of []), JSON in YAML, a JSON template, JSON text in YAML; re-checked clean', () => {
  const yaml = '/ws/workloads/app.yaml';
  const json = '/ws/workloads/app.template.json';
  const grant = `{ "Sid": "UseKey1234abcd", "Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": "${KEY}" }`;
  const block = yamlRoleTemplate(`- Sid: UseKey1234abcd\n  Effect: Allow\n  Action:\n    - kms:Decrypt\n  Resource: ${KEY}`, 'App');
  const yamlDocument = (statement: string) => yamlRolePolicyTemplate(`\n            Version: '2012-10-17'\n            Statement:${statement}`, 'App');
  const cases: [string, string, string, string][] = [
    ['Statement: []', yaml, yamlDocument(' []'), block],
    ['Statement: [] on the next line', yaml, yamlDocument('\n              []'), block],
    ['JSON in YAML', yaml, yamlRolePolicyTemplate(` {"Version": "2012-10-17", "Statement": []}`, 'App'), yamlRolePolicyTemplate(` {"Version": "2012-10-17", "Statement": [${grant}]}`, 'App')],
    ['JSON text in YAML', yaml, yamlRolePolicyTemplate(` !Sub '{"Version": "2012-10-17", "Statement": []}'`, 'App'), yamlRolePolicyTemplate(` !Sub '{"Version": "2012-10-17", "Statement": [${grant}]}'`, 'App')],
    ['JSON template', json, roleTemplate('"*"').replace(/"Statement": \[\{ "Effect": "Allow", "Action": "kms:Decrypt".*\] \}/, '"Statement": [] }'), roleTemplate('"*"').replace(/"Statement": \[\{ "Effect": "Allow", "Action": "kms:Decrypt".*\] \}/, `"Statement": [${grant}] }`)],
  ];
  for (const [name, file, before, after] of cases) {
    assert.notEqual(before, after, name);
    const { ws } = buildWorkspace({ [M]: grantManifest(file.endsWith('.yaml') ? 'workloads/*.yaml' : 'workloads/*.template.json'), '/ws/security/key.template.json': keyOnlyDecrypt, [file]: before });
    assert.deepEqual(ws.findings(file).map((f) => f.checkId), ['empty-array'], name);
    assert.equal(applyGrant(ws, file), after, name);
    assert.deepEqual(ws.findings(file).map((f) => f.checkId), [], name);
    assert.deepEqual(ws.findings('/ws/security/key.template.json').filter((f) => f.checkId.startsWith('root-principal')).map((f) => f.checkId), ['root-principal-broader-than-grants'], name);
  }
});

// A role's `ManagedPolicyArns: [!Ref Policy]` attaches the template's managed policy to it.

const managedKey = yamlKeyTemplate(`- Sid: Reader
  Effect: Allow
  Principal:
    AWS: arn:aws:iam::${B}:role/Reader
  Action: kms:Decrypt
  Resource: '*'`);
const managedRoles = (attach: string) => `AWSTemplateFormatVersion: '2010-09-09'
Conditions:
  Attach: !Equals [!Ref Env, prod]
Parameters:
  Env:
    Type: String
Resources:
  ReaderRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: Reader
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - ${attach}
  ReaderPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action: kms:Decrypt
            Resource: ${KEY}
`;
const managedManifest = JSON.stringify({
  accounts: { [A]: { name: 'security' }, [B]: { name: 'workloads' } },
  keys: [{ policy: 'security/key.yaml', arn: KEY }],
  templates: [{ files: 'security/*.yaml', account: A, region: 'us-west-2' }, { files: 'workloads/*.yaml', account: B, region: 'us-west-2' }],
});

test('a role\'s ManagedPolicyArns with !Ref of a managed policy of its template attaches it: the role can use the key through it', () => {
  const s = expectWorkspace({ [M]: managedManifest, '/ws/security/key.yaml': managedKey, '/ws/workloads/roles.yaml': managedRoles('!Ref ReaderPolicy') });
  const hover = hoverAt(s.ws, '/ws/security/key.yaml', managedKey.indexOf('role/Reader'))!.markdown;
  assert.match(hover, /\nCan use this key:\n- `role\/Reader`: kms:Decrypt — workloads\/roles\.yaml:\d+\n/);
  assert.match(formatGraph(keyAccess(s.ws), 'mermaid'), /p\d -->\|"kms:Decrypt"\| k1/);
});

test('a managed policy attached through an !If of ManagedPolicyArns: the role may use the key, on that condition', () => {
  const s = expectWorkspace({ [M]: managedManifest, '/ws/security/key.yaml': managedKey, '/ws/workloads/roles.yaml': managedRoles('!If [Attach, !Ref ReaderPolicy, !Ref AWS::NoValue]') });
  const hover = hoverAt(s.ws, '/ws/security/key.yaml', managedKey.indexOf('role/Reader'))!.markdown;
  assert.match(hover, /\n- `role\/Reader`: kms:Decrypt — workloads\/roles\.yaml:\d+ \(conditional: whether ReaderPolicy is attached \(an Fn::If of ManagedPolicyArns\)\)\n/);
  assert.match(formatGraph(keyAccess(s.ws), 'mermaid'), /p\d -\.->\|"kms:Decrypt \(conditional\)"\| k1/);
});
