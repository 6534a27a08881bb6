/**
 * `taizhang run FILE …`: simulate a circuit file and print amplitudes, probabilities, counts,
 * the state vector or expectation values, as a table or as one JSON object.
 */
import { totalmem } from 'node:os';
import type { Command } from '../command.js';
import { formatFlags, parseArgs, UsageError, type FlagTable, MAX_THREADS } from '../args.js';
import { CliInputError } from '../errors.js';
import { readTextFile } from '../io.js';
import { readCircuit, type CircuitFormat } from '../../formats/index.js';
import { ResourceError } from '../../formats/errors.js';
import { formatPauliSum, parsePauliSum } from '../../circuit/observable.js';
import type { Circuit } from '../../circuit/circuit.js';
import type { ContractionPlan } from '../../contraction/types.js';
import type { Engine, NetworkSizes, PauliSum, SimulationRequest, SimulationResult } from '../../engine/types.js';
import { listEngines, selectEngine } from '../../engine/registry.js';
import '../../engines.js';
// Node CLI: the state-vector engine uses worker threads (`--threads`, default all cores for large states).
import '../../statevector/threads.node.js';
import { slicedAmplitudes } from '../sliced-amplitudes.js';
import { terminalProgress } from '../../runtime/progress.node.js';

/** Circuits up to this many qubits print their probabilities when no output flag is given. */
const DEFAULT_PROBABILITIES_MAX_QUBITS = 20;

const FLAGS = {
  format: { type: 'string', choices: ['qasm', 'qsim'], description: 'input format (default: detected from the content)' },
  method: { type: 'string', valueName: 'NAME', description: 'engine: auto (default), reference, statevector, tensor …' },
  json: { type: 'boolean', description: 'print one JSON object instead of tables' },
  amplitudes: { type: 'string', repeated: true, valueName: 'B1,B2,…', description: 'amplitudes of these bitstrings (qubit 0 leftmost; x = both values)' },
  probabilities: { type: 'boolean', description: 'all 2^n probabilities' },
  statevector: { type: 'boolean', description: 'the whole state vector' },
  shots: { type: 'integer', min: 0, valueName: 'N', description: 'sample N measurement shots' },
  seed: { type: 'integer', min: 0, valueName: 'S', description: 'seed for sampling and trajectories (default random, printed)' },
  observable: { type: 'string', repeated: true, valueName: 'EXPR', description: 'expectation of a Pauli sum, e.g. "0.5*Z0Z1 + X3"' },
  precision: { type: 'string', choices: ['single', 'double'], description: 'floating-point precision (engines that support both)' },
  threads: { type: 'integer', min: 1, max: MAX_THREADS, valueName: 'N', description: 'worker threads (default: all cores)' },
  fuse: { type: 'integer', min: 1, max: 8, valueName: 'K', description: 'state vector: largest fused gate block, in qubits (default 3 below 18 qubits, 4 from 18)' },
  plan: { type: 'string', valueName: 'FILE', description: 'tensor network: contraction plan JSON (from taizhang plan)' },
  'max-width': { type: 'number', min: 0, valueName: 'W', description: 'tensor network: log2 of the largest intermediate allowed' },
  top: { type: 'integer', min: 1, valueName: 'N', description: 'table output: show at most N probabilities/counts (default 32)' },
  redis: { type: 'string', valueName: 'URL', description: 'tensor + sliced --plan: send slice batches to taizhang worker processes through this Redis' },
  queue: { type: 'string', valueName: 'NAME', description: 'with --redis: BullMQ queue name (default taizhang-slices)' },
  'run-id': { type: 'string', valueName: 'ID', description: 'with --redis: run id (default derived from plan, circuit and output)' },
  'batch-size': { type: 'integer', min: 1, valueName: 'N', description: 'sliced --plan: slices per batch (default about 64 batches)' },
  timeout: { type: 'number', min: 0, valueName: 'SECONDS', description: 'with --redis: give up after this long' },
} as const satisfies FlagTable;

