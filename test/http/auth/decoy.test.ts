/**
 * Decoys for unknown user names: always of a configured cost, the same for the same name, in
 * the configured proportions over many names, and matching no password.
 */
import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { bcryptCost, decoyPicker, randomBcryptHash } from '../../../src/http/auth/decoy.js';

/** A bcrypt hash of the given cost without paying for it: only its cost matters here. */
const hashOfCost = (cost: number): string => randomBcryptHash(cost);
const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `user-${i}-${randomBytes(4).toString('hex')}`);

describe('bcryptCost', () => {
  it('reads the cost of every bcrypt prefix, and nothing from what is not a hash', () => {
    const hash = bcrypt.hashSync('x', 5);
    for (const prefix of ['$2a$', '$2b$', '$2x$', '$2y$', '$2$']) expect(bcryptCost(hash.replace(/^\$2b\$/, prefix)), prefix).toBe(5);
    for (const notHash of ['', 'x', '$2b$5$', hash.slice(0, -1), `${hash}x`, '$1$05$' + hash.slice(7)]) expect(bcryptCost(notHash), notHash).toBeUndefined();
  });
});

describe('randomBcryptHash', () => {
  it('is a well-formed hash of every cost the config allows, as bcrypt itself reads it', () => {
    for (let cost = 4; cost <= 31; cost++) {
      const hash = randomBcryptHash(cost);
      expect(bcryptCost(hash)).toBe(cost);
      expect(bcrypt.getRounds(hash)).toBe(cost);
    }
  });

  it('matches no password, and no two are alike', async () => {
    const hashes = Array.from({ length: 20 }, () => randomBcryptHash(4));
    expect(new Set(hashes).size).toBe(hashes.length);
    for (const password of ['', 'password', 'wonderland', '\u0000']) expect(await bcrypt.compare(password, hashes[0]!)).toBe(false);
  });
});

describe('decoyPicker', () => {
  it.each([4, 5, 10, 12, 31])('with every user at cost %i, every unknown name gets a decoy of cost %i', (cost) => {
    const pick = decoyPicker(new Map([['alice', hashOfCost(cost)], ['bob', hashOfCost(cost)]]));
    for (const name of [...names(200), '', ' ', 'alice ', 'ALICE', '\u0000', 'x'.repeat(10_000), '🔑']) expect(bcryptCost(pick(name))).toBe(cost);
  });

  it('with mixed costs, gives each name one configured cost, always the same, in the proportions of the users', () => {
    const users = new Map([['a', hashOfCost(4)], ['b', hashOfCost(10)], ['c', hashOfCost(10)]]);
    const pick = decoyPicker(users);
    const all = names(3_000);
    const costs = all.map((name) => bcryptCost(pick(name)));
    expect(new Set(costs)).toEqual(new Set([4, 10]));
    for (const name of all.slice(0, 100)) expect(pick(name)).toBe(pick(name));
    // One user in three has cost 4: about 1,000 of 3,000 names (the standard deviation is 26).
    const low = costs.filter((c) => c === 4).length;
    expect(low).toBeGreaterThan(850);
    expect(low).toBeLessThan(1_150);
  });

  it('which name gets which cost depends on a per-process key, not on the name alone', () => {
    const users = new Map([['a', hashOfCost(4)], ['b', hashOfCost(10)]]);
    const first = decoyPicker(users, Buffer.alloc(32, 1));
    const again = decoyPicker(users, Buffer.alloc(32, 1));
    const other = decoyPicker(users, Buffer.alloc(32, 2));
    const all = names(200);
    expect(all.map((n) => bcryptCost(first(n)))).toEqual(all.map((n) => bcryptCost(again(n))));
    expect(all.map((n) => bcryptCost(first(n)))).not.toEqual(all.map((n) => bcryptCost(other(n))));
  });

  it('never hands out a configured hash, so no decoy opens a real account', () => {
    const users = new Map([['a', bcrypt.hashSync('secret', 4)]]);
    const pick = decoyPicker(users);
    for (const name of names(50)) expect([...users.values()]).not.toContain(pick(name));
  });
});
