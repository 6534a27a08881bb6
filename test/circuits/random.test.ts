import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { SYCAMORE_PATTERN, bristleconeLayout, czCircuit, czConfigurations, gridLayout, sycamoreCircuit } from '../../src/circuits/random.js';

const shared = (name: string): string => new URL(`../../../../shared/circuits/${name}`, import.meta.url).pathname;

/** Two-qubit couplings per fSim layer, read from a qsim file (time order). */
function fileLayers(text: string): string[] {
  const by = new Map<number, string[]>();
  for (const line of text.split('\n').slice(1)) {
    const p = line.trim().split(/\s+/);
    if (p[1] !== 'fs') continue;
    const t = Number(p[0]);
    if (!by.has(t)) by.set(t, []);
    by.get(t)!.push(`${p[2]}-${p[3]}`);
  }
  return [...by.keys()].sort((a, b) => a - b).map((t) => by.get(t)!.sort().join(' '));
}

function generatedLayers(cycles: number): string[] {
  const layers: string[][] = [];
  let cur: string[] = [];
  let inTwo = false;
  for (const g of sycamoreCircuit(cycles, { seed: 1 }).gates()) {
    if (g.qubits.length === 2) {
      cur.push(`${g.qubits[0]}-${g.qubits[1]}`);
      inTwo = true;
    } else if (inTwo) {
      layers.push(cur);
      cur = [];
      inTwo = false;
    }
  }
  return layers.map((l) => l.sort().join(' '));
}

for (const m of [10, 12, 20]) {
  test(`Sycamore-53 generator matches the couplings per cycle of sycamore_n53_m${m}.qsim`, (t) => {
    const file = shared(`sycamore_n53_m${m}.qsim`);
    if (!existsSync(file)) {
      t.skip(`missing ${file}`);
      return;
    }
    const text = readFileSync(file, 'utf8');
    assert.equal(Number(text.split('\n')[0]), 53);
    const want = fileLayers(text);
    assert.equal(want.length, m);
    assert.deepEqual(generatedLayers(m), want);
  });
}

test('Sycamore generator: gate counts and single-qubit alphabet', () => {
  const c = sycamoreCircuit(14, { seed: 2 });
  const gates = c.gates();
  assert.equal(c.numQubits ?? 53, 53);
  const singles = gates.filter((g) => g.qubits.length === 1);
  assert.equal(singles.length, 53 * 15);
  assert.ok(singles.every((g) => ['sx', 'sy', 'sqrtw'].includes(g.name)));
  assert.equal(SYCAMORE_PATTERN.length, 8);
});

test('CZ configurations cover every lattice edge exactly once, disjoint per configuration', () => {
  for (const layout of [gridLayout(4, 5), bristleconeLayout(72), bristleconeLayout(70)]) {
    const configs = czConfigurations(layout);
    const seen = new Set<string>();
    for (const cfg of configs) {
      const qs = new Set<number>();
      for (const [a, b] of cfg) {
        assert.ok(!qs.has(a) && !qs.has(b));
        qs.add(a).add(b);
        const [ra, ca] = layout.coords[a];
        const [rb, cb] = layout.coords[b];
        assert.equal(Math.abs(ra - rb) + Math.abs(ca - cb), 1);
        seen.add(`${a}-${b}`);
      }
    }
    let edges = 0;
    const at = new Set(layout.coords.map(([r, c]) => `${r},${c}`));
    for (const [r, c] of layout.coords) edges += (at.has(`${r},${c + 1}`) ? 1 : 0) + (at.has(`${r + 1},${c}`) ? 1 : 0);
    assert.equal(seen.size, edges);
  }
  assert.equal(bristleconeLayout(72).coords.length, 72);
});

test('CZ circuit: 1+d+1 structure', () => {
  const c = czCircuit(gridLayout(3, 3), 8, 1);
  const g = c.gates();
  assert.ok(g.slice(0, 9).every((x) => x.name === 'h'));
  assert.ok(g.slice(-9).every((x) => x.name === 'h'));
  assert.ok(g.some((x) => x.name === 'cz'));
});
