/**
 * Cache blocking for the fast state-vector engine.
 *
 * Every fused op streams the whole state through memory once, and on this kind of machine a pass
 * costs more in memory traffic (and in cache-set conflicts between the 2^k strided streams of a
 * high-qubit block) than in arithmetic. So ops are grouped into *windows*: a window is a run of ops
 * that all act inside one set S of `blockBits` bit positions — the lowest `blockBits − high` positions
 * plus up to `high` others. For each value of the bits outside S the 2^blockBits amplitudes form an
 * independent group (a few long contiguous runs) that fits in cache; every op of the window is
 * applied to one group before the next group is touched, so the state streams through memory once
 * per window instead of once per op. The kernels see a group as the op restricted to fixed values
 * of the bits outside S (`Restriction`), so no data moves and no kernel changes shape.
 *
 * Windows are made as long as the circuit allows by list scheduling over the ops' dependency graph
 * (an op depends on the previous op touching any of its positions): ready ops join the current
 * window while their positions fit its set, then the window closes and the next one starts. Only
 * ops on disjoint positions are reordered, so the result is the same state; rounding may differ from
 * the unblocked order in the last bits, never with the thread count (the schedule does not depend
 * on it), and each amplitude is computed by the same arithmetic in any group partition.
 */
import type { Precision } from '../engine/types.js';
import { registerKernel } from '../backend/registry.js';
import { allocState, faultPageCount, faultPages, statePrecision } from './state.js';
import { routeGlobalTargets } from './global-qubits.js';
import { partRange, type ApplyKernel, type ChunkedState, type KernelOp, type Restriction } from './kernels.js';

/**
 * A staged window: each group is copied, run by run, into the calling thread's own buffer (a
 * one-chunk state of `set.length` qubits), the window's ops run there on `ops` (the same ops with
 * each position replaced by its rank in `set`), and the group is copied back. Memory then sees long
 * sequential copies instead of the kernels' interleaved strided streams (see `BlockingOptions.stage`).
 */
export interface StagedWindow {
  /** The window's positions, ascending: buffer position j is state position `set[j]`. */
  readonly set: Int32Array;
  /** log2 of a contiguous run: positions 0 … runBits − 1 are all in the set. */
  readonly runBits: number;
  /** Offset (in amplitudes, within the group) of each run, in buffer order. */
  readonly runOffsets: Float64Array;
  /** The window's ops on buffer positions. */
  readonly ops: readonly KernelOp[];
}

/**
 * One step of a blocked schedule: a plain full-state op, a window applied group by group, or the
 * first touch of fresh chunk memories (`fault`, see `faultStep`; executors add it, schedules don't).
 */
export type BlockStep =
  | { readonly kind: 'op'; readonly op: KernelOp }
  | { readonly kind: 'fault'; readonly chunks: Int32Array }
  /**
   * `fixed`: the positions outside the window's set, ascending (their values pick a group): local
   * ones for an in-place window (groups within each chunk), any position for a staged one.
   */
  | { readonly kind: 'window'; readonly ops: readonly KernelOp[]; readonly fixed: Int32Array; readonly staged?: StagedWindow };

/**
 * A per-thread buffer of 2^bits amplitudes for staged windows, compatible with `state` (same
 * precision and kernel build), kept by the backend for reuse; registered per backend under
 * `SV_GROUP_BUFFER`.
 */
export type GroupBufferProvider = (state: ChunkedState, bits: number) => ChunkedState;

/** Name of the group-buffer provider in the backend registry. */
export const SV_GROUP_BUFFER = 'sv.groupBuffer';

