// What every `rtm` command is: its name, help text, options and run(). main.ts dispatches on the name;
// a command gets its parsed arguments and the streams in a Context and returns the exit status (or
// throws: UsageError → 2, RtmError/TableFormatError/CliError → 1, anything else → 3).
import type { OptionSpecs, Values } from './args.js';
import type { Writer } from './output.js';
import type { Progress } from './progress.js';

/** Streams and parsed arguments of one command run. */
export interface Context {
  readonly values: Values;
  readonly positionals: readonly string[];
  readonly json: boolean;
  readonly stdout: Writer;
  readonly stderr: Writer;
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly progress: Progress;
}

export interface Command {
  readonly name: string;
  /** One line for `rtm --help`. */
  readonly summary: string;
  /** The full `rtm <name> --help` text. */
  readonly help: string;
  readonly options: OptionSpecs;
  readonly positionals: { min: number; max: number; what: string };
  run(ctx: Context): Promise<number>;
}
