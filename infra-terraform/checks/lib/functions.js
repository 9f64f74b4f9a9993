'use strict';
// Finds every Lambda function a Terraform tree deploys and resolves, through module calls and locals, what
// the checks need to know of each: handler classes, the Java module whose jar it runs, the environment
// variable names it gets, and the IAM actions its role grants.

const path = require('node:path');
const tf = require('./terraform');
const java = require('./java');

const CLASS = /dev\.runfleet\.[a-z0-9]+(?:\.[a-z0-9]+)*\.[A-Z][A-Za-z0-9]*/g;

/** Module calls (from any module of the tree) whose source is dir: [{ mod, name, body, file }]. */
function callersOf(tree, dir) {
  const out = [];
  for (const mod of tree.modules.values()) {
    for (const [name, call] of Object.entries(mod.module)) {
      if (tf.moduleSourceDir(mod, call) === dir) out.push({ mod, name, body: call.body, file: call.file });
    }
  }
  return out;
}

function allText(value) {
  return [...tf.strings(value)].join('\n');
}

/** local.NAME references inside the interpolations of a text. */
function localRefs(text) {
  const out = new Set();
  for (const expr of tf.interpolations(text)) for (const m of expr.matchAll(/\blocal\.([A-Za-z_][\w-]*)/g)) out.add(m[1]);
  return out;
}

/** Class names in a value and in the locals it references (transitively, within mod). */
function classesIn(value, mod, seen = new Set()) {
  const text = allText(value);
  const out = new Set(text.match(CLASS) || []);
  for (const name of localRefs(text)) {
    if (seen.has(name) || !mod.locals[name]) continue;
    seen.add(name);
    for (const c of classesIn(mod.locals[name].value, mod, seen)) out.add(c);
  }
  return out;
}

/** The text with its comments (#, // and block comments) blanked to spaces: positions hold, and a quote in a comment does not count. */
function stripComments(text) {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      const end = skipString(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      const end = text.indexOf('\n', i) === -1 ? text.length : text.indexOf('\n', i);
      out += ' '.repeat(end - i);
      i = end;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      const end = close === -1 ? text.length : close + 2;
      out += text.slice(i, end).replace(/[^\n]/g, ' ');
      i = end;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The index just past a quoted string starting at i, template interpolations ${...} included. */
function skipString(text, i) {
  i++;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else if (c === '$' && text[i + 1] === '{') i = scanExpression(text, i + 2, () => false) + 1;
    else i++;
  }
  return i;
}

/**
 * Walks an expression from i and returns the index of the first character at bracket depth 0 for which
 * isStop(c, i) holds, or of the first unmatched closing bracket, or the end. Strings are skipped whole.
 */
function scanExpression(text, i, isStop) {
  let depth = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i = skipString(text, i);
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return i;
      depth--;
    } else if (depth === 0 && isStop(c, i)) return i;
    i++;
  }
  return i;
}

