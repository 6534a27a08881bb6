/**
 * WebAssembly SIMD tensor kernels (assembly/tensor/) registered as backend 'wasm-simd'
 * (priority 10). The module imports a shared memory that this side creates and grows; operands
 * are copied in and results out, which costs O(size) against the GEMM's O(m·n·k) work.
 * Instantiation is synchronous and lazy; when WebAssembly SIMD or shared memory is missing, the
 * backend reports itself unavailable and the plain TypeScript kernels are used.
 */
import { registerBackend, registerKernel } from '../backend/registry.js';
import { wasmBase64 } from '../wasm/tensor.wasm.js';
import { wasmBase64 as relaxedBase64 } from '../wasm/tensor-relaxed.wasm.js';
import { relaxedSimdAvailable } from '../backend/relaxed-simd.js';
import { decodeWasmBase64 } from '../backend/wasm-binary.js';
import { type ComplexArray, GEMM_KERNEL, PERMUTE_KERNEL, type GemmKernel, type PermuteKernel, gemmJs, permuteJs } from './kernels.js';

interface TensorExports {
  gemm_c64(batch: number, m: number, n: number, k: number, a: number, b: number, c: number, pack: number): void;
  gemm_c128(batch: number, m: number, n: number, k: number, a: number, b: number, c: number, pack: number): void;
  gemm3m_c64(batch: number, m: number, n: number, k: number, a: number, b: number, c: number, pack: number, bpk: number, packb: number): void;
  gemm3m_c128(batch: number, m: number, n: number, k: number, a: number, b: number, c: number, pack: number, bpk: number, packb: number): void;
  packed_b_bytes(n: number, k: number, elemBytes: number): number;
  permute(src: number, dst: number, meta: number, elemBytes: number): void;
}

const PAGE = 65536;
const BASE = PAGE; // the first page is left to the module's own statics
const MAX_PAGES = 32768; // 2 GiB
/**
 * Packing scratch per thread of the complex GEMMs: the larger of PACK_BYTES (4M kernels) and
 * PACK3_BYTES (3M kernels, whose packed B lies apart) in assembly/tensor, both checked at
 * instantiation.
 */
const PACK_BYTES = (128 / 4) * 128 * 64 + 128 * 32;

let state: { memory: WebAssembly.Memory; exports: TensorExports } | null | undefined;
let compiled: WebAssembly.Module | undefined;

function instance(): { memory: WebAssembly.Memory; exports: TensorExports } | null {
  if (state !== undefined) return state;
  try {
    const memory = new WebAssembly.Memory({ initial: 2, maximum: MAX_PAGES, shared: true });
    // The relaxed-SIMD build (FMA in the 3M micro-kernel) wherever it validates; helper threads get this same module.
    const module = new WebAssembly.Module(decodeWasmBase64(relaxedSimdAvailable() ? relaxedBase64 : wasmBase64));
    compiled = module;
    const inst = new WebAssembly.Instance(module, { env: { memory, abort: () => { throw new Error('wasm abort'); } } });
    // A module needing more packing scratch than reserved here would write past it.
    for (const name of ['PACK_BYTES', 'PACK3_BYTES']) {
      const need = (inst.exports[name] as WebAssembly.Global | undefined)?.value as number | undefined;
      if (need === undefined || need > PACK_BYTES) throw new Error(`tensor wasm: ${name} ${need} > ${PACK_BYTES}`);
    }
    state = { memory, exports: inst.exports as unknown as TensorExports };
  } catch {
    state = null;
  }
  return state;
}

/** Ensures the memory holds `bytes` past BASE; returns false when it cannot. */
function reserve(bytes: number): boolean {
  const s = instance();
  if (!s) return false;
  const need = Math.ceil((BASE + bytes) / PAGE);
  const have = s.memory.buffer.byteLength / PAGE;
  if (need <= have) return true;
  if (need > MAX_PAGES) return false;
  s.memory.grow(need - have);
  return true;
}

const align = (x: number): number => (x + 15) & ~15;

function view(a: ComplexArray, byteOffset: number, length: number): ComplexArray {
  const buf = instance()!.memory.buffer;
  return a instanceof Float32Array ? new Float32Array(buf, byteOffset, length) : new Float64Array(buf, byteOffset, length);
}

/**
 * Optional row-splitting helper installed by `threads.node.ts`: other threads sharing this
 * memory compute blocks of C's rows, taking the next block from a shared counter (so a thread
 * slowed down by other load on the machine simply takes fewer blocks). Receives byte offsets.
 */
export interface GemmSplitter {
  /** Number of helper threads (each needs its own packing scratch). */
  readonly helpers: number;
  /**
   * Zeroes the shared row counter, sets the helpers taking blocks of `chunk` rows (packing
   * scratch after `offPack + packBytes`) and returns the counter for the calling thread to take
   * blocks too. `elemBytes` is 8 (complex64) or 16 (complex128); a nonzero `offPackedB` picks
   * the 3M kernels on that already packed B (every thread must run the same kernel so that
   * results do not depend on the thread count).
   */
  start(m: number, n: number, k: number, offA: number, offB: number, offC: number, offPack: number, elemBytes: 8 | 16, offPackedB: number, chunk: number): Int32Array;
  /** Blocks until the helpers are done. */
  wait(): void;
}
let splitter: GemmSplitter | undefined;

