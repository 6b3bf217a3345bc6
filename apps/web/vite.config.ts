/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API serves the built app at `/` and keeps `/v1` for itself; in development Vite
// serves the app and hands `/v1` to the API, so the session cookie stays same-origin.
const apiTarget = process.env.SLIPWAY_API_URL ?? 'http://localhost:3000';

export default defineConfig({
  base: '/',
  plugins: [react()],
  // The presets' READMEs, bundled as text by the "Add new deployment" panel.
  resolve: {
    alias: { '@presets': fileURLToPath(new URL('../../examples/presets', import.meta.url)) },
  },
  server: {
    port: 5173,
    proxy: { '/v1': { target: apiTarget, changeOrigin: false } },
  },
  preview: {
    proxy: { '/v1': { target: apiTarget, changeOrigin: false } },
  },
  build: { outDir: 'dist', emptyOutDir: true },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.spec.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    restoreMocks: true,
    unstubGlobals: true,
    // The 5 s default fails a healthy test on a busy 2-core machine (as the jest preset says);
    // a test that needs a tighter bound asserts it itself. Findings wait as long.
    testTimeout: 30_000,
  },
});
