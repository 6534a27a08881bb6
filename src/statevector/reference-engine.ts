/**
 * Registers the reference state-vector simulator as engine `reference` (`--method reference`).
 * It is the oracle: slow and simple; `--method auto` only picks it when nothing else fits.
 */
import type { Circuit } from '../circuit/circuit.js';
import { registerEngine } from '../engine/registry.js';
import type { Engine, Estimate, SimulationRequest, SimulationResult } from '../engine/types.js';
import { DEFAULT_MEMORY_LIMIT_BYTES, formatBytes, referenceBytes, runReference } from './reference.js';

/** The reference engine object. */
export const referenceEngine: Engine = {
  name: 'reference',
  description: 'reference state vector (complex128, plain TypeScript; the correctness oracle)',
  estimate(circuit: Circuit, request: SimulationRequest): Estimate {
    const n = circuit.numQubits;
    const bytes = referenceBytes(n, request);
    const limit = request.memoryLimitBytes ?? DEFAULT_MEMORY_LIMIT_BYTES;
    if (bytes > limit || 2 ** (n + 1) > 2 ** 32)
      return { ok: false, reason: `a ${n}-qubit complex128 state needs ${formatBytes(bytes)} (limit ${formatBytes(limit)})` };
    // Each k-qubit gate costs about 8·4^k flops per group of 2^k amplitudes.
    let flops = 0;
    for (const op of circuit.operations) if (op.kind === 'gate') flops += 8 * 2 ** op.qubits.length * 2 ** n;
    const runs = circuit.hasOnlyTerminalMeasurements() ? 1 : Math.max(1, request.shots ?? 0);
    return { ok: true, flops: flops * runs, bytes };
  },
  async run(circuit: Circuit, request: SimulationRequest): Promise<SimulationResult> {
    return runReference(circuit, request);
  },
};

registerEngine(referenceEngine);
