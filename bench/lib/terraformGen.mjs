// A generated Terraform workspace for the terraform bench: one folder (module) per account
// holding key files (aws_kms_key with a jsonencode key policy trusting the next account's root)
// and role files (aws_iam_role with its trust policy, a policy document block, the role policy
// that uses it), a manifest binding each folder to its account. Each key has exactly one role of
// the trusted account granting it, so removing that grant changes the key's findings.
// Deterministic for a given N; written to a temp folder, never committed.
import { join } from 'node:path';
import { accountId, writeWorkspace } from './workspaceGen.mjs';

const FILES_PER_ACCOUNT = 20;
const KEYS_PER_ACCOUNT = 2;
const REGION = 'us-east-1';

function keyTf(i, k, trusted) {
  return `resource "aws_kms_key" "key_${k}" {
  description         = "key ${k} of account ${i}"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "EnableIamPolicies"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::\${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CrossAccountUse"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${accountId(trusted)}:root" }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
        Resource  = "*"
      },
    ]
  })
}

data "aws_caller_identity" "current" {}
`;
}

function roleTf(r, grantedAccount, grant) {
  const resources = grant ? `"arn:aws:kms:${REGION}:${accountId(grantedAccount)}:key/*"` : `"arn:aws:s3:::bucket-${r}/*"`;
  const actions = grant ? '"kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"' : '"s3:GetObject"';
  return `resource "aws_iam_role" "role_${r}" {
  name = "role-${r}"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

data "aws_iam_policy_document" "role_${r}" {
  statement {
    sid       = "Use"
    actions   = [${actions}]
    resources = [${resources}]
  }
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:aws:logs:${REGION}:*:log-group:/app/role-${r}:*"]
  }
}

resource "aws_iam_role_policy" "role_${r}" {
  name   = "role-${r}"
  role   = aws_iam_role.role_${r}.id
  policy = data.aws_iam_policy_document.role_${r}.json
}
`;
}

/** Write a workspace of `n` .tf files (plus the manifest) into `dir`. */
export function generateTerraformWorkspace(dir, n) {
  const accounts = Math.max(3, Math.round(n / FILES_PER_ACCOUNT));
  const files = new Map();
  const manifest = { accounts: {}, templates: [] };
  let written = 0;
  for (let i = 0; i < accounts && written < n; i++) {
    manifest.accounts[accountId(i)] = { name: `account-${i}` };
    manifest.templates.push({ files: `account-${i}/*.tf`, account: accountId(i), region: REGION });
    for (let k = 0; k < KEYS_PER_ACCOUNT && written < n; k++, written++) files.set(`account-${i}/key-${k}.tf`, keyTf(i, k, (i + 1) % accounts));
    // Role 0 grants the keys of the previous account (whose keys trust this one); the others do not.
    const previous = (i + accounts - 1) % accounts;
    for (let r = 0; r < FILES_PER_ACCOUNT - KEYS_PER_ACCOUNT && written < n; r++, written++) files.set(`account-${i}/role-${r}.tf`, roleTf(r, previous, r === 0));
  }
  writeWorkspace(dir, files, manifest);
  return {
    dir,
    files: files.size,
    accounts,
    texts: [...files].map(([rel, text]) => ({ path: join(dir, rel), text })),
    probe: {
      keyPolicy: join(dir, 'account-0/key-0.tf'),
      iamPolicy: join(dir, 'account-1/role-0.tf'),
      grantText: roleTf(0, 0, true),
      noGrantText: roleTf(0, 0, false),
    },
  };
}
