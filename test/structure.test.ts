// The shape of src/ (DESIGN.md "The facade, as it must become"): no import circle anywhere (type-only
// imports count: they tie files together for the reader as much as value imports do); the capability
// modules of src/rtmv2/ never reach the Entity or Rtm classes; and nothing in src/rtmv2/ or the
// scheduler reads or writes linear memory except through src/port/records.ts.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Relative imports and re-exports of a file (static `from '…'` and dynamic `import('…')`), resolved to files. */
function importsOf(file: string, known: Set<string>): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|[\s;])(?:import|export)\s[^'";]*?\sfrom\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
    const spec = (m[1] ?? m[2]).replace(/\.js$/, '');
    for (const cand of [`${spec}.ts`, join(spec, 'index.ts')]) {
      const target = resolve(dirname(file), cand);
      if (known.has(target)) { out.push(target); break; }
    }
  }
  return out;
}

/** Strongly connected groups of two or more nodes of an import graph (Tarjan), each sorted. */
function circlesOf(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); onStack.add(v);
    for (const w of edges.get(v)!) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); group.push(w); } while (w !== v);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const f of edges.keys()) if (!index.has(f)) visit(f);
  return found;
}

/** The import circles among the files, as paths relative to src/. */
function circles(files: string[]): string[][] {
  const known = new Set(files);
  return circlesOf(new Map(files.map((f) => [f, importsOf(f, known)])))
    .map((group) => group.map((f) => relative(SRC, f)));
}

describe('src/ imports', () => {
  const files = tsFiles(SRC);

  it('finds the facade files', () => {
    expect(files.length).toBeGreaterThan(40);
    expect(files.some((f) => f.endsWith(join('rtmv2', 'context.ts')))).toBe(true);
  });

  it('has no import circle', () => {
    expect(circles(files)).toEqual([]);
  });

  it('sees imports, type-only ones included, and finds circles (the check itself)', () => {
    const known = new Set(files);
    const routes = join(SRC, 'rtmv2', 'routes.ts');
    expect(importsOf(routes, known)).toContain(join(SRC, 'rtmv2', 'refs.ts'));
    expect(importsOf(routes, known)).toContain(join(SRC, 'rtmv2', 'context.ts'));   // import type
    const graph = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a', 'd']], ['e', []]]);
    expect(circlesOf(graph)).toEqual([['a', 'b', 'c']]);
  });

  it('keeps src/rtmv2/ away from entity.ts and rtm.ts (not even import type)', () => {
    const bad: string[] = [];
    for (const f of files.filter((x) => relative(SRC, x).startsWith(`rtmv2`))) {
      for (const t of importsOf(f, new Set(files))) {
        const r = relative(SRC, t);
        if (r === 'entity.ts' || r === 'rtm.ts') bad.push(`${relative(SRC, f)} → ${r}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('leaves linear memory to src/port/records.ts in src/rtmv2/ and the scheduler', () => {
    const bad: string[] = [];
    for (const f of files) {
      const r = relative(SRC, f);
      if (!r.startsWith('rtmv2') && r !== 'scheduler.ts') continue;
      readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
        if (/\.(u32|i32|f64)\(\)|\.buffer\b|memory\.buffer/.test(line)) bad.push(`${r}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(bad).toEqual([]);
  });
});
