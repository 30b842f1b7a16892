import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const apiTarget = process.env.QUOTIENT_API ?? 'http://127.0.0.1:8000';

// The API is served by the backend; in development Vite proxies /graphql (HTTP and WebSocket).
const proxy = {
  '/graphql': { target: apiTarget, changeOrigin: true, ws: true },
};

export default defineConfig({
  base: '/',
  plugins: [react()],
  server: { port: 5173, proxy },
  preview: { port: 4173, proxy },
  build: { outDir: 'dist', chunkSizeWarningLimit: 1500 },
});
