#!/usr/bin/env node
// gen-port: writes src/port/exports.ts, the typed export surface of the core, from the AssemblyScript
// source. It reads the re-export lists of assembly/index.ts, finds each name in the file it comes from
// (following `export { … } from` chains) and classifies it: a function (parameter names kept, every
// i32/u32/f64/usize/bool crossing as `number`, `void` kept), an exported `const` (a layout/status
// constant: only its name is needed, the value is read from the Wasm global at run time) or an exported
// `let` (a mutable global, typed WebAssembly.Global). Anything else (i64, strings, classes) is an error:
// exports take and return only numbers (STYLE §2). Plain Node, no dependency.
//   node scripts/gen-port.mjs          write the file
//   node scripts/gen-port.mjs --check  exit 1 if the committed file differs from what would be written
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = join(ROOT, 'assembly', 'index.ts');
const OUT = join(ROOT, 'src', 'port', 'exports.ts');
const NUMBER_TYPES = new Set(['i32', 'u32', 'f64', 'usize', 'bool', 'isize', 'u8', 'u16', 'i8', 'i16', 'f32']);
const CONSTANT_TYPES = new Set(['u32', 'usize', 'u8', 'u16']);   // read back as unsigned numbers

class GenError extends Error {}

/** Source text with comments blanked (strings kept), so regexes see only code. */
function stripComments(src) {
  let out = '';
  for (let i = 0; i < src.length;) {
    const c = src[i], n = src[i + 1];
    if (c === '/' && n === '/') { while (i < src.length && src[i] !== '\n') { out += ' '; i++; } continue; }
    if (c === '/' && n === '*') {
      out += '  '; i += 2;
      while (i < src.length && !(src[i] === '*' && src[i + 1] === '/')) { out += src[i] === '\n' ? '\n' : ' '; i++; }
      out += '  '; i += 2; continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      out += c; i++;
      while (i < src.length && src[i] !== c) { if (src[i] === '\\') { out += src[i++]; } out += src[i++]; }
      out += c; i++; continue;
    }
    out += c; i++;
  }
  return out;
}

const cache = new Map();
function source(file) {
  let s = cache.get(file);
  if (s === undefined) {
    if (!existsSync(file)) throw new GenError(`${relative(ROOT, file)}: no such file`);
    s = stripComments(readFileSync(file, 'utf8'));
    cache.set(file, s);
  }
  return s;
}

function moduleFile(from, spec) {
  const base = resolve(dirname(from), spec);
  return base.endsWith('.ts') ? base : `${base}.ts`;
}

/** `export { a, b as c } from './x'` lists of a file: [{ local, exported, file }]. */
function reExports(file) {
  const out = [];
  const re = /\bexport\s*\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g;
  for (let m; (m = re.exec(source(file)));) {
    for (const part of m[1].split(',').map((p) => p.trim()).filter(Boolean)) {
      const [local, exported = local] = part.split(/\s+as\s+/).map((p) => p.trim());
      out.push({ local, exported, file: moduleFile(file, m[2]) });
    }
  }
  if (/\bexport\s*\*/.test(source(file))) throw new GenError(`${relative(ROOT, file)}: \`export *\` is not supported; list the names`);
  return out;
}

/** The text between the parenthesis at `open` and its match. */
function balanced(s, open) {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) return { inner: s.slice(open + 1, i), end: i + 1 };
  }
  throw new GenError('unbalanced parentheses');
}

