import { createElement, lazy, Suspense } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { preloadable } from './preloadable';

const inSuspense = (c: Parameters<typeof createElement>[0]) =>
  renderToString(createElement(Suspense, { fallback: createElement('i', null, 'Loading') }, createElement(c)));
const code = async () => ({ default: () => createElement('b', null, 'panel') });

describe('preloadable', () => {
  it('renders at once, without the fallback, when its code was preloaded before the first render', async () => {
    const panel = preloadable(code);
    await panel.preload();
    const html = inSuspense(panel.Component);
    expect(html).toContain('<b>panel</b>');
    expect(html).not.toContain('Loading');
    // What it replaces: React.lazy suspends on its first render even though the code is loaded.
    const plain = lazy(code);
    await code();
    expect(inSuspense(plain)).toContain('Loading');
  });

  it('suspends like React.lazy when rendered before its code is loaded', () => {
    const panel = preloadable(code);
    expect(inSuspense(panel.Component)).toContain('Loading');
  });
});
