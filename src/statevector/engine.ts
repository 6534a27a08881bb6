/**
 * The fast state-vector engine (`--method statevector`): gate fusion, complex64/complex128,
 * chunked state layout for states larger than one WebAssembly memory, kernels from the backend
 * registry (WASM SIMD when available, plain TypeScript otherwise), optional worker threads, fast
 * sampling and Pauli expectations, and exact mid-circuit measurement by trajectories.
 */
import type { Circuit, GateOperation, Operation } from '../circuit/circuit.js';
import type { Engine, Estimate, Precision, SimulationRequest, SimulationResult } from '../engine/types.js';
import { registerEngine } from '../engine/registry.js';
import { getKernel, resolveBackend } from '../backend/registry.js';
import { allocWasmState, releaseWasmState } from './wasm.js';
import { ResourceError } from '../formats/errors.js';
import { Rng, randomSeed } from './rng.js';
import { fuseForEngine, fuseGates, type FusedOp } from './fusion.js';
import { blockedSteps, defaultBlocking, runSteps, SV_GROUP_BUFFER, type BlockingOptions, type GroupBufferProvider } from './cache-blocking.js';
import { SV_APPLY, type ApplyKernel, type ChunkedState, type KernelOp } from './kernels.js';
import {
  MAX_CHUNK_LEVELS, allocState, amplitudeAt, copyState, expectation, flatState, measureQubit, probabilities, sampleIndices, setZeroState, stateBytes, statePrecision,
} from './state.js';

/** Default fused block size for states of 18 qubits and more (chosen by `npm run bench:sv`). */
export const DEFAULT_FUSE = 4;
/** Below this many qubits the default fused block size is 3. */
export const SMALL_FUSE_BELOW_QUBITS = 18;

/**
 * Default fused block size for an n-qubit circuit: 4 from 18 qubits (fewer passes over a state
 * that lives in memory; within noise of 3 at 20–28 qubits), 3 below, where building the 16×16
 * block matrices costs more than the passes they save (grid circuits of depth 20, one thread, two
 * runs after the fusion speed-up: fuse 3 takes 0.68–0.81× the time of fuse 4 at 8–12 qubits,
 * 0.84–0.91× at 14, 0.97–1.01× at 16, 0.97× at 18 and 1.02× at 20).
 */
export function defaultFuse(numQubits: number): number {
  return numQubits < SMALL_FUSE_BELOW_QUBITS ? 3 : DEFAULT_FUSE;
}
/**
 * Default log2 of amplitudes per chunk: 2 GiB per WebAssembly memory (2^28 complex64 or 2^27
 * complex128), half the 4 GiB a wasm32 memory can address, so every kernel offset fits in u32.
 */
export function defaultChunkBits(precision: Precision): number {
  return precision === 'single' ? 28 : 27;
}
/** Default memory cap when the request gives none. */
export const DEFAULT_SV_MEMORY_LIMIT = 16 * 1024 ** 3;

/**
 * Runs a batch of kernel ops over a state, possibly on several threads. The default executor runs
 * on the calling thread; `taizhang/node` provides a worker_threads executor.
 */
export interface SvExecutor {
  /** Allocates a state (threads need shared memory). */
  alloc(n: number, precision: Precision, maxChunkBits: number): ChunkedState;
  /**
   * Readies a state just allocated, before anything reads or writes it (the thread pool faults its
   * fresh memory in on every thread). Optional; the engine calls it right after `alloc`.
   */
  prepare?(state: ChunkedState): Promise<void> | void;
  /** Applies ops in order. */
  apply(state: ChunkedState, ops: readonly KernelOp[]): Promise<void> | void;
  /**
   * Ends the run: frees workers, if any, and hands the memories of the states it allocated back
   * for reuse (those states must not be used afterwards).
   */
  close?(): void;
}

