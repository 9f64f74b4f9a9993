'use strict';
// Structural rules over infra-terraform/: each holds for the module and reports the broken fixture.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const rules = require('./lib/rules');
const { realTree, fixtureTree, ctx, FIXTURES } = require('./lib/harness');

/** Asserts every pattern matches at least one violation. */
function assertReports(violations, patterns) {
  for (const pattern of patterns) {
    assert.ok(
      violations.some((v) => pattern.test(v)),
      `expected a violation matching ${pattern}, got:\n  ${violations.join('\n  ') || '(none)'}`,
    );
  }
}

test('event source mappings report batch item failures; the stream mapping bisects, bounds retries and has an on-failure destination', async () => {
  assert.deepEqual(rules.eventSourceMappings(await realTree(), ctx), []);
  assertReports(rules.eventSourceMappings(await fixtureTree('event-sources'), ctx), [
    /commands: function_response_types must include "ReportBatchItemFailures"/,
    /stream: a stream mapping must set bisect_batch_on_function_error = true/,
    /stream: a stream mapping needs bounded maximum_retry_attempts/,
    /stream: a stream mapping needs destination_config/,
  ]);
});

test("a mapped function's role can read its event source", async () => {
  assert.deepEqual(rules.eventSourcePermissions(await realTree(), ctx), []);
  assertReports(rules.eventSourcePermissions(await fixtureTree('event-sources'), ctx), [
    /commands: the role of .*module\.worker lacks sqs:DeleteMessage, sqs:GetQueueAttributes/,
    /stream: the role of .*module\.worker lacks dynamodb:DescribeStream/,
  ]);
});

test('every queue has a dead-letter queue, encryption and an alarm', async () => {
  assert.deepEqual(rules.queues(await realTree(), ctx), []);
  const violations = rules.queues(await fixtureTree('queues'), ctx);
  assertReports(violations, [
    /aws_sqs_queue\.commands: needs a redrive_policy/,
    /aws_sqs_queue\.commands: enable server-side encryption/,
    /aws_sqs_queue\.commands: needs an aws_cloudwatch_metric_alarm on AWS\/SQS ApproximateAgeOfOldestMessage/,
    /aws_sqs_queue\.other_dlq: needs an aws_cloudwatch_metric_alarm on AWS\/SQS ApproximateNumberOfMessagesVisible/,
  ]);
  assert.ok(!violations.some((v) => /aws_sqs_queue\.other:/.test(v)), 'a queue with DLQ, SSE and alarm passes');
});

