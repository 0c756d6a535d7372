/**
 * Plain HTTP sent to the TLS port gets an answer, as from Go's net/http (what exporter-toolkit
 * serves with): `400 Bad Request` and "Client sent an HTTP request to an HTTPS server.",
 * instead of a connection closed without a word, which reads like a crash.
 *
 * Every TLS connection starts with a handshake record (first byte 0x16); the first bytes of
 * each connection are looked at before TLS sees them, and put back. Like Go, only what looks
 * like an HTTP request gets the 400; anything else goes on to TLS and fails there as before.
 */
import type { Socket } from 'node:net';
import type { Server as TlsServer } from 'node:tls';

/** The TLS record type of a handshake: how every ClientHello begins. */
const HANDSHAKE_RECORD = 0x16;
/** What Go looks for in the five bytes of what should have been a TLS record header. */
const HTTP_STARTS = ['GET /', 'HEAD ', 'POST ', 'PUT /', 'OPTIO'];
const SNIFF_BYTES = 5;
/** How long a client that got the 400 may take to close the connection itself. */
const ANSWERED_LINGER_MS = 5_000;
export const PLAIN_HTTP_ANSWER = 'HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n';

export type FirstBytesVerdict = 'tls' | 'http' | 'more';

/** What the first bytes of a connection say it is; 'more' while five bytes could still look like HTTP. */
export function classifyFirstBytes(bytes: Buffer): FirstBytesVerdict {
  if (bytes.length === 0) return 'more';
  if (bytes[0] === HANDSHAKE_RECORD) return 'tls';
  const start = bytes.subarray(0, SNIFF_BYTES).toString('latin1');
  if (bytes.length < SNIFF_BYTES) return HTTP_STARTS.some((s) => s.startsWith(start)) ? 'more' : 'tls';
  return HTTP_STARTS.includes(start) ? 'http' : 'tls';
}

/**
 * Puts the sniffing in front of the server's own TLS handling. The TLS server wraps a socket
 * in its 'connection' listener; those listeners are moved behind the sniff and run, with the
 * bytes read so far unshifted back, once the connection is known to speak TLS. Nothing else
 * about the server changes: it still listens, tracks and times out its connections itself.
 */
export function answerPlainHttp(server: TlsServer, options: { readonly firstBytesTimeoutMs?: number } = {}): void {
  // Node's default TLS handshake timeout: a client that sends nothing is dropped as before.
  const timeout = options.firstBytesTimeoutMs ?? 120_000;
  const handOver = server.listeners('connection') as Array<(socket: Socket) => void>;
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    let seen = Buffer.alloc(0);
    const drop = (): void => {
      socket.destroy();
    };
    const onReadable = (): void => {
      let chunk: Buffer | null;
      while ((chunk = socket.read() as Buffer | null) !== null) seen = Buffer.concat([seen, chunk]);
      const verdict = classifyFirstBytes(seen);
      if (verdict === 'more') return;
      socket.removeListener('readable', onReadable);
      if (verdict === 'http') {
        // The rest of the request is read and dropped rather than left unread, which would
        // make the close a reset that can overtake the answer; a client that never closes
        // is dropped a few seconds later.
        socket.setTimeout(ANSWERED_LINGER_MS);
        socket.resume();
        socket.end(PLAIN_HTTP_ANSWER);
        return;
      }
      socket.removeListener('end', drop);
      socket.removeListener('error', drop);
      socket.removeListener('timeout', drop);
      socket.setTimeout(0);
      socket.unshift(seen);
      for (const listener of handOver) listener.call(server, socket);
    };
    // A client that sends nothing is dropped, as the TLS handshake timeout would have.
    socket.setTimeout(timeout);
    socket.on('timeout', drop);
    socket.on('readable', onReadable);
    socket.once('end', drop);
    socket.on('error', drop);
  });
}
