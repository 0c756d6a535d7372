/**
 * Plain HTTP on the TLS port: answered with Go's 400, whatever method Go recognises and however
 * the bytes arrive; everything else still goes to TLS, which keeps working on the same port.
 */
import { readFileSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { answerPlainHttp, classifyFirstBytes, PLAIN_HTTP_ANSWER } from '../../../src/http/tls/plain-http-guard.js';
import { makeCerts, type TestCerts } from '../../hardening/support/certs.js';
import { basic, httpsClient, rawExchange, serveApp, webConfigIn, type Served } from '../support/serve.js';

describe('classifyFirstBytes', () => {
  it('a TLS handshake record is TLS from its first byte', () => {
    expect(classifyFirstBytes(Buffer.from([0x16]))).toBe('tls');
    expect(classifyFirstBytes(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01]))).toBe('tls');
  });

  it.each(['GET /', 'HEAD ', 'POST ', 'PUT /', 'OPTIO'])('%j is HTTP once five bytes are in, and waits for them before', (start) => {
    const request = Buffer.from(`${start}rest of the request\r\n\r\n`);
    expect(classifyFirstBytes(request)).toBe('http');
    for (let n = 1; n < 5; n++) expect(classifyFirstBytes(request.subarray(0, n)), `${n} bytes`).toBe('more');
  });

  it('anything else goes to TLS as Go does: other methods, lower case, absolute URLs, garbage', () => {
    for (const text of ['DELETE /x', 'PATCH /x', 'get /', 'GET http://x/', 'GETX ', 'CONNECT x:443', 'SSH-2.0-OpenSSH', '\u0000\u0000\u0000\u0000\u0000']) {
      expect(classifyFirstBytes(Buffer.from(text)), JSON.stringify(text)).toBe('tls');
    }
    expect(classifyFirstBytes(Buffer.from([0x15, 0x03, 0x03]))).toBe('tls');
  });

  it('nothing yet is more', () => {
    expect(classifyFirstBytes(Buffer.alloc(0))).toBe('more');
  });
});

describe('on a real TLS port', () => {
  const certs: TestCerts = makeCerts();
  afterAll(() => certs.remove());
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0)) await step();
  });
  async function serve(): Promise<Served> {
    const served = await serveApp(webConfigIn(certs.dir, `tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n`));
    cleanup.push(() => served.close());
    return served;
  }

  it.each(['GET /metrics', 'HEAD /metrics', 'POST /-/reload', 'PUT /x', 'OPTIONS *'])('%s over plain HTTP gets 400 and the reason, then the connection closes', async (line) => {
    const served = await serve();
    const answer = await rawExchange(served.port, [`${line} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`]);
    expect(answer).toEqual({ text: PLAIN_HTTP_ANSWER, closedBy: 'server' });
    expect(PLAIN_HTTP_ANSWER).toBe('HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n');
  });

  it('the same when the request arrives a byte at a time', async () => {
    const served = await serve();
    const request = 'GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n';
    const answer = await rawExchange(served.port, [...request].map((c) => c));
    expect(answer).toEqual({ text: PLAIN_HTTP_ANSWER, closedBy: 'server' });
  });

  it('what is neither HTTP nor TLS gets no answer, as before', async () => {
    const served = await serve();
    for (const garbage of ['SSH-2.0-OpenSSH_9.6\r\n', 'DELETE /x HTTP/1.1\r\n\r\n', Buffer.from([0, 1, 2, 3, 4, 5, 6, 7])]) {
      const answer = await rawExchange(served.port, [garbage]);
      expect(answer.text, String(garbage)).not.toContain('HTTP/');
      expect(answer.closedBy, String(garbage)).not.toBe('timeout');
    }
  });

  it('TLS and plain HTTP on the same port, interleaved: each gets its own answer', async () => {
    const served = await serve();
    const client = httpsClient(certs.ca.cert);
    cleanup.push(() => client.close());
    for (let i = 0; i < 3; i++) {
      expect((await client.get(`${served.url}/healthz`, basic('x', 'y'))).status).toBe(200);
      expect((await rawExchange(served.port, ['GET /healthz HTTP/1.1\r\n\r\n'])).text).toBe(PLAIN_HTTP_ANSWER);
    }
  });

  it('connections that close before a byte (a TCP probe) leave the port serving', async () => {
    const served = await serve();
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((resolve) => {
        const probe = connect(served.port, '127.0.0.1', () => probe.end());
        probe.on('close', () => resolve());
      });
    }
    const client = httpsClient(certs.ca.cert);
    cleanup.push(() => client.close());
    expect((await client.get(`${served.url}/healthz`)).status).toBe(200);
  });

  it('a connection that sends nothing is dropped at the timeout', async () => {
    const server: TlsServer = createTlsServer({ cert: readFileSync(certs.server.certFile), key: readFileSync(certs.server.keyFile) });
    answerPlainHttp(server, { firstBytesTimeoutMs: 200 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => server.close(() => resolve())));
    const port = (server.address() as AddressInfo).port;
    expect(await rawExchange(port, [], { timeoutMs: 5_000 })).toEqual({ text: '', closedBy: 'server' });
  });
});
