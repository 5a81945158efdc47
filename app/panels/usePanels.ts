// React access to the panels: one panel store per page runtime, fed by the engine client's
// per-frame event batches (outside React), selector hooks, and a throttled inspect request that
// asks the worker again when its inputs change — never more than one in flight.

import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { InspectQuery, InspectResult } from '../../engine/worker/protocol';
import type { LabRuntime } from '../runtime';
import { useRuntime } from '../runtime-context';
import { createPanelStore, type PanelState, type PanelStore } from './panel-store';

const stores = new WeakMap<LabRuntime, PanelStore>();

/** The runtime's panel store, created on first use. */
export function panelStoreOf(runtime: LabRuntime): PanelStore {
  let store = stores.get(runtime);
  if (store === undefined) {
    store = createPanelStore();
    stores.set(runtime, store);
  }
  return store;
}

/**
 * Feed the panel store from the engine's batched events while `on` (the dock is open): watching
 * costs the engine something (zset searches are traced), so a closed dock watches nothing.
 */
export function usePanelFeed(on: boolean): void {
  const runtime = useRuntime();
  useEffect(() => {
    if (!on) return;
    const store = panelStoreOf(runtime);
    return runtime.client.events.subscribe((batch) => store.getState().ingest(batch, performance.now()));
  }, [on, runtime]);
}

export function usePanelStore(): PanelStore {
  return panelStoreOf(useRuntime());
}

export function usePanel<T>(selector: (s: PanelState) => T): T {
  return useStore(usePanelStore(), selector);
}

/**
 * The worker's answer to `query`, asked again whenever `key` (a string naming the query and the
 * state it depends on) changes, at most every `minIntervalMs`, one request at a time.
 */
export function useInspect<R extends InspectResult>(
  query: InspectQuery | null,
  key: string,
  minIntervalMs: number,
): R | null {
  const { client } = useRuntime();
  const [result, setResult] = useState<R | null>(null);
  const latest = useRef({ query, key });
  latest.current = { query, key };
  const state = useRef({
    inFlight: false,
    askedKey: '',
    last: 0,
    alive: true,
    timer: 0 as ReturnType<typeof setTimeout> | 0,
  });
  const ask = useRef(() => {});
  ask.current = () => {
    const s = state.current;
    const { query: q, key: k } = latest.current;
    if (!s.alive || s.inFlight || q === null || k === s.askedKey) return;
    const wait = s.last + minIntervalMs - performance.now();
    if (wait > 0) {
      if (s.timer === 0)
        s.timer = setTimeout(() => {
          s.timer = 0;
          ask.current();
        }, wait);
      return;
    }
    s.inFlight = true;
    s.askedKey = k;
    s.last = performance.now();
    const done = (r: InspectResult | null) => {
      s.inFlight = false;
      if (!s.alive) return;
      if (r !== null) setResult(r as R);
      ask.current();
    };
    client.inspect(q).then(done, () => done(null));
  };
  useEffect(() => {
    const s = state.current;
    s.alive = true;
    return () => {
      s.alive = false;
      if (s.timer !== 0) clearTimeout(s.timer);
      s.timer = 0;
    };
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the query's content.
  useEffect(() => {
    ask.current();
  }, [key]);
  return result;
}
