/**
 * `npm run bench NAME [-- options]`: runs one benchmark by name (sv, sv-kernels, gemm, paths,
 * scaling); with no name, lists them. Each is also its own script (`npm run bench:NAME`).
 */
const benches: Record<string, string> = {
  sv: 'state vector: random grid circuits and qsim files at 20–30 qubits, 1 vs 2 threads, vs copy bandwidth and quantum-circuit',
  'sv-kernels': 'state-vector kernel passes in cache: plain SIMD128 vs relaxed-SIMD (FMA) builds, cycles per amplitude',
  gemm: 'complex GEMM and whole contractions, GFLOP/s vs numpy/OpenBLAS in the same run',
  paths: 'contraction-path search: Sycamore, Bristlecone and grid circuits, cost and slicing overhead vs greedy',
  scaling: 'slice runtime: threads and Redis workers, parallel efficiency and queue overhead',
};
const [name, ...rest] = process.argv.slice(2);
if (!name || !(name in benches)) {
  if (name) console.error(`unknown benchmark '${name}'`);
  console.log('usage: npm run bench NAME [-- options]\n');
  for (const [k, v] of Object.entries(benches)) console.log(`  ${k.padEnd(11)} ${v}`);
  process.exit(name ? 2 : 0);
}
process.argv = [process.argv[0], process.argv[1], ...rest];
await import(`./${name}.js`);
