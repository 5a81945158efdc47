import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import type { EngineEvent } from '../events';
import { createEngine } from '../index';
import { bulk, error, int, NIL, type Reply, status } from '../protocol/reply';
import { lua51Source, luaNumberText } from './lua-util';
import { sha1hex } from './sha1';

function setup(config: Record<string, string> = {}) {
  const engine = createEngine({ clock: new ManualClock(), seed: 1, config });
  const c = engine.createClient();
  const events: EngineEvent[] = [];
  engine.on((e) => events.push(e));
  const run = (...argv: string[]) => engine.dispatch(c, argv) as Reply;
  const evalLua = (script: string, ...rest: string[]) => run('EVAL', script, ...(rest.length ? rest : ['0']));
  const propagated = () => events.flatMap((e) => (e.type === 'propagate' ? [e.argv.join(' ')] : []));
  return { engine, c, run, evalLua, events, propagated };
}

const arr = (...v: Reply[]): Reply => ({ t: 'array', v });

describe('Lua values converted to replies (luaReplyToRedisReply)', () => {
  const cases: [string, Reply][] = [
    ['return 42', int(42)],
    ['return 3.99', int(3)],
    ['return -3.99', int(-3)],
    ['return 2^53 + 2', int(9007199254740994n)],
    ['return 1/0', int(-9223372036854775808n)],
    ['return 0/0', int(-9223372036854775808n)],
    ["return 'text'", bulk('text')],
    ['return true', int(1)],
    ['return false', NIL],
    ['return nil', NIL],
    ['return {1, 2, nil, 3}', arr(int(1), int(2))],
    ["return {1, {2, 'x'}, false}", arr(int(1), arr(int(2), bulk('x')), NIL)],
    ["return {err = 'CODE message'}", error('CODE message')],
    ["return {err = 'a\\nb\\n'}", error('a b')],
    ["return {ok = 'fine'}", status('fine')],
    ["return redis.error_reply('oops')", error('ERR oops')],
    ["return redis.status_reply('DONE')", status('DONE')],
    ['return {double = 1.5}', { t: 'double', v: 1.5 }],
    ["return {map = {k = 'v'}}", { t: 'map', v: [[bulk('k'), bulk('v')]] }],
    ['return {set = {m = true}}', { t: 'set', v: [bulk('m')] }],
    ["return {err = 1, 'first'}", arr(bulk('first'))],
  ];
  for (const [script, expected] of cases) {
    it(`${script} -> ${JSON.stringify(expected, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))}`, () => {
      expect(setup().evalLua(script)).toEqual(expected);
    });
  }
});

describe('command replies converted to Lua values (redisProtocolToLuaType)', () => {
  it('gives integers, strings, false for nil, tables for status and error replies', () => {
    const { run, evalLua } = setup();
    run('SET', 's', 'v');
    run('RPUSH', 'l', 'a', 'b');
    expect(evalLua("return type(redis.call('incr', 'n'))")).toEqual(bulk('number'));
    expect(evalLua("return type(redis.call('get', 's'))")).toEqual(bulk('string'));
    expect(evalLua("return tostring(redis.call('get', 'missing'))")).toEqual(bulk('false'));
    expect(evalLua("return redis.call('set', 'x', 'y').ok")).toEqual(bulk('OK'));
    expect(evalLua("return redis.pcall('incr', 's').err")).toEqual(bulk('ERR value is not an integer or out of range'));
    expect(evalLua("return #redis.call('lrange', 'l', 0, -1)")).toEqual(int(2));
  });

  it('uses RESP3 shapes after redis.setresp(3): nil, map, set and double tables', () => {
    const { run, evalLua } = setup();
    run('HSET', 'h', 'f', 'v');
    run('SADD', 'st', 'm');
    run('ZADD', 'z', '2.5', 'm');
    expect(evalLua("redis.setresp(3) return type(redis.call('get', 'missing'))")).toEqual(bulk('nil'));
    expect(evalLua("redis.setresp(3) return redis.call('hgetall', 'h').map.f")).toEqual(bulk('v'));
    expect(evalLua("redis.setresp(3) return tostring(redis.call('smembers', 'st').set.m)")).toEqual(bulk('true'));
    expect(evalLua("redis.setresp(3) return tostring(redis.call('zscore', 'z', 'm').double)")).toEqual(bulk('2.5'));
    expect(evalLua("return redis.call('zscore', 'z', 'm')")).toEqual(bulk('2.5'));
  });

  it('formats numbers passed to redis.call with %.17g', () => {
    const { evalLua } = setup();
    expect(evalLua("redis.call('set', 'k', 0.1) return redis.call('get', 'k')")).toEqual(bulk('0.10000000000000001'));
    expect(evalLua("redis.call('set', 'k', 10/2) return redis.call('get', 'k')")).toEqual(bulk('5'));
  });
});

