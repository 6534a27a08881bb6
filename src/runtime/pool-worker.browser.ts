/**
 * Web Worker side of the browser slice pool (`pool.browser.ts`), loaded as a module worker:
 * answers pool requests with the shared handler and transfers result buffers back.
 * Uses only the dedicated-worker global scope (`addEventListener`, `postMessage`).
 */
import { createPoolRequestHandler, type PoolReply, type PoolRequest } from './pool-protocol.js';

/** The parts of a dedicated worker's global scope this script uses. */
interface WorkerScope {
  addEventListener(type: 'message', listener: (event: { readonly data: PoolRequest }) => void): void;
  postMessage(message: PoolReply, transfer: ArrayBuffer[]): void;
}

const scope = globalThis as unknown as WorkerScope;
const handle = createPoolRequestHandler();
scope.addEventListener('message', (event) => {
  const { reply, transfer } = handle(event.data);
  scope.postMessage(reply, transfer);
});