function usage(): string {
  const engines = listEngines().map((e) => `  ${e.name.padEnd(12)} ${e.description}`);
  return [
    'Usage: taizhang run FILE [options]',
    '',
    'Simulates an OpenQASM 2.0 or qsim circuit file (FILE `-` reads standard input).',
    '',
    'Options:',
    formatFlags(FLAGS),
    '',
    'Methods:',
    '  auto         the cheapest engine that can run the request (default)',
    ...engines,
    '',
    'With no output option, circuits of up to 20 qubits print all probabilities.',
    'With --method tensor and a sliced --plan, amplitudes are summed over the slices on all cores',
    '(--threads N) or, with --redis URL, on taizhang worker processes (see docs/cluster.md); the',
    'bits are identical either way. A progress bar shows on a terminal (not with --json).',
    'Conventions: qubit 0 is the first qubit of the first qreg; bitstrings put qubit 0 leftmost;',
    'probabilities[i] and statevector[i] belong to the bitstring of i in binary; counts keys list',
    'classical bits in declaration order, bit 0 leftmost (all qubits when nothing is measured).',
    '',
    'JSON: {"qubits": n, "amplitudes": {"01": [re, im]}, "probabilities": [p0, …],',
    '       "counts": {"01": k}, "statevector": [[re, im], …], "expectations": [v, …]}',
    '      (only the requested keys besides "qubits").',
    '',
  ].join('\n');
}

/** Most open (`x`) positions one `--amplitudes` pattern may have. */
const MAX_OPEN_BITS = 20;

/**
 * Splits `--amplitudes 00,11 --amplitudes 01` into validated bitstrings; a pattern such as
 * `01x1x` expands to every bitstring matching it (`x` = either bit).
 */
function amplitudeList(values: readonly string[] | undefined, n: number): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (b: string) => {
    if (!seen.has(b)) {
      seen.add(b);
      out.push(b);
    }
  };
  for (const v of values ?? []) {
    for (const raw of v.split(',')) {
      const b = raw.trim();
      if (b === '') throw new UsageError(`--amplitudes: empty bitstring in '${v}'`);
      if (!/^[01xX]+$/.test(b)) throw new UsageError(`--amplitudes: bitstring '${b}' may contain only 0 and 1 (or x for either)`);
      if (b.length !== n) throw new UsageError(`--amplitudes: bitstring '${b}' has ${b.length} bit${b.length === 1 ? '' : 's'}, the circuit has ${n} qubit${n === 1 ? '' : 's'}`);
      const open = [...b].flatMap((ch, i) => (ch === 'x' || ch === 'X' ? [i] : []));
      if (open.length > MAX_OPEN_BITS) throw new UsageError(`--amplitudes: pattern '${b}' has ${open.length} x positions (at most ${MAX_OPEN_BITS})`);
      const chars = [...b];
      for (let m = 0; m < 2 ** open.length; m++) {
        // The first x is the most significant, so the expansion lists bitstrings in order.
        open.forEach((pos, j) => {
          chars[pos] = (m >> (open.length - 1 - j)) & 1 ? '1' : '0';
        });
        add(chars.join(''));
      }
    }
  }
  return out;
}

function chooseEngine(method: string, circuit: Circuit, request: SimulationRequest): Engine {
  if (method === 'auto') {
    try {
      return selectEngine(circuit, request);
    } catch (err) {
      throw new ResourceError(err instanceof Error ? err.message : String(err));
    }
  }
  const engine = listEngines().find((e) => e.name === method);
  if (!engine) throw new UsageError(`unknown method '${method}' (known: auto, ${listEngines().map((e) => e.name).join(', ')})`);
  return engine;
}

function readPlan(path: string): ContractionPlan {
  const text = readTextFile(path);
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch (err) {
    throw new CliInputError(`--plan: '${path}' is not valid JSON (${(err as Error).message})`);
  }
  if (typeof plan !== 'object' || plan === null || (plan as { format?: unknown }).format !== 'taizhang-plan')
    throw new CliInputError(`--plan: '${path}' is not a taizhang contraction plan (expected "format": "taizhang-plan")`);
  return plan as ContractionPlan;
}

/** Keys in bitstring order (JS objects list integer-like keys first, so sort explicitly). */
function sortedKeys(rec: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(rec).sort();
}

/** Entries per output chunk: big probability tables and state vectors stream out in pieces. */
const CHUNK = 1 << 16;

/**
 * The `--json` object in pieces (keys in the documented order, counts sorted by bitstring), so
 * 2^26 probabilities never have to fit in one string.
 */
