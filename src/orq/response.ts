/**
 * Reading an upstream answer within bounds, and turning whatever a request threw into a
 * typed RefreshError. Kept apart from the request loop in transport.ts.
 */
import type { Dispatcher } from 'undici';
import { RefreshError } from './errors.js';
import { ListScanner, scanList, type PageBody } from './wire/list-scan.js';

/** Bounds on one answer, so a hostile upstream cannot make one body cost unbounded memory. */
export interface BodyLimits {
  readonly maxBytes: number;
  /** Records a list body may hold; counted on the text before JSON.parse builds them. */
  readonly maxItems: number;
}

/**
 * The body within the limits, scanned and not yet parsed: bytes counted as they arrive (never
 * held whole), the records counted as they are decoded, the parse left to the caller, who may
 * first ask for the next page from what the scan says.
 */
export async function readPage(response: Dispatcher.ResponseData, limits: BodyLimits): Promise<PageBody> {
  const scanner = new ListScanner();
  const decoder = new TextDecoder('utf-8');
  let text = '';
  let size = 0;
  for await (const chunk of response.body) {
    const bytes = chunk as Buffer;
    size += bytes.length;
    if (size > limits.maxBytes) {
      response.body.destroy();
      throw new RefreshError('invalid_response', `response body larger than ${limits.maxBytes} bytes`);
    }
    const part = decoder.decode(bytes, { stream: true });
    scanner.feed(part);
    if (scanner.count > limits.maxItems) {
      response.body.destroy();
      throw new RefreshError('invalid_response', `response holds more than ${limits.maxItems} records`);
    }
    text += part;
  }
  const rest = decoder.decode();
  scanner.feed(rest);
  text += rest;
  return pageBody(text, scanner);
}

/** A body already whole as text; `scanner` when it was scanned as it arrived. */
export function pageBody(text: string, scanner?: ListScanner): PageBody {
  const scanned = scanner ?? scanList(text);
  return { peek: scanned.peek(), parse: () => parseJson(text) };
}

export async function readText(response: Dispatcher.ResponseData, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) {
      response.body.destroy();
      throw new RefreshError('invalid_response', `response body larger than ${maxBytes} bytes`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8 quotes a stretch of the body in its message, cut anywhere: a token echoed there could
    // be cut in half and escape redaction. Only the part before the quote is kept.
    const detail = (error instanceof Error ? error.message : String(error)).split('"')[0]!.replace(/[\s,]+$/, '');
    throw new RefreshError('invalid_response', `response is not valid JSON (${detail.slice(0, 120)}; ${text.length} characters)`);
  }
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

/**
 * A RefreshError for anything a request threw. Only errors that carry a system or undici code
 * are network errors; anything else (a RangeError of ours, say) is no `network` problem and is
 * reported as an invalid response rather than sending the operator to check the network.
 */
export function classify(error: unknown, signal: AbortSignal): RefreshError {
  if (error instanceof RefreshError) return error;
  if (signal.aborted) return new RefreshError('timeout', 'refresh deadline reached before every page arrived');
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code !== undefined && TIMEOUT_CODES.has(code)) return new RefreshError('timeout', `upstream did not answer in time (${code})`);
  if (code === undefined) return new RefreshError('invalid_response', `unexpected error while reading the answer (${message.slice(0, 160)})`);
  return new RefreshError('network', `request failed: ${code}${message ? ` (${message.slice(0, 160)})` : ''}`);
}

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (typeof e === 'object' && 'code' in e && typeof e.code === 'string') return e.code;
    e = typeof e === 'object' && 'cause' in e ? e.cause : undefined;
  }
  return undefined;
}