/** Options of an engine instance (tests force tiny chunks, a backend or an executor). */
export interface StatevectorOptions {
  /** log2 of the largest chunk (default `defaultChunkBits(precision)`: 2 GiB). */
  readonly maxChunkBits?: number;
  /** Kernel backend name (default: best available). */
  readonly backend?: string;
  /** Creates the executor for a request (default: current thread). */
  readonly executor?: (request: SimulationRequest, numQubits: number) => SvExecutor;
  /**
   * Cache blocking for the default executor (cache-blocking.ts; default `defaultBlocking(precision)`;
   * `blockBits: 0` turns it off).
   */
  readonly blocking?: BlockingOptions;
}

/** Single-thread executor over any registered kernel backend. */
export function localExecutor(backend?: string, blocking?: BlockingOptions): SvExecutor {
  const states: ChunkedState[] = [];
  return {
    alloc(n, precision, bits) {
      const state = resolveBackend(SV_APPLY, backend) === 'wasm-simd' ? allocWasmState(n, precision, bits) : allocState(n, precision, bits);
      states.push(state);
      return state;
    },
    close() {
      for (const s of states.splice(0)) releaseWasmState(s);
    },
    apply(state, ops) {
      const kernel = getKernel<ApplyKernel>(SV_APPLY, backend);
      const groups = getKernel<GroupBufferProvider>(SV_GROUP_BUFFER, backend);
      runSteps(state, blockedSteps(state, ops, blockingFor(state, blocking)), kernel, 0, 1, undefined, undefined, groups);
    },
  };
}

/** The cache blocking an executor uses: its own, else the default for the state's precision. */
export function blockingFor(state: ChunkedState, blocking: BlockingOptions | undefined): BlockingOptions {
  return blocking ?? defaultBlocking(statePrecision(state));
}

type ExecutorFactory = (request: SimulationRequest, numQubits: number, backend?: string, blocking?: BlockingOptions) => SvExecutor;
let defaultFactory: ExecutorFactory = (_request, _n, backend, blocking) => localExecutor(backend, blocking);

/** Replaces the executor used when an engine has none (Node's thread pool installs itself here). */
export function setDefaultExecutorFactory(factory: ExecutorFactory): void {
  defaultFactory = factory;
}

/** Translates a fused op to bit positions for an n-qubit state. */
export function toKernelOp(op: FusedOp, n: number): KernelOp {
  // Qubits ascending ⇒ positions descending; matrix bit j belongs to qubits[k-1-j].
  const k = op.qubits.length;
  const pos = new Int32Array(k);
  for (let j = 0; j < k; j++) pos[j] = n - 1 - op.qubits[k - 1 - j];
  return { kind: op.kind, pos, ctrl: Int32Array.from(op.controls, (q) => n - 1 - q), matrix: op.matrix, perm: op.perm };
}

/** Precision for a request: explicit, else single from 20 qubits up, double below. */
export function precisionFor(n: number, request: SimulationRequest): Precision {
  return request.precision ?? (n >= 20 ? 'single' : 'double');
}

function checkMemory(n: number, request: SimulationRequest): number {
  const precision = precisionFor(n, request);
  const bytes = stateBytes(n, precision);
  const limit = request.memoryLimitBytes ?? DEFAULT_SV_MEMORY_LIMIT;
  if (bytes > limit)
    throw new ResourceError(
      `state vector of ${n} qubits in ${precision} precision needs ${bytes} bytes (${(bytes / 1024 ** 3).toFixed(2)} GiB), over the limit of ${limit} bytes`,
      bytes,
    );
  return bytes;
}

type Step = { kind: 'ops'; ops: KernelOp[]; gates: number } | { kind: 'op'; op: Operation };

