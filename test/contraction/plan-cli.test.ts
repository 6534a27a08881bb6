import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatSlices, planCommand } from '../../src/cli/commands/plan.js';
import { writeQsim } from '../../src/formats/qsim.js';
import { czCircuit, gridLayout } from '../../src/circuits/random.js';
import { amplitudeNetwork } from '../../src/network/api.js';
import { toProblem } from '../../src/network/types.js';
import { checkPlan, parsePlan } from '../../src/contraction/plan.js';
import { ContractionTree } from '../../src/contraction/tree.js';

test('taizhang plan writes a valid plan that matches the amplitude network', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tz-plan-'));
  try {
    const circuit = czCircuit(gridLayout(3, 3), 8, 2);
    const file = join(dir, 'c.qsim');
    writeFileSync(file, writeQsim(circuit));
    const out = join(dir, 'plan.json');
    const log = console.log;
    const lines: string[] = [];
    console.log = (...a: unknown[]) => void lines.push(a.join(' '));
    let code: number;
    try {
      code = await planCommand.run([file, '--time', '0.2', '--max-width', '4', '-o', out, '--json', '--amplitude', '010101010']);
    } finally {
      console.log = log;
    }
    assert.equal(code, 0);
    const summary = JSON.parse(lines[0]);
    assert.ok(summary.width <= 4);
    assert.equal(typeof summary.search.finder, 'string');
    assert.equal(typeof summary.search.annealRuns, 'number', 'the sliced search reports its annealing runs');
    const plan = parsePlan(readFileSync(out, 'utf8'));
    const problem = toProblem(amplitudeNetwork(circuit, '010101010'));
    checkPlan(plan, problem);
    assert.equal(plan.cost.width, summary.width);
    assert.deepEqual(ContractionTree.fromPath(problem, plan.path).cost(plan.sliced).multiplyAdds, plan.cost.multiplyAdds);
    assert.throws(() => checkPlan(plan, toProblem(amplitudeNetwork(czCircuit(gridLayout(3, 3), 9, 2), '010101010'))), /does not match/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('slice counts print exactly with their power of two, and only the power past 2^53', () => {
  assert.equal(formatSlices(1), '1');
  assert.equal(formatSlices(2 ** 29), '536870912 (2^29)');
  assert.equal(formatSlices(6), '6 (2^2.6)');
  assert.equal(formatSlices(2 ** 53), '9007199254740992 (2^53)');
  assert.equal(formatSlices(2 ** 764), '2^764');
  assert.equal(formatSlices(3 ** 500), '2^792.5');
  assert.equal(formatSlices(Infinity), 'over 2^1024');
});

test('taizhang plan prints the slice count and overhead in the table', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tz-plan-'));
  try {
    const file = join(dir, 'c.qsim');
    writeFileSync(file, writeQsim(czCircuit(gridLayout(3, 3), 8, 2)));
    const log = console.log;
    const lines: string[] = [];
    console.log = (...a: unknown[]) => void lines.push(a.join(' '));
    let code: number;
    try {
      code = await planCommand.run([file, '--time', '0.2', '--max-width', '3', '--amplitude', '010101010', '--threads', '1']);
    } finally {
      console.log = log;
    }
    assert.equal(code, 0);
    const slices = lines.find((l) => l.startsWith('slices'));
    assert.match(slices ?? '', /^slices +(\d+ \(2\^\d+(\.\d)?\)|1)$/);
    assert.match(lines.find((l) => l.startsWith('overhead')) ?? '', /^overhead +\d+\.\d{4}$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
