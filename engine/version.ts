// The Redis version the engine answers as (INFO redis_version, HELLO, LOLWUT, Lua's REDIS_VERSION,
// the RDB's redis-ver aux field, redis-cli's banner): the oracle the conformance suite runs against.

export const REDIS_VERSION = '7.0.15';
/** The same as one number, 0x00MMmmpp (Lua's redis.REDIS_VERSION_NUM). */
export const REDIS_VERSION_NUM = 0x07000f;