describe('script effects are propagated, wrapped in MULTI/EXEC', () => {
  it('propagates the commands a script ran (as it spelled them), not the script', () => {
    const { evalLua, propagated } = setup();
    evalLua("redis.call('set', KEYS[1], 'v') redis.call('incr', KEYS[2]) redis.call('get', KEYS[1])", '2', 'a', 'n');
    expect(propagated()).toEqual(['MULTI', 'set a v', 'incr n', 'EXEC']);
  });

  it('propagates a single write bare and a read-only script not at all', () => {
    const { evalLua, propagated } = setup();
    evalLua("return redis.call('set', 'a', '1')");
    evalLua("return redis.call('get', 'a')");
    expect(propagated()).toEqual(['set a 1']);
  });

  it('propagates FUNCTION LOAD itself and the effects of FCALL', () => {
    const { run, propagated } = setup();
    const code =
      "#!lua name=lib\nredis.register_function('two', function(keys) redis.call('set', keys[1], 'x') redis.call('del', keys[1]) end)";
    expect(run('FUNCTION', 'LOAD', code)).toEqual(bulk('lib'));
    run('FCALL', 'two', '1', 'k');
    expect(propagated()).toEqual([`FUNCTION LOAD ${code}`, 'MULTI', 'set k x', 'del k', 'EXEC']);
  });
});

describe('the script client and its checks', () => {
  it('shows script commands in MONITOR from "lua", after the script', () => {
    const { engine, evalLua } = setup();
    const lines: string[] = [];
    const mon = engine.createClient({ deliver: (r) => lines.push(r.t === 'status' ? r.v : '') });
    engine.dispatch(mon, ['MONITOR']);
    evalLua("return redis.call('ping')");
    expect(lines.map((l) => l.replace(/^[\d.]+ /, ''))).toEqual([
      '[0 127.0.0.1:0] "EVAL" "return redis.call(\'ping\')" "0"',
      '[0 lua] "ping"',
    ]);
  });

  it('refuses writes in read-only scripts and noscript commands', () => {
    const { run, evalLua } = setup();
    const ro = run('EVAL_RO', "return redis.call('set', 'k', 'v')", '0');
    expect(ro.t === 'error' && ro.v.startsWith('ERR Write commands are not allowed from read-only scripts.')).toBe(
      true,
    );
    const multi = evalLua("return redis.call('multi')");
    expect(multi.t === 'error' && multi.v.startsWith('ERR This Redis command is not allowed from script')).toBe(true);
    expect(run('EXISTS', 'k')).toEqual(int(0));
  });

  it('counts the error of a command once when the script returns it', () => {
    const { engine, run, evalLua } = setup();
    run('SET', 's', 'text');
    evalLua("return redis.pcall('incr', 's')");
    expect(engine.stats.errors.get('ERR')).toBe(1);
    expect(engine.commandStat('eval').failedCalls).toBe(1);
  });

  it('kills a script inside EXEC still running after busy-reply-threshold (LAB: nothing is served meanwhile)', () => {
    const { run } = setup({ 'busy-reply-threshold': '20' });
    run('MULTI');
    run('EVAL', 'while true do end', '0');
    const r = run('EXEC');
    expect(r.t).toBe('array');
    const inner = r.t === 'array' && r.v !== null ? r.v[0] : null;
    expect(inner?.t === 'error' && inner.v).toMatch(
      /^ERR Script killed by user with SCRIPT KILL\.\.\. script: [0-9a-f]{40}, on @user_script:1\.$/,
    );
    expect(run('PING')).toEqual(status('PONG'));
  });

  it('caches scripts by SHA1 for EVALSHA until SCRIPT FLUSH', () => {
    const { run } = setup();
    const sha = sha1hex('return 7');
    expect(run('SCRIPT', 'LOAD', 'return 7')).toEqual(bulk(sha));
    expect(run('EVALSHA', sha.toUpperCase(), '0')).toEqual(int(7));
    run('SCRIPT', 'FLUSH');
    expect(run('EVALSHA', sha, '0')).toEqual(error('NOSCRIPT No matching script. Please use EVAL.'));
  });
});

describe('Lua 5.1 compatibility helpers', () => {
  it('prints numbers with %.14g and glibc rounding', () => {
    expect(luaNumberText(123456789012345)).toBe('1.2345678901234e+14');
    expect(luaNumberText(12345678901234.5)).toBe('12345678901234');
    expect(luaNumberText(2 ** 53)).toBe('9.007199254741e+15');
    expect(luaNumberText(0.1 + 0.2)).toBe('0.3');
    expect(luaNumberText(5)).toBe('5');
    expect(luaNumberText(-2.5e-7)).toBe('-2.5e-07');
    expect(luaNumberText(Number.NaN)).toBe('-nan');
  });

  it('drops the backslash of escapes Lua 5.1 does not know, only in short strings', () => {
    expect(lua51Source("return '\\d' .. \"\\x41\\n\" -- '\\d'")).toBe("return 'd' .. \"x41\\n\" -- '\\d'");
    expect(lua51Source("return [[\\d]] .. '\\65'")).toBe("return [[\\d]] .. '\\65'");
  });

  it('computes math.sin/cos/asin with correctly rounded libm functions, as glibc gives them', () => {
    // redis-server 7.0.15 (glibc 2.36); V8's Math.cos(0.1), Math.asin(0.32), Math.sin(0.48) differ.
    const script =
      "return {string.format('%.17g', math.cos(0.1)), string.format('%.17g', math.asin(0.32)), string.format('%.17g', math.sin(0.48))}";
    expect(setup().evalLua(script)).toEqual(
      arr(bulk('0.99500416527802582'), bulk('0.32572948729463019'), bulk('0.4617791755414829')),
    );
  });

  it('computes SHA1 like redis.sha1hex', () => {
    expect(sha1hex('')).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(setup().evalLua("return redis.sha1hex('abc')")).toEqual(bulk(sha1hex('abc')));
  });
});