export function* resultJsonChunks(result: SimulationResult): Generator<string> {
  yield `{"qubits": ${result.qubits}`;
  if (result.amplitudes) {
    const a = result.amplitudes;
    yield `, "amplitudes": {${sortedKeys(a).map((k) => `${JSON.stringify(k)}: [${num(a[k][0])}, ${num(a[k][1])}]`).join(', ')}}`;
  }
  if (result.probabilities) {
    const p = result.probabilities;
    yield ', "probabilities": [';
    for (let i = 0; i < p.length; i += CHUNK) yield (i ? ', ' : '') + Array.from(p.subarray(i, i + CHUNK), num).join(', ');
    yield ']';
  }
  if (result.counts) {
    const c = result.counts;
    yield `, "counts": {${sortedKeys(c).map((k) => `${JSON.stringify(k)}: ${c[k]}`).join(', ')}}`;
  }
  if (result.statevector) {
    const s = result.statevector;
    yield ', "statevector": [';
    for (let i = 0; i < s.length; i += 2 * CHUNK) {
      const pairs: string[] = [];
      for (let j = i; j < Math.min(s.length, i + 2 * CHUNK); j += 2) pairs.push(`[${num(s[j])}, ${num(s[j + 1])}]`);
      yield (i ? ', ' : '') + pairs.join(', ');
    }
    yield ']';
  }
  if (result.expectations) yield `, "expectations": [${result.expectations.map(num).join(', ')}]`;
  yield '}\n';
}

/** The whole `--json` object as one string (small results, tests). */
export function resultJson(result: SimulationResult): string {
  return [...resultJsonChunks(result)].join('');
}

/** A JSON number (non-finite values become null rather than invalid JSON). */
function num(x: number): string {
  return Number.isFinite(x) ? String(Object.is(x, -0) ? 0 : x) : 'null';
}

function fixed(x: number, digits = 8): string {
  const s = x.toFixed(digits);
  return s.startsWith('-') ? s : ` ${s}`;
}

function indexBits(i: number, n: number): string {
  let s = '';
  for (let q = n - 1; q >= 0; q--) s = (Math.floor(i / 2 ** (n - 1 - q)) % 2 ? '1' : '0') + s;
  return s;
}

interface TableContext {
  readonly file: string;
  readonly circuit: Circuit;
  readonly shots: number;
  readonly seed: number | undefined;
  readonly observables: readonly { readonly text: string; readonly sum: PauliSum }[];
  readonly top: number;
  readonly seconds: number;
}

/** The human-readable report. */
export function resultTable(result: SimulationResult, ctx: TableContext): string {
  return [...resultTableChunks(result, ctx)].join('');
}

