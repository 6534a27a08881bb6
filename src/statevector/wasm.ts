/**
 * WebAssembly SIMD backend (`wasm-simd`) for the state-vector kernels (assembly/sv/index.ts).
 *
 * Each chunk of the state lives in its own shared WebAssembly.Memory (so a 30-qubit state is
 * several memories, none over 4 GiB), after a scratch area that holds the op's matrix and index
 * tables. Ops the SIMD kernels do not cover (targets on global qubits, blocks over
 * 5 qubits, complex64 dense blocks on chunks of under four free bases) use the TypeScript kernel on
 * the same arrays, so results never depend on whether WASM is there.
 */
import { registerBackend, registerKernel } from '../backend/registry.js';
import { wasmBase64 } from '../wasm/sv.wasm.js';
import { wasmBase64 as relaxedBase64 } from '../wasm/sv-relaxed.wasm.js';
import { relaxedSimdAvailable } from '../backend/relaxed-simd.js';
import { decodeWasmBase64 } from '../backend/wasm-binary.js';
import { SV_APPLY, applyJs, partRange, planOp, restrictPlan, type Amps, type ApplyKernel, type ChunkedState, type KernelOp } from './kernels.js';
import type { Precision } from '../engine/types.js';
import { MAX_CHUNK_LEVELS, faultPageCount, faultPages, stateBytes, statePrecision } from './state.js';
import { SV_GROUP_BUFFER, type GroupBufferProvider } from './cache-blocking.js';

/** Bytes before the amplitudes: 15 scratch slots of 64 KiB (one per thread) plus a reserved page. */
const STATE_OFFSET = 1 << 20;
const SLOT_BYTES = 1 << 16;
const PAGE = 1 << 16;
const MAX_K = 5;

interface WasmExports {
  dense32q(state: number, mat: number, lo: number, dim: number, lz: number, nz: number, lmask: number, begin: number, end: number, tmp: number): void;
  dense1q32(state: number, mat: number, lo: number, lz: number, nz: number, lmask: number, begin: number, end: number): void;
  dense2q32(state: number, mat: number, lo: number, lz: number, nz: number, lmask: number, begin: number, end: number): void;
  dense3b32(state: number, mat: number, lo: number, lz: number, nz: number, lmask: number, begin: number, end: number): void;
  diag32(state: number, mat: number, lo: number, dim: number, lz: number, nz: number, lmask: number, begin: number, end: number): void;
  dense64p(state: number, mat: number, lo: number, dim: number, lz: number, nz: number, lmask: number, begin: number, end: number, tmp: number): void;
  perm(state: number, perm: number, lo: number, dim: number, lz: number, nz: number, lmask: number, begin: number, end: number, tmp: number, shift: number): void;
  diag64(state: number, mat: number, lo: number, dim: number, lz: number, nz: number, lmask: number, begin: number, end: number): void;
  diag32s(state: number, mat: number, lo: number, dim: number, lz: number, nz: number, lmask: number, begin: number, end: number): void;
}

/** Which build of the kernels runs: plain SIMD128, or with relaxed-SIMD fused multiply-add. */
export type SvWasmVariant = 'simd' | 'relaxed-simd';

const moduleCache = new Map<SvWasmVariant, WebAssembly.Module>();
let available: boolean | undefined;

/** Whether WASM SIMD with shared memory works here (feature detection, no side effects). */
export function wasmSimdAvailable(): boolean {
  if (available === undefined) {
    try {
      available = typeof WebAssembly === 'object' && typeof SharedArrayBuffer === 'function' && WebAssembly.validate(decodeWasmBase64(wasmBase64));
    } catch {
      available = false;
    }
  }
  return available;
}

/** The build new chunk memories get: the FMA one wherever relaxed SIMD validates. */
export function svWasmVariant(): SvWasmVariant {
  return relaxedSimdAvailable() ? 'relaxed-simd' : 'simd';
}

