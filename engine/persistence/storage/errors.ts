// Storage failures as the C library names them: the persistence code logs and replies with
// strerror(errno) (rdb.c "Write error saving DB on disk(%s): %s", server.c "-MISCONF Errors writing
// to the AOF file: %s"), so a browser's QuotaExceededError becomes ENOSPC's text.

import { STRERROR } from '../../errors';

/** A browser storage quota error (DOMException "QuotaExceededError", or one thrown by a test storage). */
export function isQuotaError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'QuotaExceededError';
}

/** strerror(errno) for a storage error: ENOSPC for a full quota, EIO for anything else. */
export function strerror(err: unknown): string {
  if (isQuotaError(err)) return STRERROR.ENOSPC;
  const msg = err instanceof Error ? err.message : String(err);
  if (msg.startsWith('ENOSPC')) return STRERROR.ENOSPC;
  if (msg.startsWith('ENOENT')) return STRERROR.ENOENT;
  return STRERROR.EIO;
}

/** The error a full storage throws (DOMException where available, as the browser's own). */
export function quotaExceeded(message = 'The quota has been exceeded.'): Error {
  if (typeof DOMException === 'function') return new DOMException(message, 'QuotaExceededError');
  const err = new Error(message);
  err.name = 'QuotaExceededError';
  return err;
}
