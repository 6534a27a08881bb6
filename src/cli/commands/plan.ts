/**
 * `taizhang plan FILE …`: finds a contraction order (hyper-optimizer) and index slicing for a
 * circuit's amplitude network and writes a versioned plan JSON for `taizhang contract`/`run`.
 */
import type { Command } from '../command.js';
import { formatFlags, parseArgs, UsageError, type FlagTable, MAX_THREADS } from '../args.js';
import { readTextFile, checkWritable, requireUnitary, writeTextFile } from '../io.js';
import { readCircuit } from '../../formats/index.js';
import { amplitudeNetwork } from '../../network/api.js';
import { toProblem } from '../../network/types.js';
import { hyperOptimizeThreads } from '../../contraction/hyper.node.js';
import { defaultThreads } from '../../runtime/pool.node.js';
import { sliceTree, targetWidth, DEFAULT_MAX_WIDTH } from '../../contraction/slicing.js';
import { bytesPerElement } from '../../tensor/tensor.js';
import { parseByteSize } from '../byte-size.js';
import { makePlan, serializePlan } from '../../contraction/plan.js';
import type { Objective } from '../../contraction/cost.js';

const FLAGS = {
  amplitude: { type: 'string', valueName: 'BITS', description: 'output bitstring (qubit 0 leftmost); default all zeros' },
  open: { type: 'string', valueName: 'PATTERN', description: 'output pattern of 0/1/x; x qubits stay open' },
  time: { type: 'number', min: 0, valueName: 'SECONDS', description: 'search time budget (default 10)' },
  threads: { type: 'integer', min: 1, max: MAX_THREADS, valueName: 'N', description: 'search threads: independent hyper-optimizer runs on worker threads, best kept (default: every core)' },
  'max-width': { type: 'number', min: 0, valueName: 'LOG2', description: `slice until the largest intermediate has ≤ 2^LOG2 elements (default ${DEFAULT_MAX_WIDTH})` },
  'max-memory': { type: 'string', valueName: 'SIZE', description: 'instead of --max-width: largest intermediate in bytes, e.g. 1GiB (elements of --precision)' },
  precision: { type: 'string', choices: ['single', 'double'], description: 'element size for --max-memory: complex64 (8 bytes) or complex128 (16, default, as run --method tensor)' },
  objective: { type: 'string', choices: ['flops', 'width', 'limit', 'combo', 'sliced'], description: 'what the search minimises (default sliced: FLOPs after slicing to --max-width)' },
  seed: { type: 'integer', min: 0, valueName: 'N', description: 'random seed (default 1)' },
  output: { type: 'string', short: 'o', valueName: 'FILE', description: 'write the plan JSON here' },
  json: { type: 'boolean', description: 'print one JSON object with the costs' },
} as const satisfies FlagTable;

const USAGE = [
  'Usage: taizhang plan FILE [--amplitude BITS | --open PATTERN] [--time SECONDS] [--max-width LOG2 | --max-memory SIZE] [-o plan.json] [--json]',
  '',
  'Searches a contraction order for the circuit\'s (simplified) amplitude network, slices indices',
  'until the width fits, and prints log10 FLOPs, log2 width, slices, overhead and search time.',
  '',
  'Options:',
  formatFlags(FLAGS),
  '',
].join('\n');

/**
 * The width target: --max-width, or the largest intermediate --max-memory holds in elements of
 * --precision (complex128 unless single), or the default.
 */
function widthLimit(maxWidth: number | undefined, maxMemory: string | undefined, precision: string | undefined): number {
  if (maxMemory === undefined) {
    if (precision !== undefined) throw new UsageError('--precision only sets the element size for --max-memory');
    return maxWidth ?? DEFAULT_MAX_WIDTH;
  }
  if (maxWidth !== undefined) throw new UsageError('give --max-width or --max-memory, not both');
  const bytes = parseByteSize(maxMemory, '--max-memory');
  const dtype = precision === 'single' ? 'complex64' : 'complex128';
  const element = bytesPerElement(dtype);
  if (bytes < element) throw new UsageError(`--max-memory ${bytes} bytes holds no ${dtype} element (${element} bytes)`);
  return targetWidth({ maxBytes: bytes, bytesPerElement: element });
}