function wasmModule(v: SvWasmVariant): WebAssembly.Module {
  let m = moduleCache.get(v);
  if (!m) moduleCache.set(v, (m = new WebAssembly.Module(decodeWasmBase64(v === 'relaxed-simd' ? relaxedBase64 : wasmBase64))));
  return m;
}

interface ChunkMem {
  readonly memory: WebAssembly.Memory;
  readonly exports: WasmExports;
  readonly variant: SvWasmVariant;
  /** Which op each scratch slot currently holds. */
  readonly slotOp: (KernelOp | undefined)[];
}

const chunkMem = new WeakMap<Amps, ChunkMem>();

/**
 * Instantiates the kernels on a memory that already holds a chunk (used by worker threads too,
 * which are told the main thread's build so every thread runs the same instructions).
 */
export function attachChunk(chunk: Amps, memory: WebAssembly.Memory, variant: SvWasmVariant = svWasmVariant()): void {
  const inst = new WebAssembly.Instance(wasmModule(variant), { env: { memory } });
  chunkMem.set(chunk, { memory, exports: inst.exports as unknown as WasmExports, variant, slotOp: [] });
}

/** The kernel build a chunk runs, when it lives in a WASM memory. */
export function chunkVariant(chunk: Amps): SvWasmVariant | undefined {
  return chunkMem.get(chunk)?.variant;
}

/** The shared memory behind a chunk, when it has one. */
export function chunkMemory(chunk: Amps): WebAssembly.Memory | undefined {
  return chunkMem.get(chunk)?.memory;
}

/** View of a chunk inside a memory made by `allocWasmState`. */
export function chunkView(memory: WebAssembly.Memory, precision: Precision, chunkBits: number): Amps {
  const floats = 2 * 2 ** chunkBits;
  return precision === 'single' ? new Float32Array(memory.buffer, STATE_OFFSET, floats) : new Float64Array(memory.buffer, STATE_OFFSET, floats);
}

/**
 * Idle chunk memories kept for the next state. V8 does not count a shared WebAssembly memory
 * towards the heap pressure that triggers garbage collection, so a memory dropped after a run
 * stayed resident until some unrelated collection: a process that ran a 22-qubit circuit 60
 * times held 3.8 GB. Engines hand their memories back when a run ends (`releaseWasmState`) and
 * the next state reuses them, so a long-lived process holds about its largest state, not the sum
 * of all runs.
 */
const idle: WebAssembly.Memory[] = [];
/**
 * Idle memories kept at most: a state and its trajectory copy of the most chunks the engine
 * allows (2 × 2^MAX_CHUNK_LEVELS). Dropping memories instead would leave them to the garbage
 * collection of every worker thread that saw them, which may never come.
 */
const IDLE_LIMIT = 2 * 2 ** MAX_CHUNK_LEVELS;
/** A pooled memory may grow to one default-size chunk: 2 GiB of amplitudes plus the scratch. */
const GROW_PAGES = (STATE_OFFSET + 2 ** 31) / PAGE;
let created = 0;

function newMemory(pages: number): WebAssembly.Memory {
  created++;
  try {
    return new WebAssembly.Memory({ initial: pages, maximum: Math.max(pages, GROW_PAGES), shared: true });
  } catch {
    // Where a growable reservation is refused (small address spaces), a fixed one may still fit.
    return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  }
}

const pagesOf = (m: WebAssembly.Memory): number => m.buffer.byteLength / PAGE;

/**
 * An idle memory of at least `pages` (the smallest such, else the largest grown), or a new one;
 * `reused` says whether it may hold an earlier state.
 */
function takeMemory(pages: number): { memory: WebAssembly.Memory; reused: boolean } {
  let fit = -1;
  let largest = -1;
  for (let i = 0; i < idle.length; i++) {
    const have = pagesOf(idle[i]);
    if (have >= pages && (fit < 0 || have < pagesOf(idle[fit]))) fit = i;
    if (largest < 0 || have > pagesOf(idle[largest])) largest = i;
  }
  if (fit < 0 && largest >= 0) {
    try {
      idle[largest].grow(pages - pagesOf(idle[largest]));
      fit = largest;
    } catch {
      // At its maximum: leave it idle for a smaller state.
    }
  }
  if (fit < 0) return { memory: newMemory(pages), reused: false };
  return { memory: idle.splice(fit, 1)[0], reused: true };
}

