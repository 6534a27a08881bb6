/**
 * Worker-thread side of the Node slice pool (`pool.node.ts`): answers pool requests with the
 * shared handler and transfers result buffers back.
 */
import { parentPort } from 'node:worker_threads';
import { createPoolRequestHandler, type PoolRequest } from './pool-protocol.js';

const handle = createPoolRequestHandler();
parentPort?.on('message', (m: PoolRequest) => {
  const { reply, transfer } = handle(m);
  parentPort?.postMessage(reply, transfer);
});
