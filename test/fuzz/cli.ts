// `npm run fuzz -- --ops N --seed S [--cap] [--fib] [--high] [--runs K]`: runs the stateful fuzz harness (harness.ts) from
// dist/ (built by tsc -p tsconfig.fuzz.json). Without --seed a seed is drawn and printed first, so any
// failure replays exactly with the same --ops and --seed. --runs K runs K campaigns on consecutive seeds;
// --cap caps the core's memory (allocations fail now and then); --fib gives every table its forwarding
// structures from its first destination; --high gives the campaign's registrations indexes 8 and up
// (harness.ts FuzzOptions.high). Exit status 1 on the first failure.
import { fuzz, FuzzFailure } from './harness.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const ops = Number(arg('ops') ?? 10_000);
const runs = Number(arg('runs') ?? 1);
const given = arg('seed');
const seed = given !== undefined ? Number(given) : Math.floor(Math.random() * 2 ** 31);
const cap = process.argv.includes('--cap'), fib = process.argv.includes('--fib'), high = process.argv.includes('--high');
if (!Number.isSafeInteger(ops) || ops < 0 || !Number.isSafeInteger(seed) || seed < 0 || !Number.isSafeInteger(runs) || runs < 1) {
  console.error('usage: npm run fuzz -- [--ops N] [--seed S] [--runs K] [--cap] [--fib] [--high]');
  process.exit(2);
}
console.log(`fuzz: seed ${seed}, ${ops} ops per run, ${runs} run(s)${cap ? ', capped memory' : ''}${fib ? ', forwarding structures from the first destination' : ''}${high ? ', registrations from index 8' : ''}`);
const t0 = performance.now();
let total = 0;
for (let r = 0; r < runs; r++) {
  try {
    const res = fuzz({ ops, seed: seed + r, cap, fib, high });
    total += res.ops;
    console.log(`seed ${res.seed}: ${res.ops} ops, ${res.rejected} rejected by both, ${res.hostile} hostile, ` +
      `${res.outOfMemory} out of memory, ${res.callbacks} callbacks, ${res.fullChecks} full checks — ok`);
  } catch (err) {
    if (err instanceof FuzzFailure) {
      console.error(`FAILED: ${err.message}\nreplay: npm run fuzz -- --ops ${ops} --seed ${err.seed}${cap ? ' --cap' : ''}${fib ? ' --fib' : ''}${high ? ' --high' : ''}`);
      process.exit(1);
    }
    throw err;
  }
}
console.log(`fuzz: ${total} ops in ${((performance.now() - t0) / 1000).toFixed(1)} s, no failure`);
