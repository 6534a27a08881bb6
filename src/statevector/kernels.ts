/**
 * State-vector kernels (plain TypeScript backend) and the chunked state layout they work on.
 *
 * Layout: amplitude `i` (qubit q is bit `n-1-q` of `i`, docs/conventions.md) lives in chunk
 * `i >> chunkBits` at offset `i & (2^chunkBits - 1)`, interleaved `[re, im]`. Bit positions below
 * `chunkBits` are "local"; the rest are "global" and select the chunk. A gate on global positions is
 * applied by gathering the chunks that differ only in those bits (chunk pairing, as a multi-node
 * simulator pairs ranks), so no single array ever has to hold the whole state.
 */
import { registerKernel } from '../backend/registry.js';
import { isLocalGlobalSwap } from './global-qubits.js';

/** Amplitude storage: complex64 or complex128, interleaved. */
export type Amps = Float32Array | Float64Array;

/** A state vector split into equal chunks. */
export interface ChunkedState {
  readonly numQubits: number;
  /** log2 of amplitudes per chunk. */
  readonly chunkBits: number;
  readonly chunks: Amps[];
}

/** A fused op translated to bit positions (what kernels consume). */
export interface KernelOp {
  readonly kind: 'dense' | 'diag' | 'perm';
  /** Target bit positions ascending; matrix-index bit j ↔ `pos[j]`. */
  readonly pos: Int32Array;
  /** Control bit positions. */
  readonly ctrl: Int32Array;
  /** Dense matrix (row-major interleaved) or diagonal (interleaved), as float64. */
  readonly matrix: Float64Array;
  readonly perm: Int32Array;
}

/**
 * Restricts an op to the amplitudes whose bits at the local positions `fixed` (ascending, none of
 * them the op's) equal those of `values`: one cache block of a blocked window (cache-blocking.ts).
 */
export interface Restriction {
  readonly fixed: Int32Array;
  readonly values: number;
}

/**
 * The kernel signature: applies `op` to the part `part` of `parts` of the iteration space, or of
 * the restricted space. `scratchSlot` (default `part`) picks the calling thread's scratch area where
 * a backend has one: threads working on separate blocks all run part 0 of 1 and must not share it.
 */
export type ApplyKernel = (state: ChunkedState, op: KernelOp, part: number, parts: number, scratchSlot?: number, restrict?: Restriction) => void;

/** Kernel name in the backend registry. */
export const SV_APPLY = 'sv.apply';

/** Inserts zero bits at the given ascending positions into `i`. */
export function insertZeros(i: number, sortedPos: ArrayLike<number>): number {
  for (let j = 0; j < sortedPos.length; j++) {
    const p = sortedPos[j];
    const low = i & ((1 << p) - 1);
    i = ((i >>> p) << (p + 1)) | low;
  }
  return i;
}

/** Iteration plan shared by every backend: which chunks and local bases an op visits. */
export interface OpPlan {
  readonly kl: number;
  readonly kg: number;
  /** Local offsets (amplitude units) for each local part of the matrix index. */
  readonly lo: Int32Array;
  /** Chunk offsets for each global part of the matrix index. */
  readonly go: Int32Array;
  readonly lZero: Int32Array;
  readonly lMask: number;
  readonly gZero: Int32Array;
  readonly gMask: number;
  /** Number of chunk groups and local bases per group. */
  readonly nG: number;
  readonly nL: number;
}

const planCache = new WeakMap<KernelOp, Map<number, OpPlan>>();

