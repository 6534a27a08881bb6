/**
 * `taizhang reduce part-*.json [-o result.json]`: sums the shard files of one
 * `taizhang contract --shard I/N` run, refusing missing, duplicated or foreign shards.
 */
import type { Command } from '../command.js';
import { formatFlags, parseArgs, UsageError, type FlagTable } from '../args.js';
import { CliInputError } from '../errors.js';
import { readTextFile, checkWritable, writeTextFile } from '../io.js';
import { checkPartialFile, reduceShards, ShardError } from '../../runtime/shard.js';
import { amplitudesFromResult } from '../../runtime/network-job.js';
import { printAmplitudes } from './contract.js';

const FLAGS = {
  output: { type: 'string', short: 'o', valueName: 'FILE', description: 'write the JSON result here' },
  json: { type: 'boolean', description: 'print one JSON object' },
} as const satisfies FlagTable;

export const reduceCommand: Command = {
  name: 'reduce',
  summary: 'sum the shard files of a job-array run (taizhang contract --shard)',
  usage: ['Usage: taizhang reduce part-*.json [-o result.json] [--json]', '', 'Options:', formatFlags(FLAGS), ''].join('\n'),
  async run(argv) {
    const { flags, positionals } = parseArgs(argv, FLAGS);
    if (positionals.length === 0) throw new UsageError('reduce expects the shard files (part-*.json)');
    if (flags.output !== undefined) checkWritable(flags.output);
    try {
      const files = positionals.map((name) => {
        let raw: unknown;
        try {
          raw = JSON.parse(readTextFile(name));
        } catch (e) {
          if (e instanceof SyntaxError) throw new CliInputError(`${name}: not valid JSON (${e.message})`);
          throw e;
        }
        return { name, file: checkPartialFile(raw, name) };
      });
      const r = reduceShards(files);
      const pattern = typeof r.meta?.pattern === 'string' ? r.meta.pattern : undefined;
      const qubits = typeof r.meta?.qubits === 'number' ? r.meta.qubits : 0;
      const amps = pattern ? amplitudesFromResult(pattern, r.data) : {};
      const extra = { slices: r.totalSlices, batches: r.batches, shards: r.shards, runId: r.runId };
      if (flags.output) writeTextFile(flags.output, printAmplitudes(amps, extra, true, qubits));
      process.stdout.write(printAmplitudes(amps, extra, flags.json === true, qubits));
      return 0;
    } catch (e) {
      if (e instanceof ShardError) throw new CliInputError(e.message);
      throw e;
    }
  },
};
