/**
 * `taizhang contract FILE --plan plan.json …`: one amplitude (or a pattern's batch) of a
 * sliced contraction, on the local thread pool, on a Redis/BullMQ cluster (`--redis`), or as
 * one static shard of a job array (`--shard I/N -o part-I.json`, then `taizhang reduce`).
 */
import type { Command } from '../command.js';
import { formatFlags, parseArgs, UsageError, type FlagTable, MAX_THREADS } from '../args.js';
import { CliInputError } from '../errors.js';
import { readTextFile, checkWritable, requireUnitary, writeTextFile } from '../io.js';
import { readCircuit } from '../../formats/index.js';
import { writeQasm } from '../../formats/qasm2/index.js';
import { parsePlan, plannedPattern, PlanError } from '../../contraction/plan.js';
import { createNetworkJob, networkJobSpec, amplitudesFromResult } from '../../runtime/network-job.js';
import { runSlicesThreads } from '../../runtime/pool.node.js';
import { ClusterError, runSlicesRedis } from '../../runtime/cluster.node.js';
import { runShard } from '../../runtime/shard.node.js';
import { parseShard, ShardError } from '../../runtime/shard.js';
import { terminalProgress } from '../../runtime/progress.node.js';
import type { SliceJobSpec, SliceRunResult } from '../../runtime/types.js';

const FLAGS = {
  plan: { type: 'string', valueName: 'FILE', description: 'contraction plan JSON (from taizhang plan), required' },
  amplitude: { type: 'string', valueName: 'BITS', description: 'the output bitstring (qubit 0 leftmost); default the one the plan was made for, else all zeros' },
  open: { type: 'string', valueName: 'PATTERN', description: 'output pattern of 0/1/x; x qubits stay open (2^k amplitudes)' },
  threads: { type: 'integer', min: 1, max: MAX_THREADS, valueName: 'N', description: 'local worker threads (default: all cores)' },
  'batch-size': { type: 'integer', min: 1, valueName: 'N', description: 'slices per batch (default: about 64 batches); must match across shards and restarts' },
  redis: { type: 'string', valueName: 'URL', description: 'run on the BullMQ cluster at this Redis URL (start workers with taizhang worker)' },
  'run-id': { type: 'string', valueName: 'ID', description: 'cluster/shard run id (default: derived from plan, circuit and pattern)' },
  queue: { type: 'string', valueName: 'NAME', description: 'BullMQ queue name (default taizhang-slices)' },
  timeout: { type: 'number', min: 0, valueName: 'SECONDS', description: 'cluster: give up after this long' },
  shard: { type: 'string', valueName: 'I/N', description: 'compute only shard I of N and write its partial sums (needs -o)' },
  output: { type: 'string', short: 'o', valueName: 'FILE', description: 'write the JSON result (or the shard file) here' },
  json: { type: 'boolean', description: 'print one JSON object; no progress bar' },
} as const satisfies FlagTable;

const USAGE = [
  'Usage: taizhang contract FILE --plan plan.json [--amplitude BITS | --open PATTERN] [options]',
  '',
  'Contracts a circuit\'s amplitude network along a sliced plan, summing the slices on all local',
  'cores, on a Redis cluster (--redis), or as one shard of a job array (--shard I/N -o part.json).',
  'Results are bit-for-bit identical in every mode and for any number of threads or workers.',
  '',
  'Options:',
  formatFlags(FLAGS),
  '',
  'JSON: {"qubits": n, "amplitudes": {"0…0": [re, im]}, "slices": S, "batches": B, "runId": "…", "seconds": t}',
  '',
].join('\n');

/** Loads a circuit file and a plan file into a network job spec (checks the plan here, clearly). */
export function loadNetworkJob(file: string, planFile: string, pattern: string | undefined): { spec: SliceJobSpec; pattern: string; qubits: number; circuitHash: string } {
  const circuit = readCircuit(readTextFile(file), { file });
  requireUnitary(circuit, file, 'contract');
  let plan;
  try {
    plan = parsePlan(readTextFile(planFile));
  } catch (e) {
    if (e instanceof PlanError) throw new CliInputError(`${planFile}: ${e.message}`);
    throw e;
  }
  // Without --amplitude/--open: the output the plan was made for (`taizhang plan` records it),
  // else all zeros.
  const planned = plannedPattern(plan);
  const pat = pattern ?? (planned?.length === circuit.numQubits ? planned : '0'.repeat(circuit.numQubits));
  const spec = networkJobSpec(writeQasm(circuit), pat, plan);
  let circuitHash: string;
  try {
    circuitHash = createNetworkJob(spec.input).circuitHash; // refuses a plan made for another network
  } catch (e) {
    if (e instanceof PlanError) throw new CliInputError(`${planFile} does not fit ${file} with output '${pat}': ${e.message}`);
    if (e instanceof Error && /pattern/.test(e.message)) throw new CliInputError(e.message);
    throw e;
  }
  return { spec, pattern: pat, qubits: circuit.numQubits, circuitHash };
}

