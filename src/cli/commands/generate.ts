/**
 * `taizhang generate sycamore|grid|bristlecone …`: writes a supremacy-style random circuit from
 * the generators of src/circuits/random.ts as OpenQASM 2 or qsim text, so benchmark circuits can
 * be made, shared and fed back to `run` and `plan` (and to other simulators) without code.
 */
import type { Command } from '../command.js';
import { formatFlags, parseArgs, UsageError, type FlagTable } from '../args.js';
import { bristleconeLayout, czCircuit, gridLayout, sycamoreCircuit } from '../../circuits/random.js';
import type { Circuit } from '../../circuit/circuit.js';
import { writeQasm } from '../../formats/qasm2/writer.js';
import { writeQsim } from '../../formats/qsim.js';
import { checkWritable, writeTextFile } from '../io.js';

const FLAGS = {
  cycles: { type: 'integer', min: 0, valueName: 'M', description: 'sycamore: cycles (default 20)' },
  depth: { type: 'integer', min: 0, valueName: 'D', description: 'grid, bristlecone: CZ cycles d of a 1+d+1 circuit (default 24)' },
  rows: { type: 'integer', min: 1, valueName: 'R', description: 'grid: rows (default 10)' },
  cols: { type: 'integer', min: 1, valueName: 'C', description: 'grid: columns (default 10)' },
  size: { type: 'string', choices: ['70', '72'], description: 'bristlecone: 70 or 72 qubits (default 72)' },
  theta: { type: 'number', valueName: 'RAD', description: 'sycamore: fSim θ (default π/2)' },
  phi: { type: 'number', valueName: 'RAD', description: 'sycamore: fSim φ (default π/6)' },
  seed: { type: 'integer', min: 0, valueName: 'N', description: 'random seed of the single-qubit gates (default 0)' },
  format: { type: 'string', choices: ['qasm', 'qsim'], description: 'output format (default: qsim for an -o file ending in .qsim, else qasm)' },
  output: { type: 'string', short: 'o', valueName: 'FILE', description: 'write the circuit here (default: standard output)' },
} as const satisfies FlagTable;

const KINDS = ['sycamore', 'grid', 'bristlecone'] as const;
type Kind = (typeof KINDS)[number];

const USAGE = [
  'Usage: taizhang generate sycamore|grid|bristlecone [options] [-o FILE]',
  '',
  'Writes a random benchmark circuit:',
  '  sycamore     Google Sycamore-53: √X/√Y/√W layers and fSim in the ABCDCDAB pattern (--cycles M);',
  '               its couplings are those of the public sycamore_n53_m*.qsim files',
  '  grid         Boixo-style 1+d+1 CZ circuit on an R×C grid (--rows, --cols, --depth)',
  '  bristlecone  the same on Bristlecone-70 or -72 (--size, --depth)',
  '',
  'Options:',
  formatFlags(FLAGS),
  '',
].join('\n');

/** Flags that only apply to some kinds: naming one for another kind is a mistake worth reporting. */
const ONLY: Readonly<Record<string, readonly Kind[]>> = {
  cycles: ['sycamore'],
  theta: ['sycamore'],
  phi: ['sycamore'],
  depth: ['grid', 'bristlecone'],
  rows: ['grid'],
  cols: ['grid'],
  size: ['bristlecone'],
};

/** Largest circuit `generate` writes, in gates (about 60 MB of OpenQASM). */
export const MAX_GENERATED_GATES = 2_000_000;
/** Largest register the OpenQASM reader accepts, so every generated file reads back. */
const MAX_GENERATED_QUBITS = 2 ** 20;

/** Refuses, before building anything, a circuit too large to write (with the size it would have). */
function checkSize(kind: Kind, rows: number, cols: number, layers: number): void {
  const qubits = kind === 'sycamore' ? 53 : kind === 'grid' ? rows * cols : 72;
  if (qubits > MAX_GENERATED_QUBITS)
    throw new UsageError(`a ${rows}×${cols} grid has ${qubits} qubits; generate writes at most ${MAX_GENERATED_QUBITS} (the largest OpenQASM register taizhang reads)`);
  // One single-qubit gate per qubit and layer (plus the first and last layers) and at most half
  // a two-qubit gate per qubit and layer: an upper bound on the gates the generators emit.
  const gates = qubits * (layers + 2) * 1.5;
  if (gates > MAX_GENERATED_GATES) {
    const what = kind === 'sycamore' ? `${layers} cycles` : `${qubits} qubits and depth ${layers}`;
    throw new UsageError(`${kind} with ${what} would have up to ${Math.round(gates)} gates; generate writes at most ${MAX_GENERATED_GATES}`);
  }
}

export const generateCommand: Command = {
  name: 'generate',
  summary: 'write a random benchmark circuit (Sycamore-53, grid or Bristlecone) as OpenQASM 2 or qsim',
  usage: USAGE,
  async run(argv) {
    const { flags, positionals } = parseArgs(argv, FLAGS);
    if (positionals.length !== 1) throw new UsageError(`generate needs one kind: ${KINDS.join(', ')}`);
    const kind = positionals[0] as Kind;
    if (!KINDS.includes(kind)) throw new UsageError(`unknown circuit kind '${positionals[0]}' (expected ${KINDS.join(', ')})`);
    for (const [flag, kinds] of Object.entries(ONLY)) {
      if ((flags as Record<string, unknown>)[flag] !== undefined && !kinds.includes(kind)) {
        throw new UsageError(`--${flag} applies to ${kinds.join(' and ')} circuits, not ${kind}`);
      }
    }
    checkSize(kind, flags.rows ?? 10, flags.cols ?? 10, kind === 'sycamore' ? flags.cycles ?? 20 : flags.depth ?? 24);
    if (flags.output !== undefined) checkWritable(flags.output);
    const seed = flags.seed ?? 0;
    let circuit: Circuit;
    if (kind === 'sycamore') {
      circuit = sycamoreCircuit(flags.cycles ?? 20, {
        seed,
        ...(flags.theta !== undefined ? { theta: flags.theta } : {}),
        ...(flags.phi !== undefined ? { phi: flags.phi } : {}),
      });
    } else if (kind === 'grid') {
      circuit = czCircuit(gridLayout(flags.rows ?? 10, flags.cols ?? 10), flags.depth ?? 24, seed);
    } else {
      circuit = czCircuit(bristleconeLayout(flags.size === '70' ? 70 : 72), flags.depth ?? 24, seed);
    }
    const format = flags.format ?? (flags.output?.toLowerCase().endsWith('.qsim') ? 'qsim' : 'qasm');
    const text = format === 'qsim' ? writeQsim(circuit) : writeQasm(circuit);
    if (flags.output !== undefined) {
      writeTextFile(flags.output, text);
      process.stderr.write(`${kind}: ${circuit.numQubits} qubits, ${circuit.gates().length} gates, written to ${flags.output} (${format})\n`);
    } else {
      process.stdout.write(text);
    }
    return 0;
  },
};
