import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import type { EngineEvent } from '../events';
import { createEngine } from '../index';
import type { Reply } from '../protocol/reply';
import { RedisStream } from '../types/stream';

const T0 = 1_700_000_000_000;

function setup() {
  const clock = new ManualClock(T0);
  const engine = createEngine({ clock, seed: 1 });
  const c = engine.createClient();
  const events: EngineEvent[] = [];
  engine.on((e) => events.push(e));
  const run = (...argv: string[]) => engine.dispatch(c, argv) as Reply;
  const propagated = () => {
    const out = events.flatMap((e) => (e.type === 'propagate' ? [e.argv.join(' ')] : []));
    events.length = 0;
    return out;
  };
  const notified = () => events.flatMap((e) => (e.type === 'notify' ? [`${e.cls}:${e.event}:${e.key}`] : []));
  /** A second client whose pushed replies are collected. */
  const other = () => {
    const got: Reply[] = [];
    const o = engine.createClient({ deliver: (r) => got.push(r) });
    return { got, run: (...argv: string[]) => engine.dispatch(o, argv) as Reply | undefined };
  };
  return { clock, engine, c, run, propagated, notified, other };
}

const bulk = (v: string | null) => ({ t: 'bulk', v });
const int = (v: number) => ({ t: 'int', v });
const arr = (...v: unknown[]) => ({ t: 'array', v });
const entry = (id: string, ...fv: string[]) => arr(bulk(id), arr(...fv.map(bulk)));
/** Plain JS shape of a reply, for compact assertions. */
const plain = (r: Reply | undefined): unknown => {
  if (r === undefined) return undefined;
  if (r.t === 'array') return r.v === null ? null : r.v.map(plain);
  if (r.t === 'map') return r.v.flatMap(([k, v]) => [plain(k), plain(v)]);
  if (r.t === 'error') return `ERR:${r.v}`;
  return typeof r.v === 'bigint' ? Number(r.v) : r.v;
};

describe('XADD', () => {
  it('generates IDs from the engine clock and propagates the generated ID', () => {
    const { run, clock, propagated } = setup();
    expect(run('XADD', 's', '*', 'f', 'v')).toEqual(bulk(`${T0}-0`));
    expect(run('XADD', 's', '*', 'f', 'v')).toEqual(bulk(`${T0}-1`));
    clock.advance(5);
    expect(run('XADD', 's', '*', 'f', 'v')).toEqual(bulk(`${T0 + 5}-0`));
    clock.set(T0 - 1000);
    // The clock went back: the last ID's time is kept and the sequence grows.
    expect(run('XADD', 's', '*', 'f', 'v')).toEqual(bulk(`${T0 + 5}-1`));
    expect(run('XADD', 's', `${T0 + 5}-*`, 'f', 'v')).toEqual(bulk(`${T0 + 5}-2`));
    expect(run('XADD', 's', `${T0 + 6}-3`, 'f', 'v')).toEqual(bulk(`${T0 + 6}-3`));
    expect(propagated()).toEqual([
      `XADD s ${T0}-0 f v`,
      `XADD s ${T0}-1 f v`,
      `XADD s ${T0 + 5}-0 f v`,
      `XADD s ${T0 + 5}-1 f v`,
      `XADD s ${T0 + 5}-2 f v`,
      `XADD s ${T0 + 6}-3 f v`,
    ]);
  });

  it('propagates an approximate trim as an exact one with the resulting length or first ID', () => {
    const { run, engine, propagated } = setup();
    run('CONFIG', 'SET', 'stream-node-max-entries', '2');
    for (let i = 1; i <= 5; i++) run('XADD', 's', `${i}-0`, 'f', 'v');
    propagated();
    expect(run('XADD', 's', 'MAXLEN', '~', '2', 'LIMIT', '10', '6-0', 'f', 'v')).toEqual(bulk('6-0'));
    expect(run('XLEN', 's')).toEqual(int(2));
    // The node [5-0, 6-0] ends below 9: it goes whole; the new entry's node stays.
    expect(run('XADD', 's', 'MINID', '~', '9', '*', 'f', 'v')).toEqual(bulk(`${T0}-0`));
    expect(run('XLEN', 's')).toEqual(int(1));
    expect(propagated()).toEqual(['XADD s MAXLEN = 2 LIMIT 10 6-0 f v', `XADD s MINID = ${T0}-0 ${T0}-0 f v`]);
    const dirty = engine.dirty;
    run('XADD', 's', `${T0}-1`, 'f', 'v');
    run('XADD', 's', `${T0}-2`, 'f', 'v');
    propagated();
    expect(run('XTRIM', 's', 'MAXLEN', '~', '1')).toEqual(int(2));
    expect(engine.dirty - dirty).toBe(4);
    expect(run('XTRIM', 's', 'MAXLEN', '~', '1')).toEqual(int(0));
    expect(run('XTRIM', 's', 'MAXLEN', '0')).toEqual(int(1));
    expect(propagated()).toEqual(['XTRIM s MAXLEN = 1', 'XTRIM s MAXLEN 0']);
    run('CONFIG', 'SET', 'stream-node-max-entries', '100');
  });

  it('notifies xadd then xtrim, and keeps an emptied stream', () => {
    const { run, notified, c } = setup();
    run('XADD', 's', 'MAXLEN', '0', '1-1', 'f', 'v');
    expect(notified()).toEqual(['n:new:s', 't:xadd:s', 't:xtrim:s']);
    expect(c.db.peekEntry('s')?.val).toBeInstanceOf(RedisStream);
    expect(run('OBJECT', 'ENCODING', 's')).toEqual(bulk('stream'));
  });
});

