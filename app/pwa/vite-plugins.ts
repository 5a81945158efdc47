// Build-time side of the installable, offline lab (used by vite.config.ts): the web app manifest and
// the Workbox service worker (vite-plugin-pwa, generateSW) precaching every built file — lazy chunks,
// the engine worker, lesson files — plus the Content Security Policy in the built page and preview.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Plugin, PreviewOptions } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { CSP_HEADER, CSP_META } from './csp';

export const THEME_DARK = '#0d0f13';
export const THEME_LIGHT = '#eceef1';

/** Largest file the service worker precaches (mermaid's biggest chunks are ~1-2 MB). */
const MAX_PRECACHE_BYTES = 12 * 1024 * 1024;

/** The service worker and manifest. Precache rules are generic: whatever the build emits. */
export function pwaPlugins(): Plugin[] {
  return VitePWA({
    registerType: 'prompt',
    // app/pwa/register.ts registers it once the terminal is up, so it never slows the first load.
    injectRegister: false,
    includeAssets: ['favicon.svg', 'icons/*.png', 'icons/*.svg'],
    manifest: {
      name: 'Redis Lab',
      short_name: 'Redis Lab',
      description: 'Learn Redis in your browser, on a Redis 7.0 compatible engine. Works offline.',
      start_url: '/',
      scope: '/',
      display: 'standalone',
      background_color: THEME_DARK,
      theme_color: THEME_DARK,
      icons: [
        { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
        { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
        { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
      ],
    },
    workbox: {
      // Everything the build writes (lazy chunks, worker bundle, lessons and quizzes if served as
      // files), not source maps.
      globPatterns: ['**/*.{js,mjs,css,html,svg,png,ico,webmanifest,json,md,txt,yaml,yml,wasm,woff,woff2}'],
      globIgnores: ['**/*.map'],
      maximumFileSizeToCacheInBytes: MAX_PRECACHE_BYTES,
      navigateFallback: 'index.html',
      cleanupOutdatedCaches: true,
      // The first install takes the open page at once (nothing older to conflict with). Updates
      // wait until the user clicks "Reload" (skipWaiting only on that message).
      clientsClaim: true,
      skipWaiting: false,
    },
  });
}

/** Lesson and quiz files under lessons/ copied into the build as /lessons/..., for lessons fetched
 * at run time (imported ones are bundled anyway): the service worker then precaches them. */
export function lessonFiles(dir = 'lessons'): Plugin {
  const files = (root: string): string[] =>
    readdirSync(root).flatMap((name) => {
      const p = join(root, name);
      return statSync(p).isDirectory() ? files(p) : [p];
    });
  return {
    name: 'redis-lab:lesson-files',
    apply: 'build',
    generateBundle() {
      let list: string[];
      try {
        list = files(dir);
      } catch {
        return;
      }
      for (const file of list) {
        const fileName = `lessons/${relative(dir, file).split('\\').join('/')}`;
        this.emitFile({ type: 'asset', fileName, source: readFileSync(file) });
      }
    },
  };
}

/** The CSP and the light/dark theme colours into the built index.html (dev keeps Vite's inline
 * scripts working, so only the build gets the policy). */
export function securityHeaders(): Plugin {
  return {
    name: 'redis-lab:csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP_META },
          injectTo: 'head-prepend',
        },
        { tag: 'meta', attrs: { name: 'referrer', content: 'no-referrer' }, injectTo: 'head' },
      ],
    },
  };
}

/**
 * Cross-origin isolation: with both headers on every response the page may share a
 * SharedArrayBuffer with the engine worker, which the terminal uses to print a reply in the frame
 * after Enter (engine/worker/sync-reply.ts). Everything the lab loads is same-origin, so
 * require-corp blocks nothing. A host that sends neither still works, one frame slower.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** `vite preview` serves the built lab with the same policy as real headers. */
export const previewSecurity: PreviewOptions = {
  headers: {
    'Content-Security-Policy': CSP_HEADER,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    ...ISOLATION_HEADERS,
  },
};
