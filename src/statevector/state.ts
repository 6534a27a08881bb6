/**
 * Whole-state operations on the chunked layout of the fast engine: allocation, read-out,
 * probabilities, marginals, sampling, Pauli expectations and single-qubit measurement.
 * Index conventions follow docs/conventions.md (qubit q is bit n-1-q of an index).
 */
import type { PauliSum, Precision } from '../engine/types.js';
import type { Amps, ChunkedState } from './kernels.js';

/**
 * At most 2^10 chunks per state: each chunk is its own WebAssembly memory, which reserves address
 * space far beyond its size (the default chunks give at most 2^6, for the 34 qubits of 16 GiB;
 * only tests ask for tiny chunks). The pool of idle memories in wasm.ts keeps two such states.
 */
export const MAX_CHUNK_LEVELS = 10;

/** The precision a state's chunks hold. */
export function statePrecision(state: ChunkedState): Precision {
  return state.chunks[0] instanceof Float32Array ? 'single' : 'double';
}

/** Bytes of a state vector of `n` qubits in a precision. */
export function stateBytes(n: number, precision: Precision): number {
  return 2 ** n * (precision === 'single' ? 8 : 16);
}

/** Allocates |0…0⟩ in chunks of at most 2^maxChunkBits amplitudes. */
export function allocState(n: number, precision: Precision, maxChunkBits: number, alloc?: (floats: number) => Amps): ChunkedState {
  const chunkBits = Math.min(n, maxChunkBits);
  const numChunks = 2 ** (n - chunkBits);
  const floats = 2 * 2 ** chunkBits;
  const make = alloc ?? ((f: number) => (precision === 'single' ? new Float32Array(f) : new Float64Array(f)));
  const chunks: Amps[] = [];
  for (let c = 0; c < numChunks; c++) chunks.push(make(floats));
  chunks[0][0] = 1;
  return { numQubits: n, chunkBits, chunks };
}

/** Resets an existing state to |0…0⟩. */
export function setZeroState(s: ChunkedState): void {
  for (const c of s.chunks) c.fill(0);
  s.chunks[0][0] = 1;
}

/** Copies `src` into `dst` (same shape). */
export function copyState(dst: ChunkedState, src: ChunkedState): void {
  for (let c = 0; c < src.chunks.length; c++) dst.chunks[c].set(src.chunks[c]);
}

/** Amplitude at a basis index. */
export function amplitudeAt(s: ChunkedState, index: number): [number, number] {
  const a = s.chunks[Math.floor(index / 2 ** s.chunkBits)];
  const o = 2 * (index % 2 ** s.chunkBits);
  return [a[o], a[o + 1]];
}

/** The whole state as one interleaved array (Float32Array for single precision). */
export function flatState(s: ChunkedState): Amps {
  const per = s.chunks[0].length;
  const out = s.chunks[0] instanceof Float32Array ? new Float32Array(per * s.chunks.length) : new Float64Array(per * s.chunks.length);
  for (let c = 0; c < s.chunks.length; c++) out.set(s.chunks[c], c * per);
  return out;
}

/** All 2^n probabilities, in float64. */
export function probabilities(s: ChunkedState): Float64Array {
  const per = 2 ** s.chunkBits;
  const out = new Float64Array(per * s.chunks.length);
  for (let c = 0; c < s.chunks.length; c++) {
    const a = s.chunks[c];
    const base = c * per;
    for (let i = 0; i < per; i++) out[base + i] = a[2 * i] * a[2 * i] + a[2 * i + 1] * a[2 * i + 1];
  }
  return out;
}

/** Squared norm ⟨ψ|ψ⟩. */
export function norm2(s: ChunkedState): number {
  let t = 0;
  for (const a of s.chunks) for (let i = 0; i < a.length; i++) t += a[i] * a[i];
  return t;
}

/**
 * Marginal distribution of the listed qubits: entry `j` is the probability that the qubits, read
 * with `qubits[0]` as the most significant bit, spell `j`.
 */
