/**
 * Engine `tensor`: amplitudes, pattern batches and Pauli expectations by tensor-network
 * contraction. It estimates cost from the greedy (or given) path so `--method auto` can choose.
 */
import type { Circuit } from '../circuit/circuit.js';
import { greedyPath } from '../contraction/greedy.js';
import { plannedPattern } from '../contraction/plan.js';
import { UnsupportedRequestError, type Engine, type Estimate, type SimulationRequest, type SimulationResult } from '../engine/types.js';
import { registerEngine } from '../engine/registry.js';
import { DEFAULT_TENSOR_MEMORY, amplitudeNetwork, amplitudes, contract, expectation, type TensorOptions } from './api.js';
import { planExecution, sliceCount } from './execute.js';
import { expectationNetwork } from './from-circuit.js';
import { type NetworkStats, networkStats, simplifyNetwork } from './simplify.js';
import { toProblem, type TensorNetwork } from './types.js';

/** Largest register for which the engine returns all probabilities or the state vector. */
export const TENSOR_DENSE_MAX_QUBITS = 26;

function options(request: SimulationRequest): TensorOptions {
  return {
    ...(request.precision ? { precision: request.precision } : {}),
    ...(request.memoryLimitBytes !== undefined ? { memoryLimitBytes: request.memoryLimitBytes } : {}),
    ...(request.maxWidth !== undefined ? { maxWidth: request.maxWidth } : {}),
    ...(request.plan ? { plan: request.plan } : {}),
  };
}

function refusal(circuit: Circuit, request: SimulationRequest): string | undefined {
  if (!circuit.hasOnlyTerminalMeasurements()) return 'the tensor engine needs a unitary circuit (no mid-circuit measurement, reset or condition)';
  if (request.shots !== undefined && request.shots > 0) return 'the tensor engine does not sample shots (use a state-vector method)';
  if ((request.probabilities || request.statevector) && circuit.numQubits > TENSOR_DENSE_MAX_QUBITS)
    return `the tensor engine returns all probabilities / the state vector only up to ${TENSOR_DENSE_MAX_QUBITS} qubits (circuit has ${circuit.numQubits}); ask for amplitudes`;
  if (request.plan && (request.observables?.length || request.probabilities || request.statevector)) {
    const made = plannedPattern(request.plan);
    return `a --plan applies to amplitude networks only: give --amplitudes${made !== undefined ? ` (this plan was made for ${made})` : ''}`;
  }
  return undefined;
}

function networksFor(circuit: Circuit, request: SimulationRequest): TensorNetwork[] {
  const nets: TensorNetwork[] = [];
  const n = circuit.numQubits;
  for (const b of request.amplitudes ?? []) nets.push(amplitudeNetwork(circuit, b));
  if (request.probabilities || request.statevector) nets.push(amplitudeNetwork(circuit, 'x'.repeat(n)));
  for (const obs of request.observables ?? [])
    for (const t of obs.terms)
      if (t.factors.length) nets.push(simplifyNetwork(expectationNetwork(circuit, t.factors.map((f) => ({ qubit: f.qubit, op: f.pauli })))).network);
  return nets;
}

export const tensorEngine: Engine = {
  name: 'tensor',
  description: 'Tensor-network contraction: amplitudes and expectations of wide, shallow circuits (53+ qubits)',
  estimate(circuit: Circuit, request: SimulationRequest): Estimate {
    const why = refusal(circuit, request);
    if (why) return { ok: false, reason: why };
    let flops = 0;
    let bytes = 0;
    const dtype = request.precision === 'single' ? 'complex64' : 'complex128';
    try {
      for (const net of networksFor(circuit, request)) {
        const given = request.plan && net.tensors.length === request.plan.numInputs ? request.plan : undefined;
        const path = given ? given.path : greedyPath(toProblem(net));
        const sliced = given ? given.sliced : [];
        const exec = planExecution(net, path, sliced, dtype);
        if (request.maxWidth !== undefined && exec.width > request.maxWidth + 1e-9)
          return { ok: false, reason: `greedy path width ${exec.width.toFixed(1)} exceeds --max-width ${request.maxWidth}` };
        const limit = request.memoryLimitBytes ?? DEFAULT_TENSOR_MEMORY;
        if (exec.peakBytes > limit) return { ok: false, reason: `contraction needs ${exec.peakBytes} bytes (width ${exec.width.toFixed(1)}), over the memory limit ${limit}` };
        // GEMM work per slice, plus the cost of building/simplifying (one pass over the inputs).
        flops += exec.flops * sliceCount(net, sliced) + 8 * networkStats(net).elements;
        bytes = Math.max(bytes, exec.peakBytes);
      }
    } catch (e) {
      return { ok: false, reason: (e as Error).message };
    }
    return { ok: true, flops, bytes };
  },
  async run(circuit: Circuit, request: SimulationRequest): Promise<SimulationResult> {
    const why = refusal(circuit, request);
    if (why) throw new UnsupportedRequestError(why);
    // Work counters shared by every contraction of this run (reported as GFLOP/s through onProgress).
    const stats = { flops: 0, seconds: 0 };
    const networks: Array<{ before: NetworkStats; after: NetworkStats }> = [];
    const opts: TensorOptions = { ...options(request), stats, onSimplify: ({ before, after }) => networks.push({ before, after }) };
    const n = circuit.numQubits;
    const result: { -readonly [K in keyof SimulationResult]: SimulationResult[K] } = { qubits: n, engine: 'tensor' };
    if (request.amplitudes?.length) result.amplitudes = amplitudes(circuit, request.amplitudes, opts);
    if (request.probabilities || request.statevector) {
      const sv = contract(amplitudeNetwork(circuit, 'x'.repeat(n), true, opts.onSimplify), { ...opts, plan: undefined });
      if (request.statevector) result.statevector = request.precision === 'single' ? Float32Array.from(sv) : sv;
      if (request.probabilities) {
        const p = new Float64Array(sv.length / 2);
        for (let i = 0; i < p.length; i++) p[i] = sv[2 * i] ** 2 + sv[2 * i + 1] ** 2;
        result.probabilities = p;
      }
    }
    if (request.observables?.length) result.expectations = request.observables.map((o) => expectation(circuit, o, { ...opts, plan: undefined }));
    result.networks = networks;
    request.onProgress?.({ done: 1, total: 1, elapsedSeconds: stats.seconds, gflops: stats.seconds > 0 ? stats.flops / stats.seconds / 1e9 : 0 });
    return result;
  },
};

registerEngine(tensorEngine);
