/**
 * The real /metrics of an exporter over a realistic simulated workspace, read by the real
 * `promtool check metrics`: the only remark allowed is the one about the unit in
 * orq_api_key_days_to_expiry, a name users asked for.
 */
import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeys, makeKey } from '../../src/simulator/index.js';
import { findBinary } from '../support/prometheus.js';
import { startStack, type Stack } from '../support/stack.js';

const promtool = findBinary('promtool');
const ALLOWED = 'orq_api_key_days_to_expiry use base unit "seconds" instead of "days"';

function checkMetrics(path: string, text: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(text);
  });
}

let stack: Stack;
beforeAll(async () => {
  const now = Date.now();
  const hostile = makeKey({ name: 'a "quoted" \\ back\nslash é 🔑 \uD800', token_prefix: 'x"y' });
  stack = await startStack({ keys: [...generateKeys({ count: 2_000, seed: 5, now }), hostile] });
});
afterAll(async () => {
  await stack?.stop();
});

describe.skipIf(promtool.missing !== undefined)(`promtool check metrics ${promtool.missing ?? ''}`, () => {
  it('accepts the plain exposition', async () => {
    const text = await stack.metrics();
    expect(text).toContain('orq_api_key_info{');
    const result = await checkMetrics(promtool.path!, text);
    expect(result.output.trim()).toBe(ALLOWED);
  });

  it('accepts the gzip exposition, which decodes to the same families', async () => {
    // node:http hands over the bytes as sent; fetch would decode them itself.
    const { encoding, raw } = await new Promise<{ encoding: string | undefined; raw: Buffer }>((resolve, reject) => {
      get(`${stack.exporter.url}/metrics`, { headers: { 'accept-encoding': 'gzip' } }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => resolve({ encoding: r.headers['content-encoding'], raw: Buffer.concat(chunks) }));
      }).on('error', reject);
    });
    expect(encoding).toBe('gzip');
    const text = gunzipSync(raw).toString('utf8');
    const result = await checkMetrics(promtool.path!, text);
    expect(result.output.trim()).toBe(ALLOWED);
  });
});
