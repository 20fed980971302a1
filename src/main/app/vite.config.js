import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

// Built into the server's classpath (static/app), served at /app/. Run by Maven (generate-resources).
export default defineConfig({
  base: '/app/',
  build: {
    outDir: here('../../../target/classes/static/app'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      input: {
        index: here('index.html'),
        launch: here('launch.html'),
      },
    },
  },
});