/** The human-readable report in pieces (the state vector table can have 2^n lines). */
export function* resultTableChunks(result: SimulationResult, ctx: TableContext): Generator<string> {
  const n = result.qubits;
  const lines: string[] = [];
  const gates = ctx.circuit.gates().length;
  lines.push(`circuit   ${ctx.file} (${n} qubit${n === 1 ? '' : 's'}, ${gates} gate${gates === 1 ? '' : 's'})`);
  lines.push(`engine    ${result.engine} (${ctx.seconds.toFixed(3)} s)`);
  const nets = result.networks ?? [];
  const size = (s: NetworkSizes): string => `${s.tensors} tensors, ${s.indices} indices, max rank ${s.maxRank}, ${s.elements} elements`;
  nets.slice(0, 4).forEach((x, i) => lines.push(`${i ? '         ' : 'network  '} ${size(x.before)} → simplified ${size(x.after)}`));
  if (nets.length > 4) lines.push(`          … ${nets.length - 4} more networks`);
  if (result.amplitudes) {
    lines.push('', 'amplitudes');
    for (const k of sortedKeys(result.amplitudes)) {
      const [re, im] = result.amplitudes[k];
      lines.push(`  ${k}  ${fixed(re)} ${im < 0 ? '-' : '+'} ${Math.abs(im).toFixed(8)}i   p = ${(re * re + im * im).toFixed(8)}`);
    }
  }
  if (result.probabilities) {
    const p = result.probabilities;
    const order = [...p.keys()].filter((i) => p[i] > 1e-14);
    // Round before comparing so equal probabilities list in index order.
    order.sort((a, b) => Math.round((p[b] - p[a]) * 1e12) || a - b);
    const shown = order.slice(0, ctx.top);
    lines.push('', `probabilities (${shown.length < order.length ? `top ${shown.length} of ` : ''}${order.length} nonzero of ${p.length})`);
    for (const i of shown) lines.push(`  ${indexBits(i, n)}  ${p[i].toFixed(8)}`);
  }
  if (result.counts) {
    const c = result.counts;
    const keys = Object.keys(c).sort((a, b) => c[b] - c[a] || (a < b ? -1 : 1));
    const shown = keys.slice(0, ctx.top);
    const total = Object.values(c).reduce((s, v) => s + v, 0);
    lines.push('', `counts (${total} shots${ctx.seed !== undefined ? `, seed ${ctx.seed}` : ''}${shown.length < keys.length ? `; top ${shown.length} of ${keys.length} outcomes` : ''})`);
    const width = Math.max(...shown.map((k) => String(c[k]).length));
    for (const k of shown) lines.push(`  ${k}  ${String(c[k]).padStart(width)}  ${((100 * c[k]) / total).toFixed(1).padStart(5)}%`);
  }
  if (result.statevector) {
    const s = result.statevector;
    lines.push('', 'statevector');
    yield `${lines.join('\n')}\n`;
    lines.length = 0;
    for (let i0 = 0; i0 < s.length / 2; i0 += CHUNK) {
      const part: string[] = [];
      for (let i = i0; i < Math.min(s.length / 2, i0 + CHUNK); i++)
        part.push(`  ${indexBits(i, n)}  ${fixed(s[2 * i])} ${s[2 * i + 1] < 0 ? '-' : '+'} ${Math.abs(s[2 * i + 1]).toFixed(8)}i\n`);
      yield part.join('');
    }
  }
  if (result.expectations) {
    lines.push('', 'expectations');
    const texts = ctx.observables.map((o) => formatPauliSum(o.sum));
    const width = Math.max(...texts.map((t) => t.length));
    result.expectations.forEach((v, i) => lines.push(`  ⟨${texts[i]}⟩${' '.repeat(width - texts[i].length)}  ${fixed(v, 10)}`));
  }
  if (lines.length) yield `${lines.join('\n')}\n`;
}

/** Writes chunks to stdout, waiting for the pipe to drain so memory stays bounded. */
async function emit(chunks: Iterable<string>): Promise<void> {
  for (const chunk of chunks) {
    if (!process.stdout.write(chunk)) await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
  }
}

