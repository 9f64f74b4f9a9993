'use strict';
// Every .tf and .tftest.hcl file parses with HashiCorp's HCL2 parser; the module has its examples and tests.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const tf = require('./lib/terraform');
const { realTree, fixtureTree, MODULE_ROOT } = require('./lib/harness');

test('every .tf and .tftest.hcl file of infra-terraform parses', async () => {
  const tree = await realTree();
  assert.deepEqual(tree.errors, []);
  const tfFiles = tree.files.filter((f) => f.file.endsWith('.tf'));
  assert.ok(tfFiles.length >= 40, `expected the whole module, parsed ${tfFiles.length} .tf files`);
});

test('a syntax error is reported with its file and position', async () => {
  const tree = await fixtureTree('syntax');
  assert.equal(tree.errors.length, 1);
  assert.match(tree.errors[0].file, /broken\.tf$/);
  assert.match(tree.errors[0].message, /broken\.tf:\d+,\d+/);
});

test('the examples call the module and the terraform tests never reach AWS', async () => {
  const tree = await realTree();
  for (const example of ['default', 'multi-platform']) {
    const mod = tree.modules.get(path.join(MODULE_ROOT, 'examples', example));
    assert.ok(mod, `examples/${example} is missing`);
    assert.ok(Object.values(mod.module).some((m) => m.body.source === '../..'), `examples/${example} must call source = "../.."`);
  }
  const tests = tree.files.filter((f) => f.file.endsWith('.tftest.hcl'));
  assert.ok(tests.length >= 1, 'tests/*.tftest.hcl is missing');
  for (const t of tests) {
    // A mocked provider, or only plans (which create nothing) with an offline provider (fake keys, no STS call)
    // or none at all.
    const mocked = t.json.mock_provider && t.json.mock_provider.aws;
    const runs = Object.values(t.json.run || {}).map((r) => r[0]);
    const plansOnly = runs.every((r) => ['plan', '${plan}'].includes(r.command)); // hcl2json keeps keywords as ${...}
    const offline = ((t.json.provider || {}).aws || []).every((p) => p.skip_credentials_validation === true
      && p.skip_requesting_account_id === true && p.skip_metadata_api_check === true && typeof p.access_key === 'string');
    assert.ok(mocked || (plansOnly && offline), `${path.basename(t.file)} must use mock_provider "aws", or plan only with an offline provider`);
    for (const [name, runs] of Object.entries(t.json.run || {})) {
      const lambda = runs[0].variables && tf.block(runs[0], 'variables');
      assert.ok(!lambda || !JSON.stringify(lambda).includes('target/runfleet-'), `${name}: tests must not need built jars`);
    }
  }
  assert.ok(fs.existsSync(path.join(MODULE_ROOT, 'tests', 'fixtures', 'placeholder.jar')));
});

/**
 * The attributes of an object type's text, an object nested in an attribute as attr.inner: every `object({`
 * opens a level named after the attribute it types; any other brace (a default such as `{}`) is no level.
 */
function attributePaths(type) {
  const out = [];
  const levels = [];
  let last = null;
  const tokens = /object\(\{|\{|\}|(\w+)\s*=\s*(?=optional\(|list\(|map\(|set\(|object\(|string\b|number\b|bool\b)/g;
  for (const m of type.matchAll(tokens)) {
    if (m[0] === 'object({') levels.push(last);
    else if (m[0] === '{') levels.push(undefined);
    else if (m[0] === '}') levels.pop();
    else {
      const path = levels.filter(Boolean);
      last = [...path, m[1]].join('.');
      out.push(last);
    }
  }
  return out;
}

test('the README documents every variable and every attribute of the object variables', async () => {
  const readme = fs.readFileSync(path.join(MODULE_ROOT, 'README.md'), 'utf8');
  const root = (await realTree()).modules.get(MODULE_ROOT);
  const missing = [];
  for (const [name, { body }] of Object.entries(root.variable)) {
    if (!readme.includes(`| \`${name}\` |`)) missing.push(name);
    const type = String(body.type || '');
    const prefix = type.startsWith('${map(object(') ? `${name}[*].` : `${name}.`;
    if (!type.includes('object(')) continue;
    for (const attribute of attributePaths(type)) {
      if (!readme.includes(`| \`${prefix}${attribute}\` |`)) missing.push(`${prefix}${attribute}`);
    }
  }
  assert.deepEqual(missing, [], 'README.md lacks rows for these variables');
});