export function marginalProbabilities(s: ChunkedState, qubits: readonly number[]): Float64Array {
  const n = s.numQubits;
  for (const q of qubits) if (!Number.isInteger(q) || q < 0 || q >= n) throw new RangeError(`qubit ${q} out of range (state has ${n})`);
  const m = qubits.length;
  const out = new Float64Array(2 ** m);
  const per = 2 ** s.chunkBits;
  const shifts = qubits.map((q) => n - 1 - q);
  for (let c = 0; c < s.chunks.length; c++) {
    const a = s.chunks[c];
    for (let i = 0; i < per; i++) {
      const p = a[2 * i] * a[2 * i] + a[2 * i + 1] * a[2 * i + 1];
      if (p === 0) continue;
      const idx = c * per + i;
      let j = 0;
      for (let t = 0; t < m; t++) j = j * 2 + (Math.floor(idx / 2 ** shifts[t]) & 1);
      out[j] += p;
    }
  }
  return out;
}

/**
 * Draws `uniforms.length` basis indices by one sweep over the state: the uniforms are sorted and
 * matched against the running cumulative probability (no 2^n cumulative table, O(2^n + S log S)).
 * Index i is chosen for u when cum(i-1) ≤ u·total < cum(i), like a binary search would.
 */
export function sampleIndices(s: ChunkedState, uniforms: Float64Array): Float64Array {
  const total = norm2(s);
  const sorted = Float64Array.from(uniforms, (u) => u * total).sort();
  const out = new Float64Array(sorted.length);
  const per = 2 ** s.chunkBits;
  let cum = 0;
  let k = 0;
  let last = 0;
  for (let c = 0; c < s.chunks.length && k < sorted.length; c++) {
    const a = s.chunks[c];
    for (let i = 0; i < per; i++) {
      const p = a[2 * i] * a[2 * i] + a[2 * i + 1] * a[2 * i + 1];
      if (p === 0) continue;
      cum += p;
      last = c * per + i;
      while (k < sorted.length && sorted[k] < cum) out[k++] = last;
      if (k >= sorted.length) break;
    }
  }
  while (k < sorted.length) out[k++] = last; // rounding at the very top
  return out;
}

/** Probability that qubit q reads 1 (unnormalised) and the total squared norm. */
function qubitOneProbability(s: ChunkedState, q: number): [number, number] {
  const pos = s.numQubits - 1 - q;
  const per = 2 ** s.chunkBits;
  let p1 = 0;
  let tot = 0;
  for (let c = 0; c < s.chunks.length; c++) {
    const a = s.chunks[c];
    if (pos >= s.chunkBits) {
      let t = 0;
      for (let i = 0; i < a.length; i++) t += a[i] * a[i];
      tot += t;
      if ((c >> (pos - s.chunkBits)) & 1) p1 += t;
    } else {
      for (let i = 0; i < per; i++) {
        const p = a[2 * i] * a[2 * i] + a[2 * i + 1] * a[2 * i + 1];
        tot += p;
        if ((i >> pos) & 1) p1 += p;
      }
    }
  }
  return [p1, tot];
}

/**
 * Measures qubit q with uniform `u` ∈ [0,1) (outcome 1 when u·norm < p1, as the reference does),
 * collapses and renormalises; with `reset`, a 1 is flipped back to |0⟩.
 */
