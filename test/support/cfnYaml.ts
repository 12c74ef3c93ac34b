/** CloudFormation YAML templates several tests start from. */

/**
 * A template of one role (`Role`, assumed by Lambda; `RoleName` when given) with one inline
 * policy `use-key` whose `Statement` value is `statements`, written from column 0 (block
 * sequence items, or a flow list) and indented here below the key.
 */
export function yamlRoleTemplate(statements: string, roleName?: string): string {
  return yamlRolePolicyTemplate(`
            Version: '2012-10-17'
            Statement:
${statements.replace(/^/gm, '              ')}`, roleName);
}

/** The same template with `PolicyDocument:` followed by `document` as it is (a block mapping after a line break, or a value after a space). */
export function yamlRolePolicyTemplate(document: string, roleName?: string): string {
  return `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
${roleName ? `      RoleName: ${roleName}\n` : ''}      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: use-key
          PolicyDocument:${document}
`;
}

/**
 * A template of one managed policy (`P`) whose `Statement` value is `statements`, written from
 * column 0 (block sequence items) and indented here below the key.
 */
export function yamlManagedPolicyTemplate(statements: string): string {
  return `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
${statements.replace(/^/gm, '          ')}
`;
}

/**
 * A template of one key (`Key`) whose policy has the owner statement (`Sid: Owner`, the
 * template's own account root, kms:*) and then `statements`, written from column 0.
 */
export function yamlKeyTemplate(statements: string): string {
  return `AWSTemplateFormatVersion: '2010-09-09'
Resources:
${yamlKeyResource(statements)}`;
}

/** The key resource of `yamlKeyTemplate` (named `name`), at the column of a template's resources, for templates that hold other resources too. */
export function yamlKeyResource(statements: string, name = 'Key'): string {
  return `  ${name}:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Sid: Owner
            Effect: Allow
            Principal: {AWS: !Sub 'arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root'}
            Action: kms:*
            Resource: '*'
${statements.replace(/^/gm, '          ')}
`;
}
