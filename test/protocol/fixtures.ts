/** Policy texts used by the protocol and editor tests, with `«check-id:…»` markers. */

/** A key policy (content: a statement with a principal and kms actions) whose second statement has no principal. */
export const KEY_POLICY_MISSING_PRINCIPAL = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "KeyAdmins",
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::111122223333:root" },
      "Action": "kms:*",
      "Resource": "*"
    },
    {
      "Sid": «principal-missing:"UseTheKey"»,
      "Effect": "Allow",
      "Action": ["kms:Decrypt", "kms:Encrypt"],
      "Resource": "*"
    }
  ]
}
`;

/** The same key policy with the principal added. */
export const KEY_POLICY_FIXED = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "KeyAdmins",
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::111122223333:root" },
      "Action": "kms:*",
      "Resource": "*"
    },
    {
      "Sid": "UseTheKey",
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::111122223333:role/App" },
      "Action": ["kms:Decrypt", "kms:Encrypt"],
      "Resource": "*"
    }
  ]
}
`;

/** A CloudFormation identity policy (AWS::IAM::Policy) with a Principal: principal-not-allowed, with a remove fix. */
export const TEMPLATE_IDENTITY_WITH_PRINCIPAL = `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "AppPolicy": {
      "Type": "AWS::IAM::Policy",
      "Properties": {
        "PolicyName": "app",
        "Roles": ["app"],
        "PolicyDocument": {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Sid": "ReadObjects",
              "Effect": "Allow",
              «principal-not-allowed:"Principal"»: { "AWS": "arn:aws:iam::111122223333:root" },
              "Action": "s3:GetObject",
              "Resource": "arn:aws:s3:::example-bucket/*"
            }
          ]
        }
      }
    }
  }
}
`;

/** Malformed: a statement object with a doubled comma and no closing brackets. */
export const MALFORMED_POLICY = `{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow",, "Action": "kms:Decrypt"
`;

/** A policy-looking file nested 10,000 levels deep. */
export function deeplyNested(depth = 10_000): string {
  return `{"Statement": ${'['.repeat(depth)}${']'.repeat(depth)}}`;
}

/** About `bytes` of valid JSON that is not a policy but names Statement (so it is read). */
export function hugePolicyLike(bytes: number): string {
  const filler = '{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}';
  const count = Math.ceil(bytes / (filler.length + 2));
  return `{"Version": "2012-10-17", "Statement": [${new Array(count).fill(filler).join(',\n')}]}`;
}

/** `__proto__`, `constructor` and `prototype` used as keys everywhere a key can go. */
export const PROTO_KEYS_POLICY = `{
  "__proto__": { "polluted": true },
  "Version": "2012-10-17",
  "Statement": [
    {
      "__proto__": { "Effect": "Deny" },
      "constructor": { "prototype": { "polluted": true } },
      "Sid": "Proto",
      "Effect": "Allow",
      "Principal": { "__proto__": "arn:aws:iam::111122223333:root", "AWS": "arn:aws:iam::111122223333:root" },
      "Action": "kms:Decrypt",
      "Resource": "*",
      "Condition": { "__proto__": { "__proto__": "x" }, "StringEquals": { "__proto__": "x" } }
    }
  ]
}
`;

/** Two accounts: A owns the key, B's role App has the identity policies under b/app/. */
export const ACCOUNT_A = '111122223333';
export const ACCOUNT_B = '444455556666';
export const HANDSHAKE_KEY_ARN = `arn:aws:kms:us-west-2:${ACCOUNT_A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

export const HANDSHAKE_MANIFEST = JSON.stringify({
  accounts: { [ACCOUNT_A]: { name: 'security' }, [ACCOUNT_B]: { name: 'workloads' } },
  keys: [{ policy: 'keys/key.json', arn: HANDSHAKE_KEY_ARN }],
  principals: [{ arn: `arn:aws:iam::${ACCOUNT_B}:role/App`, policies: ['b/app/*.json'] }],
}, null, 2);

/** The key policy trusts B's root for Decrypt; the marker id is filled in by the test. */
export const handshakeKeyPolicy = (checkId: string) => `{
  "Version": "2012-10-17",
  "Statement": [
    { "Sid": "Own", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::${ACCOUNT_A}:root" }, "Action": "kms:*", "Resource": "*" },
    { "Sid": "Workloads", "Effect": "Allow", "Principal": { "AWS": «${checkId}:"arn:aws:iam::${ACCOUNT_B}:root"» }, "Action": "kms:Decrypt", "Resource": "*" }
  ]
}
`;

/** B's role policy: S3 only (no grant on the key), or Decrypt on the key. */
export const roleS3Only = `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" }]
}
`;
export const roleDecryptsKey = `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${HANDSHAKE_KEY_ARN}" }]
}
`;
