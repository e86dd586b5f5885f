// Runs the `rtm` command line (bin/rtm.js) as a child process for the CLI tests: arguments, text on stdin,
// extra environment; resolves with the exit code, both outputs and the wall time. Never rejects on a
// non-zero exit (the tests judge the code); rejects only when the process cannot be started.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { PROJECT_ROOT } from './data.js';

export const BIN = resolve(PROJECT_ROOT, 'bin/rtm.js');

/** Throws unless dist/ holds the built CLI (bin/rtm.js runs it from there; npm test builds it first). */
export function requireBuiltCli(): void {
  if (!existsSync(resolve(PROJECT_ROOT, 'dist/src/cli/main.js'))) throw new Error('dist/ is not built: run npm run build (npm test does)');
}

export interface Run { code: number | null; stdout: string; stderr: string; ms: number }

/** `node bin/rtm.js …args` with `input` on stdin and `env` added to this process's environment. */
export function runRtm(args: readonly string[], input = '', env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr, ms: performance.now() - t0 }));
    child.stdin.on('error', () => { /* the child may exit before reading stdin */ });
    child.stdin.end(input);
  });
}
