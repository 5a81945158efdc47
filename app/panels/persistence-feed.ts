// The persistence panel's timeline feed, outside React's render path: one small store per page
// runtime, filled from the engine's batched events while the panel dock is open (so the timeline
// keeps what happened while another tab was shown), and a counter that makes the panel ask the
// worker for a fresh snapshot when files or settings changed.

import { useEffect } from 'react';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { LabRuntime } from '../runtime';
import { useRuntime } from '../runtime-context';
import { pushTimeline, type TimelineEntry, timelineOf, touchesPersistence } from './persistence-model';

export interface PersistFeed {
  readonly timeline: readonly TimelineEntry[];
  /** Bumped by every batch that changed files or settings. */
  readonly seq: number;
}

const feeds = new WeakMap<LabRuntime, StoreApi<PersistFeed>>();

export function persistFeedOf(runtime: LabRuntime): StoreApi<PersistFeed> {
  let s = feeds.get(runtime);
  if (s === undefined) {
    s = createStore<PersistFeed>()(() => ({ timeline: [], seq: 0 }));
    feeds.set(runtime, s);
  }
  return s;
}

/** Collect the timeline while `on` (the dock is open). */
export function usePersistFeed(on: boolean): void {
  const runtime = useRuntime();
  useEffect(() => {
    if (!on) return;
    const store = persistFeedOf(runtime);
    return runtime.client.events.subscribe((batch) => {
      if (!touchesPersistence(batch)) return;
      const s = store.getState();
      store.setState({ timeline: pushTimeline(s.timeline, timelineOf(batch)), seq: s.seq + 1 });
    });
  }, [on, runtime]);
}
