import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { lessonFiles, previewSecurity, pwaPlugins, securityHeaders } from './app/pwa/vite-plugins';

export default defineConfig({
  plugins: [react(), pwaPlugins(), lessonFiles(), securityHeaders()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  preview: previewSecurity,
});
