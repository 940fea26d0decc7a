import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';

/**
 * The LIFF member card. Built to liff-app/dist and served by the Express server under /liff/.
 * @line/liff and @line/liff-mock get chunks of their own (loaded on demand) so the app's own JS stays small and the
 * bench can measure it apart from the SDK.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/liff/',
  plugins: [preloadLiffSdk(), serviceWorker()],
  // Vite 8 transforms TS/JSX with oxc: Preact's automatic JSX runtime.
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
    manifest: true,
    target: 'es2020',
    sourcemap: false,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'liff-mock', test: /node_modules[\\/]@line[\\/]liff-mock[\\/]/, priority: 3 },
            { name: 'liff-sdk', test: /node_modules[\\/]@(line|liff)[\\/]/, priority: 2 },
          ],
        },
      },
    },
  },
  // The apps import browser-safe modules from the repository's shared/ folder: let the dev server read them.
  server: { proxy: { '/api': 'http://localhost:3000' }, fs: { allow: [path.resolve(import.meta.dirname, '..')] } },
});

/**
 * The SDK is loaded with a dynamic import (so it stays out of the app chunk), but every visit needs it: let the
 * browser fetch it in parallel with the app's JS instead of after it has run.
 */
function preloadLiffSdk(): Plugin {
  return {
    name: 'huigo-preload-liff-sdk',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const sdk = Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.name === 'liff-sdk');
        return sdk
          ? [
              {
                tag: 'link',
                attrs: { rel: 'modulepreload', crossorigin: true, href: `/liff/${sdk.fileName}` },
                injectTo: 'head',
              },
            ]
          : [];
      },
    },
  };
}

/**
 * Emits /liff/sw.js from liff-app/sw/service-worker.js with the app shell to precache (every built file but the
 * manifest, plus public/) and a version derived from those names: a new build is a new worker, which replaces the
 * old shell cache. Kept out of assets/ so its URL (and scope) stays /liff/ and it is revalidated on every visit.
 */
function serviceWorker(): Plugin {
  return {
    name: 'huigo-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const publicDir = path.resolve(import.meta.dirname, 'public');
      const files = [
        ...Object.keys(bundle).filter((f) => !f.startsWith('.vite/') && f !== 'index.html'),
        ...(fs.existsSync(publicDir) ? fs.readdirSync(publicDir) : []),
      ]
        .sort()
        .map((f) => `/liff/${f}`);
      const hash = createHash('sha256').update(files.join('\n'));
      for (const f of fs.existsSync(publicDir) ? fs.readdirSync(publicDir) : [])
        hash.update(fs.readFileSync(path.join(publicDir, f)));
      const version = hash.digest('hex').slice(0, 12);
      const source = fs
        .readFileSync(path.resolve(import.meta.dirname, 'sw/service-worker.js'), 'utf8')
        .replace('__HUIGO_SW_VERSION__', version)
        .replace('__HUIGO_SW_PRECACHE__', JSON.stringify(files).replace(/'/g, "\\'"));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}
