# Every function's jar is uploaded to S3 and Lambda reads it from there (s3_bucket/s3_key), so no jar is ever near
# Lambda's 50 MB direct-upload limit. The bucket is lambda.s3_bucket when given, else this one.
resource "aws_s3_bucket" "artifacts" {
  count = var.lambda.s3_bucket == null ? 1 : 0

  bucket_prefix = "${local.name}-artifacts-"
  # Only build outputs live here, each under a key naming its content: nothing to keep when the stack goes.
  force_destroy = true
  tags          = local.tags
}

resource "aws_s3_bucket_public_access_block" "artifacts" {
  count = var.lambda.s3_bucket == null ? 1 : 0

  bucket                  = aws_s3_bucket.artifacts[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "artifacts" {
  count = var.lambda.s3_bucket == null ? 1 : 0

  bucket = aws_s3_bucket.artifacts[0].id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "artifacts" {
  count = var.lambda.s3_bucket == null ? 1 : 0

  bucket = aws_s3_bucket.artifacts[0].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

locals {
  artifacts_bucket = var.lambda.s3_bucket != null ? var.lambda.s3_bucket : aws_s3_bucket.artifacts[0].id
}
