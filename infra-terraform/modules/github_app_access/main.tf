# What a function that calls GitHub as the App may read to authenticate: the App id parameter (when the id is not
# given directly), the App's private key (a Secrets Manager secret or an SSM parameter, told apart by its ARN) and
# the customer key encrypting it, if any. Shared by the orchestrators, the reconciler and the host-events function.

locals {
  private_key_in_secrets_manager = can(regex("^arn:[^:]+:secretsmanager:", var.private_key_secret_arn))
}

data "aws_iam_policy_document" "read" {
  # Also before the parameter exists: `runfleet setup github-app` writes it after the first apply.
  dynamic "statement" {
    for_each = var.app_id_parameter_arn == null ? [] : [var.app_id_parameter_arn]
    content {
      sid       = "ReadAppIdParameter"
      actions   = ["ssm:GetParameter"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = local.private_key_in_secrets_manager ? [var.private_key_secret_arn] : []
    content {
      sid       = "ReadAppKeySecret"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = local.private_key_in_secrets_manager ? [] : [var.private_key_secret_arn]
    content {
      sid       = "ReadAppKeyParameter"
      actions   = ["ssm:GetParameter"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      sid       = "DecryptAppKey"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${var.region}.amazonaws.com", "ssm.${var.region}.amazonaws.com"]
      }
    }
  }
}