/** Cache-blocking parameters. */
export interface BlockingOptions {
  /** log2 of a group in amplitudes (0 turns blocking off). */
  readonly blockBits: number;
  /** How many positions of a window's set may lie above the always-included low ones. */
  readonly high: number;
  /**
   * Windows may also be *staged* (`StagedWindow`): copied run by run into a per-thread buffer,
   * worked on there, copied back. A window is staged when its first op touches a position from
   * `stage.from` up or a global one; it may then hold up to `high + stage.extraHigh` high
   * positions, or a single op. In-place windows take no op that touches such a position. Why: kernels working in place
   * write back interleaved strided streams, and on the development machine streams whose distance
   * is a multiple of 256 MiB ran at a fifth of the copy bandwidth, while runs copied whole move at
   * memcpy speed. Staging costs the two copies, so windows that run well in place stay in place
   * (docs/statevector.md, "Staged windows").
   */
  readonly stage?: {
    readonly extraHigh: number;
    readonly from: number;
    /**
     * Whether staged windows take ops on global positions (default true), so that a batch needs no
     * chunk exchanges (`stagesGlobals`); false routes global targets by exchanges as without staging.
     */
    readonly globals?: boolean;
  };
}

/**
 * Defaults: 2 MiB groups (2^18 complex64, 2^17 complex128) with up to 2 high positions per window
 * (four contiguous runs of 512 KiB). Chosen by `npm run bench:sv -- --blocking …` on the development
 * machine, whose L3 is shared with other tenants: 8 MiB groups with 4 high positions made fewer
 * sweeps but ran slower than 2 MiB ones; 512 KiB groups were no faster than 2 MiB. Windows are
 * staged from byte strides of 512 MiB (position 26 in complex64, 25 in complex128): staging from
 * 256 MiB lost a little at 26 qubits and gained no more at 28. Staged windows take up to 6 high
 * positions (runs of 32 KiB): fewer one-op staged windows, 131.8 against 146.0 s at 30 qubits.
 */
export function defaultBlocking(precision: Precision): BlockingOptions {
  return { blockBits: precision === 'single' ? 18 : 17, high: 2, stage: { extraHigh: 4, from: precision === 'single' ? 26 : 25 } };
}

const cache = new WeakMap<readonly KernelOp[], Map<string, readonly BlockStep[]>>();

/**
 * A staged window's shape: the positions below `base` plus up to `maxHigh` others (the one rule
 * `scheduleBlocks` builds staged windows by and `stagesGlobals` checks ops against).
 */
function stagedShape(opts: BlockingOptions): { maxHigh: number; base: number } {
  const maxHigh = Math.min(opts.blockBits, opts.high + (opts.stage?.extraHigh ?? 0));
  return { maxHigh, base: opts.blockBits - maxHigh };
}

/**
 * The ops as a blocked schedule for a state of `numQubits` qubits in chunks of `chunkBits`. Unless
 * `globalsStaged` the ops must be routed (global positions only in local–global swaps, which stay
 * plain steps); with it (for a batch where `stagesGlobals` holds) staged windows also take ops on
 * global positions. A window of one op is emitted as a plain op unless staged (same
 * traffic, no blocking overhead). Cached per batch and parameters.
 */
