# What a clean-up function may do with the JIT hand-over secrets, shared by the host-events function (an ended
# runner's secrets) and the reconciler (orphan secrets): find them by name prefix and delete them. No create,
# read, tag or KMS use: ListSecrets returns names, dates and tags, never values, and DeleteSecret needs no key.

data "aws_iam_policy_document" "cleanup" {
  # Secrets Manager appends -<6 random characters> to a secret's ARN: <prefix>/* covers it.
  statement {
    sid       = "DeleteEndedRunnersSecrets"
    actions   = ["secretsmanager:DeleteSecret"]
    resources = ["${var.secret_arn_prefix}/*"]
  }

  statement {
    sid     = "FindEndedRunnersSecrets"
    actions = ["secretsmanager:ListSecrets"]
    # ListSecrets supports no resource-level permission: the API authorises it only on "*".
    resources = ["*"]
  }
}
