// The panels' own zustand store (kept apart from the lab store so panels stay a separate, lazily
// loaded piece): the dock's state, the sorted set being followed, and what the batched engine
// events said since — the last zset operation, a counter that makes panels ask for fresh
// snapshots, and the eviction log.

import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EngineEvent } from '../../engine/events';
import type { ZsetEvent } from '../../engine/types/zset-view';
import { type Eviction, pushEvictions, pushSample, type Sample } from './memory-model';

export type PanelTab = 'skiplist' | 'memory' | 'keyspace' | 'events' | 'persistence';

export interface ZsetRef {
  readonly db: number;
  readonly key: string;
}

export interface PanelData {
  readonly open: boolean;
  readonly tab: PanelTab;
  /** The sorted set shown: picked by the user (pinned) or the last one an operation touched. */
  readonly zset: ZsetRef | null;
  readonly pinned: boolean;
  /** The last operation on the shown sorted set, and a counter bumped by each. */
  readonly zsetEvent: ZsetEvent | null;
  readonly zsetSeq: number;
  /** The last listpack → skiplist conversion of the shown set (the one-way flip). */
  readonly converted: ZsetEvent | null;
  /** Bumped by every batch that changed keys: keyspace and memory panels ask again. */
  readonly keySeq: number;
  readonly evictions: readonly Eviction[];
  readonly policy: string;
  /** used_memory samples, oldest first (the memory chart). */
  readonly memory: readonly Sample[];
}

export interface PanelActions {
  setOpen(open: boolean): void;
  setTab(tab: PanelTab): void;
  /** Pin a sorted set, or follow the last one touched (null). */
  pinZset(ref: ZsetRef | null): void;
  /** The policy the memory report named (evictions are logged under it). */
  setPolicy(policy: string): void;
  addMemorySample(sample: Sample): void;
  /** One frame's batch of engine events. */
  ingest(batch: readonly EngineEvent[], now: number): void;
}

export type PanelState = PanelData & PanelActions;
export type PanelStore = StoreApi<PanelState>;

export const initialPanelData: PanelData = {
  open: false,
  tab: 'skiplist',
  zset: null,
  pinned: false,
  zsetEvent: null,
  zsetSeq: 0,
  converted: null,
  keySeq: 0,
  evictions: [],
  policy: 'noeviction',
  memory: [],
};

let nextEvictionId = 1;

const same = (a: ZsetRef | null, db: number, key: string) => a !== null && a.db === db && a.key === key;

export function createPanelStore(initial: Partial<PanelData> = {}): PanelStore {
  return createStore<PanelState>()((set, get) => ({
    ...initialPanelData,
    ...initial,
    setOpen: (open) => set({ open }),
    setTab: (tab) => set({ tab, open: true }),
    pinZset: (ref) =>
      set(ref === null ? { pinned: false } : { pinned: true, zset: ref, zsetEvent: null, converted: null }),
    setPolicy: (policy) => {
      if (get().policy !== policy) set({ policy });
    },
    addMemorySample: (sample) => set({ memory: pushSample(get().memory, sample) }),
    ingest(batch, now) {
      const s = get();
      let { zset, zsetEvent, converted, zsetSeq, keySeq, policy } = s;
      const evicted: Eviction[] = [];
      let keysChanged = false;
      for (const e of batch) {
        switch (e.type) {
          case 'zset': {
            if (s.pinned && !same(zset, e.db, e.key)) break;
            if (!same(zset, e.db, e.key)) {
              zset = { db: e.db, key: e.key };
              converted = null;
            }
            if (e.op === 'convert') converted = e;
            else zsetEvent = e;
            zsetSeq++;
            break;
          }
          case 'key':
            keysChanged = true;
            if (e.op === 'evicted') evicted.push({ id: nextEvictionId++, db: e.db, key: e.key, policy, t: now });
            break;
          case 'flush':
          case 'notify':
            keysChanged = true;
            break;
          case 'config':
            if (e.name === 'maxmemory-policy') policy = e.value;
            if (e.name === 'maxmemory' || e.name.startsWith('zset-')) keysChanged = true;
            break;
        }
      }
      if (keysChanged) keySeq++;
      if (zsetSeq === s.zsetSeq && keySeq === s.keySeq && policy === s.policy) return;
      set({ zset, zsetEvent, converted, zsetSeq, keySeq, policy, evictions: pushEvictions(s.evictions, evicted) });
    },
  }));
}