export const planCommand: Command = {
  name: 'plan',
  summary: 'find a sliced contraction plan for tensor-network simulation',
  usage: USAGE,
  async run(argv) {
    const { flags, positionals } = parseArgs(argv, FLAGS);
    if (positionals.length !== 1) throw new UsageError('plan needs exactly one circuit FILE');
    if (flags.amplitude !== undefined && flags.open !== undefined) throw new UsageError('give --amplitude or --open, not both');
    const file = positionals[0];
    if (flags.output !== undefined) checkWritable(flags.output);
    const circuit = readCircuit(readTextFile(file), { file });
    requireUnitary(circuit, file, 'plan');
    const pattern = flags.open ?? flags.amplitude ?? '0'.repeat(circuit.numQubits);
    if (flags.amplitude !== undefined && !/^[01]*$/.test(flags.amplitude)) throw new UsageError(`--amplitude '${flags.amplitude}' must contain only 0 and 1`);
    if (flags.open !== undefined && !/^[01x]*$/.test(flags.open)) throw new UsageError(`--open '${flags.open}' must contain only 0, 1 and x`);
    if (pattern.length !== circuit.numQubits) throw new UsageError(`output pattern has ${pattern.length} characters but the circuit has ${circuit.numQubits} qubits`);
    const net = amplitudeNetwork(circuit, pattern);
    const problem = toProblem(net);
    const maxWidth = widthLimit(flags['max-width'], flags['max-memory'], flags.precision);
    // Output indices are never sliced (slices are summed), so the result itself must fit.
    const outWidth = problem.output.reduce((w, i) => w + Math.log2(problem.sizes[i]), 0);
    if (outWidth > maxWidth + 1e-9) {
      const open = [...pattern].filter((ch) => ch === 'x').length;
      const raise = flags['max-memory'] !== undefined ? '--max-memory' : '--max-width';
      throw new UsageError(`${open} open qubits make a result of 2^${+outWidth.toFixed(3)} elements, over the width limit of 2^${+maxWidth.toFixed(3)}: open at most ${Math.floor(maxWidth + 1e-9)} qubits, or raise ${raise} (width ${Math.ceil(outWidth - 1e-9)} needed)`);
    }
    const objective = (flags.objective ?? 'sliced') as Objective;
    const seed = flags.seed ?? 1;
    const t0 = Date.now();
    // The budget covers search, final reconfiguration and slicing (done by the hyper-optimizer).
    const hyper = await hyperOptimizeThreads(problem, { timeSeconds: flags.time ?? 10, objective, maxWidth, seed, threads: flags.threads ?? defaultThreads(), slice: true });
    const sliced = hyper.sliced && hyper.slicedCost
      ? { tree: hyper.tree, sliced: hyper.sliced, cost: hyper.slicedCost }
      : sliceTree(hyper.tree, { maxWidth });
    const seconds = (Date.now() - t0) / 1000;
    const plan = makePlan(problem, sliced.tree, sliced.sliced, {
      finder: hyper.best.finder, trials: hyper.trials, seconds, seed, objective, maxWidth, pattern,
    }, sliced.cost);
    if (flags.output) writeTextFile(flags.output, serializePlan(plan) + '\n');
    const c = plan.cost;
    if (flags.json) {
      // log10 of 0 (a network simplified to one tensor) is not JSON: null there, the counts beside it.
      console.log(JSON.stringify({
        log10Flops: Math.log10(c.flops), log10MultiplyAdds: Math.log10(c.multiplyAdds), flops: c.flops, multiplyAdds: c.multiplyAdds, width: c.width,
        slices: c.slices, overhead: c.overhead, seconds, trials: hyper.trials, tensors: problem.inputs.length,
        fingerprint: plan.fingerprint, ...(flags.output ? { plan: flags.output } : {}),
        // Where the winning search's result came from: its finder parameters and the costs
        // before re-planning and annealing (log10 multiply-adds), and its annealing runs.
        search: { finder: hyper.best.finder, ...hyper.best.params },
      }));
    } else {
      console.log(`tensors        ${problem.inputs.length}`);
      console.log(c.multiplyAdds > 0
        ? Number.isFinite(c.flops)
          ? `log10 FLOPs    ${Math.log10(c.flops).toFixed(3)}  (multiply-adds 10^${Math.log10(c.multiplyAdds).toFixed(3)})`
          : `log10 FLOPs    over 308: beyond the range of a double, far past any computer`
        : 'log10 FLOPs    none: the network simplifies to a single tensor, nothing to contract');
      console.log(`log2 width     ${c.width.toFixed(1)}`);
      console.log(`slices         ${formatSlices(c.slices)}`);
      console.log(`overhead       ${formatOverhead(c.overhead)}`);
      console.log(`search time    ${seconds.toFixed(2)} s (${hyper.trials} trials)`);
      if (flags.output) console.log(`plan written to ${flags.output}`);
    }
    return 0;
  },
};

/**
 * Slice count for people: exact with its power of two while it is an exact integer (2^53), else
 * only the power (a hopeless plan can need 2^700 slices, whose digits say nothing; past 2^1024,
 * the range of a double, only that bound).
 */
export function formatSlices(slices: number): string {
  if (slices <= 1) return String(slices);
  if (!Number.isFinite(slices)) return 'over 2^1024';
  const log2 = Math.log2(slices);
  const pow = Number.isInteger(log2) ? `2^${log2}` : `2^${log2.toFixed(1)}`;
  return slices <= 2 ** 53 ? `${slices} (${pow})` : pow;
}

/** Slicing overhead for people: four decimals, exponent notation from 10^6, and past the double range, that. */
function formatOverhead(overhead: number): string {
  if (overhead < 1e6) return overhead.toFixed(4);
  return Number.isFinite(overhead) ? overhead.toExponential(3) : 'beyond the range of a double';
}
