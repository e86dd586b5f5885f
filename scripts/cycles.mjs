#!/usr/bin/env node
// cycles: finds import circles among the TypeScript/JavaScript files under a folder. Every relative
// specifier counts — `import … from`, `import type`, `export … from`, side-effect `import '…'` and
// dynamic or type-position `import('…')` — because a type-only circle still ties the files together.
// Sources are tokenized (comments, string and template text, regex literals never read as imports);
// bare specifiers (packages, node:) are ignored. The graph's strongly
// connected components (Tarjan) of more than one file, or a file importing itself, are the circles;
// for each, one concrete path round it is printed too. Plain Node, no dependency.
//   node scripts/cycles.mjs [folder …]   (default src/) — prints each circle, exits 1 if there is any
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;

/** Files under `dir` (recursively) that can import others. */
function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (SOURCE.test(name)) out.push(p);
  }
  return out;
}

/**
 * The tokens of a source: identifiers, strings (their text) and punctuation; comments, template text
 * and regular-expression literals are skipped, so nothing inside them reads as an import.
 */
function tokens(src) {
  const out = [];
  const isId = (ch) => /[\w$]/.test(ch);
  const exprBefore = () => {                                   // may a `/` here start a regex literal?
    const t = out[out.length - 1];
    if (t === undefined) return true;
    if (t.t === 'id') return /^(return|typeof|case|do|else|in|of|new|delete|void|throw|yield|await)$/.test(t.v);
    if (t.t === 'str') return false;
    return !')]}'.includes(t.v);
  };
  for (let i = 0; i < src.length;) {
    const c = src[i], n = src[i + 1];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '/' && n === '/') { while (i < src.length && src[i] !== '\n') i++; continue; }
    if (c === '/' && n === '*') { const e = src.indexOf('*/', i + 2); i = e < 0 ? src.length : e + 2; continue; }
    if (c === '"' || c === "'") {
      let v = '';
      for (i++; i < src.length && src[i] !== c && src[i] !== '\n'; i++) v += src[i] === '\\' ? src[++i] : src[i];
      out.push({ t: 'str', v }); i++; continue;
    }
    if (c === '`') {                                            // template: text skipped, ${…} code tokenized
      let depth = 0;
      for (i++; i < src.length; i++) {
        if (src[i] === '\\') { i++; continue; }
        if (src[i] === '`') { i++; break; }
        if (src[i] === '$' && src[i + 1] === '{') {
          const start = i + 2;
          depth = 1;
          for (i = start; i < src.length && depth > 0; i++) { if (src[i] === '{') depth++; else if (src[i] === '}') depth--; }
          out.push(...tokens(src.slice(start, i - 1)));
          i--;
        }
      }
      out.push({ t: 'str', v: '' });
      continue;
    }
    if (c === '/' && exprBefore()) {                            // regex literal
      let inClass = false;
      for (i++; i < src.length && src[i] !== '\n'; i++) {
        if (src[i] === '\\') { i++; continue; }
        if (src[i] === '[') inClass = true;
        else if (src[i] === ']') inClass = false;
        else if (src[i] === '/' && !inClass) { i++; break; }
      }
      while (i < src.length && isId(src[i])) i++;
      out.push({ t: 'str', v: '' });
      continue;
    }
    if (isId(c)) { let v = ''; while (i < src.length && isId(src[i])) v += src[i++]; out.push({ t: 'id', v }); continue; }
    out.push({ t: 'p', v: c }); i++;
  }
  return out;
}

/** Every module specifier a file names (static, re-export, side-effect, dynamic and type imports). */
export function specifiers(src) {
  const tk = tokens(src), out = [];
  const at = (i, t, v) => tk[i] !== undefined && tk[i].t === t && (v === undefined || tk[i].v === v);
  for (let i = 0; i < tk.length; i++) {
    if (!(at(i, 'id', 'import') || at(i, 'id', 'export')) || at(i - 1, 'p', '.')) continue;
    if (at(i, 'id', 'import') && at(i + 1, 'str')) { out.push(tk[i + 1].v); continue; }                 // import '…'
    if (at(i, 'id', 'import') && at(i + 1, 'p', '(') && at(i + 2, 'str')) { out.push(tk[i + 2].v); continue; } // import('…')
    // import/export clause: identifiers, `* { } ,` up to `from '…'`
    for (let j = i + 1; j < tk.length; j++) {
      if (at(j, 'id', 'from') && at(j + 1, 'str')) { out.push(tk[j + 1].v); break; }
      if (!(tk[j].t === 'id' || (tk[j].t === 'p' && '*{},'.includes(tk[j].v)))) break;
    }
  }
  return out;
}

