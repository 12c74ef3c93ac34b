# Roles of the workloads account. The key lives in the security account: its ARN comes in as
# a variable (the manifest gives its value).

variable "app_data_key_arn" {
  type = string
}

data "aws_iam_policy_document" "ec2_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "app_reader" {
  name               = "AppReader"
  assume_role_policy = data.aws_iam_policy_document.ec2_trust.json
}

data "aws_iam_policy_document" "read_app_data" {
  statement {
    sid       = "ReadAppData"
    actions   = ["kms:Decrypt"]
    resources = [var.app_data_key_arn]
  }
}

resource "aws_iam_role_policy" "read_app_data" {
  name   = "read-app-data"
  role   = aws_iam_role.app_reader.id
  policy = data.aws_iam_policy_document.read_app_data.json
}

resource "aws_iam_role" "report_builder" {
  name               = "ReportBuilder"
  assume_role_policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]
    }
  EOF
}

resource "aws_iam_policy" "reports" {
  name = "build-reports"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "EncryptReports"
      Effect   = "Allow"
      Action   = ["kms:Encrypt", "kms:ReEncryptFrom"]
      Resource = var.app_data_key_arn
    }]
  })
}

resource "aws_iam_role_policy_attachment" "reports" {
  role       = aws_iam_role.report_builder.name
  policy_arn = aws_iam_policy.reports.arn
}
