// The snapshot in a share link, read on the page before anything reaches the engine: the engine's own
// RDB reader (engine/persistence/rdb/decode.ts) lists its keys for the confirmation and refuses a
// file the server would not load. Expiry times in an RDB are absolute, so before loading, the link's
// snapshot is moved in time: every EXPIRETIME_MS shifts by (the engine's time now − the time it was
// saved), and the CRC-64 trailer is recomputed — each key keeps the TTL it had when shared.

import { Config } from '../../engine/config';
import { crc64 } from '../../engine/persistence/rdb/crc64';
import { loadRdb, type RdbEntry } from '../../engine/persistence/rdb/decode';
import { RdbLoadError } from '../../engine/persistence/rdb/format';
import { createRandom } from '../../engine/random';
import { ShareError } from './share-codec';

export interface SnapshotKey {
  readonly db: number;
  /** Binary string. */
  readonly key: string;
  /** TYPE's answer (string, list, set, zset, hash, stream). */
  readonly type: string;
  /** ms to live when saved, or -1. */
  readonly ttl: number;
}

export interface SnapshotInfo {
  readonly keys: readonly SnapshotKey[];
  /** Where each expiring key's 8-byte EXPIRETIME_MS value sits in the file. */
  readonly expireAt: readonly number[];
}

const binary = (b: Uint8Array): string => {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return s;
};

function typeName(e: RdbEntry): string {
  return typeof e.value === 'string' ? 'string' : e.value.type;
}

const le64 = (b: Uint8Array, at: number): number => {
  let v = 0;
  for (let i = 7; i >= 0; i--) v = v * 256 + b[at + i];
  return v;
};

/** Read the snapshot as the server would (at the time it was saved); ShareError when it would fail. */
export function inspectSnapshot(rdb: Uint8Array, savedAt: number): SnapshotInfo {
  const keys: SnapshotKey[] = [];
  const expireAt: number[] = [];
  try {
    loadRdb(binary(rdb), {
      env: { random: createRandom(1), hashSeed: 0, config: new Config() },
      databases: 16,
      now: savedAt,
      verifyChecksum: true,
      onFunction: () => null,
      add(e) {
        keys.push({ db: e.db, key: e.key, type: typeName(e), ttl: e.expire === -1 ? -1 : e.expire - savedAt });
        if (e.expire !== -1) {
          // EXPIRETIME_MS (0xFC + 8 bytes LE) comes before the type byte, maybe followed by IDLE / FREQ.
          let found = -1;
          for (let p = e.at.type - 9; p >= Math.max(0, e.at.type - 20); p--) {
            if (rdb[p] === 0xfc && le64(rdb, p + 1) === e.expire) {
              found = p + 1;
              break;
            }
          }
          if (found < 0) throw new ShareError('the snapshot in the link has an expiry the lab cannot read');
          expireAt.push(found);
        }
        return true;
      },
    });
  } catch (err) {
    if (err instanceof ShareError) throw err;
    const why = err instanceof RdbLoadError ? err.message.split('\n')[0] : err instanceof Error ? err.message : '';
    throw new ShareError(`the snapshot in the link is not a valid RDB file${why ? ` (${why})` : ''}`);
  }
  return { keys, expireAt };
}

/** A copy of the snapshot with every expiry moved by `deltaMs` and the checksum made right again. */
export function shiftExpiries(rdb: Uint8Array, info: SnapshotInfo, deltaMs: number): Uint8Array {
  const out = rdb.slice();
  for (const at of info.expireAt) {
    let v = le64(out, at) + Math.round(deltaMs);
    for (let i = 0; i < 8; i++) {
      out[at + i] = v % 256;
      v = Math.floor(v / 256);
    }
  }
  const trailer = out.length - 8;
  // A zero trailer means rdbchecksum was off: nothing to recompute.
  if (out.subarray(trailer).some((b) => b !== 0)) {
    let crc = crc64(out.subarray(0, trailer));
    for (let i = 0; i < 8; i++) {
      out[trailer + i] = Number(crc & 0xffn);
      crc >>= 8n;
    }
  }
  return out;
}
