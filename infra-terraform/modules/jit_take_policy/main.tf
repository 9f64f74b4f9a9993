# What a runner role may do with the JIT hand-over secrets, shared by the ECS task roles and the EC2 instance
# roles: take (read, then delete) only the secret bound to its own host, and decrypt it only through Secrets
# Manager.

data "aws_iam_policy_document" "take" {
  # Secrets Manager appends -<6 random characters> to a secret's ARN: <prefix>/<platform>/* covers it.
  statement {
    sid       = "TakeJitConfigOnce"
    actions   = ["secretsmanager:DeleteSecret", "secretsmanager:GetSecretValue"]
    resources = ["${var.secret_arn_prefix}/${var.platform}/*"]
    # Bound to one host: right after the launch the orchestrator tags each secret
    # runfleet:host = <this role's unique id>:<session>, and only a caller whose aws:userid equals that tag may
    # read or delete it; before the tag no one may. aws:userid of a role session is role-id:session-name (IAM
    # User Guide, "IAM policy elements: Variables and tags", the table of principal key values). EC2: the same
    # table gives role-id:ec2-instance-id for a role assigned to an instance. ECS: a task role's session name is
    # the task id, which AWS states in aws/containers-roadmap#1917 ("tasks assume the task role and the session
    # ID is the task ID") and CloudTrail shows; the ECS developer guide itself says only that task credentials
    # carry the task ARN as context.
    condition {
      test     = "StringEquals"
      variable = "secretsmanager:ResourceTag/runfleet:host"
      values   = ["$${aws:userid}"]
    }
  }

  # Only through Secrets Manager and only for this platform's secrets; the key policy (modules/jit_key) lets the
  # runner roles and the orchestrators use the key and no other principal.
  statement {
    sid       = "DecryptJitConfig"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${var.region}.amazonaws.com"]
    }
    condition {
      test     = "StringLike"
      variable = "kms:EncryptionContext:SecretARN"
      values   = ["${var.secret_arn_prefix}/${var.platform}/*"]
    }
  }
}
