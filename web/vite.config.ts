import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Served by paraaf's own server under /tab/ (bot/tab/web.py); the API is under /api/v1/.
export default defineConfig({
  base: "/tab/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2021",
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  server: { proxy: { "/api": "http://127.0.0.1:3978" } },
});
