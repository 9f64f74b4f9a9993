# The customer-managed KMS key of the JIT hand-over secrets, created unless github_app.kms_key_arn names one.
#
# Why a key policy and not a resource policy on each secret: the orchestrators create the secrets at runtime, so
# a per-secret policy would be one more call (PutResourcePolicy) on every launch, one more permission that can
# loosen it, and one more step that can fail between create and launch. A secret's value can only be read by
# someone who may decrypt it with its key, so a key only the orchestrators (encrypt) and the runner roles
# (decrypt) may use, and only through Secrets Manager, denies every other principal the values of all hand-over
# secrets at once, including administrators whose IAM policies allow secretsmanager:* and kms:*.
# (DeleteSecret needs no key: another principal allowed secretsmanager:DeleteSecret could still destroy a
# pending config, which costs a relaunch but leaks nothing.)

locals {
  users = concat(var.orchestrator_role_arns, var.runner_role_arns)
}

resource "aws_kms_key" "jit" {
  count = var.create ? 1 : 0

  description             = "${var.name}: single-use GitHub JIT runner configs in Secrets Manager"
  enable_key_rotation     = true
  deletion_window_in_days = 7
  tags                    = var.tags
}

resource "aws_kms_alias" "jit" {
  count = var.create ? 1 : 0

  name          = "alias/${var.name}-jit"
  target_key_id = aws_kms_key.jit[0].key_id
}

data "aws_iam_policy_document" "key" {
  # The account administers the key (without this statement no one could, ever) but may not use it: no crypto
  # action and no grants here.
  statement {
    sid = "AccountAdministersTheKey"
    actions = [
      "kms:CancelKeyDeletion",
      "kms:CreateAlias",
      "kms:DeleteAlias",
      "kms:DescribeKey",
      "kms:DisableKey",
      "kms:DisableKeyRotation",
      "kms:EnableKey",
      "kms:EnableKeyRotation",
      "kms:GetKeyPolicy",
      "kms:GetKeyRotationStatus",
      "kms:ListAliases",
      "kms:ListGrants",
      "kms:ListKeyPolicies",
      "kms:ListResourceTags",
      "kms:PutKeyPolicy",
      "kms:ScheduleKeyDeletion",
      "kms:TagResource",
      "kms:UntagResource",
      "kms:UpdateAlias",
      "kms:UpdateKeyDescription",
    ]
    # In a key policy "*" is this key.
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${var.partition}:iam::${var.account_id}:root"]
    }
  }

  # The orchestrators and runner roles may use it through Secrets Manager; their own IAM policies narrow it
  # further (the orchestrators to encrypt their platform's secrets, a runner role to decrypt its platform's).
  # aws:PrincipalArn is the role's ARN for every session of the role (IAM global condition keys).
  statement {
    sid     = "HandOverRolesUseTheKeyThroughSecretsManager"
    actions = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    # In a key policy "*" is this key.
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${var.partition}:iam::${var.account_id}:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${var.region}.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:PrincipalArn"
      values   = local.users
    }
  }

  # And no one else, whatever their IAM policies or a grant say.
  statement {
    sid    = "DenyEveryOtherPrincipal"
    effect = "Deny"
    actions = [
      "kms:CreateGrant",
      "kms:Decrypt",
      "kms:Encrypt",
      "kms:GenerateDataKey",
      "kms:GenerateDataKeyPair",
      "kms:GenerateDataKeyPairWithoutPlaintext",
      "kms:GenerateDataKeyWithoutPlaintext",
      "kms:ReEncryptFrom",
      "kms:ReEncryptTo",
    ]
    # In a key policy "*" is this key.
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "ArnNotEquals"
      variable = "aws:PrincipalArn"
      values   = local.users
    }
  }
}

# Separate from the key: the roles it names are created by modules that need the key's ARN first.
resource "aws_kms_key_policy" "jit" {
  count = var.create ? 1 : 0

  key_id = aws_kms_key.jit[0].id
  policy = data.aws_iam_policy_document.key.json
}
