/**
 * The browser build in a real browser (headless Chromium): a page served with cross-origin
 * isolation starts harness-worker.js as a module Web Worker, which loads the public entry and
 * checks the state-vector engine on Web Worker threads over shared WebAssembly memory and the
 * Web Worker slice pool (see harness-worker.ts). Node then checks the report, including the
 * browser's sliced network amplitudes against the same job contracted here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findChromium, HeadlessChromium } from './chromium.js';
import { parseQasm } from '../../src/formats/qasm2/index.js';
import { createSliceJob, runSlicesInline } from '../../src/runtime/jobs.js';
import { networkJobSpec } from '../../src/runtime/network-job.js';
import { makeBatches, sumPartials } from '../../src/runtime/types.js';
import { testCircuitQasm, testPlan } from '../runtime/helpers.js';

// dist/test/browser → the dist folder is served as the site root.
const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html', '.map': 'application/json' };
const PAGE = `<!doctype html><meta charset="utf-8"><title>taizhang browser harness</title><script type="module">
const w = new Worker('/test/browser/harness-worker.js', { type: 'module' });
globalThis.__progress = [];
w.addEventListener('message', (e) => { if (e.data && e.data.progress) globalThis.__progress.push(e.data.progress); else globalThis.__report = e.data; });
w.addEventListener('error', (e) => { globalThis.__report = { ok: false, error: 'worker error: ' + (e.message || 'failed to load') }; });
</script>`;

/** Static server for dist/ with the headers that enable SharedArrayBuffer (COOP + COEP). */
function serve(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cache-Control': 'no-store' };
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end(PAGE);
      return;
    }
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404, headers).end('not found'),
    );
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => {
    const addr = server.address();
    ok({ server, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/` });
  }));
}

interface Report {
  crossOriginIsolated: boolean;
  wasmVariant: string;
  sv: Array<{ n: number; precision: string; fuse: number; threads: number; refDiff: number; identical: boolean }>;
  tensorDiff: number;
  slicePool: { syntheticIdentical: boolean; networkDiff: number; networkNorm: number; networkData: number[] };
}

const chromium = findChromium();

test('browser: the engine and the Web Worker pools run in headless Chromium and agree with the references', {
  timeout: 120000,
  skip: chromium ? false : 'no Chromium found (apt-get install chromium-headless-shell, or set TAIZHANG_CHROMIUM); .ci/run installs it',
}, async () => {
  const { server, url } = await serve();
  const browser = new HeadlessChromium(chromium!);
  try {
    const session = await browser.open(url);
    type Outcome = { ok: boolean; report?: Report; error?: string } | null;
    let result = null as Outcome;
    const deadline = Date.now() + Number(process.env.TAIZHANG_BROWSER_WAIT_MS ?? 90000);
    while (!result && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      result = (await browser.evaluate(session, "globalThis.__report ?? null")) as Outcome;
    }
    if (!result) {
      const progress = (await browser.evaluate(session, 'JSON.stringify(globalThis.__progress ?? [])')) as string;
      assert.fail(`no report from the browser within 90 s; harness progress: ${progress}; browser log:\n${browser.log.join('\n')}`);
    }
    assert.ok(result.ok, `browser harness failed: ${result.error}\n${browser.log.join('\n')}`);
    const r = result.report!;
    assert.equal(r.crossOriginIsolated, true, 'page is cross-origin isolated (SharedArrayBuffer available)');
    assert.match(r.wasmVariant, /simd/, 'WASM SIMD kernels load in the browser');
    assert.equal(r.sv.length, 12);
    for (const c of r.sv) {
      const tol = c.precision === 'double' ? 1e-10 : 1e-4;
      assert.ok(c.refDiff < tol, `n=${c.n} ${c.precision} fuse ${c.fuse} ${c.threads} web threads: max diff ${c.refDiff} vs the reference`);
      assert.ok(c.identical, `n=${c.n} ${c.precision} fuse ${c.fuse}: ${c.threads} web threads not bit-identical to one thread`);
    }
    assert.ok(r.tensorDiff < 1e-10, `tensor engine amplitudes in the browser: max diff ${r.tensorDiff} vs the reference`);
    assert.ok(r.slicePool.syntheticIdentical, 'Web Worker slice pool: same bits as the inline reduction');
    assert.ok(r.slicePool.networkDiff === 0, `sliced network in web workers differs from inline by ${r.slicePool.networkDiff}`);
    assert.ok(r.slicePool.networkNorm > 0);
    // The same job contracted here in Node: the browser's amplitudes agree.
    const qasm = testCircuitQasm(10, 8, 2);
    const pattern = '01x0110x10';
    const spec = networkJobSpec(qasm, pattern, testPlan(qasm, pattern, 4, (s) => parseQasm(s)));
    const here = sumPartials(runSlicesInline(createSliceJob(spec), makeBatches(16, 3)));
    assert.equal(r.slicePool.networkData.length, here.length);
    for (let i = 0; i < here.length; i++) assert.ok(Math.abs(r.slicePool.networkData[i] - here[i]) < 1e-10, `amplitude part ${i}: browser ${r.slicePool.networkData[i]} vs node ${here[i]}`);
  } finally {
    browser.close();
    server.close();
  }
});