// `<x>.host_kind == "K" ?` (or !=) as the whole condition of a conditional: after a bracket, separator or operator
// that starts an expression, so `a && p.host_kind == "K" ?` (whose false branch says nothing of K) is not read.
const HOST_KIND_CONDITION = /(^|[\s([{,=?:])([A-Za-z_][\w.]*\.)?host_kind\s*(==|!=)\s*"([A-Z][A-Z0-9_]*)"\s*\?/g;

/**
 * The branches of the conditionals on a host kind in a comment-free expression: `X.host_kind == "K" ? A : B`
 * gives A (only K) and B (all but K); != the other way round. Returns [{ start, end, only } | { start, end, except }].
 */
function hostKindBranches(code) {
  const out = [];
  for (const m of code.matchAll(HOST_KIND_CONDITION)) {
    const before = code.slice(0, m.index + m[1].length).trimEnd();
    if (/(&&|\|\||!)$/.test(before)) continue;
    const kind = m[4];
    const trueStart = m.index + m[0].length;
    let pending = 0;
    const colon = scanExpression(code, trueStart, (c) => {
      if (c === '?') pending++;
      else if (c === ':') {
        if (pending === 0) return true;
        pending--;
      }
      return false;
    });
    if (code[colon] !== ':') continue;
    let seen = false;
    const falseEnd = scanExpression(code, colon + 1, (c) => {
      if (c === ',' || (c === '\n' && seen)) return true;
      if (!/\s/.test(c)) seen = true;
      return false;
    });
    const equal = m[3] === '==';
    out.push(equal ? { start: trueStart, end: colon, only: kind } : { start: trueStart, end: colon, except: kind });
    out.push(equal ? { start: colon + 1, end: falseEnd, except: kind } : { start: colon + 1, end: falseEnd, only: kind });
  }
  return out;
}

/** Whether position i of an expression is evaluated for host kind (null: any) given its host-kind branches. */
function appliesTo(branches, i, kind) {
  if (!kind) return true;
  return branches.every((b) => i < b.start || i >= b.end || (b.only !== undefined ? b.only === kind : b.except !== kind));
}

/**
 * Environment variable names an expression sets: keys of a literal map, `KEY = ...` inside an expression,
 * followed through local.X (in mod) and var.X (the argument the caller passes, in the caller's module). With a
 * host kind, only the names set for it: a name inside a branch of `X.host_kind == "K" ? A : B` counts for the
 * kinds that branch is taken for.
 */
function envKeys(value, mod, callerArgs, callerMod, seen = new Set(), kind = null) {
  const out = new Set();
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const k of Object.keys(value)) out.add(k);
    return out;
  }
  const text = allText(value);
  for (const expr of tf.interpolations(text)) {
    const code = stripComments(expr);
    const branches = kind ? hostKindBranches(code) : [];
    for (const m of code.matchAll(/(?:^|[\s{,(])"?([A-Z][A-Z0-9_]*)"?\s*=(?!=)/g)) {
      if (appliesTo(branches, m.index + m[0].indexOf(m[1]), kind)) out.add(m[1]);
    }
    for (const m of code.matchAll(/\blocal\.([A-Za-z_][\w-]*)/g)) {
      const key = `local:${mod.dir}:${m[1]}`;
      if (!appliesTo(branches, m.index, kind) || seen.has(key) || !mod.locals[m[1]]) continue;
      seen.add(key);
      for (const k of envKeys(mod.locals[m[1]].value, mod, callerArgs, callerMod, seen, kind)) out.add(k);
    }
    for (const m of code.matchAll(/\bvar\.([A-Za-z_][\w-]*)/g)) {
      if (!appliesTo(branches, m.index, kind) || !callerArgs || !(m[1] in callerArgs)) continue;
      for (const k of envKeys(callerArgs[m[1]], callerMod, null, null, seen, kind)) out.add(k);
    }
  }
  return out;
}

/** The Java module whose jar an expression points at (literal path, local.jars.X, or var.jar via callers). */
function jarModule(tree, value, mod, seen = new Set()) {
  const text = allText(value);
  const lit = text.match(/runfleet-([a-z0-9-]+)-lambda\.jar/);
  const litModule = lit && (java.moduleOfJar(lit[0]) || lit[1]);
  if (lit && !text.includes('${')) return litModule;
  const viaLocal = text.match(/local\.jars\.([a-z0-9_]+)/);
  if (viaLocal) return java.moduleOfJar(viaLocal[1]) || viaLocal[1];
  const viaVar = text.match(/var\.([A-Za-z_]\w*)/);
  if (viaVar && !seen.has(mod.dir)) {
    seen.add(mod.dir);
    for (const caller of callersOf(tree, mod.dir)) {
      if (viaVar[1] in caller.body) {
        const found = jarModule(tree, caller.body[viaVar[1]], caller.mod, seen);
        if (found) return found;
      }
    }
  }
  return lit ? litModule : null;
}

/** Statements of a policy document body, dynamic ones included (their content). */
function statementsOf(docBody) {
  const out = [];
  for (const s of tf.blocks(docBody, 'statement')) out.push({ statement: s, dynamic: false });
  for (const dyn of tf.blocks(docBody, 'dynamic')) {
    for (const d of tf.blocks(dyn, 'statement')) {
      for (const content of tf.blocks(d, 'content')) out.push({ statement: content, dynamic: true });
    }
  }
  return out;
}

/**
 * IAM actions a policy document grants, following source_policy_documents: documents of the same module
 * (data.aws_iam_policy_document.X.json) and the outputs of module calls (module.X.json, module.X[k].json) that
 * give a document of the called module, such as modules/github_app_access.
 */
function policyActions(tree, mod, docName, seen = new Set()) {
  const actions = new Set();
  const key = `${mod.dir}:${docName}`;
  if (seen.has(key)) return actions;
  seen.add(key);
  const doc = (mod.data.aws_iam_policy_document || {})[docName];
  if (!doc) return actions;
  for (const { statement } of statementsOf(doc.body)) {
    if ((statement.effect || 'Allow') !== 'Allow') continue;
    for (const a of Array.isArray(statement.actions) ? statement.actions : []) actions.add(a);
  }
  for (const [source, sourceDoc] of sourceDocuments(tree, mod, doc.body.source_policy_documents || '')) {
    for (const a of policyActions(tree, source, sourceDoc, seen)) actions.add(a);
  }
  return actions;
}

/** The [module, document name] pairs a source_policy_documents value names, directly or through module outputs. */
function sourceDocuments(tree, mod, value) {
  const out = [];
  const text = allText(value);
  for (const m of text.matchAll(/data\.aws_iam_policy_document\.([\w-]+)/g)) out.push([mod, m[1]]);
  for (const m of text.matchAll(/\bmodule\.([\w-]+)(?:\[[^\]]*\])?\.([\w-]+)/g)) {
    const call = mod.module[m[1]];
    const child = call && tree.modules.get(tf.moduleSourceDir(mod, call));
    const output = child && child.output[m[2]];
    if (output) out.push(...sourceDocuments(tree, child, output.body.value));
  }
  return out;
}

/** The directories of the tree holding a reusable Lambda module (aws_lambda_function with handler = var.*). */
function lambdaModuleDirs(tree) {
  const dirs = new Set();
  for (const mod of tree.modules.values()) {
    for (const fn of Object.values(mod.resource.aws_lambda_function || {})) {
      if (typeof fn.body.handler === 'string' && /^\$\{var\.\w+\}$/.test(fn.body.handler)) dirs.add(mod.dir);
    }
  }
  return dirs;
}

/**
 * Every deployed function: { label, file, mod, handler, classes, javaModule, jarModule, envKeys, envKeysFor,
 * actions, policyDoc }; envKeysFor(kind) gives the names set for platforms of one host kind. Covers direct aws_lambda_function resources with a literal handler and calls of a reusable
 * Lambda module.
 */
function functions(tree) {
  const out = [];
  const lambdaDirs = lambdaModuleDirs(tree);
  for (const mod of tree.modules.values()) {
    for (const [name, fn] of Object.entries(mod.resource.aws_lambda_function || {})) {
      if (lambdaDirs.has(mod.dir)) continue;
      const classes = new Set(allText(fn.body.handler).match(CLASS) || []);
      const env = tf.block(fn.body, 'environment');
      out.push({
        label: tf.where(tree, fn.file, `aws_lambda_function.${name}`),
        file: fn.file,
        mod,
        handler: fn.body.handler,
        classes,
        jarModule: jarModule(tree, fn.body.filename || fn.body.s3_key || '', mod),
        envKeys: env ? envKeys(env.variables, mod) : new Set(),
        envKeysFor: (kind) => (env ? envKeys(env.variables, mod, null, null, new Set(), kind) : new Set()),
        actions: null,
        policyDoc: null,
      });
    }
    for (const [name, call] of Object.entries(mod.module)) {
      const dir = tf.moduleSourceDir(mod, call);
      if (!dir || !lambdaDirs.has(dir)) continue;
      const lambdaMod = tree.modules.get(dir);
      const handler = call.body.handler;
      let classes = new Set(allText(handler).match(CLASS) || []);
      if (classes.size === 0) {
        // A handler chosen per for_each item: the classes are wherever the callers of this module put them.
        classes = new Set();
        for (const caller of callersOf(tree, mod.dir)) for (const c of classesIn(caller.body, caller.mod)) classes.add(c);
      }
      const keysFor = (kind) => {
        const keys = new Set();
        for (const fn of Object.values(lambdaMod.resource.aws_lambda_function)) {
          const env = tf.block(fn.body, 'environment');
          if (env) for (const k of envKeys(env.variables, lambdaMod, call.body, mod, new Set(), kind)) keys.add(k);
        }
        return keys;
      };
      const doc = allText(call.body.policy_json || '').match(/data\.aws_iam_policy_document\.([\w-]+)/);
      out.push({
        label: tf.where(tree, call.file, `module.${name}`),
        file: call.file,
        mod,
        call: { name, body: call.body },
        handler,
        classes,
        jarModule: jarModule(tree, call.body.jar || '', mod),
        envKeys: keysFor(null),
        envKeysFor: keysFor,
        actions: doc ? policyActions(tree, mod, doc[1]) : new Set(),
        policyDoc: doc ? doc[1] : null,
      });
    }
  }
  return out;
}

/** The function an event source mapping's function_name points at (module.X.arn or a resource). */
function functionOfMapping(fns, mod, mapping) {
  const text = allText(mapping.function_name);
  const viaModule = text.match(/module\.([\w-]+)/);
  if (viaModule) return fns.find((f) => f.mod === mod && f.call && f.call.name === viaModule[1]) || null;
  const viaResource = text.match(/aws_lambda_function\.([\w-]+)/);
  if (viaResource) return fns.find((f) => f.mod === mod && f.label.endsWith(`aws_lambda_function.${viaResource[1]}`)) || null;
  return null;
}

module.exports = {
  functions,
  functionOfMapping,
  callersOf,
  classesIn,
  envKeys,
  hostKindBranches,
  stripComments,
  policyActions,
  statementsOf,
  allText,
  CLASS,
  path,
};
