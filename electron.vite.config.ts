import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * index.html preloads the English message catalogue. The first screen cannot render without a catalogue, and the
 * entry's own request for it (a dynamic import) leaves only once the whole entry has been evaluated, 40-60 ms into a
 * cold start on a two-core machine. English is the default and most starts' language; a start in Chinese asks for its
 * own catalogue as before, and the English one it did not need costs a local file read.
 */
function preloadDefaultCatalogue(): Plugin {
  return {
    name: 'techpass:preload-default-catalogue',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        if (!ctx.bundle) return []; // the dev server: nothing is bundled, the import is fast
        const chunk = Object.values(ctx.bundle).find(
          (c) => c.type === 'chunk' && c.facadeModuleId?.endsWith('/i18n/compiled/en.json'),
        );
        if (!chunk) throw new Error('the English catalogue (i18n/compiled/en.json) is not a chunk of its own');
        return [
          {
            tag: 'link',
            attrs: { rel: 'modulepreload', crossorigin: true, href: `./${chunk.fileName}` },
            injectTo: 'head',
          },
        ];
      },
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      lib: { entry: resolve(__dirname, 'electron/main/index.ts') },
      sourcemap: false,
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      lib: { entry: resolve(__dirname, 'electron/preload/index.ts') },
      // The sandboxed preload can require nothing but 'electron': bundle everything into one CommonJS file.
      externalizeDeps: false,
      rollupOptions: { external: ['electron'], output: { format: 'cjs' } },
      sourcemap: false,
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      minify: true,
      sourcemap: false,
      // .vite/manifest.json: which chunks the first screen loads, read by the size-budget test (not packaged).
      manifest: true,
      rollupOptions: { input: resolve(__dirname, 'renderer/index.html') },
    },
    plugins: [react(), preloadDefaultCatalogue()],
  },
});