export function scheduleBlocks(
  ops: readonly KernelOp[], numQubits: number, chunkBits: number, opts: BlockingOptions, globalsStaged = false,
): readonly BlockStep[] {
  const { blockBits, high, stage } = opts;
  const key = `${numQubits}/${globalsStaged}/${chunkBits}/${blockBits}/${high}/${stage ? `${stage.extraHigh}/${stage.from}` : ''}`;
  let byKey = cache.get(ops);
  if (!byKey) cache.set(ops, (byKey = new Map()));
  const hit = byKey.get(key);
  if (hit) return hit;

  // In-place windows: the positions below inPlaceBase plus up to `high` others. Staged windows:
  // the positions below stagedBase plus up to maxHigh others.
  const { maxHigh, base: stagedBase } = stagedShape(opts);
  const inPlaceBase = blockBits - high;
  const m = ops.length;
  const positions = ops.map((op) => [...op.pos, ...op.ctrl]);
  const local = positions.map((ps) => ps.every((p) => p < chunkBits));
  const highIn = (j: number, base: number): number[] => positions[j].filter((p) => p >= base);
  // Ops that fit no window: too many high positions, or (in place) a position outside the chunk.
  // Staged windows copy runs from any chunk, so their sets may hold global positions.
  const windowable = (j: number, base: number, limit: number, staged: boolean): boolean =>
    (local[j] || (staged && globalsStaged)) && highIn(j, base).length <= limit;
  const reachesStage = (j: number): boolean => stage !== undefined && (!local[j] || positions[j].some((p) => p >= stage.from));
  // Dependency graph: edges from the previous op on each touched position.
  const last = new Map<number, number>();
  const succ: number[][] = Array.from({ length: m }, () => []);
  const indeg = new Int32Array(m);
  positions.forEach((ps, j) => {
    const seen = new Set<number>();
    for (const p of ps) {
      const i = last.get(p);
      if (i !== undefined && !seen.has(i)) {
        seen.add(i);
        succ[i].push(j);
        indeg[j]++;
      }
      last.set(p, j);
    }
  });
  // Ready ops in circuit order.
  const ready: number[] = [];
  const push = (j: number): void => {
    let at = ready.length;
    while (at > 0 && ready[at - 1] > j) at--;
    ready.splice(at, 0, j);
  };
  for (let j = 0; j < m; j++) if (indeg[j] === 0) push(j);
  const done = (j: number): void => {
    for (const s of succ[j]) if (--indeg[s] === 0) push(s);
  };

  const out: BlockStep[] = [];
  let emitted = 0;
  while (emitted < m) {
    // Plain ops first when they lead (they cannot join any window).
    const lead = ready[0];
    // A window is staged when its first op reaches `stage.from` or a global position; in-place
    // windows take no such op. An op too wide for an in-place window that does not reach it runs
    // as a plain pass, which measured faster than staged at 26 qubits.
    const stagedLead = reachesStage(lead) && windowable(lead, stagedBase, maxHigh, true);
    const inPlace = !stagedLead && windowable(lead, inPlaceBase, high, false) && !reachesStage(lead);
    if (!inPlace && !stagedLead) {
      const j = ready.shift()!;
      out.push({ kind: 'op', op: ops[j] });
      done(j);
      emitted++;
      continue;
    }
    const base = inPlace ? inPlaceBase : stagedBase;
    const limit = inPlace ? high : maxHigh;
    const set = new Set<number>();
    const window: KernelOp[] = [];
    for (let scan = 0; scan < ready.length; ) {
      const j = ready[scan];
      const extra = windowable(j, base, limit, !inPlace) && !(inPlace && reachesStage(j)) ? highIn(j, base).filter((p) => !set.has(p)) : undefined;
      if (!extra || set.size + extra.length > limit) {
        scan++;
        continue;
      }
      for (const p of extra) set.add(p);
      ready.splice(scan, 1);
      window.push(ops[j]);
      done(j);
      emitted++;
      scan = 0; // ops made ready may come earlier in circuit order
    }
    const staged = !inPlace;
    if (!staged && window.length === 1) out.push({ kind: 'op', op: window[0] });
    else {
      // Fill the set up to its high positions (lowest first: longer contiguous runs per group).
      for (let p = base; set.size < limit && p < chunkBits; p++) set.add(p);
      // In place, groups are numbered within a chunk; staged, over the whole state.
      const fixed: number[] = [];
      for (let p = base; p < (staged ? numQubits : chunkBits); p++) if (!set.has(p)) fixed.push(p);
      out.push({ kind: 'window', ops: window, fixed: Int32Array.from(fixed), staged: staged ? stagedWindow(window, base, set) : undefined });
    }
  }
  byKey.set(key, out);
  return out;
}

/** The staged form of a window on the positions below `base` plus `high`. */
function stagedWindow(ops: readonly KernelOp[], base: number, high: ReadonlySet<number>): StagedWindow {
  const set = Int32Array.from([...Array(base).keys(), ...[...high].sort((a, b) => a - b)]);
  let runBits = 0;
  while (runBits < set.length && set[runBits] === runBits) runBits++;
  const above = set.subarray(runBits);
  const runOffsets = Float64Array.from({ length: 2 ** above.length }, (_, r) => deposit(r, above));
  const rank = new Map<number, number>();
  set.forEach((p, j) => rank.set(p, j));
  const local = (ps: Int32Array): Int32Array => Int32Array.from(ps, (p) => rank.get(p)!);
  return { set, runBits, runOffsets, ops: ops.map((op) => ({ ...op, pos: local(op.pos), ctrl: local(op.ctrl) })) };
}