/** Splits an op's positions into local/global parts for a given chunk size (cached per op). */
export function planOp(op: KernelOp, chunkBits: number, numChunks: number): OpPlan {
  let byBits = planCache.get(op);
  if (!byBits) planCache.set(op, (byBits = new Map()));
  const hit = byBits.get(chunkBits);
  if (hit) return hit;
  const L = chunkBits;
  const lpos: number[] = [];
  const gpos: number[] = [];
  for (const p of op.pos) (p < L ? lpos : gpos).push(p);
  const lctrl: number[] = [];
  const gctrl: number[] = [];
  for (const p of op.ctrl) (p < L ? lctrl : gctrl).push(p);
  const kl = lpos.length;
  const kg = gpos.length;
  const lo = new Int32Array(1 << kl);
  for (let m = 0; m < 1 << kl; m++) {
    let o = 0;
    for (let j = 0; j < kl; j++) if ((m >> j) & 1) o |= 1 << lpos[j];
    lo[m] = o;
  }
  const go = new Int32Array(1 << kg);
  for (let m = 0; m < 1 << kg; m++) {
    let o = 0;
    for (let j = 0; j < kg; j++) if ((m >> j) & 1) o |= 1 << (gpos[j] - L);
    go[m] = o;
  }
  const lZero = Int32Array.from([...lpos, ...lctrl].sort((a, b) => a - b));
  const gZero = Int32Array.from([...gpos, ...gctrl].map((p) => p - L).sort((a, b) => a - b));
  let lMask = 0;
  for (const p of lctrl) lMask |= 1 << p;
  let gMask = 0;
  for (const p of gctrl) gMask |= 1 << (p - L);
  const plan: OpPlan = {
    kl, kg, lo, go, lZero, lMask, gZero, gMask,
    nG: numChunks >>> gZero.length,
    nL: (1 << L) >>> lZero.length,
  };
  byBits.set(chunkBits, plan);
  return plan;
}

const restrictCache = new WeakMap<OpPlan, WeakMap<Int32Array, OpPlan>>();

/** An op's plan restricted to the amplitudes with the given bits at `restrict.fixed` (see Restriction). */
export function restrictPlan(plan: OpPlan, restrict: Restriction): OpPlan {
  let byFixed = restrictCache.get(plan);
  if (!byFixed) restrictCache.set(plan, (byFixed = new WeakMap()));
  let base = byFixed.get(restrict.fixed);
  if (!base) {
    const lZero = Int32Array.from([...plan.lZero, ...restrict.fixed].sort((a, b) => a - b));
    base = { ...plan, lZero, nL: plan.nL >>> restrict.fixed.length };
    byFixed.set(restrict.fixed, base);
  }
  return { ...base, lMask: base.lMask | restrict.values };
}

/** The [begin, end) slice of `total` items that part `part` of `parts` owns. */
export function partRange(total: number, part: number, parts: number): [number, number] {
  return [Math.floor((total * part) / parts), Math.floor((total * (part + 1)) / parts)];
}

// Scratch buffers for the generic kernel (k ≤ 10).
const VR = new Float64Array(1024);
const VI = new Float64Array(1024);
const WR = new Float64Array(1024);
const WI = new Float64Array(1024);

let scratch32: Float32Array | undefined;
let scratch64: Float64Array | undefined;
const PIECE = 1 << 16; // amplitudes exchanged per unit of work

/**
 * Swap of local position l with global position g: in each chunk pair differing in g, the runs of
 * 2^l amplitudes with bit l set in the first chunk trade places with those with bit l clear in the
 * second. Pure block copies, split into pieces so threads share the work evenly.
 */
function swapLocalGlobal(state: ChunkedState, l: number, g: number, part: number, parts: number): void {
  const L = state.chunkBits;
  const chunks = state.chunks;
  const gbit = 1 << (g - L);
  const run = 2 ** l;
  const piece = Math.min(run, PIECE);
  const piecesPerRun = run / piece;
  const runsPerChunk = 2 ** (L - l - 1);
  const unitsPerPair = runsPerChunk * piecesPerRun;
  const [begin, end] = partRange((chunks.length / 2) * unitsPerPair, part, parts);
  const single = chunks[0] instanceof Float32Array;
  const tmp = single ? (scratch32 ??= new Float32Array(2 * PIECE)) : (scratch64 ??= new Float64Array(2 * PIECE));
  for (let u = begin; u < end; u++) {
    const pair = Math.floor(u / unitsPerPair);
    const w = u - pair * unitsPerPair;
    const r = Math.floor(w / piecesPerRun);
    const off = 2 * (r * 2 * run + (w - r * piecesPerRun) * piece); // floats
    const lowChunk = insertZeros(pair, [g - L]);
    const a = chunks[lowChunk], b = chunks[lowChunk | gbit];
    const ia = off + 2 * run, len = 2 * piece;
    tmp.set(a.subarray(ia, ia + len));
    a.set(b.subarray(off, off + len), ia);
    b.set(tmp.subarray(0, len), off);
  }
}

/**
 * Plain TypeScript kernel. Every amplitude is computed by the same arithmetic whatever `parts` is,
 * so results are bit-identical across thread counts.
 */
