/**
 * The only module that knows how the WASM binary is found and instantiated.
 *
 * It uses @assemblyscript/loader, as the project's design names it. Upstream marks the loader deprecated since
 * AssemblyScript 0.20 in favour of generated bindings (`asc --bindings raw`); our kernels only take numbers and raw
 * pointers, so swapping is a few lines here: replace `instantiate(...)` by `WebAssembly.instantiate(...)`
 * with an `env.abort` import.
 */
import { instantiate, type Imports } from "@assemblyscript/loader";
import type { CoreExports } from "./exports.js";

/** Where the engine's .wasm comes from: a URL (or URL string), the bytes, or an already compiled Module. */
export type WasmSource = URL | string | ArrayBuffer | ArrayBufferView | WebAssembly.Module;

/** The release binary shipped with the package, resolved relative to this file (src/core or dist/core). */
export function defaultWasmUrl(): URL {
  return new URL("../../build/release.wasm", import.meta.url);
}

function isNode(): boolean {
  return typeof process !== "undefined" && typeof process.versions === "object" && !!process.versions.node;
}

/** Resolve any WasmSource to a compiled module. Node reads file: URLs from disk; browsers stream-compile. */
export async function compileCore(source: WasmSource = defaultWasmUrl()): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer) return WebAssembly.compile(source);
  if (ArrayBuffer.isView(source)) {
    const u8 = new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
    return WebAssembly.compile(u8.slice());
  }
  const url = typeof source === "string" ? new URL(source, typeof location !== "undefined" ? location.href : import.meta.url) : source;
  if (url.protocol === "file:" && isNode()) {
    const fs = await import("node:fs/promises");
    return WebAssembly.compile(await fs.readFile(url));
  }
  const res = fetch(url);
  if (typeof WebAssembly.compileStreaming === "function") {
    try {
      return await WebAssembly.compileStreaming(res);
    } catch {
      // Served without application/wasm: fall back to bytes.
    }
  }
  return WebAssembly.compile(await (await fetch(url)).arrayBuffer());
}

/**
 * Instantiate the core. `imports.env.memory` may carry a shared memory for the threaded build.
 * The loader supplies `env.abort`, which throws; kernels never abort on valid input.
 */
export async function instantiateCore(module: WebAssembly.Module, imports: Record<string, Record<string, unknown>> = {}): Promise<CoreExports> {
  const inst = await instantiate<Record<string, unknown>>(module, imports as Imports);
  return inst.exports as unknown as CoreExports;
}
