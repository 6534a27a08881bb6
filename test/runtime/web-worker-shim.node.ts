/**
 * Test stand-in for a browser's dedicated worker scope, on a Node worker thread: installs
 * `globalThis.addEventListener('message')` and `globalThis.postMessage(msg, transfer)` over
 * `parentPort`, then imports the module worker script named in `workerData.script`.
 */
import { parentPort, workerData } from 'node:worker_threads';

const script = (workerData as { script?: string } | null)?.script;
// The test runner also loads every file under test/ directly: do nothing outside a worker.
if (parentPort && script) {
  const port = parentPort;
  const g = globalThis as unknown as {
    addEventListener: (type: string, listener: (e: { data: unknown }) => void) => void;
    postMessage: (message: unknown, transfer?: ArrayBuffer[]) => void;
  };
  g.addEventListener = (type, listener) => {
    if (type === 'message') port.on('message', (data: unknown) => listener({ data }));
  };
  g.postMessage = (message, transfer) => port.postMessage(message, transfer ?? []);
  await import(script);
}
