'use strict';
// Reads the contracts the Terraform module must honour straight from the Java sources: configuration keys,
// the jobs table's layout, the platform JSON fields, handler classes and the AWS SDK calls each module makes.

const fs = require('node:fs');
const path = require('node:path');

/** The Lambda modules: Java module directory name = package segment = jar base name. */
const LAMBDA_MODULES = ['producer', 'publisher', 'orchestrators'];

function javaFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...javaFiles(full));
    else if (entry.name.endsWith('.java')) out.push(full);
  }
  return out.sort();
}

function mainSources(repo, module) {
  return javaFiles(path.join(repo, module, 'src', 'main', 'java'));
}

/**
 * The packages of a module's side functions: a handler class in a sub-package of its module
 * (dev.runfleet.<module>.<pkg>.Handler, like the producer's hook-ranges refresher) is a function of its own.
 */
function sidePackageDirs(repo, module) {
  const dirs = handlerClasses(repo, module)
    .filter((cls) => cls.split('.').length > 4)
    .map((cls) => path.dirname(classSource(repo, cls)));
  return [...new Set(dirs)];
}

/** Whether a function's handler classes live in a side package of the module (a function of its own). */
function isSideFunction(repo, module, classes = []) {
  const sides = sidePackageDirs(repo, module);
  return [...classes].some((c) => sides.includes(path.dirname(classSource(repo, c) || '')));
}

/**
 * The sources that make a function's configuration and AWS calls: a side function's own package; for the
 * module's other functions (and when no handler is named), every source outside the side packages.
 */
function scopedSources(repo, module, classes = []) {
  const all = mainSources(repo, module);
  const sides = sidePackageDirs(repo, module);
  const inside = (file, dir) => file.startsWith(dir + path.sep);
  const own = [...classes].map((c) => path.dirname(classSource(repo, c) || '')).filter((d) => sides.includes(d));
  if (own.length > 0) return all.filter((file) => own.some((dir) => inside(file, dir)));
  return all.filter((file) => !sides.some((dir) => inside(file, dir)));
}

function read(file) {
  return fs.readFileSync(file, 'utf8');
}

// `static final String ENV_X = "RUNFLEET_X";`, also when the value wraps onto the next line.
const ENV_CONSTANT = /static\s+final\s+String\s+(ENV_\w+)\s*=\s*"([A-Z][A-Z0-9_]*)"\s*;/g;

/** ENV_* constants of some sources: Map(constantName -> key). */
function envConstants(files) {
  const out = new Map();
  for (const file of files) {
    for (const m of read(file).matchAll(ENV_CONSTANT)) out.set(m[1], m[2]);
  }
  return out;
}