/** The file a relative specifier names among `known` files ('./x.js' → x.ts, './d' → d/index.ts, …). */
function resolveSpecifier(from, spec, known) {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec);
  const stem = base.replace(/\.(js|mjs|cjs|jsx)$/, '');
  const tries = [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.cts`, `${base}.ts`, `${base}.tsx`,
    `${base}.js`, `${base}.mjs`, join(base, 'index.ts'), join(base, 'index.js')];
  return tries.find((p) => known.has(p));
}

/** The import graph of the files under `dir`: file → the files it imports (absolute paths). */
export function importGraph(dir) {
  const files = sourceFiles(resolve(dir));
  const known = new Set(files);
  const graph = new Map();
  for (const f of files) {
    const deps = new Set();
    for (const s of specifiers(readFileSync(f, 'utf8'))) {
      const to = resolveSpecifier(f, s, known);
      if (to) deps.add(to);
    }
    graph.set(f, [...deps].sort());
  }
  return graph;
}

/** Strongly connected components (Tarjan), iteratively. */
function components(graph) {
  let next = 0;
  const index = new Map(), low = new Map(), onStack = new Set(), stack = [], out = [];
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work = [[root, 0]];
    index.set(root, next); low.set(root, next); next++; stack.push(root); onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [v, i] = frame;
      const deps = graph.get(v) ?? [];
      if (i < deps.length) {
        frame[1]++;
        const w = deps[i];
        if (!index.has(w)) {
          index.set(w, next); low.set(w, next); next++; stack.push(w); onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
        continue;
      }
      work.pop();
      if (work.length > 0) { const u = work[work.length - 1][0]; low.set(u, Math.min(low.get(u), low.get(v))); }
      if (low.get(v) === index.get(v)) {
        const comp = [];
        let w;
        do { w = stack.pop(); onStack.delete(w); comp.push(w); } while (w !== v);
        out.push(comp.sort());
      }
    }
  }
  return out;
}

/** A shortest path start → … → start inside one component (breadth-first). */
function circleThrough(start, members, graph) {
  const prev = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u = v; u !== start; u = prev.get(u)) path.splice(1, 0, u);
        return [...path, start];
      }
      if (!prev.has(w)) { prev.set(w, v); queue.push(w); }
    }
  }
  return [start, start];
}

/**
 * The import circles among the files under `dir`: one entry per strongly connected component of more
 * than one file (or a file importing itself), with its files and one path round it, relative to `dir`.
 */
export function findCycles(dir) {
  const root = resolve(dir);
  const graph = importGraph(root);
  const rel = (p) => relative(root, p).split(sep).join('/');
  const out = [];
  for (const comp of components(graph)) {
    const self = comp.length === 1 && (graph.get(comp[0]) ?? []).includes(comp[0]);
    if (comp.length < 2 && !self) continue;
    out.push({ files: comp.map(rel), circle: circleThrough(comp[0], new Set(comp), graph).map(rel) });
  }
  return out;
}

function main() {
  const dirs = process.argv.slice(2);
  if (dirs.length === 0) dirs.push(join(dirname(fileURLToPath(import.meta.url)), '..', 'src'));
  let found = 0;
  for (const dir of dirs) {
    if (!existsSync(dir)) { console.error(`cycles: no such folder ${dir}`); process.exit(2); }
    const shown = relative(process.cwd(), resolve(dir)) || '.';
    for (const c of findCycles(dir)) {
      found++;
      console.log(`import circle in ${shown} (${c.files.length} file${c.files.length === 1 ? '' : 's'}): ${c.circle.join(' → ')}`);
      if (c.files.length > c.circle.length - 1) console.log(`  all files of the circle: ${c.files.join(', ')}`);
    }
  }
  if (found > 0) { console.log(`cycles: ${found} import circle(s)`); process.exit(1); }
  console.log(`cycles: no import circle in ${dirs.map((d) => relative(process.cwd(), resolve(d)) || '.').join(', ')}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
