/**
 * Whether a complete key list is believable enough to replace the last good snapshot. A list
 * that lost every key, or is mostly records the exporter cannot read, is far likelier to be an
 * upstream fault than the truth; publishing it would make every key series vanish and every
 * expiry alert resolve in silence. Such a list fails the refresh as invalid_response instead.
 */
import type { KeyList } from '../orq/client.js';
import type { RefreshErrorReason } from '../orq/errors.js';

/** More unusable records than this share of what arrived fails the refresh. */
export const MAX_UNUSABLE_SHARE = 0.1;

export interface Implausible {
  readonly reason: RefreshErrorReason;
  readonly message: string;
}

/** Why the list is refused, or undefined when it may be published. */
export function implausibility(list: KeyList, previousKeys: number | undefined): Implausible | undefined {
  const unusable = list.skipped.missing_id + list.skipped.not_an_object;
  if (list.keys.length === 0 && previousKeys !== undefined && previousKeys > 0) {
    const message = `upstream listed no usable key (${list.received} records, ${unusable} unusable) where the last good snapshot had ${previousKeys}; keeping that snapshot`;
    return { reason: 'invalid_response', message };
  }
  if (list.received > 0 && unusable > list.received * MAX_UNUSABLE_SHARE) {
    const message = `${unusable} of ${list.received} records have no id or are not objects (more than ${MAX_UNUSABLE_SHARE * 100}%); keeping the last good snapshot`;
    return { reason: 'invalid_response', message };
  }
  // A full page answered with the same items again ends a bare-array list: right for a server
  // that sends everything at once (then the list is that page), but a paged server that ignores
  // the cursor has more keys than it can be made to send. Fewer keys than last time says which.
  if (list.ended === 'cursor_ignored' && previousKeys !== undefined && list.keys.length < previousKeys) {
    const message = `upstream answered a page with the page before it again (the cursor ignored): ${list.keys.length} keys where the last good snapshot had ${previousKeys}; keeping that snapshot`;
    return { reason: 'pagination', message };
  }
  return undefined;
}