function splitTop(s) {
  const parts = [];
  let depth = 0, cur = '';
  for (const ch of s) {
    if ('(<['.includes(ch)) depth++;
    if (')>]'.includes(ch)) depth--;
    if (ch === ',' && depth === 0) { parts.push(cur); cur = ''; } else cur += ch;
  }
  if (cur.trim()) parts.push(cur);
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** Finds `name` declared (or re-exported) in `file`; returns its description. */
function declaration(name, file, seen = new Set()) {
  const key = `${file}#${name}`;
  if (seen.has(key)) throw new GenError(`${relative(ROOT, file)}: re-export loop at ${name}`);
  seen.add(key);
  const s = source(file), where = relative(ROOT, file);
  const fn = new RegExp(`\\bexport\\s+function\\s+${name}\\s*\\(`).exec(s);
  if (fn) {
    const { inner, end } = balanced(s, fn.index + fn[0].length - 1);
    const ret = /^\s*:\s*([A-Za-z_][\w]*)\s*\{/.exec(s.slice(end));
    if (!ret) throw new GenError(`${where}: ${name}: declare the return type (\`): i32 {\`)`);
    const params = splitTop(inner).map((p) => {
      const m = /^([A-Za-z_$][\w$]*)\s*:\s*([A-Za-z_][\w]*)\s*(=.*)?$/s.exec(p);
      if (!m) throw new GenError(`${where}: ${name}: cannot read parameter \`${p}\``);
      if (!NUMBER_TYPES.has(m[2])) throw new GenError(`${where}: ${name}(${m[1]}: ${m[2]}): exports take only numbers`);
      return { name: m[1], type: m[2] };
    });
    const type = ret[1];
    if (type !== 'void' && !NUMBER_TYPES.has(type)) throw new GenError(`${where}: ${name}(): ${type}: exports return only numbers`);
    return { kind: 'function', name, params, ret: type, file: where };
  }
  const v = new RegExp(`\\bexport\\s+(const|let|var)\\s+${name}\\s*:\\s*([A-Za-z_][\\w]*)`).exec(s);
  if (v) {
    if (v[1] === 'const') {
      if (!CONSTANT_TYPES.has(v[2])) throw new GenError(`${where}: constant ${name}: ${v[2]}: the port reads constants as u32`);
      return { kind: 'constant', name, type: v[2], file: where };
    }
    if (!NUMBER_TYPES.has(v[2])) throw new GenError(`${where}: global ${name}: ${v[2]}: only number globals cross`);
    return { kind: 'global', name, type: v[2], file: where };
  }
  const re = reExports(file).find((r) => r.exported === name);
  if (re) return declaration(re.local, re.file, seen);
  throw new GenError(`${where}: ${name} is not an exported function, const or let (typed) here`);
}

/** Every export of assembly/index.ts, in index order. */
function surface() {
  const all = [];
  const names = new Set();
  for (const r of reExports(ENTRY)) {
    if (names.has(r.exported)) throw new GenError(`assembly/index.ts: ${r.exported} exported twice`);
    names.add(r.exported);
    const d = declaration(r.local, r.file);
    all.push({ ...d, name: r.exported });
  }
  const stripped = source(ENTRY).replace(/\bexport\s*\{[^}]*\}\s*from\s*['"][^'"]+['"]\s*;?/g, '').trim();
  if (stripped) throw new GenError(`assembly/index.ts holds more than re-export lists: \`${stripped.slice(0, 60)}\``);
  return all;
}

function sig(d) { return `${d.name}(${d.params.map((p) => `${p.name}: ${p.type}`).join(', ')}): ${d.ret}`; }

function render(all) {
  const fns = all.filter((d) => d.kind === 'function');
  const consts = all.filter((d) => d.kind === 'constant');
  const globals = all.filter((d) => d.kind === 'global');
  const ts = (d) => `(${d.params.map((p) => `${p.name}: number`).join(', ')}): ${d.ret === 'void' ? 'void' : 'number'}`;
  const args = (d) => d.params.map((p) => p.name).join(', ');
  const list = (names, indent = '  ') => {
    const lines = [];
    let cur = indent;
    for (const n of names) {
      const item = `'${n}', `;
      if (cur.length + item.length > 116) { lines.push(cur.trimEnd()); cur = indent; }
      cur += item;
    }
    if (cur.trim()) lines.push(cur.trimEnd());
    return lines.join('\n');
  };
  const L = [];
  L.push('// GENERATED by scripts/gen-port.mjs from assembly/index.ts — do not edit; run `npm run gen:port`');
  L.push('// (`npm run build` fails while this file is stale). The core\'s whole export surface, typed: every');
  L.push('// function (numbers in, numbers out), the mutable globals, the names of the exported constants, and');
  L.push('// bindExports(), which wraps each function in the one guard every core call passes through: a');
  L.push('// poisoned core throws its RtmInternalError before the call; anything thrown out of the core (a trap,');
  L.push('// an abort) goes to guard.trap(), which poisons the core and returns the error to throw. One closure');
  L.push('// per export at bind time; nothing allocated per call.');
  L.push("import type { RtmInternalError } from '../errors.js';");
  L.push('');
  L.push('/** The guard state of one core (src/port/core.ts). */');
  L.push('export interface GuardState {');
  L.push('  /** Set once the core trapped: every later call throws it. */');
  L.push('  poisoned: RtmInternalError | undefined;');
  L.push('  /** Turns what a core call threw into the RtmInternalError to throw, poisoning the core. */');
  L.push('  trap(e: unknown): RtmInternalError;');
  L.push('}');
  L.push('');
  L.push('/** The exports of the core: memory, mutable globals and every function (each guarded by bindExports). */');
  L.push('export interface CoreExports {');
  L.push('  readonly memory: WebAssembly.Memory;');
  for (const d of globals) { L.push(`  /** ${d.file}: \`let ${d.name}: ${d.type}\` */`); L.push(`  readonly ${d.name}: WebAssembly.Global;`); }
  for (const d of fns) { L.push(`  /** ${d.file}: \`${sig(d)}\` */`); L.push(`  ${d.name}${ts(d)};`); }
  L.push('}');
  L.push('');
  L.push('/** Names of the exported functions, in assembly/index.ts order. */');
  L.push('export const FUNCTION_NAMES = [');
  L.push(list(fns.map((d) => d.name)));
  L.push('] as const;');
  L.push('');
  L.push('/** Names of the exported mutable globals. */');
  L.push(`export const GLOBAL_NAMES = [${globals.map((d) => `'${d.name}'`).join(', ')}] as const;`);
  L.push('');
  L.push('/** Names of the exported constants (Wasm globals, read once per core by src/port/constants.ts). */');
  L.push('export const CONSTANT_NAMES = [');
  L.push(list(consts.map((d) => d.name)));
  L.push('] as const;');
  L.push('');
  L.push('export type ConstantName = typeof CONSTANT_NAMES[number];');
  L.push('');
  L.push('/** The core\'s constants (u32 values; declared in the file named beside each). */');
  L.push('export interface CoreConstants {');
  for (const d of consts) L.push(`  /** ${d.file} */ readonly ${d.name}: number;`);
  L.push('}');
  L.push('');
  L.push('function fn(raw: Record<string, unknown>, name: string): unknown {');
  L.push("  if (typeof raw[name] !== 'function') throw new Error(`rtm: core export ${name} missing (rebuild the core, or run npm run gen:port)`);");
  L.push('  return raw[name];');
  L.push('}');
  L.push('');
  L.push('/** The guarded exports over the raw ones (functions already unwrapped from the loader). */');
  L.push('export function bindExports(raw: Record<string, unknown>, g: GuardState): CoreExports {');
  for (const d of fns) L.push(`  const ${d.name}_ = fn(raw, '${d.name}') as ${ts(d).replace(/\): (\w+)$/, ') => $1')};`);
  for (const d of globals) {
    L.push(`  if (!(raw.${d.name} instanceof WebAssembly.Global)) throw new Error('rtm: core global ${d.name} missing');`);
  }
  L.push('  return {');
  L.push('    memory: raw.memory as WebAssembly.Memory,');
  for (const d of globals) L.push(`    ${d.name}: raw.${d.name} as WebAssembly.Global,`);
  for (const d of fns) {
    const body = d.ret === 'void' ? `${d.name}_(${args(d)});` : `return ${d.name}_(${args(d)});`;
    L.push(`    ${d.name}${ts(d)} { if (g.poisoned) throw g.poisoned; try { ${body} } catch (e) { throw g.trap(e); } },`);
  }
  L.push('  };');
  L.push('}');
  L.push('');
  return L.join('\n');
}

function main() {
  const check = process.argv.includes('--check');
  let text;
  try {
    text = render(surface());
  } catch (e) {
    if (e instanceof GenError) { console.error(`gen-port: ${e.message}`); process.exit(1); }
    throw e;
  }
  const rel = relative(ROOT, OUT);
  if (check) {
    const old = existsSync(OUT) ? readFileSync(OUT, 'utf8') : '';
    if (old !== text) {
      console.error(`gen-port: ${rel} is stale (assembly/index.ts or an exported signature changed): run \`npm run gen:port\` and commit it`);
      process.exit(1);
    }
    return;
  }
  writeFileSync(OUT, text);
  console.log(`gen-port: wrote ${rel}`);
}

main();
