# The app-data key of the security account. It trusts the workloads account's root, which
# lets the workloads account's own IAM policies decide who there may use the key.

data "aws_caller_identity" "current" {}

variable "workloads_account_id" {
  type    = string
  default = "345678901234"
}

resource "aws_kms_key" "app_data" {
  description         = "Application data"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "KeyAdministration"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "WorkloadsUse"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${var.workloads_account_id}:root" }
        Action    = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
        Resource  = "*"
      },
    ]
  })
}
