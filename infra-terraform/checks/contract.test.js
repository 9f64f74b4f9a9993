'use strict';
// The module against the Java code: handler classes and jars, configuration keys, the jobs table, the
// platforms JSON, runtime parameter names and the IAM actions the SDK calls need.

const test = require('node:test');
const assert = require('node:assert/strict');
const rules = require('./lib/rules');
const java = require('./lib/java');
const fns = require('./lib/functions');
const path = require('node:path');
const { realTree, fixtureTree, ctx, FIXTURES } = require('./lib/harness');

function assertReports(violations, patterns) {
  for (const pattern of patterns) {
    assert.ok(
      violations.some((v) => pattern.test(v)),
      `expected a violation matching ${pattern}, got:\n  ${violations.join('\n  ') || '(none)'}`,
    );
  }
}

test('handlers name existing classes of the jar they run, and every handler class is deployed', async () => {
  const { violations, classes } = rules.handlers(await realTree(), ctx);
  assert.deepEqual(violations, []);
  assert.deepEqual([...classes].sort(), java.LAMBDA_MODULES.flatMap((m) => java.handlerClasses(ctx.repo, m)).sort());
  const broken = rules.handlers(await fixtureTree('functions'), { ...ctx, requireAllHandlers: false }).violations;
  assertReports(broken, [
    /module\.ghost: handler class dev\.runfleet\.producer\.NoSuchHandler does not exist/,
    /module\.misplaced: handler must be "<class>::handleRequest"/,
    /module\.misplaced: dev\.runfleet\.publisher\.PublisherHandler lives in publisher but the function runs the orchestrators jar/,
  ]);
});

test('the built jars contain the handler classes (skipped for jars not built yet)', async (t) => {
  const { classes } = rules.handlers(await realTree(), ctx);
  const { violations, missingJars } = rules.jarContents(classes, ctx);
  assert.deepEqual(violations, []);
  if (missingJars.length) t.diagnostic(`not built yet, not inspected: ${missingJars.join(', ')} (run mvn -B package first)`);
  const probe = rules.jarContents(['dev.runfleet.orchestrators.NoSuchHandler'], ctx);
  if (probe.missingJars.length) {
    t.skip(`jar content check skipped: ${probe.missingJars.join(', ')} not built (run mvn -B package first)`);
    return;
  }
  assertReports(probe.violations, [/runfleet-orchestrator-ecs-lambda\.jar lacks dev\/runfleet\/orchestrators\/NoSuchHandler\.class/]);
});

test('a jar not built yet is reported as missing, not as a violation (a clean clone)', () => {
  const os = require('node:os');
  const { violations, missingJars } = rules.jarContents(['dev.runfleet.producer.ProducerHandler'], { repo: os.tmpdir() });
  assert.deepEqual(violations, []);
  assert.deepEqual(missingJars, ['producer/target/runfleet-producer-lambda.jar']);
});

test('the default jar paths are the ones the Java builds write', async () => {
  assert.deepEqual(rules.jarPaths(await realTree(), ctx), []);
  assertReports(rules.jarPaths(await fixtureTree('root-contract'), ctx), [/local\.jars\.producer must default to .*producer\/target\/runfleet-producer-lambda\.jar/]);
});

test("each function's environment is exactly the configuration keys its Java module reads", async () => {
  const tree = await realTree();
  assert.deepEqual(rules.environment(tree, ctx), []);
  const byModule = {};
  for (const fn of fns.functions(tree)) byModule[fn.jarModule] = (byModule[fn.jarModule] || 0) + 1;
  // orchestrators: the per-platform orchestrator (one for_each call), the reconciler and the host-events function;
  // publisher: stream, sweep, wake-up.
  assert.deepEqual(byModule, { producer: 2, publisher: 3, orchestrators: 3 });
  assertReports(rules.environment(await fixtureTree('functions'), ctx), [
    /module\.producer: sets RUNFLEET_TABEL, which producer does not read/,
    /module\.producer: sets RUNFLEET_WEBHOOK_SECRET: a plain secret/,
    /module\.producer: AWS_REGION is reserved by Lambda/,
    /module\.producer: producer reads RUNFLEET_TABLE \(a required key\) but the module does not set it/,
    /module\.producer: producer reads RUNFLEET_WEBHOOK_SECRET_PARAM \(a key\) but the module does not set it/,
  ]);
});

test('every key the code reads but AWS never gets is a key the code still reads', () => {
  const read = new Set(java.LAMBDA_MODULES.flatMap((m) => [...java.configKeys(ctx.repo, m).keys]));
  for (const key of Object.keys(rules.NEVER_IN_AWS)) assert.ok(read.has(key), `${key} is listed as never set in AWS but no code reads it`);
});

