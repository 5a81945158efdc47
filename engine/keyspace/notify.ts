// Keyspace notifications (src/notify.c): the notify-keyspace-events class flags, their parsing and
// printing, and the hook that turns engine.notify(cls, event, key, db) into Pub/Sub messages on
// __keyspace@<db>__:<key> (message: the event) and __keyevent@<db>__:<event> (message: the key).

import { hasSubscribers, publish } from '../commands/pubsub-core';
import type { Engine } from '../engine';

// The class bits of server.h (NOTIFY_KEYSPACE ... NOTIFY_NEW).
export const NOTIFY_KEYSPACE = 1 << 0;
export const NOTIFY_KEYEVENT = 1 << 1;
export const NOTIFY_GENERIC = 1 << 2;
export const NOTIFY_STRING = 1 << 3;
export const NOTIFY_LIST = 1 << 4;
export const NOTIFY_SET = 1 << 5;
export const NOTIFY_HASH = 1 << 6;
export const NOTIFY_ZSET = 1 << 7;
export const NOTIFY_EXPIRED = 1 << 8;
export const NOTIFY_EVICTED = 1 << 9;
export const NOTIFY_STREAM = 1 << 10;
export const NOTIFY_KEY_MISS = 1 << 11;
export const NOTIFY_MODULE = 1 << 12;
export const NOTIFY_NEW = 1 << 13;
/** 'A': every class except key misses and new keys. */
export const NOTIFY_ALL =
  NOTIFY_GENERIC |
  NOTIFY_STRING |
  NOTIFY_LIST |
  NOTIFY_SET |
  NOTIFY_HASH |
  NOTIFY_ZSET |
  NOTIFY_EXPIRED |
  NOTIFY_EVICTED |
  NOTIFY_STREAM |
  NOTIFY_MODULE;

/** Class letters in keyspaceEventsFlagsToString's order, K/E/m last. */
const CLASS_LETTERS: readonly (readonly [string, number])[] = [
  ['g', NOTIFY_GENERIC],
  ['$', NOTIFY_STRING],
  ['l', NOTIFY_LIST],
  ['s', NOTIFY_SET],
  ['h', NOTIFY_HASH],
  ['z', NOTIFY_ZSET],
  ['x', NOTIFY_EXPIRED],
  ['e', NOTIFY_EVICTED],
  ['t', NOTIFY_STREAM],
  ['d', NOTIFY_MODULE],
  ['n', NOTIFY_NEW],
];
const TAIL_LETTERS: readonly (readonly [string, number])[] = [
  ['K', NOTIFY_KEYSPACE],
  ['E', NOTIFY_KEYEVENT],
  ['m', NOTIFY_KEY_MISS],
];

const BY_LETTER = new Map<string, number>([...CLASS_LETTERS, ...TAIL_LETTERS, ['A', NOTIFY_ALL]]);

/** keyspaceEventsStringToFlags: the OR of the classes, or null for an unknown character (read as a C string). */
export function keyspaceEventsStringToFlags(classes: string): number | null {
  let flags = 0;
  for (const ch of classes) {
    if (ch === '\0') break;
    const bit = BY_LETTER.get(ch);
    if (bit === undefined) return null;
    flags |= bit;
  }
  return flags;
}

/**
 * keyspaceEventsFlagsToString, as CONFIG GET prints it: "A" stands for all of NOTIFY_ALL and then
 * hides 'n' (Redis drops it from the text while the flag stays on).
 */
export function keyspaceEventsFlagsToString(flags: number): string {
  let s = '';
  if ((flags & NOTIFY_ALL) === NOTIFY_ALL) s = 'A';
  else for (const [ch, bit] of CLASS_LETTERS) if (flags & bit) s += ch;
  for (const [ch, bit] of TAIL_LETTERS) if (flags & bit) s += ch;
  return s;
}

/** Every flag spelled out (no 'A'): the form the config store keeps, so no flag is lost. */
export function keyspaceEventsFlagsToFullString(flags: number): string {
  let s = '';
  for (const [ch, bit] of CLASS_LETTERS) if (flags & bit) s += ch;
  for (const [ch, bit] of TAIL_LETTERS) if (flags & bit) s += ch;
  return s;
}

/** Class letter as commands pass it to engine.notify → its bit. */
const CLASS_BIT: Record<string, number> = Object.fromEntries([...CLASS_LETTERS, ['m', NOTIFY_KEY_MISS]]);

/**
 * Install notifyKeyspaceEvent on an engine: follows `notify-keyspace-events`, and stays out of the
 * way (no hook at all) while notifications are off, as they are by default.
 */
export function installKeyspaceNotifications(engine: Engine): void {
  let flags = 0;
  const hook = (cls: string, event: string, key: string, db: number): void => {
    const bit = CLASS_BIT[cls];
    if (bit === undefined || (flags & bit) === 0 || !hasSubscribers(engine)) return;
    if (flags & NOTIFY_KEYSPACE) publish(engine, `__keyspace@${db}__:${key}`, event);
    if (flags & NOTIFY_KEYEVENT) publish(engine, `__keyevent@${db}__:${event}`, key);
  };
  const apply = (value: string) => {
    flags = keyspaceEventsStringToFlags(value) ?? 0;
    const active =
      (flags & (NOTIFY_KEYSPACE | NOTIFY_KEYEVENT)) !== 0 && (flags & ~(NOTIFY_KEYSPACE | NOTIFY_KEYEVENT)) !== 0;
    engine.notifyHook = active ? hook : null;
  };
  apply(engine.config.get('notify-keyspace-events'));
  engine.config.onChange((name, value) => {
    if (name === 'notify-keyspace-events') apply(value);
  });
}
