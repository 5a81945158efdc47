// The structured reply every command produces: an AST, never preformatted text.
// RESP2/RESP3 encoders (resp.ts), the redis-cli formatter and lesson checks all read this shape.
// Bulk strings are "binary strings": one char per byte (codes 0..255), as Redis's sds are byte arrays.

export type Reply =
  | { readonly t: 'status'; readonly v: string }
  | { readonly t: 'error'; readonly v: string }
  | { readonly t: 'int'; readonly v: number | bigint }
  | { readonly t: 'bulk'; readonly v: string | null }
  | { readonly t: 'array'; readonly v: readonly Reply[] | null }
  // `text`: the exact wire text when it is not %.17g of v (ld2string's "%.17Lf" digits, or a
  // double decoded from a server's reply), so RESP3 ",<text>" carries exactly those bytes.
  | { readonly t: 'double'; readonly v: number; readonly text?: string }
  | { readonly t: 'map'; readonly v: readonly (readonly [Reply, Reply])[] }
  | { readonly t: 'set'; readonly v: readonly Reply[] }
  | { readonly t: 'push'; readonly v: readonly Reply[] };

export const OK: Reply = { t: 'status', v: 'OK' };
export const QUEUED: Reply = { t: 'status', v: 'QUEUED' };
export const PONG: Reply = { t: 'status', v: 'PONG' };
export const NIL: Reply = { t: 'bulk', v: null };
export const NIL_ARRAY: Reply = { t: 'array', v: null };
export const EMPTY_ARRAY: Reply = { t: 'array', v: [] };
export const ZERO: Reply = { t: 'int', v: 0 };
export const ONE: Reply = { t: 'int', v: 1 };

export const status = (v: string): Reply => ({ t: 'status', v });
export const error = (v: string): Reply => ({ t: 'error', v });
export const int = (v: number | bigint): Reply => (v === 0 ? ZERO : v === 1 ? ONE : { t: 'int', v });
export const bulk = (v: string | null): Reply => (v === null ? NIL : { t: 'bulk', v });
export const array = (v: readonly Reply[]): Reply => ({ t: 'array', v });
export const bulks = (v: readonly (string | null)[]): Reply => ({ t: 'array', v: v.map(bulk) });
export const double = (v: number): Reply => ({ t: 'double', v });
export const map = (v: readonly (readonly [Reply, Reply])[]): Reply => ({ t: 'map', v });

export const isError = (r: Reply): r is { t: 'error'; v: string } => r.t === 'error';

/** Thrown inside command handlers to abort with an error reply; caught once by dispatch. */
export class ReplyError extends Error {
  constructor(readonly reply: string) {
    super(reply);
  }
}
