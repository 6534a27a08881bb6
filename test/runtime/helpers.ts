/** Shared helpers of the runtime tests: a small sliced network job. */
import { Circuit } from '../../src/circuit/circuit.js';
import { writeQasm } from '../../src/formats/qasm2/index.js';
import { amplitudeNetwork } from '../../src/network/api.js';
import { toProblem } from '../../src/network/types.js';
import { greedyPath } from '../../src/contraction/greedy.js';
import { ContractionTree } from '../../src/contraction/tree.js';
import { makePlan } from '../../src/contraction/plan.js';
import type { ContractionPlan } from '../../src/contraction/types.js';

/** A deterministic 10-qubit circuit (layers of H/T/RZ and CX/CZ) as QASM. */
export function testCircuitQasm(qubits = 10, layers = 8, seed = 1): string {
  let x = seed >>> 0;
  const rnd = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const lines = ['OPENQASM 2.0;', 'include "qelib1.inc";', `qreg q[${qubits}];`];
  for (let l = 0; l < layers; l++) {
    for (let q = 0; q < qubits; q++) {
      const r = rnd();
      lines.push(r < 0.4 ? `h q[${q}];` : r < 0.7 ? `t q[${q}];` : `rz(${(rnd() * 3).toFixed(6)}) q[${q}];`);
    }
    for (let q = l % 2; q + 1 < qubits; q += 2) lines.push(rnd() < 0.5 ? `cx q[${q}],q[${q + 1}];` : `cz q[${q}],q[${q + 1}];`);
  }
  return `${lines.join('\n')}\n`;
}

/** A plan for the circuit's amplitude network with `slicedCount` sliced bond indices. */
export function testPlan(qasm: string, pattern: string, slicedCount: number, parse: (s: string) => Circuit): ContractionPlan {
  const net = amplitudeNetwork(parse(qasm), pattern);
  const problem = toProblem(net);
  const path = greedyPath(problem);
  const counts = new Map<number, number>();
  for (const t of problem.inputs) for (const i of t) counts.set(i, (counts.get(i) ?? 0) + 1);
  const out = new Set(problem.output);
  const sliced = [...counts.keys()].filter((i) => !out.has(i) && problem.sizes[i] === 2 && (counts.get(i) ?? 0) >= 2).sort((a, b) => a - b).slice(0, slicedCount);
  return makePlan(problem, ContractionTree.fromPath(problem, path), sliced, { finder: 'test-greedy' });
}

export { writeQasm };
