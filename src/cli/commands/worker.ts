/**
 * `taizhang worker --redis URL`: contracts slice batches queued by `taizhang contract --redis`
 * until interrupted (SIGINT/SIGTERM finish running batches first).
 */
import type { Command } from '../command.js';
import { formatFlags, parseArgs, UsageError, type FlagTable, MAX_THREADS } from '../args.js';
import { startRedisWorker } from '../../runtime/cluster.node.js';

const FLAGS = {
  redis: { type: 'string', valueName: 'URL', description: 'Redis URL, e.g. redis://10.0.0.1:6379 (required)' },
  concurrency: { type: 'integer', min: 1, max: MAX_THREADS, valueName: 'N', description: 'batches at once, one thread each (default: all cores)' },
  queue: { type: 'string', valueName: 'NAME', description: 'BullMQ queue name (default taizhang-slices)' },
  'lock-ms': { type: 'integer', min: 100, valueName: 'MS', description: 'batch lock; a dead worker\'s batch is retried after about this long (default 30000)' },
  verbose: { type: 'boolean', short: 'v', description: 'log every batch start/finish on stdout' },
} as const satisfies FlagTable;

export const workerCommand: Command = {
  name: 'worker',
  summary: 'contract slice batches from a Redis/BullMQ queue (cluster mode)',
  usage: ['Usage: taizhang worker --redis URL [--concurrency N]', '', 'Options:', formatFlags(FLAGS), ''].join('\n'),
  async run(argv) {
    const { flags, positionals } = parseArgs(argv, FLAGS);
    if (positionals.length) throw new UsageError(`worker takes no positional arguments (got '${positionals[0]}')`);
    if (!flags.redis) throw new UsageError('worker needs --redis URL');
    const verbose = flags.verbose === true;
    const handle = await startRedisWorker({
      redis: flags.redis,
      ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
      ...(flags.queue ? { queue: flags.queue } : {}),
      ...(flags['lock-ms'] ? { lockDurationMs: flags['lock-ms'] } : {}),
      onEvent: (e) => {
        if (verbose || e.type === 'failed') process.stdout.write(`batch ${e.type} ${e.runId} ${e.index}${e.error ? ` ${e.error}` : ''}\n`);
      },
    });
    process.stdout.write(`worker ready (pid ${process.pid})\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await handle.close();
    return 0;
  },
};
