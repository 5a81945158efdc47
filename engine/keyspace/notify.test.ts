import { describe, expect, it } from 'vitest';
import { createEngine, ManualClock } from '../index';
import type { Reply } from '../protocol/reply';
import {
  keyspaceEventsFlagsToFullString,
  keyspaceEventsFlagsToString,
  keyspaceEventsStringToFlags,
  NOTIFY_ALL,
  NOTIFY_KEY_MISS,
  NOTIFY_KEYEVENT,
  NOTIFY_KEYSPACE,
  NOTIFY_NEW,
} from './notify';

describe('notify-keyspace-events flags', () => {
  it('parse every class letter and refuse anything else', () => {
    expect(keyspaceEventsStringToFlags('')).toBe(0);
    expect(keyspaceEventsStringToFlags('A')).toBe(NOTIFY_ALL);
    expect(keyspaceEventsStringToFlags('KEm')).toBe(NOTIFY_KEYSPACE | NOTIFY_KEYEVENT | NOTIFY_KEY_MISS);
    expect(keyspaceEventsStringToFlags('Q')).toBeNull();
    expect(keyspaceEventsStringToFlags('K E')).toBeNull();
    // A C string: a NUL byte ends it.
    expect(keyspaceEventsStringToFlags('K\0Q')).toBe(NOTIFY_KEYSPACE);
  });

  it('print as CONFIG GET does: A for all classes, which hides n', () => {
    const f = (s: string) => keyspaceEventsFlagsToString(keyspaceEventsStringToFlags(s) ?? -1);
    expect(f('KEA')).toBe('AKE');
    expect(f('mKn$g')).toBe('g$nKm');
    expect(f('g$lshzxetd')).toBe('A');
    expect(f('g$lshzxet')).toBe('g$lshzxet');
    expect(f('AKEn')).toBe('AKE');
    expect(keyspaceEventsFlagsToFullString(NOTIFY_ALL | NOTIFY_NEW)).toBe('g$lshzxetdn');
  });

  it('keep n in the stored value while CONFIG GET shows A', () => {
    const e = createEngine({ clock: new ManualClock(), seed: 1 });
    const c = e.createClient();
    e.dispatch(c, ['CONFIG', 'SET', 'notify-keyspace-events', 'AKEn']);
    expect(e.config.getMatching(['notify-keyspace-events'])).toEqual([['notify-keyspace-events', 'AKE']]);
    expect(keyspaceEventsStringToFlags(e.config.get('notify-keyspace-events'))).toBe(
      NOTIFY_ALL | NOTIFY_NEW | NOTIFY_KEYSPACE | NOTIFY_KEYEVENT,
    );
  });
});

describe('the notification hook', () => {
  const setup = (flags: string) => {
    const e = createEngine({ clock: new ManualClock(), seed: 1, config: { 'notify-keyspace-events': flags } });
    const msgs: string[][] = [];
    const sub = e.createClient({
      deliver: (r: Reply) => {
        if (r.t === 'array') msgs.push(r.v?.map((x) => String(x.v)) ?? []);
      },
    });
    e.dispatch(sub, ['PSUBSCRIBE', '*']);
    msgs.length = 0;
    const main = e.createClient();
    return { e, msgs, run: (...argv: string[]) => e.dispatch(main, argv) };
  };

  it('is not installed while notifications are off', () => {
    expect(createEngine({ seed: 1 }).notifyHook).toBeNull();
    expect(createEngine({ seed: 1, config: { 'notify-keyspace-events': 'K' } }).notifyHook).toBeNull();
    expect(createEngine({ seed: 1, config: { 'notify-keyspace-events': 'g' } }).notifyHook).toBeNull();
    expect(createEngine({ seed: 1, config: { 'notify-keyspace-events': 'Kg' } }).notifyHook).not.toBeNull();
  });

  it('publishes keyspace then keyevent messages for enabled classes', () => {
    const { msgs, run } = setup('KE$');
    run('SET', 'k', 'v');
    run('DEL', 'k');
    expect(msgs).toEqual([
      ['pmessage', '*', '__keyspace@0__:k', 'set'],
      ['pmessage', '*', '__keyevent@0__:set', 'k'],
    ]);
  });

  it('names the database of the key', () => {
    const { msgs, run } = setup('Eg');
    run('SELECT', '7');
    run('SET', 'k', 'v');
    run('DEL', 'k');
    expect(msgs).toEqual([['pmessage', '*', '__keyevent@7__:del', 'k']]);
  });

  it('sends "new" before the command event, and "keymiss" on read misses', () => {
    const { msgs, run } = setup('Kn$m');
    run('SET', 'k', 'v');
    run('SET', 'k', 'w');
    run('GET', 'nope');
    expect(msgs.map((m) => `${m[2]} ${m[3]}`)).toEqual([
      '__keyspace@0__:k new',
      '__keyspace@0__:k set',
      '__keyspace@0__:k set',
      '__keyspace@0__:nope keymiss',
    ]);
  });

  it('follows CONFIG SET at run time', () => {
    const { msgs, run } = setup('');
    run('SET', 'a', '1');
    run('CONFIG', 'SET', 'notify-keyspace-events', 'E$');
    run('SET', 'b', '1');
    run('CONFIG', 'SET', 'notify-keyspace-events', '');
    run('SET', 'c', '1');
    expect(msgs).toEqual([['pmessage', '*', '__keyevent@0__:set', 'b']]);
  });
});
