'use strict';
// The structural rules. Each takes a loaded tree (lib/terraform.js) and a context { repo } and returns the
// violations it finds as messages; an empty list means the rule holds. The tests run every rule against
// infra-terraform/ and against the broken snippets in fixtures/, which each rule must catch.

const fs = require('node:fs');
const path = require('node:path');
const tf = require('./terraform');
const java = require('./java');
const fns = require('./functions');
const jar = require('./jar');

const BATCH_FAILURES = 'ReportBatchItemFailures';

// ---------------------------------------------------------------------------------------------------------
// Event source mappings

function isStreamMapping(body) {
  return 'starting_position' in body || /stream/i.test(fns.allText(body.event_source_arn));
}

/** Every event source mapping reports batch item failures; a stream mapping also bisects, retries boundedly and has an on-failure destination. */
function eventSourceMappings(tree) {
  const out = [];
  for (const { name, body, file } of tf.resourcesOfType(tree, 'aws_lambda_event_source_mapping')) {
    const at = tf.where(tree, file, `aws_lambda_event_source_mapping.${name}`);
    const types = Array.isArray(body.function_response_types) ? body.function_response_types : [];
    if (!types.includes(BATCH_FAILURES)) {
      out.push(`${at}: function_response_types must include "${BATCH_FAILURES}" (the handlers return partial batch failures, which Lambda ignores without it)`);
    }
    if (!isStreamMapping(body)) continue;
    if (body.bisect_batch_on_function_error !== true) out.push(`${at}: a stream mapping must set bisect_batch_on_function_error = true`);
    const retries = body.maximum_retry_attempts;
    if (retries === undefined || retries === -1 || (typeof retries === 'number' && (retries < 0 || retries > 10000))) {
      out.push(`${at}: a stream mapping needs bounded maximum_retry_attempts (0..10000), or a poison record stalls its shard`);
    }
    const failure = tf.block(tf.block(body, 'destination_config'), 'on_failure');
    if (!failure || !failure.destination_arn) out.push(`${at}: a stream mapping needs destination_config { on_failure { destination_arn } }`);
  }
  return out;
}

const SQS_SOURCE_ACTIONS = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'];
const STREAM_SOURCE_ACTIONS = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'];

/** The role of a mapped function grants what Lambda's poller needs, or the mapping fails to create. */
function eventSourcePermissions(tree) {
  const out = [];
  const all = fns.functions(tree);
  for (const { mod, name, body, file } of tf.resourcesOfType(tree, 'aws_lambda_event_source_mapping')) {
    const at = tf.where(tree, file, `aws_lambda_event_source_mapping.${name}`);
    const fn = fns.functionOfMapping(all, mod, body);
    if (!fn || !fn.actions) {
      out.push(`${at}: function_name must point at a function deployed through the lambda module, so its role can be checked`);
      continue;
    }
    const needed = isStreamMapping(body) ? [...STREAM_SOURCE_ACTIONS] : [...SQS_SOURCE_ACTIONS];
    if (tf.block(tf.block(body, 'destination_config'), 'on_failure')) needed.push('sqs:SendMessage');
    const missing = needed.filter((a) => !fn.actions.has(a));
    if (missing.length) out.push(`${at}: the role of ${fn.label} lacks ${missing.join(', ')}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Queues

function queueRefs(value) {
  return new Set([...fns.allText(value).matchAll(/aws_sqs_queue\.([\w-]+)/g)].map((m) => m[1]));
}

/** Every queue has a dead-letter queue (or is one), server-side encryption, and an alarm of the right metric in its module. */
function queues(tree) {
  const out = [];
  for (const mod of tree.modules.values()) {
    const qs = mod.resource.aws_sqs_queue || {};
    if (Object.keys(qs).length === 0) continue;
    const dlqTargets = new Set();
    for (const { body } of Object.values(qs)) {
      if (body.redrive_policy) for (const r of queueRefs(body.redrive_policy)) dlqTargets.add(r);
    }
    for (const { body } of Object.values(mod.resource.aws_lambda_event_source_mapping || {})) {
      for (const r of queueRefs(tf.block(tf.block(body, 'destination_config'), 'on_failure'))) dlqTargets.add(r);
    }
    // Asynchronous invocations (EventBridge to Lambda): the target's and the function's failure queues.
    for (const { body } of Object.values(mod.resource.aws_lambda_function_event_invoke_config || {})) {
      for (const r of queueRefs(tf.block(tf.block(body, 'destination_config'), 'on_failure'))) dlqTargets.add(r);
    }
    for (const { body } of Object.values(mod.resource.aws_cloudwatch_event_target || {})) {
      for (const r of queueRefs(tf.block(body, 'dead_letter_config'))) dlqTargets.add(r);
    }
    const alarms = Object.values(mod.resource.aws_cloudwatch_metric_alarm || {}).map((a) => a.body);
    for (const [name, { body, file }] of Object.entries(qs)) {
      const at = tf.where(tree, file, `aws_sqs_queue.${name}`);
      const isDlq = dlqTargets.has(name);
      if (!isDlq) {
        const text = fns.allText(body.redrive_policy || '');
        const targets = [...queueRefs(body.redrive_policy || '')].filter((q) => q !== name);
        if (!text.includes('deadLetterTargetArn') || targets.length === 0 || !text.includes('maxReceiveCount')) {
          out.push(`${at}: needs a redrive_policy with deadLetterTargetArn = another aws_sqs_queue and maxReceiveCount`);
        }
      }
      if (body.sqs_managed_sse_enabled !== true && !body.kms_master_key_id) {
        out.push(`${at}: enable server-side encryption (sqs_managed_sse_enabled = true or kms_master_key_id)`);
      }
      const metric = isDlq ? 'ApproximateNumberOfMessagesVisible' : 'ApproximateAgeOfOldestMessage';
      const alarmed = alarms.some(
        (a) => a.namespace === 'AWS/SQS' && a.metric_name === metric && queueRefs(a.dimensions).has(name),
      );
      if (!alarmed) out.push(`${at}: needs an aws_cloudwatch_metric_alarm on AWS/SQS ${metric} with QueueName = aws_sqs_queue.${name}.name`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Filter policies

const FILTER_OPERATORS = new Set(['prefix', 'suffix', 'anything-but', 'numeric', 'exists', 'equals-ignore-case', 'cidr', 'wildcard']);

/**
 * Checks a filter policy (MessageAttributes scope) for platform: the SNS form (attribute -> array of
 * strings, numbers or single-operator objects), at most 5 attributes and 150 combinations, attributes the
 * publisher sets only, and the platform attribute matching exactly this platform.
 */
function validateFilterPolicy(text, platform, publishedAttributes) {
  const out = [];
  let policy;
  try {
    policy = JSON.parse(text);
  } catch (e) {
    return [`not valid JSON: ${e.message}`];
  }
  if (!policy || typeof policy !== 'object' || Array.isArray(policy)) return ['a filter policy is a JSON object'];
  const keys = Object.keys(policy);
  if (keys.length === 0) out.push('a filter policy needs at least one attribute');
  if (keys.length > 5) out.push('SNS allows at most 5 attributes in a filter policy');
  let combinations = 1;
  for (const [key, values] of Object.entries(policy)) {
    if (publishedAttributes && !publishedAttributes.has(key)) {
      out.push(`attribute "${key}" is not one the publisher sets (${[...publishedAttributes].join(', ')})`);
    }
    if (!Array.isArray(values) || values.length === 0) {
      out.push(`"${key}" must map to a non-empty array (MessageAttributes scope has no nesting)`);
      continue;
    }
    combinations *= values.length;
    for (const v of values) {
      const ok =
        typeof v === 'string' ||
        typeof v === 'number' ||
        (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && FILTER_OPERATORS.has(Object.keys(v)[0]));
      if (!ok) out.push(`"${key}" holds ${JSON.stringify(v)}: values are strings, numbers or one-operator objects`);
    }
  }
  if (combinations > 150) out.push(`${combinations} combinations: SNS allows 150`);
  if (platform !== undefined) {
    const values = policy.platform;
    if (!Array.isArray(values) || values.length !== 1 || values[0] !== platform) {
      out.push(`"platform" must be exactly ["${platform}"], so ${platform}'s queue receives only its own commands`);
    }
  }
  return out;
}