/** Pages of a memory holding the scratch area and a chunk of 2^chunkBits amplitudes. */
function chunkPages(chunkBits: number, precision: Precision): number {
  return Math.ceil((STATE_OFFSET + stateBytes(chunkBits, precision)) / PAGE);
}

/** Chunks in fresh memories left for the caller to fault in (`allocWasmState(…, false)`). */
const unfaulted = new WeakSet<Amps>();

/**
 * Indices of the state's chunks in fresh memories not faulted in yet (allocated with `faultIn`
 * false), each returned once. They must be faulted in (`faultPages`, e.g. by a `fault` step split
 * across threads) before anything but |0…0⟩ is written to them.
 */
export function takeUnfaulted(state: ChunkedState): number[] {
  const out: number[] = [];
  state.chunks.forEach((c, i) => {
    if (unfaulted.delete(c)) out.push(i);
  });
  return out;
}

/**
 * Allocates |0…0⟩ with each chunk in its own shared WebAssembly memory (reusing idle ones).
 * @param faultIn fault fresh memories in here, on the calling thread (default); else the caller
 *   does it, see `takeUnfaulted`
 */
export function allocWasmState(n: number, precision: Precision, maxChunkBits: number, faultIn = true): ChunkedState {
  const chunkBits = Math.min(n, maxChunkBits);
  const numChunks = 2 ** (n - chunkBits);
  const pages = chunkPages(chunkBits, precision);
  const chunks: Amps[] = [];
  for (let c = 0; c < numChunks; c++) {
    const { memory, reused } = takeMemory(pages);
    const view = chunkView(memory, precision, chunkBits);
    // A fresh memory is faulted in here, one write per 4 KiB page, before any kernel runs: page
    // faults taken inside the first passes stall the thread that takes them while the others wait
    // at the barrier (26 qubits, 2 threads: a cold run cost 0.9–1.5 s more than a reused memory,
    // 0.15–0.6 s with this, occasionally 1.3–1.6 s when the host is slow to supply pages).
    if (reused) view.fill(0);
    else if (faultIn) faultPages(view, 0, faultPageCount(view));
    else unfaulted.add(view);
    attachChunk(view, memory);
    chunks.push(view);
  }
  chunks[0][0] = 1;
  return { numQubits: n, chunkBits, chunks };
}

/**
 * Hands a state's memories back for reuse by the next `allocWasmState`. The state must not be
 * used afterwards (its chunks are detached from the kernels). States of the plain TypeScript
 * backend are ignored: ordinary array buffers are collected normally.
 */
export function releaseWasmState(state: ChunkedState): void {
  for (const chunk of state.chunks) {
    const cm = chunkMem.get(chunk);
    if (!cm) continue;
    chunkMem.delete(chunk);
    if (idle.length < IDLE_LIMIT && !idle.includes(cm.memory)) idle.push(cm.memory);
  }
}

/**
 * Drops the idle state memories, so that the garbage collector may return them to the system
 * (after a large simulation in a long-lived page or server, for example). Returns their bytes.
 */
export function releaseIdleStateMemory(): number {
  const bytes = idle.reduce((s, m) => s + m.buffer.byteLength, 0);
  idle.length = 0;
  return bytes;
}

/** Memories made and kept idle so far (for tests of the reuse). */
export function stateMemoryStats(): { readonly created: number; readonly idle: number } {
  return { created, idle: idle.length };
}

/**
 * Writes each complex entry into `out` as `lanes` copies of its real part then `lanes` of its
 * imaginary part (plain loops: per-entry `fill` calls cost more than the copies at small k).
 */
function splitSplat(matrix: Float64Array, entries: number, out: Float32Array | Float64Array, lanes: number): void {
  let o = 0;
  for (let e = 0; e < entries; e++) {
    const re = matrix[2 * e], im = matrix[2 * e + 1];
    for (let l = 0; l < lanes; l++) out[o++] = re;
    for (let l = 0; l < lanes; l++) out[o++] = im;
  }
}