// A source that reads configuration from the environment (the config records do it through Env).
const READS_ENVIRONMENT = /\bnew\s+Env\s*\(|\bSystem\.getenv\s*\(/;

/** Whether a source reads the environment, rather than only naming variables it hands to others (a runner's container). */
function readsEnvironment(text) {
  return READS_ENVIRONMENT.test(text);
}

/**
 * The configuration keys one Lambda module reads: the ENV_* constants and RUNFLEET_* literals of its sources
 * that read the environment, plus AwsSettings' (region, endpoint overrides per service, call timeout), which
 * every handler reads. A launcher's names for the runner's own environment (RunTask overrides) are not its
 * configuration. Returns { keys: Set, required: Set }.
 */
function configKeys(repo, module, classes = []) {
  const own = scopedSources(repo, module, classes).filter((file) => readsEnvironment(read(file)));
  const awsSettingsFile = path.join(repo, 'common-aws', 'src', 'main', 'java', 'dev', 'runfleet', 'aws', 'AwsSettings.java');
  const constants = envConstants([...own, awsSettingsFile]);
  const keys = new Set(constants.values());
  for (const file of own) {
    for (const m of read(file).matchAll(/"(RUNFLEET_[A-Z0-9_]+)"/g)) keys.add(m[1]);
  }
  // AwsSettings builds RUNFLEET_AWS_ENDPOINT_<SERVICE> from its SERVICES list.
  const settings = read(awsSettingsFile);
  const services = settings.match(/SERVICES\s*=\s*List\.of\(([^)]*)\)/);
  const endpoint = constants.get('ENV_ENDPOINT');
  if (services && endpoint) {
    for (const s of services[1].matchAll(/"([a-z0-9]+)"/g)) keys.add(`${endpoint}_${s[1].toUpperCase()}`);
  }
  const required = new Set();
  for (const file of [...own, awsSettingsFile]) {
    for (const m of read(file).matchAll(/\.required\(\s*(ENV_\w+)\s*\)/g)) {
      if (constants.has(m[1])) required.add(constants.get(m[1]));
    }
  }
  return { keys, required };
}

/** The key lists a config class keeps for one host kind only, and the HostKind each is for (AwsHostConfig). */
const HOST_KIND_KEY_LISTS = { ECS_KEYS: 'ECS_FARGATE', EC2_KEYS: 'EC2' };

/**
 * The keys only one host kind reads: the `List<String> ECS_KEYS = List.of(ENV_..., ...)` constants of a module,
 * resolved through its ENV_* constants. Returns Map(hostKind -> { list, file, keys: Set }), empty when the module
 * has none (a side function, such as the reconciler, keeps none: it serves every host kind); unresolved lists
 * names the list entries that are no ENV_* constant.
 */
function hostKindKeys(repo, module, classes = []) {
  const files = scopedSources(repo, module, classes);
  const constants = envConstants(files);
  const out = new Map();
  for (const file of files) {
    const text = read(file);
    for (const m of text.matchAll(/static\s+final\s+List<String>\s+(\w+)\s*=\s*List\.of\(([^)]*)\)\s*;/g)) {
      const kind = HOST_KIND_KEY_LISTS[m[1]];
      if (!kind) continue;
      const keys = new Set();
      const unresolved = [];
      for (const item of m[2].split(',').map((x) => x.trim()).filter(Boolean)) {
        const literal = item.match(/^"([A-Z][A-Z0-9_]*)"$/);
        if (literal) keys.add(literal[1]);
        else if (constants.has(item)) keys.add(constants.get(item));
        else unresolved.push(item);
      }
      out.set(kind, { list: m[1], file: path.relative(repo, file), keys, unresolved });
    }
  }
  return out;
}

/** The HostKind a handler class wires (HostKind.X in its source), or null. */
function hostKindOfClass(repo, className) {
  const file = classSource(repo, className);
  if (!file || !fs.existsSync(file)) return null;
  const m = read(file).match(/\bHostKind\.([A-Z][A-Z0-9_]*)\b/);
  return m ? m[1] : null;
}

/** JobsTable's names and createTableRequest's choices. */
function jobsTable(repo) {
  const file = path.join(repo, 'common-aws', 'src', 'main', 'java', 'dev', 'runfleet', 'aws', 'JobsTable.java');
  const text = read(file);
  const constant = (name) => {
    const m = text.match(new RegExp(`static\\s+final\\s+String\\s+${name}\\s*=\\s*"([^"]+)"`));
    if (!m) throw new Error(`JobsTable.${name} not found in ${file}`);
    return m[1];
  };
  const create = text.slice(text.indexOf('createTableRequest('));
  const enumValue = (type) => {
    const m = create.match(new RegExp(`${type}\\.([A-Z_]+)`));
    if (!m) throw new Error(`no ${type} in JobsTable.createTableRequest`);
    return m[1];
  };
  const hashOf = (attr) => new RegExp(`attributeName\\(${attr}\\)\\s*\\.keyType\\(KeyType\\.HASH\\)`).test(create);
  const rangeOf = (attr) => new RegExp(`attributeName\\(${attr}\\)\\s*\\.keyType\\(KeyType\\.RANGE\\)`).test(create);
  const attrs = [...create.matchAll(/attr\((\w+)\)/g)].map((m) => constant(m[1]));
  return {
    file,
    hashKey: constant('PK'),
    rangeKey: constant('SK'),
    ttl: constant('TTL'),
    index: { name: constant('QUEUE_INDEX'), hashKey: constant('QUEUE_PK'), rangeKey: constant('QUEUE_SK') },
    // Every index createTableRequest builds: indexName(X) then its HASH and RANGE attribute constants.
    indexes: [...create.matchAll(/indexName\((\w+)\)[\s\S]*?attributeName\((\w+)\)\s*\.keyType\(KeyType\.HASH\)[\s\S]*?attributeName\((\w+)\)\s*\.keyType\(KeyType\.RANGE\)/g)].map(
      (m) => ({ name: constant(m[1]), hashKey: constant(m[2]), rangeKey: constant(m[3]) }),
    ),
    attributes: [...new Set(attrs)],
    attributeType: { S: 'S', N: 'N', B: 'B' }[enumValue('ScalarAttributeType')],
    billingMode: enumValue('BillingMode'),
    projection: enumValue('ProjectionType'),
    streamView: enumValue('StreamViewType'),
    keyRolesConsistent: hashOf('PK') && rangeOf('SK') && hashOf('QUEUE_PK') && rangeOf('QUEUE_SK'),
  };
}

