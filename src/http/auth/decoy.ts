/**
 * Decoy hashes for user names that are not configured, so that a wrong user name costs the
 * same bcrypt time as a wrong password, and timing cannot tell which names exist.
 *
 * bcrypt's time is set by the hash's cost, so the decoy must have the cost of a real user's
 * hash, whatever it is. With several costs configured, each unknown name is given the cost of
 * one configured user, picked by a keyed hash of the name: the same name always takes the same
 * time (so asking again reveals nothing), and over many names the costs come out in the
 * proportions of the configured users, so no time marks a name as unknown. The key is random
 * per process, so which cost a name gets cannot be worked out offline.
 *
 * A decoy is not the hash of anything: a random salt and digest of the right shape, which
 * costs nothing to make (hashing one at cost 31 would take days) and matches no password.
 */
import { createHmac, randomBytes, randomInt } from 'node:crypto';

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BCRYPT_HASH = /^\$2[abxy]?\$(\d\d)\$[./A-Za-z0-9]{53}$/;

/** The cost (log2 of the rounds) a bcrypt hash was made with, or undefined if it is not one. */
export function bcryptCost(hash: string): number | undefined {
  const cost = BCRYPT_HASH.exec(hash)?.[1];
  return cost === undefined ? undefined : Number(cost);
}

/** A well-formed bcrypt hash of the given cost that no password matches. */
export function randomBcryptHash(cost: number): string {
  const chars = Array.from({ length: 53 }, () => BCRYPT_ALPHABET[randomInt(BCRYPT_ALPHABET.length)]).join('');
  return `$2b$${String(cost).padStart(2, '0')}$${chars}`;
}

/** Picks the decoy hash for a user name that is not configured. */
export type DecoyPicker = (user: string) => string;

export function decoyPicker(users: ReadonlyMap<string, string>, key: Buffer = randomBytes(32)): DecoyPicker {
  // One entry per user, so a cost held by more users is picked more often.
  const costs = [...users.values()].map((hash) => bcryptCost(hash)).filter((c): c is number => c !== undefined);
  // No users: basic auth is off and nothing asks; a cost is still needed to make a picker.
  if (costs.length === 0) costs.push(10);
  const decoys = new Map([...new Set(costs)].map((cost) => [cost, randomBcryptHash(cost)]));
  return (user) => {
    const digest = createHmac('sha256', key).update(user).digest();
    const cost = costs[digest.readUInt32BE(0) % costs.length]!;
    return decoys.get(cost)!;
  };
}
