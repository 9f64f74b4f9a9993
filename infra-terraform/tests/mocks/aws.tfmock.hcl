# Shapes a real AWS answer has, for the mocked provider (mock_provider "aws" { source = "./tests/mocks" }):
# resources that take an ARN or an id validate its form, and the tests read names and ARNs back. Account
# 123456789012, region eu-west-1. Values are the same for every instance of a type: tests that need one
# instance's own value override it (override_resource).

mock_data "aws_caller_identity" {
  defaults = {
    account_id = "123456789012"
    arn        = "arn:aws:iam::123456789012:user/test"
    user_id    = "AIDATEST"
  }
}

mock_data "aws_region" {
  defaults = {
    name = "eu-west-1"
  }
}

mock_data "aws_partition" {
  defaults = {
    partition  = "aws"
    dns_suffix = "amazonaws.com"
  }
}

mock_data "aws_iam_policy_document" {
  defaults = {
    json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
  }
}

mock_resource "aws_iam_role" {
  defaults = {
    arn       = "arn:aws:iam::123456789012:role/runfleet-test-mock"
    unique_id = "AROATESTMOCK"
  }
}

mock_resource "aws_iam_instance_profile" {
  defaults = {
    arn       = "arn:aws:iam::123456789012:instance-profile/runfleet-test-mock"
    unique_id = "AIPATESTMOCK"
  }
}

mock_resource "aws_iam_service_linked_role" {
  defaults = {
    arn = "arn:aws:iam::123456789012:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot"
  }
}

mock_resource "aws_sns_topic" {
  defaults = {
    arn = "arn:aws:sns:eu-west-1:123456789012:runfleet-test-runner-commands"
  }
}

mock_resource "aws_sns_topic_subscription" {
  defaults = {
    arn = "arn:aws:sns:eu-west-1:123456789012:runfleet-test-runner-commands:8a21d249-4329-4871-acc6-7be709c6ea7f"
  }
}

mock_resource "aws_sqs_queue" {
  defaults = {
    arn = "arn:aws:sqs:eu-west-1:123456789012:runfleet-test-mock"
    url = "https://sqs.eu-west-1.amazonaws.com/123456789012/runfleet-test-mock"
  }
}

mock_resource "aws_dynamodb_table" {
  defaults = {
    arn          = "arn:aws:dynamodb:eu-west-1:123456789012:table/runfleet-test-jobs"
    stream_arn   = "arn:aws:dynamodb:eu-west-1:123456789012:table/runfleet-test-jobs/stream/2026-12-05T00:00:00.000"
    stream_label = "2026-12-05T00:00:00.000"
  }
}

mock_resource "aws_lambda_function" {
  defaults = {
    arn           = "arn:aws:lambda:eu-west-1:123456789012:function:runfleet-test-mock"
    invoke_arn    = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:runfleet-test-mock/invocations"
    qualified_arn = "arn:aws:lambda:eu-west-1:123456789012:function:runfleet-test-mock:1"
    version       = "1"
  }
}

mock_resource "aws_lambda_alias" {
  defaults = {
    arn        = "arn:aws:lambda:eu-west-1:123456789012:function:runfleet-test-mock:live"
    invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:runfleet-test-mock:live/invocations"
  }
}

mock_resource "aws_lambda_event_source_mapping" {
  defaults = {
    uuid = "2b1f0c2e-6a9e-4a1b-9d5e-0a1b2c3d4e5f"
  }
}

mock_resource "aws_cloudwatch_log_group" {
  defaults = {
    arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/runfleet-test/mock"
  }
}

mock_resource "aws_cloudwatch_event_rule" {
  defaults = {
    arn = "arn:aws:events:eu-west-1:123456789012:rule/runfleet-test-mock"
  }
}

mock_resource "aws_cloudwatch_metric_alarm" {
  defaults = {
    arn = "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:runfleet-test-mock"
  }
}

mock_resource "aws_cloudwatch_dashboard" {
  defaults = {
    dashboard_arn = "arn:aws:cloudwatch::123456789012:dashboard/runfleet-test"
  }
}

mock_resource "aws_apigatewayv2_api" {
  defaults = {
    id            = "a1b2c3d4e5"
    arn           = "arn:aws:apigateway:eu-west-1::/apis/a1b2c3d4e5"
    api_endpoint  = "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com"
    execution_arn = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5"
  }
}

mock_resource "aws_apigatewayv2_stage" {
  defaults = {
    arn           = "arn:aws:apigateway:eu-west-1::/apis/a1b2c3d4e5/stages/$default"
    execution_arn = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/$default"
    invoke_url    = "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/"
  }
}

mock_resource "aws_ecs_cluster" {
  defaults = {
    arn = "arn:aws:ecs:eu-west-1:123456789012:cluster/runfleet-test-runners"
  }
}

mock_resource "aws_ecs_task_definition" {
  defaults = {
    arn                  = "arn:aws:ecs:eu-west-1:123456789012:task-definition/runfleet-test-mock:1"
    arn_without_revision = "arn:aws:ecs:eu-west-1:123456789012:task-definition/runfleet-test-mock"
    revision             = 1
  }
}

mock_resource "aws_launch_template" {
  defaults = {
    id             = "lt-0123456789abcdef0"
    arn            = "arn:aws:ec2:eu-west-1:123456789012:launch-template/lt-0123456789abcdef0"
    latest_version = 1
  }
}

mock_resource "aws_security_group" {
  defaults = {
    id  = "sg-0a1b2c3d4e5f60718"
    arn = "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0a1b2c3d4e5f60718"
  }
}

mock_resource "aws_vpc_security_group_egress_rule" {
  defaults = {
    id                     = "sgr-0123456789abcdef0"
    arn                    = "arn:aws:ec2:eu-west-1:123456789012:security-group-rule/sgr-0123456789abcdef0"
    security_group_rule_id = "sgr-0123456789abcdef0"
  }
}

mock_resource "aws_ssm_parameter" {
  defaults = {
    arn     = "arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet/test/mock"
    version = 1
  }
}

mock_resource "aws_s3_object" {
  defaults = {
    etag       = "d41d8cd98f00b204e9800998ecf8427e"
    version_id = ""
  }
}

mock_resource "aws_s3_bucket" {
  defaults = {
    arn                         = "arn:aws:s3:::runfleet-test-runner-image-123456789012-eu-west-1"
    bucket_domain_name          = "runfleet-test-runner-image-123456789012-eu-west-1.s3.amazonaws.com"
    bucket_regional_domain_name = "runfleet-test-runner-image-123456789012-eu-west-1.s3.eu-west-1.amazonaws.com"
    hosted_zone_id              = "Z1BKCTXD74EZPE"
    region                      = "eu-west-1"
  }
}

mock_resource "aws_ecr_repository" {
  defaults = {
    arn            = "arn:aws:ecr:eu-west-1:123456789012:repository/runfleet-test-runner"
    registry_id    = "123456789012"
    repository_url = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/runfleet-test-runner"
  }
}

mock_resource "aws_codebuild_project" {
  defaults = {
    arn = "arn:aws:codebuild:eu-west-1:123456789012:project/runfleet-test-runner-image"
  }
}
