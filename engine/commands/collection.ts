// What the collection commands share at the keyspace level (t_hash.c / t_set.c / t_zset.c each
// repeat it): removing named elements and deleting the key the moment it empties.

import type { Client } from '../client';

/**
 * HDEL / SREM / ZREM: remove each of argv[from..] with `remove`; the key is deleted as soon as the
 * collection is empty (Redis stops there), then the change is signalled, notified (`cls`/`event`,
 * plus a generic `del` when the key went away) and counted in dirty. Returns how many were removed.
 */
export function removeElements(
  c: Client,
  key: string,
  argv: readonly string[],
  from: number,
  remove: (element: string) => boolean,
  size: () => number,
  cls: string,
  event: string,
): number {
  let deleted = 0;
  let removed = false;
  for (let i = from; i < argv.length; i++) {
    if (!remove(argv[i])) continue;
    deleted++;
    if (size() === 0) {
      c.db.delete(key);
      removed = true;
      break;
    }
  }
  if (deleted > 0) {
    if (!removed) c.db.signalModified(key);
    c.engine.notify(cls, event, key, c.db.id);
    if (removed) c.engine.notify('g', 'del', key, c.db.id);
    c.engine.dirty += deleted;
  }
  return deleted;
}
