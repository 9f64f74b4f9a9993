'use strict';
// Shared by the test files: the real tree (loaded once), fixture trees, and the repository context.

const path = require('node:path');
const tf = require('./terraform');

const CHECKS = path.resolve(__dirname, '..');
const MODULE_ROOT = path.resolve(CHECKS, '..');
const REPO = path.resolve(MODULE_ROOT, '..');
const FIXTURES = path.join(CHECKS, 'fixtures');

let real;

/** infra-terraform/ parsed, once per process. */
function realTree() {
  if (!real) real = tf.loadTree(MODULE_ROOT);
  return real;
}

/** A broken snippet under fixtures/<name>, with fixtures/_lambda (a minimal Lambda module) beside it. */
async function fixtureTree(name) {
  const dir = path.join(FIXTURES, name);
  const own = await tf.loadTree(dir);
  const lambda = await tf.loadTree(path.join(FIXTURES, '_lambda'));
  const files = [...own.files, ...lambda.files];
  return { root: dir, files, errors: [...own.errors, ...lambda.errors], modules: tf.buildModules(files) };
}

const ctx = { repo: REPO, requireAllHandlers: true };

module.exports = { realTree, fixtureTree, ctx, REPO, MODULE_ROOT, FIXTURES };