export function measureQubit(s: ChunkedState, q: number, u: number, reset = false): 0 | 1 {
  const [p1, tot] = qubitOneProbability(s, q);
  const outcome: 0 | 1 = u * tot < p1 ? 1 : 0;
  const scale = 1 / Math.sqrt(outcome ? p1 : tot - p1);
  const pos = s.numQubits - 1 - q;
  const per = 2 ** s.chunkBits;
  const L = s.chunkBits;
  for (let c = 0; c < s.chunks.length; c++) {
    const a = s.chunks[c];
    for (let i = 0; i < per; i++) {
      const bit = pos >= L ? (c >> (pos - L)) & 1 : (i >> pos) & 1;
      if (bit === outcome) {
        a[2 * i] *= scale;
        a[2 * i + 1] *= scale;
      } else {
        a[2 * i] = 0;
        a[2 * i + 1] = 0;
      }
    }
  }
  if (reset && outcome === 1) {
    // Move the |1⟩ half onto the (now zero) |0⟩ half.
    for (let c = 0; c < s.chunks.length; c++) {
      if (pos >= L) {
        if ((c >> (pos - L)) & 1) {
          const src = s.chunks[c];
          s.chunks[c ^ (1 << (pos - L))].set(src);
          src.fill(0);
        }
        continue;
      }
      const a = s.chunks[c];
      for (let i = 0; i < per; i++)
        if ((i >> pos) & 1) {
          const j = i ^ (1 << pos);
          a[2 * j] = a[2 * i];
          a[2 * j + 1] = a[2 * i + 1];
          a[2 * i] = 0;
          a[2 * i + 1] = 0;
        }
    }
  }
  return outcome;
}

function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 63;
}

/** ⟨ψ|O|ψ⟩ for a Pauli sum (the state need not be normalised: divided by ⟨ψ|ψ⟩). */
export function expectation(s: ChunkedState, observable: PauliSum): number {
  const n = s.numQubits;
  const L = s.chunkBits;
  const per = 2 ** L;
  const nrm = norm2(s);
  let total = 0;
  for (const term of observable.terms) {
    let xl = 0, xg = 0, zl = 0, zg = 0, ny = 0;
    for (const f of term.factors) {
      if (f.qubit < 0 || f.qubit >= n) throw new RangeError(`observable acts on qubit ${f.qubit}, but the circuit has ${n} qubit(s)`);
      const p = n - 1 - f.qubit;
      const isX = f.pauli !== 'Z';
      const isZ = f.pauli !== 'X';
      if (f.pauli === 'Y') ny++;
      if (p < L) {
        if (isX) xl ^= 1 << p;
        if (isZ) zl ^= 1 << p;
      } else {
        if (isX) xg ^= 1 << (p - L);
        if (isZ) zg ^= 1 << (p - L);
      }
    }
    // P|i⟩ = i^ny (−1)^{|i ∧ z|} |i ⊕ x⟩ ⇒ ⟨ψ|P|ψ⟩ = i^ny Σ_i (−1)^{|i∧z|} conj(ψ[i⊕x]) ψ[i].
    let re = 0, im = 0;
    for (let c = 0; c < s.chunks.length; c++) {
      const a = s.chunks[c];
      const b = s.chunks[c ^ xg];
      const gs = popcount(c & zg) & 1;
      for (let i = 0; i < per; i++) {
        const j = i ^ xl;
        const sign = (popcount(i & zl) + gs) & 1 ? -1 : 1;
        const ar = a[2 * i], ai = a[2 * i + 1], br = b[2 * j], bi = -b[2 * j + 1];
        re += sign * (br * ar - bi * ai);
        im += sign * (br * ai + bi * ar);
      }
    }
    // Multiply by i^ny and keep the real part.
    const k = ny & 3;
    const real = k === 0 ? re : k === 1 ? -im : k === 2 ? -re : im;
    total += term.coefficient * real;
  }
  return total / nrm;
}

/** Elements per 4 KiB page of a chunk view. */
function pageElements(view: Amps): number {
  return 4096 / view.BYTES_PER_ELEMENT;
}

/** Whole 4 KiB pages of a chunk view, the unit of `faultPages` (a chunk under a page has none). */
export function faultPageCount(view: Amps): number {
  return Math.floor(view.length / pageElements(view));
}

/**
 * Faults in pages [from, to) of a fresh chunk by storing a zero in the last element of each 4 KiB
 * page. Only for chunks that still hold |0…0⟩ (which sets element 0 alone): a store that kept any
 * value would have to read first, which maps the shared zero page and faults twice.
 */
export function faultPages(view: Amps, from: number, to: number): void {
  const step = pageElements(view);
  for (let p = from; p < to; p++) view[p * step + step - 1] = 0;
}
