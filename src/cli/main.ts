// The `rtm` command line: dispatches `rtm <command> [options] [arguments]` to the commands, prints help
// and the version, and turns errors into 'rtm: <message>' on stderr and a documented exit status
// (output.ts: 0 ok, 1 runtime/data error, 2 usage, 3 internal, 130 interrupted). main() is the testable
// core (streams injected); run() wires it to the process (exit status, EPIPE, SIGINT).
import '../node/host.js';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError, parseCommand } from './args.js';
import type { Command, Context } from './command.js';
import { EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, errorJson, errorMessage, exitStatusOf, jsonText, type Writer } from './output.js';
import { Progress } from './progress.js';
import { loadCommand } from './load.js';
import { lookupCommand } from './lookup.js';
import { benchCommand } from './bench.js';
import { diffCommand } from './diff.js';
import { demoCommand } from './demo.js';

export const COMMANDS: readonly Command[] = [loadCommand, lookupCommand, benchCommand, diffCommand, demoCommand];

export const USAGE = `Usage: rtm <command> [options] [arguments]

A Routing Table Manager with Windows RTMv2 semantics (WebAssembly core) on the command line.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(8)}${c.summary}`).join('\n')}
  help    show the help of a command (rtm help lookup, or rtm lookup --help)

Tables (FILE, --table, A, B) are prefix lists, 'ip route' dumps or MRT TABLE_DUMP_V2 RIB files,
plain or gzip, told apart by their content; '-' reads stdin. Without a table the bundled default
table is used (1,062,046 prefixes: 901,899 IPv4 + 160,147 IPv6).

Every command takes --json (one JSON document on stdout, also when it fails: {"command","error":
{"message","status","code"?,"file"?,"line"?,"offset"?,...}}), --no-progress and -h/--help. A
progress bar is drawn on stderr when stderr is a terminal and the command runs for over a second.

Exit status:
  0    success (unmatched lookups are not failures)
  1    runtime or data error: missing or unreadable file, malformed table (the message names the
       file and line, or byte offset for MRT and gzip), a table with nothing loadable (no route
       record: empty, or only kinds rtm does not read, such as BGP4MP updates), bad address on
       stdin, failed benchmark check
  2    usage error: unknown command or option, missing or bad argument
  3    internal error (a bug: the core trapped or an unexpected exception)
  130  interrupted (Ctrl-C stops any command within a second)
Errors are printed on stderr as 'rtm: <message>'.

  rtm --version     print the version
`;

/** What main() reads and writes. */
export interface Io {
  stdout: Writer;
  stderr: Writer;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** The package version, from the package.json above this module. */
export function version(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      try {
        const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'rtm-wasm' && pkg.version) return pkg.version;
      } catch { /* not ours: keep looking */ }
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}

/** Runs `rtm` with argv (without 'node' and the script); returns the exit status. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let progress: Progress | undefined;
  try {
    const [name, ...rest] = argv;
    if (name === undefined) {
      io.stderr.write(USAGE);
      return EXIT_USAGE;
    }
    if (name === '-h' || name === '--help') {
      io.stdout.write(USAGE);
      return EXIT_OK;
    }
    if (name === '-V' || name === '--version') {
      io.stdout.write(`rtm-wasm ${version()}\n`);
      return EXIT_OK;
    }
    if (name === 'help') {
      const topic = rest[0];
      if (topic === undefined) { io.stdout.write(USAGE); return EXIT_OK; }
      const c = COMMANDS.find((x) => x.name === topic);
      if (!c) throw new UsageError('help', `unknown command '${topic}'`);
      io.stdout.write(c.help);
      return EXIT_OK;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) {
      throw new UsageError('', name.startsWith('-') ? `unknown option '${name}' (a command comes first)` : `unknown command '${name}'`);
    }
    const { values, positionals } = parseCommand(command.name, rest, command.options, command.positionals);
    if (values.help === true) {
      io.stdout.write(command.help);
      return EXIT_OK;
    }
    progress = Progress.forStream(io.stderr, values['no-progress'] === true);
    const ctx: Context = { values, positionals, json: values.json === true, stdout: io.stdout, stderr: io.stderr, stdin: io.stdin, progress };
    return await command.run(ctx);
  } catch (err) {
    progress?.end();
    io.stderr.write(`rtm: ${errorMessage(err)}\n`);
    if (wantsJson(argv)) io.stdout.write(jsonText(errorJson(COMMANDS.some((c) => c.name === argv[0]) ? argv[0] : '', err)));
    if (err instanceof UsageError) {
      io.stderr.write(`rtm: see 'rtm ${err.command && err.command !== 'help' ? `${err.command} ` : ''}--help'\n`);
      return EXIT_USAGE;
    }
    const status = exitStatusOf(err);
    if (status !== 1 && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
    return status;
  }
}

/** True when --json is among the arguments (before a '--'): errors then also go to stdout as a JSON document. */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--json');
}

/** Runs `rtm` in this process: sets process.exitCode; a closed stdout (EPIPE) ends quietly; Ctrl-C exits with 130. */
export async function run(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_OK);
    throw err;
  });
  // bin/rtm.js installs the same listener before it loads this module; one is enough
  if (process.listenerCount('SIGINT') === 0) {
    process.on('SIGINT', () => {
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      process.exit(EXIT_INTERRUPTED);
    });
  }
  process.exitCode = await main(argv, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
}
