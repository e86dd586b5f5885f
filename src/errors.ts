// Errors of the facade: RtmError (an RTMv2 status with its Win32 name), RtmInternalError (a core trap,
// which poisons the core instance), the status code table, and check(), the one place that turns a
// core status into an exception. Nothing here allocates unless an error is thrown.

/** Win32 status numbers used by RTMv2 (winerror.h), by their exact names. */
export const STATUS = {
  NO_ERROR: 0,
  ERROR_FILE_NOT_FOUND: 2,
  ERROR_ACCESS_DENIED: 5,
  ERROR_INVALID_HANDLE: 6,
  ERROR_NOT_ENOUGH_MEMORY: 8,
  ERROR_INVALID_DATA: 13,
  ERROR_NOT_SUPPORTED: 50,
  ERROR_INVALID_PARAMETER: 87,
  ERROR_INSUFFICIENT_BUFFER: 122,
  ERROR_NOT_LOCKED: 158,
  ERROR_BUSY: 170,
  ERROR_ALREADY_EXISTS: 183,
  ERROR_MORE_DATA: 234,
  ERROR_NO_MORE_ITEMS: 259,
  ERROR_NOT_FOUND: 1168,
  ERROR_NO_SYSTEM_RESOURCES: 1450,
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
  readonly code: string;
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