/** The module, its shared memory and the layout constants, for helper threads. */
export function tensorWasmShared(): { memory: WebAssembly.Memory; module: WebAssembly.Module; packBytes: number; base: number } | null {
  const s = instance();
  return s && compiled ? { memory: s.memory, module: compiled, packBytes: PACK_BYTES, base: BASE } : null;
}

/** Installs (or removes) the multi-threaded row splitter used for large single-batch GEMMs. */
export function setGemmSplitter(f: GemmSplitter | undefined): void {
  splitter = f;
}

/**
 * Whether a GEMM shape uses the 3M kernels (3 real products, 25% fewer multiply-adds, a wider
 * register tile) rather than the 4M ones: they pack A three times per column panel and pad
 * operands to 4-row × 8-column tiles, which only pays when no dimension is small (measured:
 * slower at n = 8, even at 32³).
 */
export function use3m(m: number, n: number, k: number): boolean {
  return m >= 16 && n >= 32 && k >= 32;
}

const gemmWasm: GemmKernel = (batch, m, n, k, a, b, c) => {
  const eb = a instanceof Float32Array ? 4 : 8;
  const la = 2 * batch * m * k;
  const lb = 2 * batch * k * n;
  const lc = 2 * batch * m * n;
  const offA = BASE;
  const offB = offA + align(la * eb);
  const offC = offB + align(lb * eb);
  const offPack = offC + align(lc * eb);
  const m3 = use3m(m, n, k);
  const helpers = splitter?.helpers ?? 0;
  // The 3M kernels' packed B (one, shared by all threads) follows every thread's scratch.
  const offBp = offPack + PACK_BYTES * (1 + helpers);
  const bpBytes = m3 && instance() ? instance()!.exports.packed_b_bytes(n, k, eb) : 0;
  if (!reserve(offBp - BASE + bpBytes)) return gemmJs(batch, m, n, k, a, b, c);
  view(a, offA, la).set(a.subarray(0, la));
  view(b, offB, lb).set(b.subarray(0, lb));
  const ex = instance()!.exports;
  const g3 = eb === 4 ? ex.gemm3m_c64 : ex.gemm3m_c128;
  const g4 = eb === 4 ? ex.gemm_c64 : ex.gemm_c128;
  if (batch === 1 && splitter && m >= 64 && m * n * k >= 1 << 21) {
    // Blocks of rows (a multiple of 4, about 4 per thread, at least 32) from a shared counter,
    // taken by the helpers and by this thread alike; the 3M kernels' B is packed once first.
    if (m3) g3(1, 0, n, k, offA, offB, offC, offPack, offBp, 1);
    const parts = 4 * (splitter.helpers + 1);
    const chunk = Math.max(32, Math.ceil(m / parts / 4) * 4);
    const counter = splitter.start(m, n, k, offA, offB, offC, offPack, eb === 4 ? 8 : 16, m3 ? offBp : 0, chunk);
    for (;;) {
      const i0 = Atomics.add(counter, 0, chunk);
      if (i0 >= m) break;
      const rows = Math.min(chunk, m - i0);
      if (m3) g3(1, rows, n, k, offA + i0 * k * 2 * eb, offB, offC + i0 * n * 2 * eb, offPack, offBp, 0);
      else g4(1, rows, n, k, offA + i0 * k * 2 * eb, offB, offC + i0 * n * 2 * eb, offPack);
    }
    splitter.wait();
  } else if (m3) g3(batch, m, n, k, offA, offB, offC, offPack, offBp, 1);
  else g4(batch, m, n, k, offA, offB, offC, offPack);
  c.set(view(c, offC, lc));
};

const permuteWasm: PermuteKernel = (src, shape, perm, dst) => {
  const r = shape.length;
  if (r <= 1 || !instance()) return permuteJs(src, shape, perm, dst);
  const eb = src instanceof Float32Array ? 4 : 8;
  const len = src.length;
  const offMeta = BASE;
  const offSrc = offMeta + align(4 * (1 + 3 * r));
  const offDst = offSrc + align(len * eb);
  if (!reserve(offDst - BASE + len * eb)) return permuteJs(src, shape, perm, dst);
  const stride = new Array<number>(r);
  let s = 1;
  for (let i = r - 1; i >= 0; i--) {
    stride[i] = s;
    s *= shape[i];
  }
  const meta = new Int32Array(instance()!.memory.buffer, offMeta, 1 + 3 * r);
  meta[0] = r;
  perm.forEach((p, j) => {
    meta[1 + j] = shape[p];
    meta[1 + r + j] = stride[p];
  });
  view(src, offSrc, len).set(src);
  instance()!.exports.permute(offSrc, offDst, offMeta, 2 * eb);
  dst.set(view(dst, offDst, len));
};

registerBackend({ name: 'wasm-simd', priority: 10, isAvailable: () => instance() !== null });
registerKernel<GemmKernel>(GEMM_KERNEL, 'wasm-simd', gemmWasm);
registerKernel<PermuteKernel>(PERMUTE_KERNEL, 'wasm-simd', permuteWasm);
