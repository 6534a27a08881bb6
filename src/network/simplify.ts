/**
 * Deterministic simplification of a tensor network before path finding. One rule covers the
 * classic passes: a tensor T is merged into a neighbour N when the merged tensor has no more
 * indices than N. That absorbs rank-0/1/2 tensors (input and output vectors, single-qubit
 * gates, identity-like tensors, which become relabellings), merges tensors sharing all indices
 * (diagonal gates and parallel edges) and fuses consecutive gates on the same qubits, so
 * widths never grow. Before merging, identity-like tensors are removed outright: a δ matrix joins
 * its two indices (one is renamed to the other) and an all-ones tensor (e.g. CZ·CZ) is dropped
 * when every index it holds lives on elsewhere. Tensors are visited in order and ties broken by
 * position, so the same input network always gives the identical output network.
 */
import { contractPair } from '../tensor/tensor.js';
import type { NetworkTensor, TensorNetwork } from './types.js';

/** Absolute tolerance of the identity-like tests (entries of gate products are O(1)). */
const IDENTITY_TOLERANCE = 1e-14;

/** Sizes of a network, for before/after reports. */
export interface NetworkStats {
  readonly tensors: number;
  /** Distinct index ids in use. */
  readonly indices: number;
  /** Largest tensor rank. */
  readonly maxRank: number;
  /** Complex elements over all tensors. */
  readonly elements: number;
}

/** Counts tensors, indices, largest rank and elements of a network. */
export function networkStats(net: TensorNetwork): NetworkStats {
  const ids = new Set<number>();
  let maxRank = 0;
  let elements = 0;
  for (const t of net.tensors) {
    for (const i of t.indices) ids.add(i);
    maxRank = Math.max(maxRank, t.indices.length);
    elements += t.data.length / 2;
  }
  for (const i of net.output) ids.add(i);
  return { tensors: net.tensors.length, indices: ids.size, maxRank, elements };
}

/** Result of `simplifyNetwork`: the new network and its size before and after. */
export interface SimplifyResult {
  readonly network: TensorNetwork;
  readonly before: NetworkStats;
  readonly after: NetworkStats;
  /** Identity-like tensors removed (δ matrices joined, all-ones tensors dropped). */
  readonly identities: number;
}

/** What `simplifyNetwork` reports besides the network (for `TensorOptions.onSimplify`). */
export type SimplifyReport = Omit<SimplifyResult, 'network'>;