/** `taizhang run`. */
export const runCommand: Command = {
  name: 'run',
  summary: 'simulate a circuit file (OpenQASM 2 or qsim): amplitudes, probabilities, counts, expectations',
  get usage() {
    return usage();
  },
  async run(argv) {
    const { flags, positionals } = parseArgs(argv, FLAGS);
    if (positionals.length === 0) throw new UsageError('run: expected a circuit FILE (see taizhang run --help)');
    if (positionals.length > 1) throw new UsageError(`run: expected one circuit FILE, found ${positionals.length}: ${positionals.join(' ')}`);
    const file = positionals[0];
    const method = flags.method ?? 'auto';
    if (method !== 'auto' && !listEngines().some((e) => e.name === method))
      throw new UsageError(`unknown method '${method}' (known: auto, ${listEngines().map((e) => e.name).join(', ')})`);

    const text = readTextFile(file);
    const circuit = readCircuit(text, { file: file === '-' ? '<stdin>' : file, format: flags.format as CircuitFormat | undefined });
    const n = circuit.numQubits;
    if (n < 1) throw new CliInputError(`${file}: the circuit has no qubits`);

    const amplitudes = amplitudeList(flags.amplitudes, n);
    const observables = (flags.observable ?? []).map((t) => ({ text: t, sum: parsePauliSum(t, n, { file: '--observable' }) }));
    let probabilities = flags.probabilities ?? false;
    const shots = flags.shots ?? 0;
    const nothingAsked = amplitudes.length === 0 && !probabilities && !flags.statevector && shots === 0 && observables.length === 0;
    if (nothingAsked) {
      if (n > DEFAULT_PROBABILITIES_MAX_QUBITS)
        throw new UsageError(
          `the circuit has ${n} qubits: choose an output (--amplitudes B1,B2,…, --shots N, --observable EXPR; --probabilities or --statevector print 2^${n} numbers)`,
        );
      probabilities = true;
    }
    const sliceOnly = ['redis', 'queue', 'run-id', 'timeout'] as const;
    const clusterFlag = sliceOnly.find((f) => flags[f] !== undefined);
    if (clusterFlag && flags.redis === undefined) throw new UsageError(`--${clusterFlag} needs --redis URL`);
    if (flags.redis !== undefined) {
      if (method !== 'tensor' && method !== 'auto') throw new UsageError(`--redis runs the tensor method; --method ${method} cannot use it`);
      if (flags.plan === undefined) throw new UsageError('--redis needs --plan plan.json (a sliced contraction plan from taizhang plan)');
      if (amplitudes.length === 0 || probabilities || flags.statevector || shots > 0 || observables.length > 0)
        throw new UsageError('--redis computes amplitudes only: give --amplitudes B1,B2,… (x = either bit) and no other output');
      if (flags.precision === 'single') throw new UsageError('--redis runs in double precision (drop --precision single)');
    }
    const seed = flags.seed ?? (shots > 0 || !circuit.hasOnlyTerminalMeasurements() ? Math.floor(Math.random() * 2 ** 31) : undefined);
    const request: SimulationRequest = {
      ...(amplitudes.length ? { amplitudes } : {}),
      ...(probabilities ? { probabilities } : {}),
      ...(flags.statevector ? { statevector: true } : {}),
      ...(shots > 0 ? { shots } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(observables.length ? { observables: observables.map((o) => o.sum) } : {}),
      ...(flags.precision ? { precision: flags.precision as 'single' | 'double' } : {}),
      ...(flags.threads !== undefined ? { threads: flags.threads } : {}),
      ...(flags.fuse !== undefined ? { fuse: flags.fuse } : {}),
      ...(flags.plan !== undefined ? { plan: readPlan(flags.plan) } : {}),
      ...(flags['max-width'] !== undefined ? { maxWidth: flags['max-width'] } : {}),
      // Leave a quarter of the machine for the OS and everything else.
      memoryLimitBytes: Math.floor(totalmem() * 0.75),
    };
    const start = performance.now();
    let result: SimulationResult;
    const plan = request.plan;
    const amplitudesOnly = amplitudes.length > 0 && !probabilities && !flags.statevector && shots === 0 && observables.length === 0;
    // A sliced plan's slices go to the slice runtime: all local cores, or the cluster with --redis.
    if (plan && amplitudesOnly && flags.precision !== 'single' && (flags.redis !== undefined || (method === 'tensor' && plan.sliced.length > 0))) {
      const outputs = (flags.amplitudes ?? []).flatMap((v) => v.split(',').map((b) => b.trim()));
      const onProgress = terminalProgress({ quiet: flags.json === true });
      result = {
        qubits: n,
        engine: 'tensor',
        amplitudes: await slicedAmplitudes(circuit, outputs, plan, {
          planFile: flags.plan as string,
          circuitFile: file === '-' ? '<stdin>' : file,
          ...(flags.threads !== undefined ? { threads: flags.threads } : {}),
          ...(flags.redis !== undefined ? { redis: flags.redis } : {}),
          ...(flags.queue !== undefined ? { queue: flags.queue } : {}),
          ...(flags['run-id'] !== undefined ? { runId: flags['run-id'] } : {}),
          ...(flags['batch-size'] !== undefined ? { batchSize: flags['batch-size'] } : {}),
          ...(flags.timeout !== undefined ? { timeoutMs: flags.timeout * 1000 } : {}),
          ...(onProgress ? { onProgress } : {}),
        }),
      };
    } else {
      if (flags['batch-size'] !== undefined) throw new UsageError('--batch-size applies to --method tensor with a sliced --plan');
      const engine = chooseEngine(method, circuit, request);
      result = await engine.run(circuit, request);
    }
    const seconds = (performance.now() - start) / 1000;
    if (flags.json) await emit(resultJsonChunks(result));
    else await emit(resultTableChunks(result, { file, circuit, shots, seed: flags.seed ?? seed, observables, top: flags.top ?? 32, seconds }));
    return 0;
  },
};