/** The fields PlatformCatalog.fromJson reads from each platform entry. */
function platformJsonFields(repo) {
  const file = path.join(repo, 'common', 'src', 'main', 'java', 'dev', 'runfleet', 'common', 'domain', 'PlatformCatalog.java');
  const text = read(file);
  const body = text.slice(text.indexOf('fromJson('));
  const end = body.indexOf('\n  }\n');
  const fromJson = end > 0 ? body.slice(0, end) : body;
  const fields = new Set();
  for (const m of fromJson.matchAll(/required\(node,\s*"(\w+)"\)/g)) fields.add(m[1]);
  // node.get/items/text/object/array (common's JsonObject) and node.path (a databind tree) alike
  for (const m of fromJson.matchAll(/node\.(?:get|items|text|object|array|path)\("(\w+)"\)/g)) fields.add(m[1]);
  const hostKinds = new Set();
  const hostKindFile = path.join(path.dirname(file), 'HostKind.java');
  if (fs.existsSync(hostKindFile)) {
    const enumBody = read(hostKindFile).match(/enum\s+HostKind\s*\{([^;}]*)/);
    if (enumBody) for (const m of enumBody[1].matchAll(/\b([A-Z][A-Z0-9_]*)\b/g)) hostKinds.add(m[1]);
  }
  return { file, fields, hostKinds };
}

