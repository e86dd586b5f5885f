// Errors of the table readers. TableFormatError is malformed input: it carries the file, the 1-based line
// (text formats) or the byte offset of the record in the decompressed stream (MRT), and the reason, both as
// fields and in the message. openError() maps a Node file-system error to RtmError with the Win32 code.
// Nothing here allocates unless an error is built.

import { RtmError, type StatusName } from '../errors.js';

/** Malformed table input: code 'ERROR_INVALID_DATA' (13). */
export class TableFormatError extends RtmError {
  /** The input's name: its path, '<stdin>' or '<bytes>' (or options.name). */
  readonly file: string;
  /** 1-based line number (text formats), else undefined. */
  readonly line: number | undefined;
  /**
   * Byte offset of the bad record in the decompressed stream (MRT), or where a corrupt gzip stream
   * breaks (decompressed bytes before it), else undefined.
   */
  readonly offset: number | undefined;
  /** What was wrong, e.g. "malformed prefix '10.0.0.0/33'". */
  readonly reason: string;

  constructor(op: string, file: string, reason: string, where: { line?: number; offset?: number } = {},
    options?: { cause?: unknown }) {
    const at = where.line !== undefined ? `, line ${where.line}` : where.offset !== undefined ? `, offset ${where.offset}` : '';
    super('ERROR_INVALID_DATA', op, `${file}${at}: ${reason}`, options);
    this.name = 'TableFormatError';
    this.file = file;
    this.line = where.line;
    this.offset = where.offset;
    this.reason = reason;
  }
}

const FS_CODES: Record<string, StatusName> = {
  ENOENT: 'ERROR_FILE_NOT_FOUND',
  ENOTDIR: 'ERROR_FILE_NOT_FOUND',
  EACCES: 'ERROR_ACCESS_DENIED',
  EPERM: 'ERROR_ACCESS_DENIED',
  EISDIR: 'ERROR_INVALID_PARAMETER',
};

/** Maps a file-system error on `file` to RtmError (the original kept as cause); other errors pass through. */
export function openError(err: unknown, op: string, file: string): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !(code in FS_CODES)) return err;
  const what = code === 'EISDIR' ? 'is a directory' : code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file' : 'permission denied';
  return new RtmError(FS_CODES[code], op, `${file}: ${what}`, { cause: err });
}