/** Resolves a module variable to the text its caller passes, with local.X and path.module substituted. */
function resolveDirExpression(tree, mod, text, depth = 0) {
  if (depth > 5) return null;
  let resolved = text;
  for (const expr of tf.interpolations(text)) {
    let replacement = null;
    const trimmed = expr.trim();
    if (trimmed === 'path.module') replacement = mod.dir;
    else if (/^local\.[\w-]+$/.test(trimmed)) {
      const local = mod.locals[trimmed.slice(6)];
      if (local && typeof local.value === 'string') replacement = resolveDirExpression(tree, mod, local.value, depth + 1);
    } else if (/^var\.[\w-]+$/.test(trimmed)) {
      const callers = fns.callersOf(tree, mod.dir);
      if (callers.length === 1 && typeof callers[0].body[trimmed.slice(4)] === 'string') {
        replacement = resolveDirExpression(tree, callers[0].mod, callers[0].body[trimmed.slice(4)], depth + 1);
      }
    }
    if (replacement === null) continue;
    resolved = resolved.replace('${' + expr + '}', replacement);
  }
  return resolved;
}

/** The published message attribute names: CommandCodec's ATTR_* constants. */
function publishedAttributes(repo) {
  const file = path.join(repo, 'common', 'src', 'main', 'java', 'dev', 'runfleet', 'common', 'contract', 'CommandCodec.java');
  const text = fs.readFileSync(file, 'utf8');
  return new Set([...text.matchAll(/static\s+final\s+String\s+ATTR_\w+\s*=\s*"(\w+)"/g)].map((m) => m[1]));
}

/**
 * Every SQS subscription delivers raw, on message attributes, with its filter policy read by file() from
 * <repo>/common/src/main/resources/filter-policies/<platform>.json. Returns { violations, dirs } where dirs
 * are the resolved policy directories.
 */
function subscriptions(tree, ctx) {
  const out = [];
  const dirs = new Set();
  const expectedDir = path.join(ctx.repo, 'common', 'src', 'main', 'resources', 'filter-policies');
  for (const { mod, name, body, file } of tf.resourcesOfType(tree, 'aws_sns_topic_subscription')) {
    if (body.protocol !== 'sqs') continue;
    const at = tf.where(tree, file, `aws_sns_topic_subscription.${name}`);
    if (body.raw_message_delivery !== true) out.push(`${at}: raw_message_delivery must be true (the orchestrators decode the command itself, not an SNS envelope)`);
    if (body.filter_policy_scope !== undefined && body.filter_policy_scope !== 'MessageAttributes') {
      out.push(`${at}: filter_policy_scope must be MessageAttributes (the publisher routes by message attributes)`);
    }
    const policy = typeof body.filter_policy === 'string' ? body.filter_policy : '';
    const m = policy.match(/^\$\{file\("(.*)\/\$\{each\.key\}\.json"\)\}$/);
    if (!m) {
      out.push(`${at}: filter_policy must be file("<filter-policies dir>/\${each.key}.json"), the file the Java code routes with`);
      continue;
    }
    if (!body.for_each) out.push(`${at}: needs for_each over the platforms (each.key is the platform name)`);
    const dir = resolveDirExpression(tree, mod, m[1]);
    if (!dir || dir.includes('${')) {
      out.push(`${at}: cannot resolve the filter policy directory ${m[1]}`);
      continue;
    }
    const resolved = path.resolve(dir);
    if (path.basename(resolved) !== 'filter-policies' || (ctx.strictDir !== false && resolved !== expectedDir)) {
      out.push(`${at}: filter policies must come from ${path.relative(ctx.repo, expectedDir)}, not ${path.relative(ctx.repo, resolved)}`);
    }
    dirs.add(resolved);
  }
  return { violations: out, dirs };
}

