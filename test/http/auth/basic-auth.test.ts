/**
 * Basic auth: the header read the way clients write it, and bcrypt paid once per right
 * (user, password) and every time for anything else.
 */
import bcrypt from 'bcryptjs';
import { describe, expect, it, vi } from 'vitest';
import { createBasicAuth, parseBasic } from '../../../src/http/auth/basic-auth.js';

const header = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

const aliceHash = bcrypt.hashSync('wonderland', 4);
const bobHash = bcrypt.hashSync('builder', 5);
const USERS = new Map([['alice', aliceHash], ['bob', bobHash]]);

describe('parseBasic', () => {
  it('reads the user and password however the scheme and padding are written', () => {
    const encoded = Buffer.from('alice:wonderland').toString('base64');
    for (const h of [`Basic ${encoded}`, `basic ${encoded}`, `BASIC  ${encoded}`, `Basic ${encoded} `, `Basic\t${encoded}`]) {
      expect(parseBasic(h), h).toEqual({ user: 'alice', password: 'wonderland' });
    }
  });

  it('splits at the first colon: the password may hold colons, the user name cannot', () => {
    expect(parseBasic(header('alice', 'a:b:c'))).toEqual({ user: 'alice', password: 'a:b:c' });
    expect(parseBasic(header('alice', ''))).toEqual({ user: 'alice', password: '' });
    expect(parseBasic(header('', 'x'))).toEqual({ user: '', password: 'x' });
    expect(parseBasic(header('ålice', 'wønderland 🔑'))).toEqual({ user: 'ålice', password: 'wønderland 🔑' });
  });

  it('reads nothing from anything else', () => {
    for (const h of [null, undefined, '', 'Basic', 'Basic ', 'Bearer abc', `Digest ${Buffer.from('a:b').toString('base64')}`,
      `Basic ${Buffer.from('no-colon').toString('base64')}`, 'Basic !!!!', 'Basic YWxpY2U6d29uZGVybGFuZA== extra', `xBasic ${Buffer.from('a:b').toString('base64')}`]) {
      expect(parseBasic(h), String(h)).toBeUndefined();
    }
  });
});

describe('createBasicAuth', () => {
  it('pays bcrypt once per right (user, password), every time for wrong ones and unknown users', async () => {
    const compare = vi.spyOn(bcrypt, 'compare');
    try {
      const auth = createBasicAuth(USERS);
      for (let i = 0; i < 10; i++) expect(await auth.check(header('alice', 'wonderland'))).toEqual({ kind: 'allowed' });
      expect(compare).toHaveBeenCalledTimes(1);
      for (let i = 0; i < 3; i++) expect(await auth.check(header('alice', 'wrong'))).toEqual({ kind: 'denied' });
      expect(await auth.check(header('mallory', 'wonderland'))).toEqual({ kind: 'denied' });
      // An unknown user costs a comparison too, so timing does not tell users apart.
      expect(compare).toHaveBeenCalledTimes(5);
      for (const h of [null, undefined, 'Bearer abc', `Basic ${Buffer.from('no-colon').toString('base64')}`]) expect(await auth.check(h)).toEqual({ kind: 'denied' });
      expect(compare).toHaveBeenCalledTimes(5);
    } finally {
      compare.mockRestore();
    }
  });

  it('remembers a pair, not a password: the same password for another user is compared', async () => {
    const compare = vi.spyOn(bcrypt, 'compare');
    try {
      const auth = createBasicAuth(new Map([['alice', aliceHash], ['carol', aliceHash]]));
      expect(await auth.check(header('alice', 'wonderland'))).toEqual({ kind: 'allowed' });
      expect(await auth.check(header('carol', 'wonderland'))).toEqual({ kind: 'allowed' });
      expect(await auth.check(header('mallory', 'wonderland'))).toEqual({ kind: 'denied' });
      expect(compare).toHaveBeenCalledTimes(3);
    } finally {
      compare.mockRestore();
    }
  });
});
