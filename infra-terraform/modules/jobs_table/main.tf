# The jobs table: source of truth and, through its stream, the outbox. Names and types are those of
# dev.runfleet.aws.JobsTable#createTableRequest (checks/ compares them).

resource "aws_dynamodb_table" "jobs" {
  name         = var.name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "sk"

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "sk"
    type = "S"
  }

  attribute {
    name = "qpk"
    type = "S"
  }

  attribute {
    name = "qsk"
    type = "S"
  }

  attribute {
    name = "status"
    type = "S"
  }

  # The FIFO index: platform, then zero-padded queue time. Sparse: only QUEUED jobs carry qpk/qsk.
  global_secondary_index {
    name            = "queue-index"
    hash_key        = "qpk"
    range_key       = "qsk"
    projection_type = "ALL"
  }

  # The reconciler's index: jobs and runners by status (a live state's partition is bounded by the
  # caps). Not sparse: every job and runner item carries a status, so no writer can leave one out.
  global_secondary_index {
    name            = "status-index"
    hash_key        = "status"
    range_key       = "pk"
    projection_type = "ALL"
  }

  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  ttl {
    attribute_name = "ttl"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }

  deletion_protection_enabled = var.deletion_protection

  tags = var.tags
}