/** Splits a circuit into fused unitary runs and the non-unitary ops between them. */
export function planCircuit(circuit: Circuit, fuse: number): Step[] {
  const n = circuit.numQubits;
  const steps: Step[] = [];
  let run: GateOperation[] = [];
  const flush = () => {
    if (run.length) steps.push({ kind: 'ops', ops: fuseForEngine(run, fuse, n).map((f) => toKernelOp(f, n)), gates: run.length });
    run = [];
  };
  for (const op of circuit.operations) {
    if (op.kind === 'barrier') continue;
    if (op.kind === 'gate' && !op.condition) run.push(op);
    else {
      flush();
      steps.push({ kind: 'op', op });
    }
  }
  flush();
  return steps;
}

function bitstringIndex(bits: string, n: number): number {
  if (bits.length !== n || !/^[01]+$/.test(bits)) throw new RangeError(`amplitude bitstring '${bits}' must have ${n} characters 0/1`);
  return parseInt(bits, 2);
}

function indexBits(index: number, n: number): string {
  return index.toString(2).padStart(n, '0');
}

function sorted(counts: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of [...counts.keys()].sort()) out[k] = counts.get(k)!;
  return out;
}

/** The fast state-vector engine. */
export class StatevectorEngine implements Engine {
  readonly name = 'statevector';
  readonly description = 'fast state vector: gate fusion, WASM SIMD kernels, threads, complex64/complex128, chunked up to 30+ qubits';
  constructor(private readonly options: StatevectorOptions = {}) {}

  estimate(circuit: Circuit, request: SimulationRequest): Estimate {
    const n = circuit.numQubits;
    if (n < 1) return { ok: false, reason: 'the circuit has no qubits' };
    if (n > 40) return { ok: false, reason: `${n} qubits is beyond a state vector` };
    const bytes = stateBytes(n, precisionFor(n, request));
    const limit = request.memoryLimitBytes ?? DEFAULT_SV_MEMORY_LIMIT;
    if (bytes > limit) return { ok: false, reason: `needs ${bytes} bytes for the state, over the limit of ${limit}` };
    const gates = circuit.gates().length;
    return { ok: true, flops: 8 * 2 ** n * Math.max(1, gates / 2), bytes };
  }

