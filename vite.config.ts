import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { ISOLATION_HEADERS, lessonFiles, previewSecurity, pwaPlugins, securityHeaders } from './app/pwa/vite-plugins';

export default defineConfig({
  plugins: [react(), pwaPlugins(), lessonFiles(), securityHeaders()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  // Cross-origin isolated in development too (the terminal's shared-memory reply path).
  server: { headers: { ...ISOLATION_HEADERS } },
  preview: previewSecurity,
});
