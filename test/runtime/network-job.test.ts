import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQasm } from '../../src/formats/qasm2/index.js';
import { amplitudes } from '../../src/network/api.js';
import { createNetworkJob, networkJobSpec, amplitudesFromResult } from '../../src/runtime/network-job.js';
import { runSlicesThreads } from '../../src/runtime/pool.node.js';
import { encodeFloat64 } from '../../src/runtime/types.js';
import { testCircuitQasm, testPlan } from './helpers.js';

const qasm = testCircuitQasm();
const parse = (s: string) => parseQasm(s);

test('sliced network job over the pool equals the unsliced tensor contraction, for 1/2/3 threads bit-identically', async () => {
  const pattern = '0110x0101x';
  const plan = testPlan(qasm, pattern, 5, parse);
  assert.equal(plan.sliced.length, 5);
  const spec = networkJobSpec(qasm, pattern, plan);
  const job = createNetworkJob(spec.input);
  assert.equal(job.totalSlices, 32);
  const ref = amplitudes(parse(qasm), pattern);
  let first: string | undefined;
  for (const threads of [1, 2, 3]) {
    const r = await runSlicesThreads(spec, { threads, batchSize: 3 });
    const amps = amplitudesFromResult(pattern, r.data);
    for (const [b, [re, im]] of Object.entries(ref)) {
      assert.ok(Math.abs(amps[b][0] - re) < 1e-12 && Math.abs(amps[b][1] - im) < 1e-12, `amplitude ${b}`);
    }
    const bits = encodeFloat64(r.data);
    first ??= bits;
    assert.equal(bits, first);
  }
});

test('a plan made for another circuit is refused with a clear error', () => {
  const plan = testPlan(testCircuitQasm(10, 8, 2), '0000000000', 3, parse);
  assert.throws(() => createNetworkJob(networkJobSpec(qasm, '0000000000', plan).input), /plan does not match this network: plan fingerprint/);
});
