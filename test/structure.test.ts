// The shape of src/ (DESIGN.md "The facade, as it must become"), on the import graph of
// scripts/cycles.mjs (every relative import, type-only ones included): the capability modules of
// src/rtmv2/ never reach the Entity or Rtm classes, and nothing in src/rtmv2/ or the scheduler reads or
// writes linear memory except through src/port/records.ts. (That src/ has no import circle at all is
// test/port/cycles.test.ts.)
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importGraph } from '../scripts/cycles.mjs';

const SRC = fileURLToPath(new URL('../src', import.meta.url));
const graph = importGraph(SRC) as Map<string, string[]>;
const rel = (p: string): string => relative(SRC, p).split('\\').join('/');

describe('src/rtmv2', () => {
  const modules = [...graph.keys()].filter((f) => rel(f).startsWith('rtmv2/'));

  it('is there, with its context interfaces', () => {
    expect(modules.map(rel)).toContain('rtmv2/context.ts');
    expect(modules.length).toBeGreaterThan(10);
  });

  it('imports neither entity.ts nor rtm.ts (not even import type)', () => {
    const bad = modules.flatMap((f) => graph.get(f)!.map(rel).filter((t) => t === 'entity.ts' || t === 'rtm.ts')
      .map((t) => `${rel(f)} → ${t}`));
    expect(bad).toEqual([]);
  });

  it('leaves linear memory to src/port/records.ts (here and in the scheduler)', () => {
    const bad: string[] = [];
    for (const f of [...modules, ...[...graph.keys()].filter((x) => rel(x) === 'scheduler.ts')]) {
      readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
        if (/\.(u32|i32|f64)\(\)|memory\.buffer/.test(line)) bad.push(`${rel(f)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(bad).toEqual([]);
  });
});
