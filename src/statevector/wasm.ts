/**
 * WebAssembly SIMD backend (`wasm-simd`) for the state-vector kernels (assembly/sv/index.ts).
 *
 * Each chunk of the state lives in its own shared WebAssembly.Memory (so a 30-qubit state is
 * several memories, none over 4 GiB), after a scratch area that holds the op's matrix and index
 * tables. Ops the SIMD kernels do not cover (permutations, targets on global qubits, complex64
 * with bit 0 among targets/controls, blocks over 5 qubits) use the TypeScript kernel on the same
 * arrays, so results never depend on whether WASM is there.
 */
import { registerBackend, registerKernel } from '../backend/registry.js';
import { wasmBase64 } from '../wasm/sv.wasm.js';
import { SV_APPLY, applyJs, partRange, planOp, type Amps, type ApplyKernel, type ChunkedState, type KernelOp } from './kernels.js';
import type { Precision } from '../engine/types.js';

/** Bytes before the amplitudes: 15 scratch slots of 64 KiB (one per thread) plus a reserved page. */
const STATE_OFFSET = 1 << 20;
const SLOT_BYTES = 1 << 16;
const PAGE = 1 << 16;
const MAX_K = 5;

interface WasmExports {
  dense32(state: number, mat: number, lo: number, dim: number, lz: number, nz: number, lmask: number, begin: number, end: number, tmp: number): void;
  diag32(state: number, mat: number, lo: number, dim: number, lz: number, nz: number, lmask: number, begin: number, end: number): void;
  dense64(state: number, mat: number, lo: number, dim: number, lz: number, nz: number, lmask: number, begin: number, end: number, tmp: number): void;
  diag64(state: number, mat: number, lo: number, dim: number, lz: number, nz: number, lmask: number, begin: number, end: number): void;
  dense32s(state: number, mat: number, lo: number, dim: number, lz: number, nz: number, lmask: number, begin: number, end: number, tmp: number): void;
  diag32s(state: number, mat: number, lo: number, dim: number, lz: number, nz: number, lmask: number, begin: number, end: number): void;
}

let moduleCache: WebAssembly.Module | undefined;
let available: boolean | undefined;

function bytes(): Uint8Array<ArrayBuffer> {
  const s = atob(wasmBase64);
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

/** Whether WASM SIMD with shared memory works here (feature detection, no side effects). */
export function wasmSimdAvailable(): boolean {
  if (available === undefined) {
    try {
      available = typeof WebAssembly === 'object' && typeof SharedArrayBuffer === 'function' && WebAssembly.validate(bytes());
    } catch {
      available = false;
    }
  }
  return available;
}

function wasmModule(): WebAssembly.Module {
  return (moduleCache ??= new WebAssembly.Module(bytes()));
}

interface ChunkMem {
  readonly memory: WebAssembly.Memory;
  readonly exports: WasmExports;
  /** Which op each scratch slot currently holds. */
  readonly slotOp: (KernelOp | undefined)[];
}

const chunkMem = new WeakMap<Amps, ChunkMem>();

/** Instantiates the kernels on a memory that already holds a chunk (used by worker threads too). */
export function attachChunk(chunk: Amps, memory: WebAssembly.Memory): void {
  const inst = new WebAssembly.Instance(wasmModule(), { env: { memory } });
  chunkMem.set(chunk, { memory, exports: inst.exports as unknown as WasmExports, slotOp: [] });
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

/** Allocates |0…0⟩ with each chunk in its own shared WebAssembly memory. */
export function allocWasmState(n: number, precision: Precision, maxChunkBits: number): ChunkedState {
  const chunkBits = Math.min(n, maxChunkBits);
  const numChunks = 2 ** (n - chunkBits);
  const stateBytes = 2 ** chunkBits * (precision === 'single' ? 8 : 16);
  const pages = Math.ceil((STATE_OFFSET + stateBytes) / PAGE);
  const chunks: Amps[] = [];
  for (let c = 0; c < numChunks; c++) {
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    const view = chunkView(memory, precision, chunkBits);
    attachChunk(view, memory);
    chunks.push(view);
  }
  chunks[0][0] = 1;
  return { numQubits: n, chunkBits, chunks };
}

/** Writes the op's tables into scratch slot `slot` of a chunk memory. */
function writeScratch(cm: ChunkMem, op: KernelOp, slot: number, single: boolean, lo: Int32Array, lZero: Int32Array): number {
  const base = slot * SLOT_BYTES + PAGE;
  if (cm.slotOp[slot] === op) return base;
  const k = op.pos.length;
  const dim = 1 << k;
  const buf = cm.memory.buffer;
  const entries = op.kind === 'diag' ? dim : dim * dim;
  // Layout: [0, 32 KiB) matrix, then tmp (1 KiB: each column and its re/im swap), lo (128 B), lz.
  if (single) {
    const f = new Float32Array(buf, base, entries * 8);
    for (let e = 0; e < entries; e++) {
      const re = op.matrix[2 * e], im = op.matrix[2 * e + 1];
      f.set([re, re, re, re, -im, im, -im, im], 8 * e);
    }
  } else {
    const f = new Float64Array(buf, base, entries * 4);
    for (let e = 0; e < entries; e++) {
      const re = op.matrix[2 * e], im = op.matrix[2 * e + 1];
      f.set([re, re, -im, im], 4 * e);
    }
  }
  new Int32Array(buf, base + 34816, lo.length).set(lo);
  new Int32Array(buf, base + 35072, lZero.length).set(lZero);
  cm.slotOp[slot] = op;
  return base;
}

/** The WASM SIMD kernel (falls back to the TypeScript kernel for ops it does not cover). */
export const applyWasm: ApplyKernel = (state, op, part, parts) => {
  const k = op.pos.length;
  const single = state.chunks[0] instanceof Float32Array;
  const pl = planOp(op, state.chunkBits, state.chunks.length);
  const cm0 = chunkMem.get(state.chunks[0]);
  const bit0Used = pl.lZero.length > 0 && pl.lZero[0] === 0;
  if (!cm0 || op.kind === 'perm' || pl.kg > 0 || k > MAX_K) {
    applyJs(state, op, part, parts);
    return;
  }
  // complex64 normally takes two neighbouring bases per step; with bit 0 in use, one (…32s kernels).
  const pairs = single && !bit0Used && pl.nL >= 2;
  const perStep = pairs ? 2 : 1;
  const nLw = pl.nL / perStep;
  const total = pl.nG * nLw;
  const [begin, end] = partRange(total, part, parts);
  const slot = part % 15;
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
    if (op.kind === 'diag') (single ? (pairs ? ex.diag32 : ex.diag32s) : ex.diag64)(STATE_OFFSET, base, base + 34816, dim, base + 35072, pl.lZero.length, pl.lMask, b0, b1);
    else (single ? (pairs ? ex.dense32 : ex.dense32s) : ex.dense64)(STATE_OFFSET, base, base + 34816, dim, base + 35072, pl.lZero.length, pl.lMask, b0, b1, base + 32768);
    t = lend;
  }
};

registerBackend({ name: 'wasm-simd', priority: 10, isAvailable: wasmSimdAvailable });
registerKernel<ApplyKernel>(SV_APPLY, 'wasm-simd', applyWasm);
