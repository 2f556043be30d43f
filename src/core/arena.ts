/**
 * Scratch arena over the WASM linear memory. JS owns user data; each public call copies its inputs
 * into the arena, runs kernels on raw pointers and copies results out. Allocation is a bump pointer
 * with mark/release (stack discipline), so nested engine calls compose and nothing leaks.
 * Views must be re-created after any allocation, because growing memory detaches old buffers.
 *
 * Async computations. A computation that keeps scratch across an `await` (Core.session) pins the arena at
 * its top while it is suspended. Synchronous engine calls made meanwhile allocate above the pin and release
 * back to it before returning (stack discipline makes that automatic); a release below a pin, or a session
 * resuming to find its top moved, is an engine bug and throws InternalError instead of corrupting memory.
 * Sessions run one at a time per engine (Core.session), so at most one pin exists from sessions.
 */
import { AllocationError, InternalError } from "../errors.js";

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

  /** Pins of suspended computations: the arena top each one must find again when it resumes. */
  private readonly pins: number[] = [];

  /** The current top: pass it to release() to free everything allocated after this point. */
  mark(): number {
    return this.top;
  }

  /** Free everything allocated since `mark`. Releasing below a suspended computation's scratch is refused. */
  release(mark: number): void {
    const floor = this.pins.length ? this.pins[this.pins.length - 1] : this.base;
    if (!(mark >= floor && mark <= this.top)) {
      throw new InternalError(`scratch released out of order (mark ${mark}, top ${this.top}, floor ${floor})`);
    }
    this.top = mark;
  }

  /**
   * A computation is about to suspend with scratch at or below the current top: protect it until unpin().
   * Returns the pinned top.
   */
  pin(): number {
    this.pins.push(this.top);
    return this.top;
  }

  /** The suspended computation resumes: everything allocated meanwhile must have been released. */
  unpin(pinned: number): void {
    const last = this.pins.pop();
    if (last !== pinned || this.top !== pinned) {
      throw new InternalError(`scratch changed while a computation was suspended (pinned ${pinned}, top ${this.top})`);
    }
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