/**
 * Whether the op runs in `dense3b32` (3-qubit complex64 dense blocks): the one test both the
 * matrix layout written to scratch and the kernel choice use, so they cannot disagree.
 */
function broadcast3(op: KernelOp, single: boolean): boolean {
  return single && op.kind === 'dense' && op.pos.length === 3;
}

/** Writes the op's tables into scratch slot `slot` of a chunk memory. */
function writeScratch(cm: ChunkMem, op: KernelOp, slot: number, single: boolean, lo: Int32Array, lZero: Int32Array): number {
  const base = slot * SLOT_BYTES + PAGE;
  const buf = cm.memory.buffer;
  // The index tables are tiny and differ per cache block (restricted plans): always written.
  new Int32Array(buf, base + 34816, lo.length).set(lo);
  new Int32Array(buf, base + 35072, lZero.length).set(lZero);
  if (cm.slotOp[slot] === op) return base;
  const k = op.pos.length;
  const dim = 1 << k;
  const entries = op.kind === 'diag' ? dim : op.kind === 'perm' ? 0 : dim * dim;
  // Layout: [0, 32 KiB) matrix, then tmp (1 KiB: each column and its re/im swap), lo (128 B), lz.
  if (op.kind === 'perm') {
    new Int32Array(buf, base, dim).set(op.perm);
  } else if (broadcast3(op, single)) {
    // dense3b32: per column c, rows (r, r+1) as (re, im, re, im), then as (−im, re, −im, re).
    const f = new Float32Array(buf, base, 4 * dim * dim);
    for (let c = 0; c < dim; c++)
      for (let r = 0; r < dim; r++) {
        const re = op.matrix[2 * (r * dim + c)], im = op.matrix[2 * (r * dim + c) + 1];
        const o = 4 * dim * c + 2 * r;
        f[o] = re;
        f[o + 1] = im;
        f[o + 2 * dim] = -im;
        f[o + 2 * dim + 1] = re;
      }
  } else if (single && op.kind === 'dense') {
    // Split form for dense32q: splat(re), splat(im).
    splitSplat(op.matrix, entries, new Float32Array(buf, base, entries * 8), 4);
  } else if (single) {
    // diag32/diag32s: splat(re), (−im, im, −im, im) against the interleaved amplitudes.
    const f = new Float32Array(buf, base, entries * 8);
    for (let e = 0; e < entries; e++) {
      const re = op.matrix[2 * e], im = op.matrix[2 * e + 1];
      const o = 8 * e;
      f[o] = f[o + 1] = f[o + 2] = f[o + 3] = re;
      f[o + 4] = f[o + 6] = -im;
      f[o + 5] = f[o + 7] = im;
    }
  } else if (op.kind === 'dense') {
    // Split form for dense64p: splat(re), splat(im).
    splitSplat(op.matrix, entries, new Float64Array(buf, base, entries * 4), 2);
  } else {
    const f = new Float64Array(buf, base, entries * 4);
    for (let e = 0; e < entries; e++) {
      const re = op.matrix[2 * e], im = op.matrix[2 * e + 1];
      const o = 4 * e;
      f[o] = f[o + 1] = re;
      f[o + 2] = -im;
      f[o + 3] = im;
    }
  }
  cm.slotOp[slot] = op;
  return base;
}