describe('consumer groups', () => {
  it('XREADGROUP propagates one XCLAIM per delivered entry, in one MULTI', () => {
    const { run, engine, propagated, clock } = setup();
    run('XADD', 's', '1-1', 'a', '1');
    run('XADD', 's', '2-1', 'b', '2');
    run('XGROUP', 'CREATE', 's', 'g', '0');
    propagated();
    const dirty = engine.dirty;
    clock.advance(10);
    expect(plain(run('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>'))).toEqual([
      [
        's',
        [
          ['1-1', ['a', '1']],
          ['2-1', ['b', '2']],
        ],
      ],
    ]);
    // consumer created + the stream served
    expect(engine.dirty - dirty).toBe(2);
    const t = T0 + 10;
    expect(propagated()).toEqual([
      'MULTI',
      `XCLAIM s g c 0 1-1 TIME ${t} RETRYCOUNT 1 FORCE JUSTID LASTID 1-1`,
      `XCLAIM s g c 0 2-1 TIME ${t} RETRYCOUNT 1 FORCE JUSTID LASTID 2-1`,
      'EXEC',
    ]);
    // Reading the history changes delivery counts but is not propagated.
    expect(plain(run('XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '1', 'STREAMS', 's', '0'))).toEqual([
      ['s', [['1-1', ['a', '1']]]],
    ]);
    expect(propagated()).toEqual([]);
    expect(plain(run('XPENDING', 's', 'g', '-', '+', '10'))).toEqual([
      ['1-1', 'c', 0, 2],
      ['2-1', 'c', 0, 1],
    ]);
  });

  it('XREADGROUP NOACK propagates the consumer creation and the group position', () => {
    const { run, propagated } = setup();
    run('XADD', 's', '1-1', 'a', '1');
    run('XGROUP', 'CREATE', 's', 'g', '0');
    propagated();
    run('XREADGROUP', 'GROUP', 'g', 'c', 'NOACK', 'STREAMS', 's', '>');
    expect(propagated()).toEqual([
      'MULTI',
      'XGROUP CREATECONSUMER s g c',
      'XGROUP SETID s g 1-1 ENTRIESREAD 1',
      'EXEC',
    ]);
    expect(plain(run('XPENDING', 's', 'g'))).toEqual([0, null, null, null]);
  });

  it('measures idle times on the engine clock', () => {
    const { run, clock } = setup();
    run('XADD', 's', '1-1', 'a', '1');
    run('XADD', 's', '2-1', 'b', '2');
    run('XGROUP', 'CREATE', 's', 'g', '0');
    run('XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '1', 'STREAMS', 's', '>');
    clock.advance(300);
    run('XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', 's', '>');
    clock.advance(200);
    expect(plain(run('XPENDING', 's', 'g', '-', '+', '10'))).toEqual([
      ['1-1', 'alice', 500, 1],
      ['2-1', 'bob', 200, 1],
    ]);
    expect(plain(run('XPENDING', 's', 'g', 'IDLE', '400', '-', '+', '10'))).toEqual([['1-1', 'alice', 500, 1]]);
    expect(plain(run('XINFO', 'CONSUMERS', 's', 'g'))).toEqual([
      ['name', 'alice', 'pending', 1, 'idle', 500],
      ['name', 'bob', 'pending', 1, 'idle', 200],
    ]);
    // Only entries idle for at least min-idle-time move.
    expect(plain(run('XCLAIM', 's', 'g', 'carol', '300', '1-1', '2-1', 'JUSTID'))).toEqual(['1-1']);
    expect(plain(run('XAUTOCLAIM', 's', 'g', 'dave', '100', '0', 'JUSTID'))).toEqual(['0-0', ['2-1'], []]);
    clock.advance(50);
    expect(plain(run('XPENDING', 's', 'g', '-', '+', '10'))).toEqual([
      ['1-1', 'carol', 50, 1],
      ['2-1', 'dave', 50, 1],
    ]);
    // XCLAIM TIME sets the delivery time; XINFO STREAM FULL shows it as is.
    run('XCLAIM', 's', 'g', 'carol', '0', '1-1', 'TIME', String(T0 + 1), 'JUSTID');
    const full = plain(run('XINFO', 'STREAM', 's', 'FULL')) as unknown[];
    const groups = full[full.indexOf('groups') + 1] as unknown[][];
    const pending = groups[0][groups[0].indexOf('pending') + 1];
    expect(pending).toEqual([
      ['1-1', 'carol', T0 + 1, 1],
      ['2-1', 'dave', T0 + 500, 1],
    ]);
  });

  it('XCLAIM propagates the ID as given and clears entries deleted from the stream', () => {
    const { run, propagated, clock } = setup();
    run('XADD', 's', '1-1', 'a', '1');
    run('XADD', 's', '2-0', 'b', '2');
    run('XGROUP', 'CREATE', 's', 'g', '0');
    run('XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '>');
    run('XDEL', 's', '1-1');
    propagated();
    clock.advance(7);
    expect(plain(run('XCLAIM', 's', 'g', 'c2', '0', '1-1', '2', 'RETRYCOUNT', '5'))).toEqual([['2-0', ['b', '2']]]);
    const t = T0 + 7;
    expect(propagated()).toEqual([
      'MULTI',
      `XCLAIM s g c1 0 1-1 TIME ${T0} RETRYCOUNT 1 FORCE JUSTID LASTID 2-0`,
      `XCLAIM s g c2 0 2 TIME ${t} RETRYCOUNT 5 FORCE JUSTID LASTID 2-0`,
      'EXEC',
    ]);
    expect(plain(run('XPENDING', 's', 'g'))).toEqual([1, '2-0', '2-0', [['c2', '1']]]);
    // LASTID alone moves the group forward: propagated as XGROUP SETID.
    run('XCLAIM', 's', 'g', 'c2', '0', 'LASTID', '9-0');
    expect(propagated()).toEqual(['XGROUP SETID s g 9-0 ENTRIESREAD 2']);
  });

  it('XAUTOCLAIM reports and propagates the pending entries it cleared', () => {
    const { run, propagated } = setup();
    for (const id of ['1-1', '2-1', '3-1']) run('XADD', 's', id, 'f', 'v');
    run('XGROUP', 'CREATE', 's', 'g', '0');
    run('XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '>');
    run('XDEL', 's', '2-1');
    propagated();
    expect(plain(run('XAUTOCLAIM', 's', 'g', 'c2', '0', '0', 'COUNT', '2', 'JUSTID'))).toEqual([
      '3-1',
      ['1-1'],
      ['2-1'],
    ]);
    expect(propagated()).toEqual([
      'MULTI',
      `XCLAIM s g c2 0 1-1 TIME ${T0} RETRYCOUNT 1 FORCE JUSTID LASTID 3-1`,
      `XCLAIM s g c1 0 2-1 TIME ${T0} RETRYCOUNT 1 FORCE JUSTID LASTID 3-1`,
      'EXEC',
    ]);
  });

  it('notifies group events and counts them as changes', () => {
    const { run, engine, notified } = setup();
    run('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    run('XGROUP', 'CREATECONSUMER', 's', 'g', 'c');
    run('XGROUP', 'SETID', 's', 'g', '0');
    run('XGROUP', 'DELCONSUMER', 's', 'g', 'c');
    const dirty = engine.dirty;
    run('XGROUP', 'DESTROY', 's', 'g');
    expect(engine.dirty - dirty).toBe(1);
    expect(notified()).toEqual([
      'n:new:s',
      't:xgroup-create:s',
      't:xgroup-createconsumer:s',
      't:xgroup-setid:s',
      't:xgroup-delconsumer:s',
      't:xgroup-destroy:s',
    ]);
  });
});

describe('blocking reads', () => {
  it('XREAD BLOCK times out on the engine clock', () => {
    const { engine, clock, other } = setup();
    const b = other();
    expect(b.run('XREAD', 'BLOCK', '100', 'STREAMS', 's', '$')).toBeUndefined();
    clock.advance(100);
    engine.cron();
    expect(b.got).toEqual([]);
    clock.advance(1);
    engine.cron();
    expect(b.got).toEqual([{ t: 'array', v: null }]);
  });

  it('XREAD BLOCK is served by an XADD past the ID it waits for', () => {
    const { run, other } = setup();
    run('XADD', 's', '5-0', 'f', 'v');
    const b = other();
    b.run('XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
    run('XADD', 's', '6-0', 'g', 'w');
    expect(b.got).toEqual([arr(arr(bulk('s'), arr(entry('6-0', 'g', 'w'))))]);
  });

  it('a blocked XREADGROUP is served with the propagation of a normal read', () => {
    const { run, other, propagated } = setup();
    run('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    const b = other();
    b.run('XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>');
    propagated();
    run('XADD', 's', '1-1', 'f', 'v');
    expect(b.got).toEqual([arr(arr(bulk('s'), arr(entry('1-1', 'f', 'v'))))]);
    expect(propagated()).toEqual([
      'XADD s 1-1 f v',
      `XCLAIM s g c 0 1-1 TIME ${T0} RETRYCOUNT 1 FORCE JUSTID LASTID 1-1`,
    ]);
    expect(plain(run('XINFO', 'GROUPS', 's'))).toEqual([
      ['name', 'g', 'consumers', 1, 'pending', 1, 'last-delivered-id', '1-1', 'entries-read', 1, 'lag', 0],
    ]);
  });

  it('a blocked XREADGROUP fails when its key or group goes away', () => {
    const { run, other } = setup();
    run('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    const b1 = other();
    b1.run('XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>');
    run('DEL', 's');
    expect(b1.got).toEqual([{ t: 'error', v: 'UNBLOCKED the stream key no longer exists' }]);
    run('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    const b2 = other();
    b2.run('XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>');
    run('XGROUP', 'DESTROY', 's', 'g');
    expect(b2.got).toEqual([
      { t: 'error', v: 'NOGROUP the consumer group this client was blocked on no longer exists' },
    ]);
    run('XGROUP', 'CREATE', 's', 'g', '$');
    const b3 = other();
    b3.run('XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>');
    run('FLUSHALL');
    expect(b3.got).toEqual([{ t: 'error', v: 'UNBLOCKED the stream key no longer exists' }]);
  });

  it('an expired stream unblocks XREADGROUP readers', () => {
    const { run, other, clock, engine } = setup();
    run('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    run('PEXPIRE', 's', '10');
    const b = other();
    b.run('XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>');
    clock.advance(20);
    run('EXISTS', 's');
    engine.cron();
    expect(b.got).toEqual([{ t: 'error', v: 'UNBLOCKED the stream key no longer exists' }]);
  });
});

describe('stream values', () => {
  it('COPY makes an independent stream with its groups', () => {
    const { run } = setup();
    run('XADD', 's', '1-1', 'f', 'v');
    run('XGROUP', 'CREATE', 's', 'g', '0');
    run('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>');
    run('COPY', 's', 'd');
    run('XACK', 's', 'g', '1-1');
    run('XADD', 's', '2-1', 'f', 'v');
    expect(plain(run('XPENDING', 'd', 'g'))).toEqual([1, '1-1', '1-1', [['c', '1']]]);
    expect(run('XLEN', 'd')).toEqual(int(1));
  });

  it('reports a memory usage that grows with the stream', () => {
    const { run } = setup();
    run('XADD', 's', '1-1', 'f', 'v');
    const small = plain(run('MEMORY', 'USAGE', 's')) as number;
    for (let i = 2; i < 300; i++) run('XADD', 's', `${i}-1`, 'field', 'x'.repeat(50));
    expect(plain(run('MEMORY', 'USAGE', 's', 'SAMPLES', '0'))).toBeGreaterThan(small + 300 * 50);
  });
});