/** Whether blocking applies to chunks of 2^chunkBits amplitudes: at least four groups per chunk. */
export function blockingApplies(chunkBits: number, opts: BlockingOptions): boolean {
  return opts.blockBits > opts.high && opts.high >= 0 && chunkBits >= opts.blockBits + 2;
}

/**
 * Whether staged windows can take every op of a batch that has a global target, so that the batch
 * needs no routing (global-qubits.ts): ops with a global target then run only in staged windows.
 */
export function stagesGlobals(ops: readonly KernelOp[], chunkBits: number, opts: BlockingOptions): boolean {
  if (!opts.stage || opts.stage.globals === false || !blockingApplies(chunkBits, opts)) return false;
  const { maxHigh, base } = stagedShape(opts);
  return ops.every((op) => op.pos.every((p) => p < chunkBits) || [...op.pos, ...op.ctrl].filter((p) => p >= base).length <= maxHigh);
}

/**
 * The steps to run a batch: blocked where blocking applies, else one plain step per op. Ops on
 * global positions run in staged windows where those can hold them; otherwise the batch is routed
 * first (global targets swapped with local positions, `routeGlobalTargets`).
 */
export function blockedSteps(state: ChunkedState, ops: readonly KernelOp[], opts: BlockingOptions): readonly BlockStep[] {
  const { numQubits, chunkBits } = state;
  if (stagesGlobals(ops, chunkBits, opts)) return scheduleBlocks(ops, numQubits, chunkBits, opts, true);
  const routed = routeGlobalTargets(ops, numQubits, chunkBits);
  if (blockingApplies(chunkBits, opts)) return scheduleBlocks(routed, numQubits, chunkBits, opts);
  return routed.map((op) => ({ kind: 'op', op }));
}

/** Slices per thread of a plain op when threads take work from the ticket counter. */
const TICKETS_PER_THREAD = 8;

const chunkStates = new WeakMap<ChunkedState, ChunkedState[]>();

/** Each chunk of a state as a one-chunk state (in-place windows never reach global positions). */
function singleChunks(state: ChunkedState): ChunkedState[] {
  let list = chunkStates.get(state);
  if (!list) {
    list = state.chunks.map((c) => ({ numQubits: state.chunkBits, chunkBits: state.chunkBits, chunks: [c] }));
    chunkStates.set(state, list);
  }
  return list;
}

/**
 * Spreads the bits of `g` over the given ascending positions, in double arithmetic: staged windows
 * address the whole state, whose indices may pass 2^31.
 */
function deposit(g: number, positions: Int32Array): number {
  let v = 0;
  for (let j = 0; j < positions.length; j++, g = Math.floor(g / 2)) if (g % 2 === 1) v += 2 ** positions[j];
  return v;
}

/**
 * Runs steps as part `part` of `parts` threads: plain ops split their iteration space, windows
 * split the groups (each thread runs the whole window on its groups, so a window needs no barrier
 * inside). `sync` runs after each step (the threads' barrier). With `claim` (a shared counter that
 * `sync` resets to 0) threads take groups, or slices of a plain op, one at a time, so a thread
 * slowed by other load does not hold the others up; every amplitude is still computed by the same
 * arithmetic.
 */
