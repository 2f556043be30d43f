/**
 * Scratch arena over the WASM linear memory. JS owns user data; each public call copies its inputs
 * into the arena, runs kernels on raw pointers and copies results out. Allocation is a bump pointer
 * with mark/release (stack discipline), so nested engine calls compose and nothing leaks.
 * Views must be re-created after any allocation, because growing memory detaches old buffers.
 */
import { AllocationError } from "../errors.js";

const PAGE = 65536;
const ALIGN = 64;

export class Arena {
  readonly memory: WebAssembly.Memory;
  readonly base: number;
  /** Upper bound on the bytes the arena may span (allocation limit). */
  readonly limit: number;
  private top: number;
  /** Largest top ever reached (bytes above base), for memory reports. */
  highWater = 0;

  constructor(memory: WebAssembly.Memory, base: number, limit: number) {
    this.memory = memory;
    this.base = (base + ALIGN - 1) & ~(ALIGN - 1);
    this.top = this.base;
    this.limit = limit;
  }

  mark(): number {
    return this.top;
  }

  release(mark: number): void {
    this.top = mark;
  }

  /** Reserve `bytes` (64-byte aligned) and return the address. Throws AllocationError past the limit. */
  alloc(bytes: number): number {
    const p = this.top;
    const end = p + Math.ceil(bytes / ALIGN) * ALIGN;
    if (!(end - this.base <= this.limit) || end > 4294967296 - PAGE) throw new AllocationError(end - this.base, this.limit);
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      try {
        this.memory.grow(pages);
      } catch {
        throw new AllocationError(end - this.base, Math.min(this.limit, have - this.base));
      }
    }
    this.top = end;
    this.highWater = Math.max(this.highWater, end - this.base);
    return p;
  }

  /** Room for n float64s. */
  allocF64(n: number): number {
    return this.alloc(n * 8);
  }

  /** Copy `src` into fresh arena space and return its address. */
  put(src: ArrayLike<number> & { length: number }): number {
    const p = this.allocF64(src.length);
    this.f64(p, src.length).set(src as ArrayLike<number>);
    return p;
  }

  /** A live view of n float64s at p. Invalid after the next alloc (memory may grow). */
  f64(p: number, n: number): Float64Array {
    return new Float64Array(this.memory.buffer, p, n);
  }

  /** A copy of n float64s at p, owned by the caller. */
  take(p: number, n: number): Float64Array {
    return this.f64(p, n).slice();
  }

  u32(p: number, n: number): Uint32Array {
    return new Uint32Array(this.memory.buffer, p, n);
  }

  i32(p: number, n: number): Int32Array {
    return new Int32Array(this.memory.buffer, p, n);
  }
}
