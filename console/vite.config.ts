import path from 'node:path';
import { defineConfig } from 'vite';

/**
 * The marketer and staff console. Built to console/dist and served by the Express server under /console/.
 * uPlot (dashboard charts) and jsQR (counter camera) get chunks of their own, loaded only by the screens using them.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  // Vite 8 transforms TS/JSX with oxc: Preact's automatic JSX runtime (no @preact/preset-vite needed).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: {
    alias: {
      react: 'preact/compat',
      'react-dom': 'preact/compat',
      '@kit': path.resolve(import.meta.dirname, '../shared/web'),
    },
  },
  build: {
    outDir: path.resolve(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'uplot', test: /node_modules[\\/]uplot[\\/]/, priority: 2 },
            { name: 'jsqr', test: /node_modules[\\/]jsqr[\\/]/, priority: 2 },
          ],
        },
      },
    },
  },
  // The apps import browser-safe modules from the repository's shared/ folder: let the dev server read them.
  server: { proxy: { '/api': 'http://localhost:3000' }, fs: { allow: [path.resolve(import.meta.dirname, '..')] } },
});
