// The AOF rewrite's RESP form (src/aof.c rewriteAppendOnlyFileRio): an optional "#TS:" annotation,
// FUNCTION LOAD for each library, then per non-empty db a SELECT and one command per key — SET, RPUSH,
// SADD, ZADD (scores as %.17g), HMSET, the stream commands — at most 64 items per command, followed by
// PEXPIREAT for keys with a TTL. With aof-use-rdb-preamble the base is an RDB file instead (encode.ts).

import type { Engine } from '../../engine';
import type { RedisValue } from '../../keyspace/db';
import { RedisHash } from '../../types/hash';
import { Quicklist } from '../../types/quicklist';
import { RedisSet } from '../../types/set';
import { ZSet } from '../../types/zset';
import { formatDouble } from '../../util/format-double';
import { RedisStream } from '../../types/stream';
import { streamRewriteCommands } from '../rdb/stream';
import { catCommand } from './resp';

/** AOF_REWRITE_ITEMS_PER_CMD */
export const ITEMS_PER_CMD = 64;

/** Emit `cmd key item...` commands of at most 64 items (each item being `width` arguments). */
function batched(out: string[], cmd: string, key: string, items: string[], width: number): void {
  const per = ITEMS_PER_CMD * width;
  for (let i = 0; i < items.length; i += per) out.push(catCommand([cmd, key, ...items.slice(i, i + per)]));
}

/** The commands that rebuild one key's value. */
export function rewriteValue(key: string, v: RedisValue, out: string[]): void {
  if (typeof v === 'string') {
    out.push(catCommand(['SET', key, v]));
  } else if (v instanceof Quicklist) {
    batched(out, 'RPUSH', key, v.toArray(), 1);
  } else if (v instanceof RedisSet) {
    batched(out, 'SADD', key, [...v.members()], 1);
  } else if (v instanceof ZSet) {
    const items: string[] = [];
    v.forEach((m, score) => {
      items.push(formatDouble(score), m);
    });
    batched(out, 'ZADD', key, items, 2);
  } else if (v instanceof RedisHash) {
    const items: string[] = [];
    for (const [f, val] of v.entries()) items.push(f, val);
    batched(out, 'HMSET', key, items, 2);
  } else if (v instanceof RedisStream) {
    for (const argv of streamRewriteCommands(key, v)) out.push(catCommand(argv));
  } else {
    throw new Error(`cannot rewrite a ${v.type} value`);
  }
}

/** rewriteAppendOnlyFileRio: the whole dataset as RESP commands (a binary string). */
export function rewriteResp(engine: Engine, functions: readonly string[], timestamp: number | null): string {
  const out: string[] = [];
  if (timestamp !== null) out.push(`#TS:${timestamp}\r\n`);
  for (const f of functions) out.push(catCommand(['FUNCTION', 'LOAD', f]));
  for (const db of engine.dbs) {
    if (db.dict.size === 0) continue;
    out.push(catCommand(['SELECT', String(db.id)]));
    for (const e of db.dict.entries()) {
      rewriteValue(e.key, e.val, out);
      const when = db.expires.size > 0 ? db.expires.get(e.key) : undefined;
      if (when !== undefined) out.push(catCommand(['PEXPIREAT', e.key, String(when)]));
    }
  }
  return out.join('');
}
