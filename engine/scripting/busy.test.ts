import { describe, expect, it } from 'vitest';
import type { Client } from '../client';
import { createEngine } from '../index';
import { bulk, error, int, OK, type Reply, status } from '../protocol/reply';

const KILLED = /^ERR Script killed by user with SCRIPT KILL\.\.\. script: [0-9a-f]{40}, on @user_script:1\.$/;
const BUSY_EVAL = 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.';
const BUSY_FUNCTION = 'BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.';
const UNKILLABLE =
  'UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A real-clock engine (busy-reply-threshold 50 ms) with a looping client and another one. */
function setup() {
  const engine = createEngine({ seed: 1, config: { 'busy-reply-threshold': '50' } });
  const got: Reply[] = [];
  const looper = engine.createClient({ deliver: (r) => got.push(r) });
  const other = engine.createClient();
  const send = (c: Client, ...argv: string[]) => engine.dispatch(c, argv);
  /** Wait until the looping client has `n` replies (at most 10 s). */
  const replies = async (n: number) => {
    for (let i = 0; i < 1000 && got.length < n; i++) await sleep(10);
    return got;
  };
  return { engine, looper, other, send, replies, got };
}

describe('a script running past busy-reply-threshold', () => {
  it('answers others BUSY, stops on SCRIPT KILL, and the server goes on', async () => {
    const { engine, looper, other, send, replies } = setup();
    expect(send(looper, 'EVAL', 'while true do end', '0')).toBeUndefined();
    await sleep(150);
    expect(engine.busyScript?.client).toBe(looper);
    expect(send(other, 'PING')).toEqual(error(BUSY_EVAL));
    expect(send(other, 'SET', 'k', 'v')).toEqual(error(BUSY_EVAL));
    expect(send(other, 'FUNCTION', 'KILL')).toEqual(error(BUSY_EVAL));
    expect(send(other, 'SCRIPT', 'KILL')).toEqual(OK);
    const [r] = await replies(1);
    expect(r.t === 'error' && r.v).toMatch(KILLED);
    expect(engine.busyScript).toBeNull();
    expect(send(other, 'SCRIPT', 'KILL')).toEqual(error('NOTBUSY No scripts in execution right now.'));
    expect(send(other, 'SET', 'k', 'v')).toEqual(OK);
    expect(send(looper, 'GET', 'k')).toEqual(bulk('v'));
    expect(engine.commandStat('eval')).toMatchObject({ calls: 1, failedCalls: 1 });
    expect(engine.commandStat('ping').rejectedCalls).toBe(1);
    expect(engine.stats.errors.get('BUSY')).toBe(3);
  });

  it('stops a function on FUNCTION KILL only, naming the function', async () => {
    const { engine, looper, other, send, replies } = setup();
    const lib = "#!lua name=spin\nredis.register_function('spin', function()\n  while true do end\nend)";
    expect(send(other, 'FUNCTION', 'LOAD', lib)).toEqual(bulk('spin'));
    expect(send(looper, 'FCALL', 'spin', '0')).toBeUndefined();
    await sleep(150);
    expect(send(other, 'GET', 'x')).toEqual(error(BUSY_FUNCTION));
    expect(send(other, 'SCRIPT', 'KILL')).toEqual(error(BUSY_FUNCTION));
    const stats = send(other, 'FUNCTION', 'STATS');
    expect(stats?.t === 'map' && stats.v[0][1]).toMatchObject({
      t: 'map',
      v: [[bulk('name'), bulk('spin')], expect.anything(), expect.anything()],
    });
    expect(send(other, 'FUNCTION', 'KILL')).toEqual(OK);
    const [r] = await replies(1);
    expect(r).toEqual(error('ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:3.'));
    expect(send(looper, 'PING')).toEqual(status('PONG'));
    expect(engine.busyScript).toBeNull();
  });

  it('cannot kill a script that wrote; it finishes and its write stays', async () => {
    const { looper, other, send, replies } = setup();
    const script =
      "redis.call('SET', KEYS[1], 'written') local s = redis.call('TIME') while true do local t = redis.call('TIME') if (t[1] - s[1]) * 1000000 + (t[2] - s[2]) > 400000 then break end end return 'finished'";
    expect(send(looper, 'EVAL', script, '1', 'k')).toBeUndefined();
    await sleep(150);
    expect(send(other, 'SCRIPT', 'KILL')).toEqual(error(UNKILLABLE));
    expect(send(other, 'FUNCTION', 'KILL')).toEqual(error(UNKILLABLE));
    expect(send(other, 'GET', 'k')).toEqual(error(BUSY_EVAL));
    expect(await replies(1)).toEqual([bulk('finished')]);
    expect(send(other, 'GET', 'k')).toEqual(bulk('written'));
  });

  it("keeps the looping client's pipelined commands until the script ends, in order", async () => {
    const { looper, other, send, replies } = setup();
    expect(send(looper, 'EVAL', 'local i = 0 while true do i = i + 1 end', '0')).toBeUndefined();
    expect(send(looper, 'SET', 'mine', '1')).toBeUndefined();
    expect(send(looper, 'INCR', 'mine')).toBeUndefined();
    await sleep(150);
    expect(send(other, 'EXISTS', 'mine')).toEqual(error(BUSY_EVAL));
    expect(send(other, 'SCRIPT', 'KILL')).toEqual(OK);
    const [killed, set, incr] = await replies(3);
    expect(killed.t === 'error' && killed.v).toMatch(KILLED);
    expect([set, incr]).toEqual([OK, int(2)]);
  });

  it('kills at the threshold a loop that cannot be suspended (LAB: sort comparator, coroutine)', () => {
    const { engine, looper, send } = setup();
    for (const script of [
      'table.sort({3, 2, 1}, function(a, b) while true do end end)',
      'local co = coroutine.wrap(function() while true do end end) co() return 7',
    ]) {
      const r = send(looper, 'EVAL', script, '0');
      expect(r?.t === 'error' && r.v).toMatch(KILLED);
      expect(engine.busyScript).toBeNull();
    }
  });

  it('propagates the effects of a long script that ends on its own, time fixed at its start', async () => {
    const { engine, looper, send, replies } = setup();
    const argvs: string[] = [];
    engine.on((e) => {
      if (e.type === 'propagate') argvs.push(e.argv.join(' '));
    });
    const script =
      "redis.call('SET', 'a', '1') local s = redis.call('TIME') while true do local t = redis.call('TIME') if (t[1] - s[1]) * 1000000 + (t[2] - s[2]) > 200000 then break end end redis.call('SET', 'b', '2') return 'ok'";
    send(looper, 'EVAL', script, '0');
    expect(await replies(1)).toEqual([bulk('ok')]);
    expect(argvs.filter((a) => a.startsWith('SET'))).toEqual(['SET a 1', 'SET b 2']);
  });
});
