import { defineConfig } from 'vite';

/**
 * The browser client lives in client/ and builds into dist/client, which the server serves.
 * `npm run dev:client` serves it with hot reload and forwards the API and sockets to a server
 * started with `npm start` on port 3000.
 */
export default defineConfig({
  root: 'client',
  base: '/',
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    // Phaser alone is about 1.2 MB before gzip; the budget that matters is the gzipped total.
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: false,
  },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/socket.io': { target: 'ws://localhost:3000', ws: true },
    },
  },
});
