/**
 * A flood of wrong basic-auth passwords, in its own process so neither its CPU nor its memory
 * is counted as the exporter's: `connections` keep-alive connections each sending requests
 * back to back for `seconds`, every one with a password never tried before, half for a real
 * user name and half for names that do not exist. At the end it hangs up on the requests
 * still waiting, as a client that gives up does. Prints "flooding" at the first answer, then
 * the answers it got as JSON.
 *
 *   node auth-flood.mjs <url> <connections> <seconds> <user>
 */
import { Agent, request } from 'node:http';

const [url, connections, seconds, user] = process.argv.slice(2);
const agent = new Agent({ keepAlive: true, maxSockets: Number(connections) });
const statuses = {};
let errors = 0;
let sent = 0;
let over = false;

function once(i) {
  return new Promise((resolve) => {
    const name = i % 2 === 0 ? user : `nobody-${i}`;
    const authorization = `Basic ${Buffer.from(`${name}:guess-${i}`).toString('base64')}`;
    const req = request(url, { agent, headers: { authorization } }, (res) => {
      if (Object.keys(statuses).length === 0) process.stdout.write('flooding\n');
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      res.resume();
      res.on('end', resolve);
      res.on('error', resolve);
    });
    req.on('error', () => {
      if (!over) errors++;
      resolve();
    });
    req.end();
  });
}

async function loop() {
  while (!over) await once(sent++);
}

setTimeout(() => {
  over = true;
  agent.destroy();
}, Number(seconds) * 1000);
await Promise.all(Array.from({ length: Number(connections) }, loop));
process.stdout.write(`${JSON.stringify({ sent, statuses, errors })}\n`);