/** The WASM SIMD kernel (falls back to the TypeScript kernel for ops it does not cover). */
export const applyWasm: ApplyKernel = (state, op, part, parts, scratchSlot, restrict) => {
  const k = op.pos.length;
  const single = state.chunks[0] instanceof Float32Array;
  const pl = restrict ? restrictPlan(planOp(op, state.chunkBits, state.chunks.length), restrict) : planOp(op, state.chunkBits, state.chunks.length);
  const cm0 = chunkMem.get(state.chunks[0]);
  const bit0Used = pl.lZero.length > 0 && pl.lZero[0] === 0;
  // complex64 dense blocks take four bases per step (dense32q), except 3-qubit ones, two
  // (dense3b32); diagonal ones two (one when bit 0 is in use: diag32s); complex128 dense blocks two
  // (dense64p), diagonal ones one.
  const bcast3 = broadcast3(op, single);
  const quads = single && op.kind === 'dense' && !bcast3;
  // Permutations only move amplitudes: one basis per step (perm).
  const pairs = bcast3 || (single ? op.kind === 'diag' && !bit0Used : op.kind === 'dense');
  const perStep = quads ? 4 : pairs ? 2 : 1;
  if (!cm0 || pl.kg > 0 || k > MAX_K || pl.nL < perStep) {
    applyJs(state, op, part, parts, scratchSlot, restrict);
    return;
  }
  const nLw = pl.nL / perStep;
  const total = pl.nG * nLw;
  const [begin, end] = partRange(total, part, parts);
  const slot = (scratchSlot ?? part) % 15;
  const dim = 1 << k;
  for (let t = begin; t < end; ) {
    const gi = Math.floor(t / nLw);
    const lend = Math.min(end, (gi + 1) * nLw);
    let g = gi;
    // Chunk index: insert zeros at the global control positions, set them.
    for (let j = 0; j < pl.gZero.length; j++) {
      const p = pl.gZero[j];
      g = ((g >>> p) << (p + 1)) | (g & ((1 << p) - 1));
    }
    const chunk = state.chunks[g | pl.gMask];
    const cm = chunkMem.get(chunk)!;
    const base = writeScratch(cm, op, slot, single, pl.lo, pl.lZero);
    const b0 = t - gi * nLw, b1 = lend - gi * nLw;
    const ex = cm.exports;
    const at = chunk.byteOffset;
    if (op.kind === 'diag') (single ? (pairs ? ex.diag32 : ex.diag32s) : ex.diag64)(at, base, base + 34816, dim, base + 35072, pl.lZero.length, pl.lMask, b0, b1);
    else if (op.kind === 'perm') ex.perm(at, base, base + 34816, dim, base + 35072, pl.lZero.length, pl.lMask, b0, b1, base + 32768, single ? 3 : 4);
    // 1-, 2- and 3-qubit complex64 blocks have register kernels (no gather buffer).
    else if (bcast3) ex.dense3b32(at, base, base + 34816, base + 35072, pl.lZero.length, pl.lMask, b0, b1);
    else if (single && k <= 2) (k === 1 ? ex.dense1q32 : ex.dense2q32)(at, base, base + 34816, base + 35072, pl.lZero.length, pl.lMask, b0, b1);
    else (single ? ex.dense32q : ex.dense64p)(at, base, base + 34816, dim, base + 35072, pl.lZero.length, pl.lMask, b0, b1, base + 32768);
    t = lend;
  }
};

const groupBuffers = new Map<string, ChunkedState>();

/**
 * The calling thread's buffer for staged windows (cache-blocking.ts): its own memory with the
 * kernels of the state's build, so every thread computes a group by the same instructions.
 */
export const wasmGroupBuffer: GroupBufferProvider = (state, bits) => {
  const variant = chunkVariant(state.chunks[0]) ?? svWasmVariant();
  const precision = statePrecision(state);
  const key = `${precision}/${bits}/${variant}`;
  let b = groupBuffers.get(key);
  if (!b) {
    const pages = chunkPages(bits, precision);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    const view = chunkView(memory, precision, bits);
    attachChunk(view, memory, variant);
    b = { numQubits: bits, chunkBits: bits, chunks: [view] };
    groupBuffers.set(key, b);
  }
  return b;
};

registerBackend({ name: 'wasm-simd', priority: 10, isAvailable: wasmSimdAvailable });
registerKernel<ApplyKernel>(SV_APPLY, 'wasm-simd', applyWasm);
registerKernel<GroupBufferProvider>(SV_GROUP_BUFFER, 'wasm-simd', wasmGroupBuffer);
