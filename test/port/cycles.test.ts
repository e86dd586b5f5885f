// The import-circle checker (scripts/cycles.mjs) on fixture folders: one with three known circles
// (value, type-only, type-position import(), folder index, re-export, dynamic import, a self-import)
// and one without any (its only "circle" is in comments and strings); and src/ itself, which has none.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findCycles, specifiers } from '../../scripts/cycles.mjs';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const SCRIPT = here('../../scripts/cycles.mjs');
const CIRCLE = here('./fixtures/circle');
const CLEAN = here('./fixtures/clean');

describe('findCycles', () => {
  it('finds every circle of the fixture, with its files and a path round it', () => {
    const found = findCycles(CIRCLE) as { files: string[]; circle: string[] }[];
    const byFiles = found.map((c) => c.files.join(' ')).sort();
    expect(byFiles).toEqual(['a.ts b.ts c.ts', 'e.ts sub/index.ts', 'self.ts']);
    const abc = found.find((c) => c.files.length === 3)!;
    expect(abc.circle).toEqual(['a.ts', 'b.ts', 'c.ts', 'a.ts']);
    expect(found.find((c) => c.files[0] === 'self.ts')!.circle).toEqual(['self.ts', 'self.ts']);
    expect(found.flatMap((c) => c.files)).not.toContain('d.ts');   // imports a circle, is not in one
  });

  it('finds none where imports only form a tree (comments and strings do not count)', () => {
    expect(findCycles(CLEAN)).toEqual([]);
  });

  it('reads every import form, type-only included, and nothing else', () => {
    const src = [
      "import a from './a.js';", "import type { B } from './b.js';", "import * as c from './c.js';",
      "import './d.js';", "export { e } from './e.js';", "export type { F } from './f.js';", "export * as g from './g.js';",
      "const h = await import('./h.js');", "type I = typeof import('./i.js');",
      "// import j from './j.js';", "/* export * from './k.js' */", "const s = \"import l from './l.js'\";",
      "const t = `import m from './m.js' ${import('./n.js')}`;", "const r = /import o from '.\\/o.js'/;",
      "x.import('./p.js');", "import { readFileSync } from 'node:fs';",
    ].join('\n');
    expect(specifiers(src)).toEqual(['./a.js', './b.js', './c.js', './d.js', './e.js', './f.js', './g.js', './h.js',
      './i.js', './n.js', 'node:fs']);
  });
});

describe('scripts/cycles.mjs', () => {
  it('prints each circle and exits 1 when there is one', () => {
    const r = spawnSync(process.execPath, [SCRIPT, CIRCLE], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('a.ts → b.ts → c.ts → a.ts');
    expect(r.stdout).toContain('3 import circle(s)');
  });

  it('exits 0 on a folder without circles', () => {
    const r = spawnSync(process.execPath, [SCRIPT, CLEAN], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('no import circle');
  });

  it('src/ has no import circle (issue 9 item 2)', () => {
    expect(findCycles(here('../../src'))).toEqual([]);
    const r = spawnSync(process.execPath, [SCRIPT, here('../../src')], { encoding: 'utf8' });
    expect(r.status, r.stdout).toBe(0);
  });
});