/** Platform names of PlatformCatalog.defaults(). */
function defaultPlatformNames(repo) {
  const file = path.join(repo, 'common', 'src', 'main', 'java', 'dev', 'runfleet', 'common', 'domain', 'PlatformCatalog.java');
  const text = read(file);
  const start = text.indexOf('defaults()');
  const body = text.slice(start, text.indexOf('fromJson(', start));
  return [...body.matchAll(/new Platform\(\s*"([a-z0-9-]+)"/g)].map((m) => m[1]);
}

/** The source file of a class, or null when the class is not in one of the Lambda modules. */
function classSource(repo, className) {
  const m = className.match(/^dev\.runfleet\.([a-z0-9]+)\./);
  if (!m) return null;
  return path.join(repo, m[1], 'src', 'main', 'java', ...className.split('.')) + '.java';
}

/** The Lambda module a handler class belongs to (its third package segment). */
function moduleOfClass(className) {
  const m = className.match(/^dev\.runfleet\.([a-z0-9]+)\./);
  return m ? m[1] : null;
}

/** Concrete Lambda handler classes of a module: classes implementing RequestHandler or RequestStreamHandler, or extending a handler. */
function handlerClasses(repo, module) {
  const out = [];
  for (const file of mainSources(repo, module)) {
    const text = read(file);
    const decl = text.match(/public\s+(final\s+|abstract\s+)?class\s+(\w+)[^{]*\{/);
    if (!decl || decl[1] === 'abstract ') continue;
    if (!/implements\s+Request(Stream)?Handler\b|extends\s+\w*Handler\b/.test(decl[0])) continue;
    const pkg = text.match(/^package\s+([\w.]+);/m);
    out.push(`${pkg[1]}.${decl[2]}`);
  }
  return out;
}

/**
 * The shaded jars the Java builds write, by their key in the root's local.jars: one per module, except the
 * orchestrators, which write one per host kind (the ECS jar carries no EC2 client, the EC2 jar no ECS client).
 */
const LAMBDA_JARS = {
  producer: { module: 'producer', file: 'runfleet-producer-lambda.jar' },
  publisher: { module: 'publisher', file: 'runfleet-publisher-lambda.jar' },
  orchestrator_ecs: { module: 'orchestrators', file: 'runfleet-orchestrator-ecs-lambda.jar', classes: /^Fargate/ },
  orchestrator_ec2: { module: 'orchestrators', file: 'runfleet-orchestrator-ec2-lambda.jar', classes: /^Ec2/ },
  orchestrator_fleet: { module: 'orchestrators', file: 'runfleet-orchestrator-fleet-lambda.jar', classes: /^(Reconciler|HostEvents)/ },
};

/** The Java module of a jar named by its local.jars key or its file name; null when it is none of ours. */
function moduleOfJar(keyOrFile) {
  const jar = LAMBDA_JARS[keyOrFile] || Object.values(LAMBDA_JARS).find((j) => j.file === keyOrFile);
  return jar ? jar.module : null;
}

/** The path of the jar under its local.jars key. */
function jarPathOf(repo, key) {
  const jar = LAMBDA_JARS[key];
  return path.join(repo, jar.module, 'target', jar.file);
}

/**
 * The shaded jar that carries {@code cls} of {@code module}: an orchestrator handler is in its host kind's jar
 * (Fargate* in the ECS jar, Ec2* in the EC2 jar); any other class in the module's first jar.
 */
function jarPath(repo, module, cls = '') {
  const simple = cls.split('.').pop();
  const jars = Object.entries(LAMBDA_JARS).filter(([, j]) => j.module === module);
  const [key] = jars.find(([, j]) => j.classes && j.classes.test(simple)) || jars[0] || [];
  return key ? jarPathOf(repo, key) : path.join(repo, module, 'target', `runfleet-${module}-lambda.jar`);
}

// AWS SDK calls -> the IAM actions they need. A TransactWriteItems is authorised per item action.
const SDK_ACTIONS = {
  dynamodb: [
    [/\.getItem\(|\bGetItemRequest\b/, 'dynamodb:GetItem'],
    [/\.putItem\(|\bPutItemRequest\b|\bPut\.builder\(/, 'dynamodb:PutItem'],
    [/\.updateItem\(|\bUpdateItemRequest\b|\bUpdate\.builder\(/, 'dynamodb:UpdateItem'],
    [/\.deleteItem\(|\bDeleteItemRequest\b|\bDelete\.builder\(/, 'dynamodb:DeleteItem'],
    [/\bConditionCheck\.builder\(/, 'dynamodb:ConditionCheckItem'],
    [/\.query\(|\.queryPaginator\(|\bQueryRequest\b/, 'dynamodb:Query'],
    [/\.scan\(|\.scanPaginator\(|\bScanRequest\b/, 'dynamodb:Scan'],
    [/\.batchGetItem\(/, 'dynamodb:BatchGetItem'],
    [/\.batchWriteItem\(/, 'dynamodb:BatchWriteItem'],
  ],
  sns: [
    [/\.publish\(|\.publishBatch\(/, 'sns:Publish'],
    [/\.getTopicAttributes\(/, 'sns:GetTopicAttributes'],
  ],
  sqs: [
    [/\.sendMessage\(|\.sendMessageBatch\(/, 'sqs:SendMessage'],
    [/\.receiveMessage\(/, 'sqs:ReceiveMessage'],
    [/\.deleteMessage\(/, 'sqs:DeleteMessage'],
    [/\.getQueueAttributes\(/, 'sqs:GetQueueAttributes'],
  ],
  ssm: [
    [/\.getParameter\(/, 'ssm:GetParameter'],
    [/\.getParameters\(/, 'ssm:GetParameters'],
    [/\.getParametersByPath\(/, 'ssm:GetParametersByPath'],
    [/\.putParameter\(/, 'ssm:PutParameter'],
  ],
  secretsmanager: [
    [/\.getSecretValue\(/, 'secretsmanager:GetSecretValue'],
    [/\.createSecret\(/, 'secretsmanager:CreateSecret'],
    [/\.deleteSecret\(/, 'secretsmanager:DeleteSecret'],
    [/\.putSecretValue\(/, 'secretsmanager:PutSecretValue'],
    [/\.describeSecret\(/, 'secretsmanager:DescribeSecret'],
    // CreateSecret with tags is also authorised as TagResource.
    [/\.tagResource\(|CreateSecretRequest[\s\S]*\.tags\(/, 'secretsmanager:TagResource'],
  ],
  ecs: [
    [/\.runTask\(/, 'ecs:RunTask'],
    [/\.stopTask\(/, 'ecs:StopTask'],
    [/\.describeTasks\(/, 'ecs:DescribeTasks'],
    [/\.listTasks\(|\.listTasksPaginator\(/, 'ecs:ListTasks'],
    // RunTask with tags is also authorised as TagResource (on the new task, ecs:CreateAction = RunTask).
    [/\.tagResource\(|RunTaskRequest[\s\S]*\.tags\(/, 'ecs:TagResource'],
  ],
  ec2: [
    [/\.createFleet\(/, 'ec2:CreateFleet'],
    [/\.runInstances\(/, 'ec2:RunInstances'],
    [/\.terminateInstances\(/, 'ec2:TerminateInstances'],
    [/\.describeInstances\(/, 'ec2:DescribeInstances'],
    // Tags at launch (TagSpecifications) are authorised as CreateTags with ec2:CreateAction.
    [/\.createTags\(|\bTagSpecification\b/, 'ec2:CreateTags'],
  ],
};

/**
 * The IAM actions a module's AWS SDK calls need: each pattern is applied only to files that import that
 * service's SDK package, so a method of the same name elsewhere does not count. Returns Map(action -> files).
 */
// Parameter Store through dev.runfleet.aws.ParameterStore: SsmParameters signs the calls itself, without the SSM
// client, so its callers name the port, not the SDK.
const PORT_ACTIONS = {
  ParameterStore: [
    [/\.get\([^()]*,\s*(true|false|decrypt)\)/, 'ssm:GetParameter'],
    [/\.getByPath\(/, 'ssm:GetParametersByPath'],
    [/\.putString\(/, 'ssm:PutParameter'],
  ],
};

function sdkActions(repo, module, classes = []) {
  const out = new Map();
  for (const file of scopedSources(repo, module, classes)) {
    const text = read(file);
    const calls = Object.entries(SDK_ACTIONS)
      .filter(([service]) => text.includes(`software.amazon.awssdk.services.${service}.`))
      .concat(Object.entries(PORT_ACTIONS).filter(([port]) => new RegExp(`\\b${port}\\b`).test(text)));
    for (const [, patterns] of calls) {
      for (const [pattern, action] of patterns) {
        if (pattern.test(text)) {
          if (!out.has(action)) out.set(action, []);
          out.get(action).push(path.relative(repo, file));
        }
      }
    }
  }
  return out;
}

module.exports = {
  LAMBDA_MODULES,
  HOST_KIND_KEY_LISTS,
  configKeys,
  readsEnvironment,
  hostKindKeys,
  hostKindOfClass,
  isSideFunction,
  jobsTable,
  platformJsonFields,
  defaultPlatformNames,
  classSource,
  moduleOfClass,
  handlerClasses,
  jarPath,
  jarPathOf,
  LAMBDA_JARS,
  moduleOfJar,
  sdkActions,
};
