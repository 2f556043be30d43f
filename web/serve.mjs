// A tiny static file server for the built playground (node:http, 127.0.0.1 only). Used by test/web.test.ts and by
// `npm run web` (build + serve). Usage: node web/serve.mjs [--dir web/dist] [--port 8080]
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm", ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png", ".css": "text/css",
};

/**
 * Serve `dir` on 127.0.0.1:`port` (0 = random). Resolves to { url, close }.
 * `isolated: true` adds COOP/COEP headers, so the page is crossOriginIsolated (SharedArrayBuffer available; the
 * gradient-variance pool then shares the regenerated inputs between its workers).
 */
export function serve(dir, port = 0, { isolated = false } = {}) {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
      const file = normalize(join(root, path.endsWith("/") ? path + "index.html" : path));
      if (file !== root && !file.startsWith(root + sep)) { res.writeHead(403).end(); return; }
      const body = await readFile(file);
      const headers = { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" };
      if (isolated) Object.assign(headers, { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" });
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  return new Promise((ok) => {
    server.listen(port, "127.0.0.1", () => {
      const addr = server.address();
      ok({ url: `http://127.0.0.1:${addr.port}/`, close: () => new Promise((c) => server.close(() => c())) });
    });
  });
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const di = process.argv.indexOf("--dir"), pi = process.argv.indexOf("--port");
  const dir = di > 0 ? process.argv[di + 1] : join(fileURLToPath(new URL(".", import.meta.url)), "dist");
  const { url } = await serve(dir, pi > 0 ? Number(process.argv[pi + 1]) : 8080);
  console.log(`hardlearn playground: ${url}  (Ctrl-C to stop)`);
}