test('a source that only names a runner container\'s variables is not configuration the function reads', () => {
  assert.equal(java.readsEnvironment('Env env = new Env(environment);\nString t = env.required(ENV_TABLE);'), true);
  assert.equal(java.readsEnvironment('String home = System.getenv("HOME");'), true);
  const launcher = [
    'public static final String ENV_RUNNER_NAME = "RUNFLEET_RUNNER_NAME";',
    'ContainerOverride.builder().environment(env(ENV_RUNNER_NAME, request.runnerName()));',
  ].join('\n');
  assert.equal(java.readsEnvironment(launcher), false);
});

test('every key AWS may leave unset is one the code reads as optional', () => {
  for (const key of Object.keys(rules.OPTIONAL_IN_AWS)) {
    const readers = java.LAMBDA_MODULES.filter((m) => java.configKeys(ctx.repo, m).keys.has(key));
    assert.ok(readers.length > 0, `${key} is listed as optional in AWS but no code reads it`);
    for (const m of readers) assert.ok(!java.configKeys(ctx.repo, m).required.has(key), `${m} requires ${key}, so it cannot be left unset`);
  }
});

test('host-kind keys: each orchestrator gets the keys of the host kinds it serves, and no other kind\'s', async () => {
  const byKind = java.hostKindKeys(ctx.repo, 'orchestrators');
  assert.deepEqual([...byKind.keys()].sort(), ['EC2', 'ECS_FARGATE']);
  const { hostKinds } = java.platformJsonFields(ctx.repo);
  for (const kind of byKind.keys()) assert.ok(hostKinds.has(kind), `${kind} is no HostKind`);
  for (const { unresolved } of byKind.values()) assert.deepEqual(unresolved, []);

  const orchestrator = fns
    .functions(await realTree())
    .find((f) => f.jarModule === 'orchestrators' && !java.isSideFunction(ctx.repo, 'orchestrators', f.classes));
  assert.deepEqual(rules.hostKindsOf(orchestrator, ctx), ['EC2', 'ECS_FARGATE']);
  for (const [kind, { keys }] of byKind) {
    for (const [other, { keys: others }] of byKind) {
      for (const key of others) assert.equal(orchestrator.envKeysFor(kind).has(key), kind === other, `${key} on ${kind}`);
    }
    assert.ok(keys.size > 0);
  }

  const broken = rules.environment(await fixtureTree('host-kinds'), ctx);
  assertReports(broken, [
    /module\.swapped: sets RUNFLEET_EC2_LAUNCH_TEMPLATE on ECS_FARGATE platforms, which only EC2 orchestrators read \(AwsHostConfig\.EC2_KEYS\)/,
    /module\.swapped: orchestrators reads RUNFLEET_ECS_CLUSTER \(a required key\) on ECS_FARGATE platforms but the module does not set it/,
    /module\.ec2: sets RUNFLEET_ECS_ASSIGN_PUBLIC_IP on EC2 platforms, which only ECS_FARGATE orchestrators read \(AwsHostConfig\.ECS_KEYS\)/,
  ]);
  assert.ok(!broken.some((v) => /RUNFLEET_JIT_KMS_KEY_ID/.test(v)), 'an optional key may stay unset');
  assert.ok(!broken.some((v) => /module\.ec2: orchestrators reads RUNFLEET_ECS_/.test(v)), 'an EC2 function needs no Fargate keys');
  assert.ok(!broken.some((v) => /module\.right:/.test(v)), `the right function passes:\n  ${broken.join('\n  ')}`);
});

test('a conditional on host_kind is read branch by branch, strings and comments aside', () => {
  const code = fns.stripComments(
    [
      'merge({ A = "x ? y : z" }, # it\'s a "comment"',
      '  p.host_kind != "ECS_FARGATE" ? {} : { B = "${join(",", x)}" },',
      '  a && p.host_kind == "EC2" ? { C = "1" } : { D = "2" },',
      '  p.host_kind == "EC2" ? { E = q ? "1" : "2" } : { F = "3" })',
    ].join('\n'),
  );
  const branches = fns.hostKindBranches(code).map((b) => [code.slice(b.start, b.end).trim(), b.only ? b.only : `not ${b.except}`]);
  assert.deepEqual(branches, [
    ['{}', 'not ECS_FARGATE'],
    ['{ B = "${join(",", x)}" }', 'ECS_FARGATE'],
    ['{ E = q ? "1" : "2" }', 'EC2'],
    ['{ F = "3" }', 'not EC2'],
  ]);
});

