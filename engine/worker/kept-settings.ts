// The persistence settings a lab server keeps across restarts (restart.ts) and in redis-lab.conf
// (lab-storage.ts); on its own so the worker's first chunk needs no persistence code for it.

/**
 * The persistence settings a restarted lab server starts with: the old server's current ones.
 * LAB: as if CONFIG REWRITE had saved them to the config file (real Redis forgets CONFIG SET).
 */
export const KEPT_ON_RESTART = ['appendonly', 'appendfsync', 'save', 'aof-use-rdb-preamble'] as const;
