// Stream IDs (src/stream.h streamID, t_stream.c streamIncrID/streamDecrID/createStreamIDString): the
// 128-bit <ms>-<seq> pair as one bigint (ms << 64 | seq), so IDs compare with < like Redis's
// big-endian rax keys, and the successor/predecessor are +1/-1.

/** A stream ID <ms>-<seq> as (ms << 64) | seq, so that IDs compare with < like Redis's 128-bit keys. */
export type StreamID = bigint;
export const U64_MAX = (1n << 64n) - 1n;
export const ID_MAX: StreamID = (1n << 128n) - 1n;
export const ID_ZERO: StreamID = 0n;

export const makeId = (ms: bigint, seq: bigint): StreamID => (ms << 64n) | seq;
export const idMs = (id: StreamID): bigint => id >> 64n;
export const idSeq = (id: StreamID): bigint => id & U64_MAX;
/** createStreamIDString: "<ms>-<seq>". */
export const formatId = (id: StreamID): string => `${id >> 64n}-${id & U64_MAX}`;

/** streamIncrID: the successor, or null past the last possible ID (Redis wraps to 0-0 and fails). */
export const incrId = (id: StreamID): StreamID | null => (id === ID_MAX ? null : id + 1n);
/** streamDecrID: the predecessor, or null before 0-0. */
export const decrId = (id: StreamID): StreamID | null => (id === 0n ? null : id - 1n);

/** SCG_INVALID_ENTRIES_READ */
export const INVALID_ENTRIES_READ = -1n;
