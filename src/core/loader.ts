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
import { InvalidArgumentError, LoadError } from "../errors.js";

/** Where the engine's .wasm comes from: a URL (or URL string), the bytes, or an already compiled Module. */
export type WasmSource = URL | string | ArrayBuffer | ArrayBufferView | WebAssembly.Module;

/** The release binary shipped with the package, resolved relative to this file (src/core or dist/core). */
export function defaultWasmUrl(): URL {
  return new URL("../../build/release.wasm", import.meta.url);
}

/** The FMA build (relaxed SIMD multiply-add in the GEMM micro-kernel), shipped next to the release binary. */
export function defaultFmaWasmUrl(): URL {
  return new URL("../../build/fma.wasm", import.meta.url);
}

function isNode(): boolean {
  return typeof process !== "undefined" && typeof process.versions === "object" && !!process.versions.node;
}

/** A tiny module using one SIMD instruction (v128.const + drop): validates only where WebAssembly SIMD exists. */
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 23, 1, 21, 0, 253, 12,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 26, 11]);

function describeSource(source: unknown): string {
  if (source instanceof URL) return source.href;
  if (typeof source === "string") return source;
  return "the given source";
}

/**
 * The host must have WebAssembly with SIMD and BigInt (for the loader). `node --jitless`, some locked-down
 * browsers (e.g. with JIT disabled by policy) and old engines lack one of them: that is a LoadError, not a bare
 * ReferenceError or a compile failure that looks like a broken binary.
 */
function assertHostFeatures(source: unknown): void {
  const where = describeSource(source);
  const WA = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
  if (typeof WA !== "object" || WA === null || typeof WA.compile !== "function" || typeof WA.Module !== "function") {
    const hint = isNode() && typeof process.execArgv !== "undefined" && process.execArgv.includes("--jitless") ? " (node was started with --jitless)" : "";
    throw new LoadError(where, `this JavaScript host has no WebAssembly${hint}; hardlearn needs WebAssembly with SIMD`);
  }
  let simd = false;
  try { simd = WA.validate(SIMD_PROBE); } catch { simd = false; }
  if (!simd) throw new LoadError(where, "this JavaScript host's WebAssembly has no SIMD support (128-bit SIMD is needed: Node >= 16.4, Chrome >= 91, Firefox >= 89, Safari >= 16.4)");
  if (typeof BigInt !== "function") throw new LoadError(where, "this JavaScript host has no BigInt");
}

const SOURCE_RULE = "a URL, a URL string, the bytes (ArrayBuffer or a typed array) or a WebAssembly.Module";

/**
 * Resolve any WasmSource to a compiled module. Node reads file: URLs from disk; browsers stream-compile
 * (falling back to bytes when the server does not send application/wasm).
 * Throws InvalidArgumentError for a value of the wrong kind or an unparsable URL string, and LoadError when the
 * binary cannot be read, fetched or compiled.
 */
export async function compileCore(source: WasmSource = defaultWasmUrl()): Promise<WebAssembly.Module> {
  assertHostFeatures(source);
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || (ArrayBuffer.isView(source) && !(source instanceof DataView))) {
    const bytes = source instanceof ArrayBuffer
      ? new Uint8Array(source)
      : new Uint8Array(source.buffer, source.byteOffset, source.byteLength).slice();
    return compileBytes(bytes, `the given bytes (${bytes.byteLength} bytes)`);
  }
  let url: URL;
  if (source instanceof URL) url = source;
  else if (typeof source === "string") {
    try {
      url = new URL(source, typeof location !== "undefined" ? location.href : import.meta.url);
    } catch {
      throw new InvalidArgumentError("options.wasm", "a valid URL string", source);
    }
  } else {
    throw new InvalidArgumentError("options.wasm", SOURCE_RULE, source);
  }
  if (url.protocol === "file:" && isNode()) {
    const fsSpec = "node:fs/promises"; // in a variable: browser bundlers must not try to resolve it
    const fs: typeof import("node:fs/promises") = await import(/* @vite-ignore */ /* webpackIgnore: true */ fsSpec);
    let bytes: Uint8Array;
    try {
      bytes = await fs.readFile(url);
    } catch (e) {
      throw new LoadError(url.href, (e as Error).message);
    }
    return compileBytes(bytes, url.href);
  }
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new LoadError(url.href, (e as Error).message);
  }
  if (!res.ok) throw new LoadError(url.href, `HTTP ${res.status} ${res.statusText}`.trim());
  if (typeof WebAssembly.compileStreaming === "function" && /application\/wasm/.test(res.headers.get("content-type") ?? "")) {
    try {
      return await WebAssembly.compileStreaming(res);
    } catch (e) {
      throw new LoadError(url.href, (e as Error).message);
    }
  }
  return compileBytes(new Uint8Array(await res.arrayBuffer()), url.href);
}

async function compileBytes(bytes: Uint8Array, where: string): Promise<WebAssembly.Module> {
  try {
    return await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  } catch (e) {
    throw new LoadError(where, `not a valid WebAssembly binary (${(e as Error).message})`);
  }
}

/**
 * Instantiate the core. `imports.env.memory` may carry a shared memory for the threaded build.
 * The loader supplies `env.abort`, which throws; kernels never abort on valid input.
 */
export async function instantiateCore(module: WebAssembly.Module, imports: Record<string, Record<string, unknown>> = {}): Promise<CoreExports> {
  let exports: Record<string, unknown>;
  try {
    exports = (await instantiate<Record<string, unknown>>(module, imports as Imports)).exports;
  } catch (e) {
    throw new LoadError("the compiled module", `instantiation failed (${(e as Error).message})`);
  }
  for (const name of ["heap_base", "gemm_f64"]) {
    if (typeof exports[name] !== "function") throw new LoadError("the compiled module", `it is not a hardlearn core (no export "${name}")`);
  }
  return exports as unknown as CoreExports;
}