/** Platform names a tree configures: the root variable's default, and the platforms examples and tests pass. */
function configuredPlatformNames(tree) {
  const names = new Set();
  for (const mod of tree.modules.values()) {
    const v = mod.variable.platforms;
    if (v && v.body.default && typeof v.body.default === 'object') for (const k of Object.keys(v.body.default)) names.add(k);
    for (const call of Object.values(mod.module)) {
      if (call.body.platforms && typeof call.body.platforms === 'object' && !Array.isArray(call.body.platforms)) {
        for (const k of Object.keys(call.body.platforms)) names.add(k);
      }
    }
  }
  // Test runs that expect a failure configure broken platforms on purpose.
  for (const parsed of tree.files.filter((f) => f.file.endsWith('.tftest.hcl'))) {
    const runs = Object.values(parsed.json.run || {}).map((r) => r[0]).filter((r) => !r.expect_failures);
    for (const block of [...(parsed.json.variables || []), ...runs.flatMap((r) => tf.blocks(r, 'variables'))]) {
      const platforms = block && block.platforms;
      if (Array.isArray(platforms)) for (const p of platforms) names.add(p);
      else if (platforms && typeof platforms === 'object') for (const k of Object.keys(platforms)) names.add(k);
    }
  }
  return names;
}

/** For each platform name, the policy file exists in dir and is a valid policy for exactly that platform. */
function filterPolicyFiles(dir, platformNames, attributes) {
  const out = [];
  for (const platform of platformNames) {
    const file = path.join(dir, `${platform}.json`);
    if (!fs.existsSync(file)) {
      out.push(`platform ${platform}: ${file} is missing`);
      continue;
    }
    for (const problem of validateFilterPolicy(fs.readFileSync(file, 'utf8'), platform, attributes)) out.push(`${file}: ${problem}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// IAM

/** Lines of a file's text between the statement holding sid and the next statement. */
function statementText(text, sid) {
  const at = text.indexOf(`sid = "${sid}"`) >= 0 ? text.indexOf(`sid = "${sid}"`) : text.search(new RegExp(`sid\\s*=\\s*"${sid}"`));
  if (at < 0) return null;
  const start = text.lastIndexOf('statement', at);
  const next = text.slice(at).search(/\n\s*(statement\s*\{|dynamic\s+"statement")/);
  return text.slice(start < 0 ? at : start, next < 0 ? undefined : at + next);
}

/** No statement grants a wildcard action; "*" resources carry a sid and a comment; PassRole goes only to runner roles; policies are documents, not inline JSON. */
function iam(tree) {
  const out = [];
  for (const { mod, name, body, file } of tf.resourcesOfType(tree, 'aws_iam_policy_document', 'data')) {
    const text = mod.files.find((f) => f.file === file).text;
    for (const { statement } of fns.statementsOf(body)) {
      const sid = statement.sid;
      const at = tf.where(tree, file, `data.aws_iam_policy_document.${name}${sid ? ` statement ${sid}` : ''}`);
      if (statement.not_actions) out.push(`${at}: not_actions grants everything else: list actions instead`);
      if (!Array.isArray(statement.actions) || statement.actions.some((a) => typeof a !== 'string' || a.includes('${'))) {
        out.push(`${at}: actions must be a literal list of strings, so it can be audited`);
        continue;
      }
      for (const action of statement.actions) {
        if (action.includes('*')) out.push(`${at}: wildcard action "${action}": name each action`);
      }
      const resources = statement.resources;
      const starResource = Array.isArray(resources) && resources.includes('*');
      if (starResource) {
        const block = sid ? statementText(text, sid) : null;
        if (!block || !/#|\/\//.test(block)) {
          out.push(`${at}: resources = ["*"] needs a sid and a comment saying why the API requires it`);
        }
      }
      if (statement.actions.includes('iam:PassRole')) {
        const resText = fns.allText(resources || '');
        if (starResource || resText.includes('*') || !/runner|pass_role/.test(resText)) {
          out.push(`${at}: iam:PassRole must be limited to the runner roles`);
        }
        const passedTo = tf.blocks(statement, 'condition').some((c) => c.variable === 'iam:PassedToService');
        if (!passedTo) out.push(`${at}: iam:PassRole needs a condition on iam:PassedToService`);
      }
    }
  }
  for (const mod of tree.modules.values()) {
    for (const { type, name, body, file } of tf.blocksOf(mod)) {
      const at = tf.where(tree, file, `${type}.${name}`);
      if (type === 'aws_iam_role_policy_attachment' || type === 'aws_iam_policy_attachment' || body.managed_policy_arns) {
        out.push(`${at}: attach no managed policies (they cannot be audited here and most grant wildcards): write an aws_iam_policy_document`);
      }
      for (const attr of ['policy', 'assume_role_policy']) {
        if (!(attr in body) || !/^aws_(iam|sqs|sns|s3|secretsmanager|lambda|ecr|kms)/.test(type)) continue;
        // An ECR lifecycle policy says which images expire: no IAM in it.
        if (type === 'aws_ecr_lifecycle_policy') continue;
        const value = fns.allText(body[attr]);
        if (!/^\$\{(data\.aws_iam_policy_document\.[\w-]+(\[[^\]]+\])?\.json|var\.[\w]+)\}$/.test(value)) {
          out.push(`${at}: ${attr} must be an aws_iam_policy_document's json (inline JSON escapes the IAM checks)`);
        }
      }
    }
    for (const [name, call] of Object.entries(mod.module)) {
      if (!('policy_json' in call.body)) continue;
      if (!/^\$\{data\.aws_iam_policy_document\.[\w-]+(\[[^\]]+\])?\.json\}$/.test(fns.allText(call.body.policy_json))) {
        out.push(`${tf.where(tree, call.file, `module.${name}`)}: policy_json must be an aws_iam_policy_document's json`);
      }
    }
  }
  return out;
}

