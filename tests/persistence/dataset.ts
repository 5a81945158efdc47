// A dataset built by commands that exercises every Redis 7.0 type and encoding the RDB/AOF code must
// carry: int/embstr/raw strings (LZF-friendly and not), quicklists with several nodes and every listpack
// entry width, intset 16/32/64 and hashtable sets, listpack and hashtable hashes, listpack and skiplist
// zsets with odd scores, TTLs, several dbs, and streams with consumer groups when the engine has them.

/** A deterministic pseudo-random printable string. */
function noise(seed: number, len: number): string {
  let x = seed >>> 0;
  let s = '';
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ';
  for (let i = 0; i < len; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    s += alphabet[(x >>> 16) % alphabet.length];
  }
  return s;
}

const TTL = '4102444800000';

export function dataset(withStreams: boolean): string[][] {
  const c: string[][] = [['FLUSHALL']];
  // Strings
  for (const v of ['0', '127', '-128', '128', '32767', '-32768', '32768', '2147483647', '-2147483648', '2147483648']) {
    c.push(['SET', `str:int:${v}`, v]);
  }
  c.push(['SET', 'str:int:i64max', '9223372036854775807'], ['SET', 'str:int:i64min', '-9223372036854775808']);
  c.push(['SET', 'str:notint', '007'], ['SET', 'str:embstr:44', 'e'.repeat(44)], ['SET', 'str:raw:45', 'r'.repeat(45)]);
  c.push(['SET', 'str:lzf', 'abc'.repeat(70)], ['SET', 'str:plain', noise(1, 65)], ['SET', 'str:empty', '']);
  c.push(['SET', 'str:binary', '\x00\xff\x01\x02bin\r\n\x00\xfe\x80\x7f']);
  c.push(['SET', 'str:utf8', 'h\xc3\xa9llo \xf0\x9f\x8e\x89'], ['SET', 'key:\x00\xffbin', 'binary key']);
  c.push(['SET', `key:long:${'k'.repeat(60)}`, 'long key name'], ['SET', 'str:big', noise(2, 20000)]);
  c.push(['APPEND', 'str:append', 'abc'], ['APPEND', 'str:append', 'def'], ['SETRANGE', 'str:setrange', '5', 'xyz']);
  c.push(['INCRBYFLOAT', 'str:float', '3.14']);
  // Lists
  c.push(['RPUSH', 'list:small', 'a', 'b', 'c', '1', '2', '3', '-1', '']);
  c.push(['LPUSH', 'list:lpush', 'a', 'b']);
  c.push([
    'RPUSH',
    'list:ints',
    '0',
    '127',
    '128',
    '-1',
    '-4096',
    '4095',
    '4096',
    '-4097',
    '32767',
    '-32768',
    '32768',
    '8388607',
    '-8388608',
    '8388608',
    '2147483647',
    '-2147483648',
    '2147483648',
    '9223372036854775807',
    '-9223372036854775808',
    '9223372036854775808',
    '007',
    '1.5',
    '+1',
    '-0',
  ]);
  c.push(['RPUSH', 'list:strlens', '', 'a'.repeat(63), 'b'.repeat(64), 'c'.repeat(4095), 'd'.repeat(4096)]);
  for (let i = 0; i < 300; i += 50) {
    const batch: string[] = [];
    for (let j = i; j < i + 50; j++) batch.push(`item-${j}-${noise(j, 90)}`);
    c.push(['RPUSH', 'list:big', ...batch]);
  }
  c.push(['LINSERT', 'list:big', 'BEFORE', `item-150-${noise(150, 90)}`, 'inserted'], ['LPOP', 'list:big']);
  c.push(['RPUSH', 'list:huge-element', 'x', 'y'.repeat(10000), 'z']);
  // Sets
  c.push(['SADD', 'set:intset16', '1', '2', '3', '-5', '32767', '-32768']);
  c.push(['SADD', 'set:intset32', '1', '70000', '-70000', '2147483647']);
  c.push(['SADD', 'set:intset64', '1', '5000000000', '-9223372036854775808', '9223372036854775807']);
  c.push(['SADD', 'set:strings', 'apple', 'cherry', '', 'with space']);
  c.push(['SADD', 'set:binary', '\x00', 'a\x00b', '\xff']);
  const many: string[] = [];
  for (let i = 0; i < 520; i++) many.push(String(i));
  c.push(['SADD', 'set:big-ints', ...many]);
  c.push(['SADD', 'set:wide', '1', '2', '100000'], ['SREM', 'set:wide', '100000']);
  // Hashes
  c.push(['HSET', 'hash:small', 'f1', 'v1', '', 'empty-field', 'empty-value', '', 'n', '42', 'neg', '-7']);
  c.push(['HSET', 'hash:binary', '\x00\x01', '\xff\xfe', 'nul', 'a\x00b']);
  const fields: string[] = [];
  for (let i = 0; i < 600; i++) fields.push(`field:${i}`, `v:${noise(i, 12)}`);
  c.push(['HSET', 'hash:big', ...fields]);
  c.push(['HSET', 'hash:longvalue', 'short', 'x', 'long', 'V'.repeat(65)]);
  c.push(['HINCRBY', 'hash:counter', 'n', '40'], ['HINCRBYFLOAT', 'hash:counter', 'f', '2.5']);
  // Sorted sets
  c.push([
    'ZADD',
    'zset:small',
    '1',
    'a',
    '-2',
    'b',
    '0.5',
    'c',
    '3.14159',
    'd',
    '1e300',
    'e',
    'inf',
    'f',
    '-inf',
    'g',
    '0',
    'h',
    '-0',
    'i',
    '0.1',
    'j',
    '1e17',
    'k',
    '4503599627370495',
    'l',
    '123456789012',
    'm',
    '-1.5e-7',
    'n',
  ]);
  c.push(['ZINCRBY', 'zset:small', '2.5', 'a']);
  const members: string[] = [];
  for (let i = 0; i < 200; i++) members.push(String(-125 + i * 1.25), `m:${String(i).padStart(3, '0')}`);
  c.push(['ZADD', 'zset:big', ...members]);
  c.push(['ZADD', 'zset:big', 'inf', 'special:inf', '-inf', 'special:-inf', '5e-324', 'special:denormal']);
  c.push(['ZADD', 'zset:big', '-0', 'special:-0', '0.1', 'special:0.1', '1e300', 'special:1e300']);
  c.push(['ZADD', 'zset:longmember', '1', 'short', '2', 'L'.repeat(65)]);
  // TTLs
  c.push(['SET', 'ttl:str', 'v', 'PXAT', TTL], ['RPUSH', 'ttl:list', 'x'], ['PEXPIREAT', 'ttl:list', TTL]);
  c.push(['SADD', 'ttl:set', '1'], ['PEXPIREAT', 'ttl:set', '4102444800002']);
  c.push(['HSET', 'ttl:hash', 'f', 'v'], ['PEXPIREAT', 'ttl:hash', '4102444800003']);
  c.push(['ZADD', 'ttl:zset', '1', 'one'], ['PEXPIREAT', 'ttl:zset', '253402300799999']);
  // Another db
  c.push(['SELECT', '3'], ['SET', 'db3:str', 'hello from db 3'], ['RPUSH', 'db3:list', 'a', 'b']);
  c.push(['HSET', 'db3:hash', 'f', 'v'], ['PEXPIREAT', 'db3:hash', TTL], ['SELECT', '0']);
  if (withStreams) {
    c.push(['XADD', 'stream:main', '1-0', 'sensor', 's1', 'temp', '21.5']);
    c.push(['XADD', 'stream:main', '1-1', 'sensor', 's2', 'temp', '22']);
    c.push(['XADD', 'stream:main', '2-0', 'sensor', 's1', 'temp', '21.7', 'humidity', '40']);
    c.push(['XADD', 'stream:main', '3-0', 'empty', ''], ['XADD', 'stream:main', '4-0', 'bin', '\x00\xff']);
    c.push(['XDEL', 'stream:main', '2-0']);
    c.push(['XGROUP', 'CREATE', 'stream:main', 'g1', '0'], ['XGROUP', 'CREATE', 'stream:main', 'g2', '$']);
    c.push(['XGROUP', 'CREATECONSUMER', 'stream:main', 'g2', 'carol']);
    c.push(['XGROUP', 'CREATE', 'stream:empty', 'grp', '$', 'MKSTREAM']);
    for (let i = 0; i < 150; i++) c.push(['XADD', 'stream:big', `${100 + i}-0`, 'n', String(i), 'pad', noise(i, 20)]);
    c.push(['XTRIM', 'stream:big', 'MAXLEN', '130']);
  }
  return c;
}
