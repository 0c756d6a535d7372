/**
 * How each fault is answered, as pure functions from a fault and the list it hits to a Reply.
 * The list supplies what only it knows: its normal answer, its envelope and its faulty pages.
 */
import type { Fault } from './faults.js';
import type { Alteration } from './listing.js';
import { defaultErrorCode, errorBody, send, type Reply } from './reply.js';

/** A list answer as a fault sees it. */
export interface FaultableList {
  normal(): Reply;
  /** the answer of a server that gets pages wrong in this way */
  altered(how: Alteration): Reply;
  /** `items` as this answer's data, in the list's envelope, promising nothing more */
  records(items: unknown[]): string;
  /** an empty answer that promises more, as far as the envelope can */
  emptyPromisingMore(): string;
}

/** A body cut in half: a strict prefix of a JSON object or array never parses. */
export function truncate(body: string): string {
  return body.slice(0, Math.max(1, Math.floor(body.length / 2)));
}

export function faultReply(fault: Fault, list: FaultableList): Reply {
  switch (fault.kind) {
    case 'status':
      return send(
        fault.status,
        fault.body ?? errorBody('error_object', defaultErrorCode(fault.status), `simulated ${fault.status}`),
        fault.headers,
      );
    case 'hang':
      return { kind: 'hang' };
    case 'reset':
      return { kind: 'reset', body: bodyOf(list.normal()) };
    case 'invalid_json':
      return send(200, truncate(bodyOf(list.normal())));
    case 'wrong_shape':
      return send(200, JSON.stringify(fault.body === undefined ? { items: 5 } : fault.body));
    case 'empty_has_more':
      return send(200, list.emptyPromisingMore());
    case 'records':
      return send(200, list.records(fault.items));
    case 'repeat_cursor':
    case 'duplicate_ids':
    case 'ignore_limit':
    case 'ignore_cursor':
      return list.altered(fault.kind);
    case 'slow': {
      const normal = list.normal();
      return normal.kind === 'hang' ? normal : { ...normal, delayMs: (normal.delayMs ?? 0) + fault.ms };
    }
  }
}

function bodyOf(reply: Reply): string {
  return reply.kind === 'hang' ? '' : reply.body;
}
