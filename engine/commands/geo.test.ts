import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import type { EngineEvent } from '../events';
import { createEngine } from '../index';
import type { Reply } from '../protocol/reply';
import { encodeReply } from '../protocol/resp';

function setup(config: Record<string, string> = {}) {
  const engine = createEngine({ clock: new ManualClock(), seed: 1, config });
  const c = engine.createClient();
  const events: EngineEvent[] = [];
  engine.on((e) => events.push(e));
  const run = (...argv: string[]) => engine.dispatch(c, argv) as Reply;
  const notified = () => events.flatMap((e) => (e.type === 'notify' ? [`${e.cls}:${e.event}:${e.key}`] : []));
  const propagated = () => events.flatMap((e) => (e.type === 'propagate' ? [e.argv.join(' ')] : []));
  return { engine, c, run, notified, propagated };
}

const bulks = (...v: string[]) => ({ t: 'array', v: v.map((x) => ({ t: 'bulk', v: x })) });

describe('GEOADD', () => {
  it('runs and propagates as ZADD with the geohash scores', () => {
    const { run, propagated, notified, engine } = setup();
    expect(run('GEOADD', 'Sicily', 'CH', '13.361389', '38.115556', 'Palermo')).toEqual({ t: 'int', v: 1 });
    expect(propagated()).toEqual(['zadd Sicily CH 3479099956230698 Palermo']);
    expect(notified()).toEqual(['n:new:Sicily', 'z:zadd:Sicily']);
    expect(engine.dirty).toBe(1);
    run('GEOADD', 'Sicily', '13.361389', '38.115556', 'Palermo');
    expect(propagated()).toHaveLength(1);
  });

  it('validates every coordinate before adding anything', () => {
    const { run } = setup();
    expect(run('GEOADD', 'k', '1', '1', 'a', '200', '1', 'b')).toEqual({
      t: 'error',
      v: 'ERR invalid longitude,latitude pair 200.000000,1.000000',
    });
    expect(run('EXISTS', 'k')).toEqual({ t: 'int', v: 0 });
  });
});

describe('GEOPOS and GEODIST', () => {
  it('print the cell centre with 17 decimals and distances with 4', () => {
    const { run } = setup();
    run('GEOADD', 'Sicily', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania');
    expect(run('GEOPOS', 'Sicily', 'Palermo')).toEqual({
      t: 'array',
      v: [bulks('13.36138933897018433', '38.11555639549629859')],
    });
    expect(run('GEODIST', 'Sicily', 'Palermo', 'Catania', 'km')).toEqual({ t: 'bulk', v: '166.2742' });
  });

  it('reply coordinates as doubles in RESP3, with the "%.17Lf" digits on the wire', () => {
    const { run } = setup();
    run('GEOADD', 'k', '10', '20', 'a');
    run('HELLO', '3');
    const r = run('GEOPOS', 'k', 'a', 'b');
    if (r.t !== 'array' || r.v === null) throw new Error('GEOPOS must reply an array');
    expect(r.v[0]).toEqual({
      t: 'array',
      v: [
        // redis-server 7.0 prints ",10.00000208616256714" and ",20.00000058910486445".
        { t: 'double', v: 10.000002086162567, text: '10.00000208616256714' },
        { t: 'double', v: 20.000000589104864, text: '20.00000058910486445' },
      ],
    });
    expect(r.v[1]).toEqual({ t: 'array', v: null });
    expect(encodeReply(r.v[0], 3)).toBe('*2\r\n,10.00000208616256714\r\n,20.00000058910486445\r\n');
  });
});

describe('geo searches', () => {
  it('walk skiplist-encoded sets by score range like listpacks', () => {
    const points = [
      '13.361389',
      '38.115556',
      'Palermo',
      '15.087269',
      '37.502669',
      'Catania',
      '13.583333',
      '37.316667',
      'Agrigento',
    ];
    const small = setup();
    const big = setup({ 'zset-max-listpack-entries': '1' });
    small.run('GEOADD', 'k', ...points);
    big.run('GEOADD', 'k', ...points);
    expect(big.run('OBJECT', 'ENCODING', 'k')).toEqual({ t: 'bulk', v: 'skiplist' });
    for (const args of [
      ['GEORADIUS', 'k', '15', '37', '200', 'km'],
      ['GEORADIUS', 'k', '15', '37', '200', 'km', 'COUNT', '2', 'ANY'],
      ['GEOSEARCH', 'k', 'FROMMEMBER', 'Palermo', 'BYBOX', '300', '300', 'km', 'DESC', 'WITHDIST'],
    ]) {
      expect(big.run(...args)).toEqual(small.run(...args));
    }
    expect(small.run('GEORADIUS', 'k', '15', '37', '200', 'km', 'ASC')).toEqual(
      bulks('Catania', 'Agrigento', 'Palermo'),
    );
  });

  it('STORE writes a sorted set, counts each stored member, and notifies georadiusstore', () => {
    const { run, engine, notified } = setup();
    run('GEOADD', 'k', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania');
    const before = engine.dirty;
    expect(run('GEORADIUS', 'k', '15', '37', '200', 'km', 'STOREDIST', 'd')).toEqual({ t: 'int', v: 2 });
    expect(engine.dirty).toBe(before + 2);
    expect(run('ZRANGE', 'd', '0', '-1', 'WITHSCORES')).toEqual({
      t: 'array',
      v: [
        { t: 'bulk', v: 'Catania' },
        { t: 'double', v: 56.441257870158204 },
        { t: 'bulk', v: 'Palermo' },
        { t: 'double', v: 190.44242984775784 },
      ],
    });
    expect(notified().slice(-2)).toEqual(['n:new:d', 'z:georadiusstore:d']);
  });
});