test("each function's role grants what its module's AWS SDK calls need", async () => {
  assert.deepEqual(rules.sdkPermissions(await realTree(), ctx), []);
  assertReports(rules.sdkPermissions(await fixtureTree('functions'), ctx), [
    /module\.producer: the role lacks dynamodb:PutItem, which producer\/src\/main\/java\/.*DynamoDbJobEventStore\.java calls/,
    /module\.producer: the role lacks dynamodb:UpdateItem, which producer\/src\/main\/java\/.*DynamoDbJobEventStore\.java calls/,
    /module\.producer: the role lacks ssm:GetParameter/,
  ]);
  // Tags at creation and replaced values need actions of their own; the calls live in the fixture's stand-in sources.
  const launches = { ...ctx, repo: path.join(FIXTURES, 'sdk-calls', 'repo') };
  assertReports(rules.sdkPermissions(await fixtureTree('sdk-calls'), launches), [
    /module\.orchestrator: the role lacks secretsmanager:PutSecretValue, which orchestrators\/.*Launches\.java calls/,
    /module\.orchestrator: the role lacks secretsmanager:TagResource/,
    /module\.orchestrator: the role lacks ecs:TagResource/,
    /module\.orchestrator: the role lacks ecs:ListTasks/,
    /module\.orchestrator: the role lacks ec2:CreateTags/,
  ]);
  // A document from a called module (source_policy_documents = [module.X.json]) grants its actions too.
  const shared = rules.sdkPermissions(await fixtureTree('shared-policy'), launches);
  assertReports(shared, [/module\.orchestrator: the role lacks ecs:ListTasks/, /module\.orchestrator: the role lacks ec2:CreateTags/]);
  assert.deepEqual(
    shared.filter((v) => /secretsmanager:PutSecretValue|secretsmanager:TagResource|ecs:TagResource/.test(v)),
    [],
  );
});

test('the jobs table matches JobsTable.createTableRequest', async () => {
  assert.deepEqual(rules.jobsTable(await realTree(), ctx), []);
  assertReports(rules.jobsTable(await fixtureTree('table'), ctx), [
    /hash_key is "id", JobsTable wants "pk"/,
    /billing_mode is "PROVISIONED", JobsTable wants "PAY_PER_REQUEST"/,
    /stream_view_type is "KEYS_ONLY", JobsTable wants "NEW_AND_OLD_IMAGES"/,
    /attributes is .*qpk:N/,
    /global_secondary_index "queue-index" is missing/,
    /ttl\.attribute_name is undefined, JobsTable wants "ttl"/,
    /point_in_time_recovery\.enabled is undefined, JobsTable wants true/,
  ]);
});

test('RUNFLEET_PLATFORMS carries exactly the fields PlatformCatalog.fromJson reads; host kinds are HostKind', async () => {
  assert.deepEqual(rules.platformsJson(await realTree(), ctx), []);
  assertReports(rules.platformsJson(await fixtureTree('root-contract'), ctx), [
    /lacks hostKind, cap/,
    /writes host_kind, which PlatformCatalog\.fromJson does not read/,
    /the host_kind validation allows EC2, LAMBDA, HostKind has/,
  ]);
});

test('the runtime parameters the publisher reads exist, as Strings that applies never reset', async () => {
  const expected = rules.expectedParameterNames(ctx.repo);
  assert.deepEqual(expected.sort(), [
    '/runfleet/{stage}/caps/global',
    '/runfleet/{stage}/caps/{platform}',
    '/runfleet/{stage}/launch-rate',
    '/runfleet/{stage}/paused',
    '/runfleet/{stage}/reconcile/aws-calls',
    '/runfleet/{stage}/reconcile/github-calls',
  ]);
  assert.deepEqual(rules.parameters(await realTree(), ctx), []);
  assertReports(rules.parameters(await fixtureTree('parameters'), ctx), [
    /no aws_ssm_parameter named \/runfleet\/\{stage\}\/caps\/\{platform\}/,
    /no aws_ssm_parameter named \/runfleet\/\{stage\}\/paused/,
    /global_cap: needs lifecycle \{ ignore_changes = \[value\] \}/,
    /launch_rate: \/runfleet\/\{stage\}\/launch-rate must be type String/,
  ]);
});

test('a side function (a handler in a sub-package of its module) is held to its own package\'s keys and calls', () => {
  const refresher = ['dev.runfleet.producer.hookranges.HookRangesRefreshHandler'];
  const own = java.configKeys(ctx.repo, 'producer', refresher);
  assert.ok(own.keys.has('RUNFLEET_HOOK_RANGES_PARAMETER') && own.required.has('RUNFLEET_HOOK_RANGES_PARAMETER'));
  assert.ok(own.keys.has('RUNFLEET_GITHUB_API_URL'));
  assert.ok(!own.keys.has('RUNFLEET_TABLE'), 'the refresher is not held to the producer\'s keys');
  assert.deepEqual([...java.sdkActions(ctx.repo, 'producer', refresher).keys()].sort(), ['ssm:GetParameter', 'ssm:PutParameter']);

  const producer = java.configKeys(ctx.repo, 'producer', ['dev.runfleet.producer.ProducerHandler']);
  assert.ok(producer.keys.has('RUNFLEET_TABLE') && !producer.required.has('RUNFLEET_HOOK_RANGES_PARAMETER'));
  assert.ok(!producer.keys.has('RUNFLEET_GITHUB_API_URL'), 'the producer is not held to the refresher\'s keys');
  assert.ok(!java.sdkActions(ctx.repo, 'producer', ['dev.runfleet.producer.ProducerHandler']).has('ssm:PutParameter'), 'the producer never writes a parameter');
});
