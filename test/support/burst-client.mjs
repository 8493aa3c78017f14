// The client side of test/support/burst.ts, in its own thread (a till's sales come 50 ms apart at most): a burst sent from the node's own event loop would
// be held back by the very loop it is measuring.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { v7 as uuidv7 } from 'uuid';

const { url, secret, reads, minWrites, search } = workerData;

function post(agent, method, body) {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      `${url}/api/${method}`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` } },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += String(c)));
        res.on('end', () => {
          const code = res.statusCode === 200 ? undefined : JSON.parse(text).error?.code;
          resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, retryAfter: res.headers['retry-after'], code });
        });
      },
    );
    // A connection refused or reset is an answer too (status 0): the burst must not hide it.
    req.on('error', (e) => resolve({ status: 0, ms: performance.now() - started, retryAfter: undefined, code: e.code }));
    req.end(JSON.stringify(body));
  });
}

const readAgent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const writeAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const started = performance.now();
let pending = reads;
const readAnswers = Promise.all(
  Array.from({ length: reads }, () =>
    post(readAgent, 'products.list', { input: { search, limit: 50 } }).finally(() => pending--),
  ),
);
const writes = [];
const pause = () => new Promise((resolve) => setTimeout(resolve, 50));
while (pending > 0 || writes.length < minWrites) {
  await pause();
  const i = writes.length;
  writes.push(await post(writeAgent, 'products.create', { input: { name: `Venta ${i} ${randomUUID().slice(0, 8)}`, price: 1000 + i }, commandId: uuidv7() }));
}
parentPort.postMessage({ reads: await readAnswers, writes, wallMs: performance.now() - started });
readAgent.destroy();
writeAgent.destroy();