/** Prints amplitudes as a table or JSON. */
export function printAmplitudes(amps: Record<string, [number, number]>, extra: Record<string, unknown>, json: boolean, qubits: number): string {
  if (json) return `${JSON.stringify({ qubits, amplitudes: amps, ...extra })}\n`;
  const lines = Object.entries(amps).map(([b, [re, im]]) => `${b}  ${re.toPrecision(17)}  ${im.toPrecision(17)}  |a|^2=${(re * re + im * im).toPrecision(6)}`);
  const info = Object.entries(extra).map(([k, v]) => `${k}=${v}`).join('  ');
  return `${lines.join('\n')}\n${info}\n`;
}

export const contractCommand: Command = {
  name: 'contract',
  summary: 'sum a sliced contraction locally, on a Redis cluster, or as one shard',
  usage: USAGE,
  async run(argv) {
    const { flags, positionals } = parseArgs(argv, FLAGS);
    if (positionals.length !== 1) throw new UsageError('contract expects exactly one circuit FILE');
    if (!flags.plan) throw new UsageError('contract needs --plan plan.json (make one with taizhang plan)');
    if (flags.amplitude !== undefined && flags.open !== undefined) throw new UsageError('give --amplitude or --open, not both');
    if (flags.amplitude !== undefined && !/^[01]+$/.test(flags.amplitude)) throw new UsageError(`--amplitude expects a bitstring of 0 and 1, got '${flags.amplitude}'`);
    if (flags.shard !== undefined && flags.redis !== undefined) throw new UsageError('--shard and --redis are different modes; pick one');
    if (flags.shard !== undefined && !flags.output) throw new UsageError('--shard needs -o FILE for the partial result');
    if (flags.output !== undefined) checkWritable(flags.output);
    const job = loadNetworkJob(positionals[0], flags.plan, flags.amplitude ?? flags.open);
    const json = flags.json === true;
    const onProgress = terminalProgress({ quiet: json });
    try {
      if (flags.shard !== undefined) {
        const { shard, shards } = parseShard(flags.shard);
        const part = await runShard(job.spec, shard, shards, {
          ...(flags.threads ? { threads: flags.threads } : {}),
          ...(flags['batch-size'] ? { batchSize: flags['batch-size'] } : {}),
          ...(flags['run-id'] ? { runId: flags['run-id'] } : {}),
          ...(onProgress ? { onProgress } : {}),
          meta: { pattern: job.pattern, qubits: job.qubits, circuitHash: job.circuitHash },
        });
        writeTextFile(flags.output as string, `${JSON.stringify(part)}\n`);
        const msg = { shard, shards, batches: part.batches.length, runId: part.runId, output: flags.output };
        process.stdout.write(json ? `${JSON.stringify(msg)}\n` : `shard ${shard}/${shards}: ${part.batches.length} batches written to ${flags.output} (run ${part.runId})\n`);
        return 0;
      }
      const common = {
        ...(flags['batch-size'] ? { batchSize: flags['batch-size'] } : {}),
        ...(onProgress ? { onProgress } : {}),
      };
      const r: SliceRunResult & { runId?: string; resumedBatches?: number } = flags.redis
        ? await runSlicesRedis(job.spec, {
            redis: flags.redis,
            ...common,
            ...(flags['run-id'] ? { runId: flags['run-id'] } : {}),
            ...(flags.queue ? { queue: flags.queue } : {}),
            ...(flags.timeout !== undefined ? { timeoutMs: flags.timeout * 1000 } : {}),
          })
        : await runSlicesThreads(job.spec, { ...common, ...(flags.threads ? { threads: flags.threads } : {}) });
      const extra: Record<string, unknown> = { slices: r.totalSlices, batches: r.batches, seconds: r.elapsedSeconds };
      if (r.runId !== undefined) {
        extra.runId = r.runId;
        extra.resumedBatches = r.resumedBatches;
      }
      const text = printAmplitudes(amplitudesFromResult(job.pattern, r.data), extra, json, job.qubits);
      if (flags.output) writeTextFile(flags.output, printAmplitudes(amplitudesFromResult(job.pattern, r.data), extra, true, job.qubits));
      process.stdout.write(text);
      return 0;
    } catch (e) {
      if (e instanceof ClusterError || e instanceof ShardError || e instanceof PlanError) throw new CliInputError(e.message);
      throw e;
    }
  },
};
