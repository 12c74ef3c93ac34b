/**
 * The two accounts of the Terraform handshake tests: security (A, the key's) and workloads
 * (B, the roles'), each folder bound to its account by the manifest's `templates`.
 */
export const A = '111122223333';
export const B = '444455556666';
export const KEY_ARN = `arn:aws:kms:us-west-2:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/**
 * `policy-handshake.json` for `security/*.tf` (account A) and `workloads/*.tf` (account B),
 * with template parameters for each side and, with `keyFile`, that file bound to KEY_ARN.
 */
export function twoAccountManifest(options: { security?: Record<string, string>; workloads?: Record<string, string>; keyFile?: string } = {}): string {
  const params = (p?: Record<string, string>) => (p ? { parameters: p } : {});
  return JSON.stringify({
    accounts: { [A]: { name: 'security' }, [B]: { name: 'workloads' } },
    ...(options.keyFile ? { keys: [{ policy: options.keyFile, arn: KEY_ARN }] } : {}),
    templates: [
      { files: 'security/*.tf', account: A, region: 'us-west-2', ...params(options.security) },
      { files: 'workloads/*.tf', account: B, region: 'us-west-2', ...params(options.workloads) },
    ],
  });
}

/** `aws_kms_key.app` of account A: its own account's statement, then the given HCL statement objects. */
export function appKeyTf(...statements: string[]): string {
  return `
resource "aws_kms_key" "app" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Own", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${A}:root" }, Action = "kms:*", Resource = "*" },
${statements.map((s) => `      ${s},\n`).join('')}    ]
  })
}
`;
}

/** The role `name` (resource `aws_iam_role.<name in lower case>`), which EC2 may assume. */
export function ec2Role(name: string): string {
  return `
resource "aws_iam_role" "${name.toLowerCase()}" {
  name               = "${name}"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}
`;
}