/** Each function's role grants the IAM actions its Java module's AWS SDK calls need. */
function sdkPermissions(tree, ctx) {
  const out = [];
  for (const fn of fns.functions(tree)) {
    if (!fn.actions || !fn.jarModule || !java.LAMBDA_MODULES.includes(fn.jarModule)) continue;
    for (const [action, files] of java.sdkActions(ctx.repo, fn.jarModule, fn.classes)) {
      if (!fn.actions.has(action)) out.push(`${fn.label}: the role lacks ${action}, which ${files.join(', ')} calls`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Handlers and jars

/** Every deployed handler names an existing class of the module whose jar it runs, as Class::handleRequest; every handler class is deployed. */
function handlers(tree, ctx) {
  const out = [];
  const deployed = new Set();
  for (const fn of fns.functions(tree)) {
    if (typeof fn.handler !== 'string' || !fn.handler.endsWith('::handleRequest')) {
      out.push(`${fn.label}: handler must be "<class>::handleRequest"`);
    }
    if (fn.classes.size === 0) out.push(`${fn.label}: no handler class found`);
    for (const cls of fn.classes) {
      deployed.add(cls);
      const source = java.classSource(ctx.repo, cls);
      if (!source || !fs.existsSync(source)) {
        out.push(`${fn.label}: handler class ${cls} does not exist (${source ? path.relative(ctx.repo, source) : 'not a Lambda module'})`);
        continue;
      }
      const module = java.moduleOfClass(cls);
      if (fn.jarModule && fn.jarModule !== module) {
        out.push(`${fn.label}: ${cls} lives in ${module} but the function runs the ${fn.jarModule} jar`);
      }
    }
  }
  if (ctx.requireAllHandlers) {
    for (const module of java.LAMBDA_MODULES) {
      for (const cls of java.handlerClasses(ctx.repo, module)) {
        if (!deployed.has(cls)) out.push(`${cls} is a Lambda handler no function deploys`);
      }
    }
  }
  return { violations: out, classes: deployed };
}

/**
 * Every class is inside the jar of its module, when that jar is built. Returns { violations, missingJars }:
 * a jar not built yet (a clean clone, `mvn verify -pl infra-terraform`) is reported in missingJars, not as a
 * violation.
 */
function jarContents(classes, ctx) {
  const violations = [];
  const missingJars = new Set();
  const cache = new Map();
  for (const cls of classes) {
    const module = java.moduleOfClass(cls);
    const jarFile = java.jarPath(ctx.repo, module, cls);
    if (!fs.existsSync(jarFile)) {
      missingJars.add(path.relative(ctx.repo, jarFile));
      continue;
    }
    if (!cache.has(jarFile)) cache.set(jarFile, new Set(jar.entries(jarFile)));
    const entry = `${cls.replace(/\./g, '/')}.class`;
    if (!cache.get(jarFile).has(entry)) violations.push(`${path.relative(ctx.repo, jarFile)} lacks ${entry}`);
  }
  return { violations, missingJars: [...missingJars] };
}

/** Default jar paths in the root's local.jars are the paths the Java builds write. */
function jarPaths(tree, ctx) {
  const out = [];
  const root = tree.modules.get(tree.root);
  const jars = root && root.locals.jars && root.locals.jars.value;
  if (!jars || typeof jars !== 'object') return ['main.tf: local.jars must map each Lambda jar to its path'];
  for (const key of Object.keys(java.LAMBDA_JARS)) {
    const expr = fns.allText(jars[key] || '');
    const expected = path.relative(tree.root, java.jarPathOf(ctx.repo, key));
    if (!expr.includes(`\${path.module}/${expected}`)) out.push(`main.tf: local.jars.${key} must default to \${path.module}/${expected}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Configuration keys

/** Keys read by the code but never set in AWS, and why. The module must not set them either. */
const NEVER_IN_AWS = {
  AWS_REGION: 'Lambda sets it; the name is reserved',
  RUNFLEET_WEBHOOK_SECRET: 'a plain secret: AWS reads it from SSM (RUNFLEET_WEBHOOK_SECRET_PARAM)',
  RUNFLEET_WEBHOOK_SECRET_PREVIOUS: 'a plain secret: AWS reads it from SSM (RUNFLEET_WEBHOOK_SECRET_PREVIOUS_PARAM)',
  RUNFLEET_AWS_ENDPOINT: 'emulators only',
};
const NEVER_IN_AWS_PATTERN = /^RUNFLEET_AWS_ENDPOINT_[A-Z0-9]+$/; // per-service emulator endpoints
/**
 * Keys the code reads but may find unset in AWS, and why. The module sets them only when there is a value (an
 * empty string would be a value, and a wrong one).
 */
const OPTIONAL_IN_AWS = {
  RUNFLEET_JIT_KMS_KEY_ID: 'unset means the AWS-managed key aws/secretsmanager; set only when github_app.kms_key_arn is',
  // AwsHostConfig reads exactly one of the pair: the id itself, or where `runfleet setup github-app` put it.
  RUNFLEET_GITHUB_APP_ID: 'set when github_app.app_id is given; otherwise RUNFLEET_GITHUB_APP_ID_PARAMETER is',
  RUNFLEET_GITHUB_APP_ID_PARAMETER: 'set when github_app.app_id is null: the SSM parameter the orchestrator reads the id from',
  // The producer checks callers against GitHub's hook ranges only when the parameter is named.
  RUNFLEET_HOOK_RANGES_PARAMETER: 'set on the producer only when webhook.github_hook_ranges.enabled (the refresher always gets it)',
};
/** Keys the JVM or runtime reads rather than runfleet's code. */
const RUNTIME_KEYS = { JAVA_TOOL_OPTIONS: 'JVM flags (tiered compilation for cold start)' };
/**
 * Keys Terraform sets, per Java module, ahead of the code that will read them (built in parallel). Each entry
 * goes once its module reads the key: the environment rule then reports it, so none outlives its merge.
 */
const PENDING_KEYS = {};

function pendingKey(module, key) {
  return (PENDING_KEYS[module] || []).includes(key);
}

function neverInAws(key) {
  return key in NEVER_IN_AWS || NEVER_IN_AWS_PATTERN.test(key);
}

/** The host kinds a function serves: the HostKind each of its handler classes wires. */
function hostKindsOf(fn, ctx) {
  return [...new Set([...fn.classes].map((c) => java.hostKindOfClass(ctx.repo, c)).filter(Boolean))].sort();
}

/**
 * The environment each function gets is exactly its config's keys: nothing the code does not read, no
 * reserved or plain-secret keys, and every key the code reads set unless listed in NEVER_IN_AWS or
 * OPTIONAL_IN_AWS. Keys a config keeps for one host kind (AwsHostConfig.ECS_KEYS, EC2_KEYS) are checked per
 * host kind the function serves: set for that kind, never for another.
 */
function environment(tree, ctx) {
  const out = [];
  for (const fn of fns.functions(tree)) {
    const module = fn.jarModule || [...fn.classes].map(java.moduleOfClass)[0];
    if (!module || !java.LAMBDA_MODULES.includes(module)) {
      out.push(`${fn.label}: cannot tell which Java module the function runs`);
      continue;
    }
    const { keys, required } = java.configKeys(ctx.repo, module, fn.classes);
    for (const key of PENDING_KEYS[module] || []) {
      if (keys.has(key)) out.push(`${module} reads ${key} now: remove it from PENDING_KEYS in checks/lib/rules.js`);
    }
    for (const key of fn.envKeys) {
      if (key.startsWith('AWS_') || key.startsWith('LAMBDA_')) out.push(`${fn.label}: ${key} is reserved by Lambda`);
      else if (neverInAws(key)) out.push(`${fn.label}: sets ${key}: ${NEVER_IN_AWS[key] || 'emulators only'}`);
      else if (!keys.has(key) && !(key in RUNTIME_KEYS) && !pendingKey(module, key)) out.push(`${fn.label}: sets ${key}, which ${module} does not read`);
    }
    const byKind = java.hostKindKeys(ctx.repo, module, fn.classes);
    for (const { list, file, unresolved } of byKind.values()) {
      for (const item of unresolved) out.push(`${file}: ${list} holds ${item}, which is no ENV_* constant of ${module}`);
    }
    const kindOf = new Map([...byKind].flatMap(([kind, { keys: ks }]) => [...ks].map((k) => [k, kind])));
    let kinds = [null];
    // A side function (a handler in a sub-package, such as the host-events function) launches nothing.
    if (byKind.size > 0 && !java.isSideFunction(ctx.repo, module, fn.classes)) {
      kinds = hostKindsOf(fn, ctx);
      if (kinds.length === 0) {
        out.push(`${fn.label}: cannot tell which host kind the function serves (no HostKind in its handler classes)`);
        continue;
      }
    }
    for (const kind of kinds) {
      const set = kind ? fn.envKeysFor(kind) : fn.envKeys;
      const on = kind ? ` on ${kind} platforms` : '';
      for (const key of set) {
        const owner = kindOf.get(key);
        if (kind && owner && owner !== kind) {
          const { list, file } = byKind.get(owner);
          out.push(`${fn.label}: sets ${key}${on}, which only ${owner} orchestrators read (${path.basename(file, '.java')}.${list})`);
        }
      }
      for (const key of keys) {
        if (kind && kindOf.has(key) && kindOf.get(key) !== kind) continue;
        if (set.has(key) || neverInAws(key) || key in OPTIONAL_IN_AWS) continue;
        const why = required.has(key) ? 'a required key' : 'a key';
        out.push(`${fn.label}: ${module} reads ${key} (${why})${on} but the module does not set it`);
      }
    }
  }
  return out;
}

/** The platforms JSON has exactly the fields PlatformCatalog.fromJson reads; host kinds are the Java enum's. */
function platformsJson(tree, ctx) {
  const out = [];
  const { fields, hostKinds } = java.platformJsonFields(ctx.repo);
  const root = tree.modules.get(tree.root);
  const local = root && root.locals.platforms_json;
  if (!local) return ['main.tf: local.platforms_json (RUNFLEET_PLATFORMS) is missing'];
  const text = fns.allText(local.value);
  const object = text.match(/:\s*\{([\s\S]*)\}\s*\]\s*\)\s*\}$/);
  const written = new Set(object ? [...object[1].matchAll(/(?:^|\n)\s*([A-Za-z_]\w*)\s*=/g)].map((m) => m[1]) : []);
  const missing = [...fields].filter((f) => !written.has(f));
  const extra = [...written].filter((f) => !fields.has(f));
  if (missing.length) out.push(`main.tf: local.platforms_json lacks ${missing.join(', ')} (PlatformCatalog.fromJson reads them)`);
  if (extra.length) out.push(`main.tf: local.platforms_json writes ${extra.join(', ')}, which PlatformCatalog.fromJson does not read`);
  const platformsVar = root.variable.platforms;
  const validations = platformsVar ? tf.blocks(platformsVar.body, 'validation').map((v) => fns.allText(v.condition)) : [];
  const kindCheck = validations.find((c) => c.includes('host_kind'));
  const allowed = kindCheck ? new Set([...kindCheck.matchAll(/"([A-Z][A-Z0-9_]+)"/g)].map((m) => m[1])) : new Set();
  if ([...hostKinds].some((k) => !allowed.has(k)) || [...allowed].some((k) => !hostKinds.has(k))) {
    out.push(`variables.tf: the host_kind validation allows ${[...allowed].join(', ') || 'nothing'}, HostKind has ${[...hostKinds].join(', ')}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Jobs table

/** The DynamoDB table matches JobsTable.createTableRequest: keys, attributes, the queue index, stream, TTL, billing, PITR. */
function jobsTable(tree, ctx) {
  const out = [];
  const expected = java.jobsTable(ctx.repo);
  if (!expected.keyRolesConsistent) out.push(`${expected.file}: createTableRequest no longer has pk/sk and qpk/qsk as HASH/RANGE`);
  const tables = [...tf.resourcesOfType(tree, 'aws_dynamodb_table')];
  if (tables.length !== 1) return [...out, `expected exactly one aws_dynamodb_table, found ${tables.length}`];
  const { name, body, file } = tables[0];
  const at = tf.where(tree, file, `aws_dynamodb_table.${name}`);
  const expect = (what, actual, wanted) => {
    if (actual !== wanted) out.push(`${at}: ${what} is ${JSON.stringify(actual)}, JobsTable wants ${JSON.stringify(wanted)}`);
  };
  expect('hash_key', body.hash_key, expected.hashKey);
  expect('range_key', body.range_key, expected.rangeKey);
  expect('billing_mode', body.billing_mode, expected.billingMode);
  expect('stream_enabled', body.stream_enabled, true);
  expect('stream_view_type', body.stream_view_type, expected.streamView);
  const attrs = Object.fromEntries(tf.blocks(body, 'attribute').map((a) => [a.name, a.type]));
  const wantedAttrs = Object.fromEntries(expected.attributes.map((a) => [a, expected.attributeType]));
  expect('attributes', JSON.stringify(Object.keys(attrs).sort().map((k) => `${k}:${attrs[k]}`)), JSON.stringify(Object.keys(wantedAttrs).sort().map((k) => `${k}:${wantedAttrs[k]}`)));
  const gsis = tf.blocks(body, 'global_secondary_index');
  for (const index of expected.indexes) {
    const gsi = gsis.find((g) => g.name === index.name);
    if (!gsi) out.push(`${at}: global_secondary_index "${index.name}" is missing`);
    else {
      expect(`${gsi.name}.hash_key`, gsi.hash_key, index.hashKey);
      expect(`${gsi.name}.range_key`, gsi.range_key, index.rangeKey);
      expect(`${gsi.name}.projection_type`, gsi.projection_type, expected.projection);
    }
  }
  if (gsis.length !== expected.indexes.length) {
    out.push(`${at}: JobsTable defines ${expected.indexes.length} index(es), the table has ${gsis.length}`);
  }
  const ttl = tf.block(body, 'ttl');
  expect('ttl.attribute_name', ttl && ttl.attribute_name, expected.ttl);
  expect('ttl.enabled', ttl && ttl.enabled, true);
  const pitr = tf.block(body, 'point_in_time_recovery');
  expect('point_in_time_recovery.enabled', pitr && pitr.enabled, true);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Runtime parameters

/** The parameter names the code reads (RuntimeParameters), as Terraform templates with ${var.stage} and ${each.key}. */
function expectedParameterNames(repo) {
  const file = path.join(repo, 'common', 'src', 'main', 'java', 'dev', 'runfleet', 'common', 'config', 'RuntimeParameters.java');
  if (!fs.existsSync(file)) {
    // Issue 3 names, until the code holds them.
    return ['/runfleet/{stage}/caps/{platform}', '/runfleet/{stage}/caps/global', '/runfleet/{stage}/launch-rate', '/runfleet/{stage}/paused'];
  }
  const text = fs.readFileSync(file, 'utf8');
  const prefix = text.match(/prefix\(String stage\)\s*\{\s*return\s+"([^"]*)"\s*\+\s*stage\s*\+\s*"([^"]*)"/);
  const global = text.match(/GLOBAL\s*=\s*"([^"]+)"/);
  const names = [];
  const base = prefix ? `${prefix[1]}{stage}${prefix[2]}` : '/runfleet/{stage}/';
  for (const m of text.matchAll(/public static String (\w+)\(String stage(, String \w+)?\)\s*\{\s*return prefix\(stage\)\s*\+\s*"([^"]*)"(\s*\+\s*\w+)?;/g)) {
    if (m[2]) {
      names.push(`${base}${m[3]}{platform}`);
      if (global) names.push(`${base}${m[3]}${global[1]}`);
    } else names.push(`${base}${m[3]}`);
  }
  return names.filter((name) => !(name in OPTIONAL_PARAMETERS));
}

/**
 * Runtime parameters Terraform does not create, and why: their absence is their default.
 */
const OPTIONAL_PARAMETERS = {
  '/runfleet/{stage}/allow': 'absent means everyone may use the fleet, and SSM holds no empty value to create it with',
};

/** Every runtime parameter the code reads exists as an SSM String parameter whose value applies never reset. */
function parameters(tree, ctx) {
  const out = [];
  const found = new Map();
  for (const { mod, name, body, file } of tf.resourcesOfType(tree, 'aws_ssm_parameter')) {
    const at = tf.where(tree, file, `aws_ssm_parameter.${name}`);
    let resolved = resolveDirExpression(tree, mod, String(body.name));
    resolved = resolved.replace('${var.stage}', '{stage}').replace('${each.key}', '{platform}');
    found.set(resolved, { at, body });
  }
  for (const wanted of expectedParameterNames(ctx.repo)) {
    const hit = found.get(wanted);
    if (!hit) {
      out.push(`no aws_ssm_parameter named ${wanted} (found: ${[...found.keys()].join(', ') || 'none'})`);
      continue;
    }
    if (hit.body.type !== 'String') out.push(`${hit.at}: ${wanted} must be type String`);
    const ignored = tf.blocks(hit.body, 'lifecycle').flatMap((l) => l.ignore_changes || []);
    if (!ignored.includes('${value}')) out.push(`${hit.at}: needs lifecycle { ignore_changes = [value] } so an operator's tuning survives applies`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Secrets and hosts

const SECRET_REFERENCE = /var\.[\w.]*(secret_value|secret_string|password|token|private_key(?!_secret_arn)|webhook_secret(?!_parameter))|aws_secretsmanager_secret_version|data\.aws_ssm_parameter/i;

/** No secret value ever enters Terraform state: no secret versions, no SecureStrings, no decrypted reads. */
function secretsOutOfState(tree) {
  const out = [];
  for (const mod of tree.modules.values()) {
    for (const kind of ['resource', 'data']) {
      for (const { type, name, body, file } of tf.blocksOf(mod, kind)) {
        const at = tf.where(tree, file, `${kind === 'data' ? 'data.' : ''}${type}.${name}`);
        if (type === 'aws_secretsmanager_secret_version') out.push(`${at}: a secret's value would be stored in state: create it outside Terraform`);
        if (kind === 'resource' && type === 'aws_ssm_parameter' && body.type === 'SecureString') out.push(`${at}: a SecureString's value would be stored in state: create it outside Terraform`);
        // Without decryption a SecureString reads as ciphertext: only plain Strings (an App id) can be read so.
        if (kind === 'data' && type === 'aws_ssm_parameter' && body.with_decryption !== false) {
          out.push(`${at}: reading a parameter puts its (decrypted) value into state: set with_decryption = false and read only String parameters`);
        }
      }
    }
  }
  return out;
}

/**
 * Image repositories keep tags immutable (a tag names one content), scan on push and are encrypted; buckets
 * block every kind of public access and encrypt at rest (their companions name them by aws_s3_bucket.<x>).
 */
function storage(tree) {
  const out = [];
  for (const { name, body, file } of tf.resourcesOfType(tree, 'aws_ecr_repository')) {
    const at = tf.where(tree, file, `aws_ecr_repository.${name}`);
    if (body.image_tag_mutability !== 'IMMUTABLE') out.push(`${at}: image_tag_mutability must be "IMMUTABLE"`);
    const scan = tf.block(body, 'image_scanning_configuration');
    if (!scan || scan.scan_on_push !== true) out.push(`${at}: image_scanning_configuration.scan_on_push must be true`);
    if (!tf.block(body, 'encryption_configuration')) out.push(`${at}: needs an encryption_configuration`);
  }
  for (const { mod, name, file } of tf.resourcesOfType(tree, 'aws_s3_bucket')) {
    const at = tf.where(tree, file, `aws_s3_bucket.${name}`);
    const companions = (type) => Object.values(mod.resource[type] || {}).map((r) => r.body)
      .filter((b) => [`\${aws_s3_bucket.${name}.id}`, `\${aws_s3_bucket.${name}[0].id}`].includes(fns.allText(b.bucket)));
    const blocks = companions('aws_s3_bucket_public_access_block');
    const flags = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];
    if (!blocks.some((b) => flags.every((f) => b[f] === true))) {
      out.push(`${at}: needs an aws_s3_bucket_public_access_block with ${flags.join(', ')} = true`);
    }
    if (companions('aws_s3_bucket_server_side_encryption_configuration').length === 0) {
      out.push(`${at}: needs an aws_s3_bucket_server_side_encryption_configuration`);
    }
  }
  return out;
}

/** Launch templates require IMDSv2 and hand no secret to user data. */
function launchTemplates(tree) {
  const out = [];
  for (const { name, body, file } of tf.resourcesOfType(tree, 'aws_launch_template')) {
    const at = tf.where(tree, file, `aws_launch_template.${name}`);
    const md = tf.block(body, 'metadata_options');
    if (!md || md.http_tokens !== 'required') out.push(`${at}: metadata_options.http_tokens must be "required" (IMDSv2)`);
    if (md && md.http_endpoint === 'disabled') out.push(`${at}: the runner needs IMDS (enabled, IMDSv2) for its role's credentials`);
    const userData = fns.allText(body.user_data || '');
    if (SECRET_REFERENCE.test(userData)) out.push(`${at}: user_data references a secret; user data is readable through DescribeInstanceAttribute`);
  }
  for (const { name, body, file } of tf.resourcesOfType(tree, 'aws_ecs_task_definition')) {
    const text = fns.allText(body.container_definitions || '');
    if (SECRET_REFERENCE.test(text)) out.push(`${tf.where(tree, file, `aws_ecs_task_definition.${name}`)}: container_definitions reference a secret value`);
  }
  return out;
}

/** Every log group has a retention; every function's log group is the one Lambda writes to. */
function logGroups(tree) {
  const out = [];
  for (const { name, body, file } of tf.resourcesOfType(tree, 'aws_cloudwatch_log_group')) {
    if (body.retention_in_days === undefined) out.push(`${tf.where(tree, file, `aws_cloudwatch_log_group.${name}`)}: needs retention_in_days`);
  }
  for (const { mod, name, body, file } of tf.resourcesOfType(tree, 'aws_lambda_function')) {
    const fnName = fns.allText(body.function_name);
    const groups = Object.values(mod.resource.aws_cloudwatch_log_group || {}).map((g) => fns.allText(g.body.name));
    if (!groups.includes(`/aws/lambda/${fnName}`)) {
      out.push(`${tf.where(tree, file, `aws_lambda_function.${name}`)}: needs aws_cloudwatch_log_group "/aws/lambda/${fnName}" with a retention (else Lambda creates one that keeps logs forever)`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Module interfaces (what `terraform validate` would catch first)

const META_ARGS = new Set(['source', 'version', 'providers', 'depends_on', 'count', 'for_each']);

/** Module calls pass declared, required variables; references name declared variables, locals, modules, outputs and resources. */
function moduleInterfaces(tree) {
  const out = [];
  for (const mod of tree.modules.values()) {
    for (const [name, call] of Object.entries(mod.module)) {
      const dir = tf.moduleSourceDir(mod, call);
      if (!dir) continue;
      const at = tf.where(tree, call.file, `module.${name}`);
      const target = tree.modules.get(dir);
      if (!target) {
        out.push(`${at}: source ${call.body.source} has no .tf files`);
        continue;
      }
      for (const arg of Object.keys(call.body)) {
        if (!META_ARGS.has(arg) && !(arg in target.variable)) out.push(`${at}: passes ${arg}, which ${call.body.source} does not declare`);
      }
      for (const [v, { body }] of Object.entries(target.variable)) {
        if (!('default' in body) && !(v in call.body)) out.push(`${at}: does not pass required variable ${v}`);
      }
    }
    const resources = new Set(Object.entries(mod.resource).flatMap(([t, byName]) => Object.keys(byName).map((n) => `${t}.${n}`)));
    const data = new Set(Object.entries(mod.data).flatMap(([t, byName]) => Object.keys(byName).map((n) => `${t}.${n}`)));
    for (const parsed of mod.files) {
      const label = path.relative(path.dirname(tree.root), parsed.file);
      for (const text of tf.strings(parsed.json)) {
        for (const expr of tf.interpolations(text)) {
          const code = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
          for (const m of code.matchAll(/(?<![\w.])var\.([A-Za-z_][\w-]*)/g)) {
            if (!(m[1] in mod.variable)) out.push(`${label}: var.${m[1]} is not declared`);
          }
          for (const m of code.matchAll(/(?<![\w.])local\.([A-Za-z_][\w-]*)/g)) {
            if (!(m[1] in mod.locals)) out.push(`${label}: local.${m[1]} is not declared`);
          }
          for (const m of code.matchAll(/(?<![\w.])module\.([A-Za-z_][\w-]*)(?:\[[^\]]*\])?(?:\.([A-Za-z_][\w-]*))?/g)) {
            const call = mod.module[m[1]];
            if (!call) {
              out.push(`${label}: module.${m[1]} is not declared`);
              continue;
            }
            const dir = tf.moduleSourceDir(mod, call);
            const target = dir && tree.modules.get(dir);
            if (target && m[2] && !(m[2] in target.output)) out.push(`${label}: module.${m[1]} has no output ${m[2]}`);
          }
          for (const m of code.matchAll(/(?<![\w.])data\.([a-z][a-z0-9_]*)\.([A-Za-z_][\w-]*)/g)) {
            if (!data.has(`${m[1]}.${m[2]}`)) out.push(`${label}: data.${m[1]}.${m[2]} is not declared`);
          }
          for (const m of code.matchAll(/(?<![\w.])(aws_[a-z0-9_]+)\.([A-Za-z_][\w-]*)/g)) {
            if (!resources.has(`${m[1]}.${m[2]}`)) out.push(`${label}: ${m[1]}.${m[2]} is not declared`);
          }
        }
      }
    }
  }
  return out;
}

module.exports = {
  eventSourceMappings,
  eventSourcePermissions,
  queues,
  validateFilterPolicy,
  publishedAttributes,
  subscriptions,
  configuredPlatformNames,
  filterPolicyFiles,
  iam,
  sdkPermissions,
  handlers,
  jarContents,
  jarPaths,
  environment,
  platformsJson,
  jobsTable,
  expectedParameterNames,
  parameters,
  secretsOutOfState,
  launchTemplates,
  storage,
  logGroups,
  moduleInterfaces,
  hostKindsOf,
  NEVER_IN_AWS,
  OPTIONAL_IN_AWS,
};
