// The WASM side never allocates: JS owns the data and places it in a scratch arena that starts at
// heap_base() (see src/core/arena.ts). Kernels take raw byte addresses (usize) and trust them.

/** First byte the JS arena may use, rounded up to 64 bytes (cache line). */
export function heap_base(): usize {
  return (__heap_base + 63) & ~(<usize>63);
}
