import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Vite replaces import.meta.dirname with this file's folder while loading its config (not the temp copy's).
const here = import.meta.dirname;

export default defineConfig({
  root: here,
  // Relative asset paths: the same build is served over http by the node and loaded from file:// by Electron.
  base: './',
  plugins: [react()],
  build: { outDir: '../dist/renderer', emptyOutDir: true },
  // The renderer imports ../shared, which sits outside its root.
  server: { fs: { allow: ['..'] } },
});