/** Simplifies `net` (see the module comment); the result contracts to the same value. */
export function simplifyNetwork(net: TensorNetwork): SimplifyResult {
  const before = networkStats(net);
  const tensors: (NetworkTensor | undefined)[] = [...net.tensors];
  const isOutput = new Set(net.output);
  const output = [...net.output];
  // holders[i]: positions of live tensors holding index i.
  const holders = new Map<number, Set<number>>();
  const hold = (pos: number, idx: readonly number[]): void => {
    for (const i of idx) {
      let s = holders.get(i);
      if (!s) holders.set(i, (s = new Set()));
      s.add(pos);
    }
  };
  const release = (pos: number, idx: readonly number[]): void => {
    for (const i of idx) holders.get(i)!.delete(pos);
  };
  tensors.forEach((t, p) => hold(p, t!.indices));
  let live = tensors.length;

  // Indices of T∘N kept under the hypergraph rule (output or held by a third tensor).
  const mergedIndices = (t: number, n: number): number[] => {
    const out: number[] = [];
    const seen = new Set<number>();
    for (const i of [...tensors[t]!.indices, ...tensors[n]!.indices]) {
      if (seen.has(i)) continue;
      seen.add(i);
      const h = holders.get(i)!;
      const others = h.size - (h.has(t) ? 1 : 0) - (h.has(n) ? 1 : 0);
      if (isOutput.has(i) || others > 0) out.push(i);
    }
    return out;
  };

  // Other live holders of index i besides tensor t.
  const othersHold = (i: number, t: number): number => holders.get(i)!.size - (holders.get(i)!.has(t) ? 1 : 0);
  const rename = (from: number, to: number): void => {
    const h = holders.get(from)!;
    for (const p of h) {
      const x = tensors[p]!;
      tensors[p] = { ...x, indices: x.indices.map((i) => (i === from ? to : i)) };
      holders.get(to)!.add(p);
    }
    h.clear();
    const o = output.indexOf(from);
    if (o >= 0) {
      output[o] = to;
      isOutput.delete(from);
      isOutput.add(to);
    }
  };
  /** Removes tensor t when it is identity-like (see the module comment); true if removed. */
  /** True when T is δ on two indices of equal size. */
  const isDelta = (T: NetworkTensor): boolean => {
    if (T.indices.length !== 2) return false;
    const [a, b] = T.indices;
    const d = net.sizes[a];
    if (a === b || net.sizes[b] !== d) return false;
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) {
        const e = 2 * (i * d + j);
        if (Math.abs(T.data[e] - (i === j ? 1 : 0)) > IDENTITY_TOLERANCE || Math.abs(T.data[e + 1]) > IDENTITY_TOLERANCE) return false;
      }
    return true;
  };
  /** Removes tensor t when it is identity-like (see the module comment); true if removed. */
  const removeIdentity = (t: number): boolean => {
    const T = tensors[t]!;
    if (isDelta(T)) {
      const [a, b] = T.indices;
      if (isOutput.has(a) && isOutput.has(b)) return false;
      if (othersHold(a, t) + othersHold(b, t) === 0) return false; // a closed loop: its trace is d, not 1
      for (const p of holders.get(a)!) if (p !== t && tensors[p]!.indices.includes(b)) return false; // would repeat an index
      release(t, T.indices);
      tensors[t] = undefined;
      if (isOutput.has(b)) rename(a, b);
      else rename(b, a);
      return true;
    }
    if (T.indices.length === 0 || !T.indices.every((i) => othersHold(i, t) > 0)) return false;
    for (let x = 0; x < T.data.length; x += 2)
      if (Math.abs(T.data[x] - 1) > IDENTITY_TOLERANCE || Math.abs(T.data[x + 1]) > IDENTITY_TOLERANCE) return false;
    release(t, T.indices);
    tensors[t] = undefined;
    return true;
  };

  let identities = 0;
  let changed = true;
  while (changed && live > 1) {
    changed = false;
    for (let t = 0; t < tensors.length; t++) {
      if (!tensors[t] || live <= 1) continue;
      if (removeIdentity(t)) {
        live--;
        identities++;
        changed = true;
        continue;
      }
      const T = tensors[t]!;
      // Candidate neighbours: tensors sharing an index (any tensor for a scalar).
      const cand = new Set<number>();
      for (const i of T.indices) for (const p of holders.get(i)!) if (p !== t) cand.add(p);
      if (T.indices.length === 0) for (let p = 0; p < tensors.length; p++) if (p !== t && tensors[p]) { cand.add(p); break; }
      let best = -1;
      let bestRank = Infinity;
      for (const p of [...cand].sort((a, b) => a - b)) {
        const r = mergedIndices(t, p).length;
        if (r <= tensors[p]!.indices.length && r < bestRank) {
          best = p;
          bestRank = r;
        }
      }
      if (best < 0) continue;
      const N = tensors[best]!;
      const keep = new Set(mergedIndices(t, best));
      const shape = (x: NetworkTensor) => x.indices.map((i) => net.sizes[i]);
      const merged = contractPair({ indices: T.indices, shape: shape(T), data: T.data }, { indices: N.indices, shape: shape(N), data: N.data }, keep, 'js');
      release(t, T.indices);
      release(best, N.indices);
      tensors[t] = undefined;
      const tag = N.tag ?? T.tag;
      tensors[best] = { indices: merged.indices, data: merged.data as Float64Array, ...(tag !== undefined ? { tag } : {}) };
      hold(best, merged.indices);
      live--;
      changed = true;
    }
  }
  const network: TensorNetwork = { tensors: tensors.filter((x): x is NetworkTensor => x !== undefined), sizes: net.sizes, output };
  return { network, before, after: networkStats(network), identities };
}
