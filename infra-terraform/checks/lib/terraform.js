'use strict';
// Loads Terraform configuration through HashiCorp's HCL2 parser (@cdktf/hcl2json) and gives the rules a
// uniform view of it: one entry per module directory, with its blocks merged across files and each block
// remembering the file it came from.

const fs = require('node:fs');
const path = require('node:path');
const { parse } = require('@cdktf/hcl2json');

const SKIPPED_DIRS = new Set(['node_modules', '.terraform', 'checks']);

/** Every .tf and .tftest.hcl file under dir, skipping checks/, node_modules/ and dot directories. */
function findConfigFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findConfigFiles(full));
    else if (entry.name.endsWith('.tf') || entry.name.endsWith('.tftest.hcl')) out.push(full);
  }
  return out.sort();
}

/** Parses one file; rejects with the parser's message (file:line,column) on a syntax error. */
async function parseFile(file) {
  const text = fs.readFileSync(file, 'utf8');
  const json = await parse(path.basename(file), text);
  return { file, text, json };
}

function emptyModule(dir) {
  return { dir, files: [], resource: {}, data: {}, module: {}, variable: {}, output: {}, locals: {} };
}

// resource/data: { type: { name: [body] } } -> module.resource[type][name] = { body, file }
function mergeTwoLevel(target, blocks, file) {
  for (const [type, byName] of Object.entries(blocks || {})) {
    target[type] = target[type] || {};
    for (const [name, bodies] of Object.entries(byName)) {
      target[type][name] = { body: bodies[0], file };
    }
  }
}

function mergeOneLevel(target, blocks, file) {
  for (const [name, bodies] of Object.entries(blocks || {})) {
    target[name] = { body: bodies[0], file };
  }
}

/** Groups parsed .tf files (not tests) by directory into modules. */
function buildModules(parsedFiles) {
  const modules = new Map();
  for (const parsed of parsedFiles) {
    if (!parsed.file.endsWith('.tf')) continue;
    const dir = path.dirname(parsed.file);
    if (!modules.has(dir)) modules.set(dir, emptyModule(dir));
    const mod = modules.get(dir);
    mod.files.push(parsed);
    mergeTwoLevel(mod.resource, parsed.json.resource, parsed.file);
    mergeTwoLevel(mod.data, parsed.json.data, parsed.file);
    mergeOneLevel(mod.module, parsed.json.module, parsed.file);
    mergeOneLevel(mod.variable, parsed.json.variable, parsed.file);
    mergeOneLevel(mod.output, parsed.json.output, parsed.file);
    for (const block of parsed.json.locals || []) {
      for (const [name, value] of Object.entries(block)) mod.locals[name] = { value, file: parsed.file };
    }
  }
  return modules;
}

/**
 * Loads a tree of Terraform configuration. Returns { root, files, modules, errors }: errors lists files the
 * parser rejected, modules maps each directory to its merged blocks.
 */
async function loadTree(root) {
  const files = [];
  const errors = [];
  for (const file of findConfigFiles(root)) {
    try {
      files.push(await parseFile(file));
    } catch (e) {
      errors.push({ file, message: String(e && e.message ? e.message : e) });
    }
  }
  return { root, files, errors, modules: buildModules(files) };
}

/** Iterates resources (or data sources) of a module: { type, name, body, file }. */
function* blocksOf(mod, kind = 'resource') {
  for (const [type, byName] of Object.entries(mod[kind])) {
    for (const [name, { body, file }] of Object.entries(byName)) yield { type, name, body, file };
  }
}

/** Every module directory's resources of one type, across the tree: { mod, name, body, file }. */
function* resourcesOfType(tree, type, kind = 'resource') {
  for (const mod of tree.modules.values()) {
    for (const [name, { body, file }] of Object.entries(mod[kind][type] || {})) yield { mod, name, body, file };
  }
}

/** The directory a module call's local source points to, or null for a registry/remote source. */
function moduleSourceDir(mod, call) {
  const source = call.body.source;
  if (typeof source !== 'string' || !(source.startsWith('./') || source.startsWith('../'))) return null;
  return path.resolve(mod.dir, source);
}

/** The nested block list of a body (hcl2json gives blocks as arrays), [] when absent. */
function blocks(body, name) {
  const value = body && body[name];
  if (!value) return [];
  return Array.isArray(value) ? value : [value];
}

/** The first nested block of a body, or undefined. */
function block(body, name) {
  return blocks(body, name)[0];
}

/** The text of the ${...} interpolations in a string, brace-balanced and aware of quoted strings. */
function interpolations(text) {
  const out = [];
  if (typeof text !== 'string') return out;
  let i = 0;
  while ((i = text.indexOf('${', i)) !== -1) {
    let depth = 0;
    let j = i + 1;
    let inString = false;
    for (; j < text.length; j++) {
      const c = text[j];
      if (inString) {
        if (c === '\\') j++;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) break;
    }
    out.push(text.slice(i + 2, j));
    i = j + 1;
  }
  return out;
}

/** Every string anywhere inside a JSON value (keys excluded). */
function* strings(value) {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const v of value) yield* strings(v);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) yield* strings(v);
}

/** Every object key anywhere inside a JSON value. */
function* keysDeep(value) {
  if (Array.isArray(value)) for (const v of value) yield* keysDeep(v);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      yield k;
      yield* keysDeep(v);
    }
  }
}

/** A literal string value (no interpolation), else null. */
function literal(value) {
  return typeof value === 'string' && !value.includes('${') ? value : null;
}

/** Human-readable location of a block for messages. */
function where(tree, file, label) {
  return `${path.relative(path.dirname(tree.root), file)}: ${label}`;
}

module.exports = {
  findConfigFiles,
  parseFile,
  loadTree,
  buildModules,
  blocksOf,
  resourcesOfType,
  moduleSourceDir,
  blocks,
  block,
  interpolations,
  strings,
  keysDeep,
  literal,
  where,
};