test('every platform subscribes raw with the filter policy file the Java code routes with', async () => {
  const tree = await realTree();
  const { violations, dirs } = rules.subscriptions(tree, ctx);
  assert.deepEqual(violations, []);
  assert.deepEqual([...dirs], [path.join(ctx.repo, 'common', 'src', 'main', 'resources', 'filter-policies')]);
  const bad = rules.subscriptions(await fixtureTree('subscriptions'), ctx).violations;
  assertReports(bad, [
    /inline: raw_message_delivery must be true/,
    /inline: filter_policy must be file\(/,
    /own_folder: filter_policy_scope must be MessageAttributes/,
    /own_folder: filter policies must come from common\/src\/main\/resources\/filter-policies/,
  ]);
});

test('each configured platform has a valid filter policy file matching only its own commands', async () => {
  const tree = await realTree();
  const { dirs } = rules.subscriptions(tree, ctx);
  const names = rules.configuredPlatformNames(tree);
  for (const name of require('./lib/java').defaultPlatformNames(ctx.repo)) names.add(name);
  assert.ok(names.size >= 3, `platforms found: ${[...names]}`);
  const attributes = rules.publishedAttributes(ctx.repo);
  assert.deepEqual([...attributes].sort(), ['command', 'platform']);
  for (const dir of dirs) assert.deepEqual(rules.filterPolicyFiles(dir, names, attributes), []);

  const broken = rules.filterPolicyFiles(path.join(FIXTURES, 'filter-policies'), ['fargate', 'ec2-linux-arm64', 'gpu', 'macos'], attributes);
  assertReports(broken, [
    /fargate\.json: "platform" must be exactly \["fargate"\]/,
    /ec2-linux-arm64\.json: not valid JSON/,
    /gpu\.json: "platform" must map to a non-empty array/,
    /gpu\.json: attribute "region" is not one the publisher sets/,
    /platform macos: .*macos\.json is missing/,
  ]);
});

test('no IAM statement grants a wildcard action; "*" resources are explained; PassRole only to runner roles', async () => {
  assert.deepEqual(rules.iam(await realTree(), ctx), []);
  assertReports(rules.iam(await fixtureTree('iam'), ctx), [
    /statement Everything: wildcard action "\*"/,
    /statement AllOfS3: wildcard action "s3:\*"/,
    /statement AllOfS3: resources = \["\*"\] needs a sid and a comment/,
    /statement PassAnyRole: iam:PassRole must be limited to the runner roles/,
    /statement PassAnyRole: iam:PassRole needs a condition on iam:PassedToService/,
    /statement AllButOne: not_actions grants everything else/,
    /statement Computed: actions must be a literal list/,
    /aws_iam_role_policy\.inline: policy must be an aws_iam_policy_document's json/,
    /aws_iam_role_policy_attachment\.admin: attach no managed policies/,
    /aws_ecr_repository_policy\.inline: policy must be an aws_iam_policy_document's json/,
  ]);
  assert.ok(!rules.iam(await fixtureTree('iam'), ctx).some((v) => /aws_ecr_lifecycle_policy/.test(v)), 'a lifecycle policy is no IAM');
});

test('no secret value enters Terraform state', async () => {
  assert.deepEqual(rules.secretsOutOfState(await realTree(), ctx), []);
  assertReports(rules.secretsOutOfState(await fixtureTree('secrets'), ctx), [
    /aws_secretsmanager_secret_version\.private_key: a secret's value would be stored in state/,
    /aws_ssm_parameter\.webhook_secret: a SecureString's value would be stored in state/,
    /data\.aws_ssm_parameter\.webhook_secret: reading a parameter puts its \(decrypted\) value into state/,
  ]);
  assert.ok(!rules.secretsOutOfState(await fixtureTree('secrets'), ctx).some((v) => /app_id/.test(v)), 'a String read without decryption passes');
});

test('image repositories are immutable, scanned and encrypted; buckets private and encrypted', async () => {
  const tree = await realTree();
  assert.deepEqual(rules.storage(tree, ctx), []);
  assert.ok([...require('./lib/terraform').resourcesOfType(tree, 'aws_ecr_repository')].length > 0);
  const violations = rules.storage(await fixtureTree('storage'), ctx);
  assertReports(violations, [
    /aws_ecr_repository\.mutable: image_tag_mutability must be "IMMUTABLE"/,
    /aws_ecr_repository\.mutable: image_scanning_configuration\.scan_on_push must be true/,
    /aws_ecr_repository\.mutable: needs an encryption_configuration/,
    /aws_s3_bucket\.open: needs an aws_s3_bucket_public_access_block/,
    /aws_s3_bucket\.open: needs an aws_s3_bucket_server_side_encryption_configuration/,
  ]);
  assert.ok(!violations.some((v) => /\.good:/.test(v)), `the good ones pass: ${violations}`);
});

test('launch templates require IMDSv2 and put no secret in user data', async () => {
  const tree = await realTree();
  assert.deepEqual(rules.launchTemplates(tree, ctx), []);
  assert.ok([...require('./lib/terraform').resourcesOfType(tree, 'aws_launch_template')].length > 0);
  assertReports(rules.launchTemplates(await fixtureTree('launch-templates'), ctx), [
    /aws_launch_template\.runner: metadata_options\.http_tokens must be "required"/,
    /aws_launch_template\.runner: user_data references a secret/,
  ]);
});

test('every log group has a retention and every function its own log group', async () => {
  assert.deepEqual(rules.logGroups(await realTree(), ctx), []);
  assertReports(rules.logGroups(await fixtureTree('log-groups'), ctx), [
    /aws_cloudwatch_log_group\.forever: needs retention_in_days/,
    /aws_lambda_function\.orphan: needs aws_cloudwatch_log_group "\/aws\/lambda\/runfleet-orphan"/,
  ]);
});

test('module calls and references are consistent (what terraform validate would refuse)', async () => {
  assert.deepEqual(rules.moduleInterfaces(await realTree(), ctx), []);
  assertReports(rules.moduleInterfaces(await fixtureTree('module-interfaces'), ctx), [
    /module\.child: passes nmae, which \.\/child does not declare/,
    /module\.child: does not pass required variable name/,
    /module\.child has no output webhook_url/,
    /module\.ghost is not declared/,
    /local\.suffix is not declared/,
    /var\.max_receive is not declared/,
    /aws_sqs_queue\.dlq is not declared/,
  ]);
});
