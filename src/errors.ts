// Errors of the facade: RtmError (an RTMv2 status with its Win32 name), RtmInternalError (a core trap,
// which poisons the core instance), the status code table, and check(), the one place that turns a
// core status into an exception. Nothing here allocates unless an error is thrown.

/** Win32 status numbers used by RTMv2 (winerror.h), by their exact names. */
export const STATUS = {
  /** 0: Success. */
  NO_ERROR: 0,
  /** 2: A family without a table; a core or table file that could not be read. */
  ERROR_FILE_NOT_FOUND: 2,
  /** 5: Not the caller's object (a route or next hop of another entity). */
  ERROR_ACCESS_DENIED: 5,
  /** 6: A handle that does not resolve (wrong kind, unknown, freed), or a closed instance. */
  ERROR_INVALID_HANDLE: 6,
  /** 8: The core could not grow its memory (or its cap was reached). */
  ERROR_NOT_ENOUGH_MEMORY: 8,
  /** 13: Data that is not what it claims to be (e.g. not a WebAssembly module). */
  ERROR_INVALID_DATA: 13,
  /** 50: A feature or view the instance does not support. */
  ERROR_NOT_SUPPORTED: 50,
  /** 87: A malformed argument. */
  ERROR_INVALID_PARAMETER: 87,
  /** 122: An output buffer too small (Win32 layer). */
  ERROR_INSUFFICIENT_BUFFER: 122,
  /** 158: An unlock of something not locked. */
  ERROR_NOT_LOCKED: 158,
  /** 170: Locked by another entity, or a call not allowed inside a callback. */
  ERROR_BUSY: 170,
  /** 183: An entity with the same EntityId is registered already. */
  ERROR_ALREADY_EXISTS: 183,
  /** 234: More than one call returns (Win32 layer; RTMv1's ERROR_MORE_MESSAGES: more messages queued). */
  ERROR_MORE_DATA: 234,
  /** 259: An enumeration or change pull is done. */
  ERROR_NO_MORE_ITEMS: 259,
  /** 1168: Nothing matched (the idiomatic layer returns undefined). */
  ERROR_NOT_FOUND: 1168,
  /** 1450: A fixed resource is exhausted (opaque pointer slots, notification registrations). */
  ERROR_NO_SYSTEM_RESOURCES: 1450,
  /** 1610: RtmRegisterEntity: the configuration of the table is corrupt (spec §8.1; not produced here). */
  ERROR_BAD_CONFIGURATION: 1610,
} as const;

export type StatusName = keyof typeof STATUS;

const NAMES = new Map<number, StatusName>(
  (Object.entries(STATUS) as [StatusName, number][]).map(([k, v]) => [v, k]),
);

/** The Win32 name of a status number (`'ERROR_INVALID_HANDLE'` for 6), or `'STATUS_<n>'` if unknown. */
export function statusName(status: number): string {
  if (typeof status !== 'number') throw new RtmError('ERROR_INVALID_PARAMETER', 'statusName', `status must be a number, got ${fmt(status)}`);
  return NAMES.get(status) ?? `STATUS_${status}`;
}

/** An RTMv2 error: `code` is the Win32 name (`'ERROR_INVALID_HANDLE'`), `status` its number (6). */
export class RtmError extends Error {
  /** The Win32 name of the status (`'ERROR_INVALID_HANDLE'`). */
  readonly code: string;
  /** The status number (6). */
  readonly status: number;
  constructor(code: StatusName | number, op?: string, detail?: string, options?: { cause?: unknown }) {
    const status = typeof code === 'number' ? code : STATUS[code];
    const name = typeof code === 'number' ? statusName(code) : code;
    super(`rtm: ${op ?? 'call'}: ${name}${detail ? ` (${detail})` : ''}`, options);
    this.name = 'RtmError';
    this.code = name;
    this.status = status;
  }
}

/** A bug: the core trapped (assertion or runtime error). The core instance is poisoned afterwards. */
export class RtmInternalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`rtm: internal error: ${message}`, options);
    this.name = 'RtmInternalError';
  }
}

/**
 * A caller's value as text for an error message. Never throws, whatever the value (BigInt, Symbol, an
 * object whose toString throws, a revoked Proxy); long strings are cut.
 */
export function fmt(v: unknown): string {
  try {
    switch (typeof v) {
      case 'string': return JSON.stringify(v.length > 64 ? `${v.slice(0, 64)}…` : v);
      case 'bigint': return `${v.toString()}n`;
      case 'symbol': return 'a symbol';
      case 'function': return 'a function';
      case 'object': return v === null ? 'null' : Array.isArray(v) ? `an array of ${v.length}` : 'an object';
      default: return String(v);
    }
  } catch {
    return 'an unreadable value';
  }
}

/** Throws RtmError for a non-zero status. `op` names the operation in the message. */
export function check(status: number, op: string, detail?: string): void {
  if (status !== 0) throw new RtmError(status, op, detail);
}