export function runSteps(
  state: ChunkedState, steps: readonly BlockStep[], kernel: ApplyKernel, part: number, parts: number, sync?: () => void, claim?: () => number,
  groupBuffer?: GroupBufferProvider,
): void {
  for (const st of steps) {
    if (st.kind === 'fault') {
      // The pages of the listed chunks, split evenly: threads take their page faults side by side.
      const perChunk = st.chunks.length ? faultPageCount(state.chunks[st.chunks[0]]) : 0;
      const [p0, p1] = partRange(st.chunks.length * perChunk, part, parts);
      st.chunks.forEach((c, i) => {
        const lo = Math.max(p0 - i * perChunk, 0), hi = Math.min(p1 - i * perChunk, perChunk);
        if (lo < hi) faultPages(state.chunks[c], lo, hi);
      });
    } else if (st.kind === 'op') {
      if (claim && parts > 1) {
        // The iteration space in TICKETS_PER_THREAD × parts slices, taken one at a time.
        const slices = TICKETS_PER_THREAD * parts;
        for (let i = claim(); i < slices; i = claim()) kernel(state, st.op, i, slices, part);
      } else kernel(state, st.op, part, parts);
    } else {
      const chunks = singleChunks(state);
      // Assignments of the fixed positions: the groups of a staged window (`fixed` may hold global
      // positions), the groups of each chunk for an in-place one.
      const values = 2 ** st.fixed.length;
      const staged = st.staged;
      if (staged && !groupBuffer) throw new Error('runSteps: a staged window needs a group buffer provider');
      const groups = staged ? values : chunks.length * values;
      const run = staged
        ? stagedRun(state, staged, st.fixed, groupBuffer!(state, staged.set.length), kernel, part)
        : (g: number): void => {
            const restrict: Restriction = { fixed: st.fixed, values: deposit(g % values, st.fixed) };
            const sub = chunks[Math.floor(g / values)];
            for (const op of st.ops) kernel(sub, op, 0, 1, part, restrict);
          };
      if (claim) for (let g = claim(); g < groups; g = claim()) run(g);
      else {
        const [g0, g1] = partRange(groups, part, parts);
        for (let g = g0; g < g1; g++) run(g);
      }
    }
    sync?.();
  }
}

/**
 * A step faulting in the given chunks of a fresh state (`allocWasmState(…, false)`, which must
 * still hold |0…0⟩), split across the threads that run it. On the development machine (a virtual
 * machine with 4 KiB pages) a fresh 8 GiB state took 4–19 s to fault in on one thread.
 */
export function faultStep(chunks: readonly number[]): BlockStep {
  return { kind: 'fault', chunks: Int32Array.from(chunks) };
}

/**
 * Runs one group of a staged window: copy in run by run, apply the ops in the buffer, copy back.
 * A run never crosses a chunk (its bits are all below the chunk's), but the runs of one group may
 * come from different chunks when the window's set holds global positions.
 */
function stagedRun(state: ChunkedState, w: StagedWindow, fixed: Int32Array, buffer: ChunkedState, kernel: ApplyKernel, part: number): (g: number) => void {
  const buf = buffer.chunks[0];
  const runFloats = 2 * 2 ** w.runBits;
  const offsets = w.runOffsets;
  const chunkSize = 2 ** state.chunkBits;
  const chunkOf = new Int32Array(offsets.length);
  const fromOf = new Float64Array(offsets.length);
  return (g) => {
    const at = deposit(g, fixed);
    for (let r = 0; r < offsets.length; r++) {
      const index = at + offsets[r];
      const c = Math.floor(index / chunkSize);
      chunkOf[r] = c;
      const from = (fromOf[r] = 2 * (index - c * chunkSize));
      buf.set(state.chunks[c].subarray(from, from + runFloats), r * runFloats);
    }
    for (const op of w.ops) kernel(buffer, op, 0, 1, part);
    for (let r = 0; r < offsets.length; r++) state.chunks[chunkOf[r]].set(buf.subarray(r * runFloats, (r + 1) * runFloats), fromOf[r]);
  };
}

const plainBuffers = new Map<string, ChunkedState>();

/** Group buffers of the plain TypeScript backend: ordinary typed arrays, one per size and precision. */
const plainGroupBuffer: GroupBufferProvider = (state, bits) => {
  const precision = statePrecision(state);
  const key = `${precision}/${bits}`;
  let b = plainBuffers.get(key);
  if (!b) plainBuffers.set(key, (b = allocState(bits, precision, bits)));
  return b;
};
registerKernel<GroupBufferProvider>(SV_GROUP_BUFFER, 'js', plainGroupBuffer);
