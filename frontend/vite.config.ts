import { defineConfig, type ProxyOptions } from 'vite';
import react from '@vitejs/plugin-react';

const apiTarget = process.env.QUOTIENT_API ?? 'http://127.0.0.1:8000';

// The API is served by the backend; in development Vite proxies /graphql (HTTP and WebSocket).
// The backend refuses cross-origin WebSocket upgrades, so the proxied upgrade carries the
// API's own origin (the browser's page origin is the dev server's).
const proxy: Record<string, ProxyOptions> = {
  '/graphql': {
    target: apiTarget,
    changeOrigin: true,
    ws: true,
    configure: (server) => {
      server.on('proxyReqWs', (proxyReq) => proxyReq.setHeader('origin', new URL(apiTarget).origin));
    },
  },
};

export default defineConfig({
  base: '/',
  plugins: [react()],
  server: { port: 5173, proxy },
  preview: { port: 4173, proxy },
  build: { outDir: 'dist', chunkSizeWarningLimit: 1500 },
});
