import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runShard } from '../../src/runtime/shard.node.js';
import { parseShard, reduceShards, shardBatches, type PartialFile } from '../../src/runtime/shard.js';
import { runSlicesThreads } from '../../src/runtime/pool.node.js';
import { encodeFloat64 } from '../../src/runtime/types.js';
import type { SliceJobSpec } from '../../src/runtime/types.js';

const spec: SliceJobSpec = { kind: 'synthetic', input: { slices: 23, entries: 4, seed: 5, work: 10 } };

test('shards split batches contiguously, each exactly once', () => {
  const got = [0, 1, 2].flatMap((i) => shardBatches(23, 2, i, 3).map((b) => b.index));
  assert.deepEqual(got, [...Array(12).keys()]);
  assert.deepEqual(parseShard('2/5'), { shard: 2, shards: 5 });
  assert.throws(() => parseShard('5/5'), /0 ≤ I < N/);
  assert.throws(() => parseShard('x'), /I\/N/);
  // More shards than batches: some shards are empty, still all covered.
  const many = [...Array(15).keys()].flatMap((i) => shardBatches(23, 2, i, 15).map((b) => b.index));
  assert.deepEqual(many, [...Array(12).keys()]);
});

test('reduce of all shards is bit-identical to the local pool run', async () => {
  const local = await runSlicesThreads(spec, { threads: 2, batchSize: 2 });
  const parts: Array<{ name: string; file: PartialFile }> = [];
  for (let i = 0; i < 3; i++) parts.push({ name: `part-${i}.json`, file: JSON.parse(JSON.stringify(await runShard(spec, i, 3, { threads: 1, batchSize: 2 }))) });
  const r = reduceShards([parts[2], parts[0], parts[1]]);
  assert.equal(encodeFloat64(r.data), encodeFloat64(local.data));
  assert.equal(r.shards, 3);
  assert.equal(r.batches, 12);

  assert.throws(() => reduceShards([parts[0], parts[2]]), /missing shard 1\/3/);
  assert.throws(() => reduceShards([parts[0], parts[1], parts[1], parts[2]]), /shard 1\/3 given twice \(part-1\.json and part-1\.json\)/);
  const other = { name: 'other.json', file: { ...parts[1].file, runId: 'tz-other' } };
  assert.throws(() => reduceShards([parts[0], other, parts[2]]), /other\.json belongs to another run: runId/);
  const tampered = { name: 't.json', file: { ...parts[1].file, batches: parts[1].file.batches.slice(1) } };
  assert.throws(() => reduceShards([parts[0], tampered, parts[2]]), /should hold/);
  assert.throws(() => reduceShards([]), /no shard files/);
});
