// React.lazy for code that is usually loaded ahead (in the background) of its first render. A lazy
// component suspends on its first render even when its chunk is already in memory, and React 19
// then holds the fallback before revealing the content (its Suspense throttle): a tab whose code
// was fetched long ago would still show "Loading…" for ~100 ms. Once `preload` has resolved, this
// component renders the loaded one directly; before that it falls back to React.lazy.

import { type ComponentType, createElement, lazy } from 'react';

export interface Preloadable<P extends object> {
  Component: ComponentType<P>;
  /** Load the code now (idempotent: the module system caches it). */
  preload: () => Promise<unknown>;
}

/** Call at module level (as React.lazy): one component per chunk, for the page's lifetime. */
export function preloadable<P extends object>(load: () => Promise<{ default: ComponentType<P> }>): Preloadable<P> {
  let loaded: ComponentType<P> | null = null;
  const preload = () =>
    load().then((m) => {
      loaded = m.default;
      return m;
    });
  const Lazy = lazy(preload);
  // biome-ignore lint/correctness/noComponentHookFactories: made once per chunk at module level, as React.lazy's are.
  function PreloadableComponent(props: P) {
    return createElement(loaded ?? Lazy, props);
  }
  return { Component: PreloadableComponent, preload };
}