  async run(circuit: Circuit, request: SimulationRequest): Promise<SimulationResult> {
    const n = circuit.numQubits;
    if (n < 1) throw new Error('the circuit has no qubits');
    checkMemory(n, request);
    const precision = precisionFor(n, request);
    const amplitudeIndices = (request.amplitudes ?? []).map((b) => [b, bitstringIndex(b, n)] as const);
    for (const o of request.observables ?? [])
      for (const t of o.terms)
        for (const f of t.factors)
          if (f.qubit >= n) throw new RangeError(`observable acts on qubit ${f.qubit}, but the circuit has ${n} qubit(s)`);
    const shots = request.shots ?? 0;
    if (!Number.isSafeInteger(shots) || shots < 0) throw new RangeError(`shots must be a non-negative integer, got ${shots}`);
    const fuse = request.fuse ?? defaultFuse(n);
    if (!Number.isInteger(fuse) || fuse < 1 || fuse > 8) throw new RangeError(`fuse must be an integer from 1 to 8, got ${fuse}`);
    const rng = new Rng(request.seed ?? randomSeed());
    const chunkBits = this.options.maxChunkBits ?? defaultChunkBits(precision);
    if (!Number.isInteger(chunkBits) || chunkBits < 1) throw new RangeError(`maxChunkBits must be a positive integer, got ${chunkBits}`);
    if (n - chunkBits > MAX_CHUNK_LEVELS)
      throw new RangeError(
        `maxChunkBits ${chunkBits} splits a ${n}-qubit state into 2^${n - chunkBits} memories; at most 2^${MAX_CHUNK_LEVELS} are allowed (use maxChunkBits ≥ ${n - MAX_CHUNK_LEVELS})`,
      );
    const exec = this.options.executor ? this.options.executor(request, n) : defaultFactory(request, n, this.options.backend, this.options.blocking);
    try {
      const steps = planCircuit(circuit, fuse);
      const state = exec.alloc(n, precision, chunkBits);
      await exec.prepare?.(state);
      const hasMeasure = circuit.operations.some((o) => o.kind === 'measure');
      const measures = circuit.operations.filter((o) => o.kind === 'measure');
      const clbits = new Uint8Array(circuit.numClbits);
      const tally = new Map<string, number>();
      const key = () => Array.from(clbits, (b) => (b ? '1' : '0')).join('');

      if (circuit.hasOnlyTerminalMeasurements()) {
        for (const st of steps) if (st.kind === 'ops') await exec.apply(state, st.ops);
        if (shots > 0) {
          const u = new Float64Array(shots);
          for (let s = 0; s < shots; s++) u[s] = rng.random();
          const idx = sampleIndices(state, u);
          const byIndex = new Map<number, number>();
          for (let s = 0; s < shots; s++) byIndex.set(idx[s], (byIndex.get(idx[s]) ?? 0) + 1);
          for (const [index, count] of byIndex) {
            let k: string;
            if (hasMeasure) {
              clbits.fill(0);
              for (const m of measures) if (m.kind === 'measure') clbits[m.clbit] = Math.floor(index / 2 ** (n - 1 - m.qubit)) & 1;
              k = key();
            } else k = indexBits(index, n);
            tally.set(k, (tally.get(k) ?? 0) + count);
          }
        }
      } else {
        // Trajectories: the unitary prefix is simulated once and copied for each shot.
        let first = 0;
        while (first < steps.length && steps[first].kind === 'ops') first++;
        for (let i = 0; i < first; i++) {
          const st = steps[i];
          if (st.kind === 'ops') await exec.apply(state, st.ops);
        }
        const prefix = shots > 1 ? exec.alloc(n, precision, chunkBits) : undefined;
        if (prefix) copyState(prefix, state);
        const runs = Math.max(1, shots);
        for (let s = 0; s < runs; s++) {
          if (s > 0) {
            if (prefix) copyState(state, prefix);
            else setZeroState(state);
          }
          clbits.fill(0);
          for (let i = first; i < steps.length; i++) {
            const st = steps[i];
            if (st.kind === 'ops') {
              await exec.apply(state, st.ops);
              continue;
            }
            const op = st.op;
            if (op.kind === 'barrier') continue;
            if (op.condition) {
              let v = 0;
              op.condition.clbits.forEach((b, j) => (v += clbits[b] * 2 ** j));
              if (v !== op.condition.value) continue;
            }
            if (op.kind === 'gate') await exec.apply(state, fuseGates([op], fuse).map((f) => toKernelOp(f, n)));
            else if (op.kind === 'measure') clbits[op.clbit] = measureQubit(state, op.qubit, rng.random());
            else measureQubit(state, op.qubit, rng.random(), true);
          }
          if (shots > 0) {
            const k = hasMeasure ? key() : indexBits(sampleIndices(state, Float64Array.of(rng.random()))[0], n);
            tally.set(k, (tally.get(k) ?? 0) + 1);
          }
        }
      }

      const result: {
        qubits: number;
        engine: string;
        amplitudes?: Record<string, readonly [number, number]>;
        probabilities?: Float64Array;
        counts?: Record<string, number>;
        statevector?: Float64Array | Float32Array;
        expectations?: number[];
      } = { qubits: n, engine: this.name };
      if (amplitudeIndices.length) {
        result.amplitudes = {};
        for (const [b, i] of amplitudeIndices) result.amplitudes[b] = amplitudeAt(state, i);
      }
      if (request.probabilities) result.probabilities = probabilities(state);
      if (shots > 0) result.counts = sorted(tally);
      if (request.statevector) result.statevector = flatState(state);
      if (request.observables?.length) result.expectations = request.observables.map((o) => expectation(state, o));
      return result;
    } finally {
      exec.close?.();
    }
  }
}

/** The registered instance. */
export const statevectorEngine = new StatevectorEngine();
registerEngine(statevectorEngine);