export const applyJs: ApplyKernel = (state, op, part, parts, _slot, restrict) => {
  const L = state.chunkBits;
  const chunks = state.chunks;
  if (isLocalGlobalSwap(op, L)) {
    swapLocalGlobal(state, op.pos[0], op.pos[1], part, parts);
    return;
  }
  const pl = restrict ? restrictPlan(planOp(op, L, chunks.length), restrict) : planOp(op, L, chunks.length);
  const k = op.pos.length;
  const dim = 1 << k;
  const dl = 1 << pl.kl;
  const total = pl.nG * pl.nL;
  const [begin, end] = partRange(total, part, parts);
  if (begin >= end) return;
  const lbits = Math.log2(pl.nL);
  const ch: Amps[] = new Array(1 << pl.kg);
  const m = op.matrix;
  const lo = pl.lo;
  // Fast path: one local target, no controls (the most common op after fusion of 1 qubit).
  if (op.kind === 'dense' && k === 1 && pl.kl === 1 && op.ctrl.length === 0 && pl.lMask === 0) {
    const m0 = m[0], m1 = m[1], m2 = m[2], m3 = m[3], m4 = m[4], m5 = m[5], m6 = m[6], m7 = m[7];
    const stride = 2 * lo[1];
    for (let t = begin; t < end; ) {
      const gi = t >>> lbits;
      const a = chunks[gi];
      const lend = Math.min(end, (gi + 1) * pl.nL);
      for (; t < lend; t++) {
        const b = 2 * insertZeros(t & (pl.nL - 1), pl.lZero);
        const i0 = b, i1 = b + stride;
        const ar = a[i0], ai = a[i0 + 1], br = a[i1], bi = a[i1 + 1];
        a[i0] = m0 * ar - m1 * ai + m2 * br - m3 * bi;
        a[i0 + 1] = m0 * ai + m1 * ar + m2 * bi + m3 * br;
        a[i1] = m4 * ar - m5 * ai + m6 * br - m7 * bi;
        a[i1 + 1] = m4 * ai + m5 * ar + m6 * bi + m7 * br;
      }
    }
    return;
  }
  let curG = -1;
  for (let t = begin; t < end; t++) {
    const gi = t >>> lbits;
    if (gi !== curG) {
      curG = gi;
      const gb = insertZeros(gi, pl.gZero) | pl.gMask;
      for (let mg = 0; mg < ch.length; mg++) ch[mg] = chunks[gb | pl.go[mg]];
    }
    const b = insertZeros(t & (pl.nL - 1), pl.lZero) | pl.lMask;
    if (op.kind === 'diag') {
      for (let r = 0; r < dim; r++) {
        const a = ch[r >>> pl.kl];
        const o = 2 * (b + lo[r & (dl - 1)]);
        const xr = a[o], xi = a[o + 1];
        const dr = m[2 * r], di = m[2 * r + 1];
        a[o] = dr * xr - di * xi;
        a[o + 1] = dr * xi + di * xr;
      }
      continue;
    }
    for (let c = 0; c < dim; c++) {
      const a = ch[c >>> pl.kl];
      const o = 2 * (b + lo[c & (dl - 1)]);
      VR[c] = a[o];
      VI[c] = a[o + 1];
    }
    if (op.kind === 'perm') {
      const perm = op.perm;
      for (let c = 0; c < dim; c++) {
        const r = perm[c];
        const a = ch[r >>> pl.kl];
        const o = 2 * (b + lo[r & (dl - 1)]);
        a[o] = VR[c];
        a[o + 1] = VI[c];
      }
      continue;
    }
    for (let r = 0; r < dim; r++) {
      let sr = 0, si = 0;
      const row = 2 * r * dim;
      for (let c = 0; c < dim; c++) {
        const mr = m[row + 2 * c], mi = m[row + 2 * c + 1];
        sr += mr * VR[c] - mi * VI[c];
        si += mr * VI[c] + mi * VR[c];
      }
      WR[r] = sr;
      WI[r] = si;
    }
    for (let r = 0; r < dim; r++) {
      const a = ch[r >>> pl.kl];
      const o = 2 * (b + lo[r & (dl - 1)]);
      a[o] = WR[r];
      a[o + 1] = WI[r];
    }
  }
};

registerKernel<ApplyKernel>(SV_APPLY, 'js', applyJs);
