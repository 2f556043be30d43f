/**
 * One instantiated WASM core: its exports and its scratch arena. `scope` runs a piece of work with
 * arena mark/release and turns WASM traps into InternalError (a trap is always a hardlearn bug:
 * validation happens before any kernel runs).
 */
import { Arena } from "./arena.js";
import type { CoreExports } from "./exports.js";
import { HardlearnError, InternalError } from "../errors.js";

export class Core {
  readonly x: CoreExports;
  readonly arena: Arena;

  constructor(exports: CoreExports, memoryLimitBytes: number, memory?: WebAssembly.Memory) {
    this.x = exports;
    this.arena = new Arena(memory ?? exports.memory, exports.heap_base(), memoryLimitBytes);
  }

  /** Run `fn` with a fresh arena scope; everything allocated inside is released afterwards. */
  scope<T>(fn: (arena: Arena) => T): T {
    const mark = this.arena.mark();
    try {
      return fn(this.arena);
    } catch (e) {
      if (e instanceof HardlearnError) throw e;
      if (e instanceof WebAssembly.RuntimeError || (e instanceof Error && /abort|unreachable/i.test(e.message))) {
        throw new InternalError(e.message);
      }
      throw e;
    } finally {
      this.arena.release(mark);
    }
  }
}
