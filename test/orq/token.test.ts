import { describe, expect, it } from 'vitest';
import { keyIdOfToken } from '../../src/orq/token.js';

describe('keyIdOfToken', () => {
  it.each([
    ['sk-orq-01HZY3K8Q4T9V6W2X7Y5Z0A1B2-6f1d2c3b4a5e', '01HZY3K8Q4T9V6W2X7Y5Z0A1B2'],
    ['sk-orq-01HZY3K8Q4T9V6W2X7Y5Z0A1B2-se-cr-et', '01HZY3K8Q4T9V6W2X7Y5Z0A1B2'],
  ])('names the key of %s', (token, id) => {
    expect(keyIdOfToken(token)).toBe(id);
  });

  it.each([
    ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc'],
    ['no secret', 'sk-orq-01HZY3K8Q4T9V6W2X7Y5Z0A1B2-'],
    ['no key id', 'sk-orq--secret'],
    ['another prefix', 'sk-other-01HZY3K8Q4T9V6W2X7Y5Z0A1B2-secret'],
    ['a short id', 'sk-orq-abc-secret'],
    ['whitespace', 'sk-orq-01HZY3K8Q4T9V6W2X7Y5Z0A1B2-sec ret'],
  ])('names nothing for %s', (_what, token) => {
    expect(keyIdOfToken(token)).toBeUndefined();
  });

  it('never returns any part of the secret', () => {
    const secret = 'ZXQ9MzM1NjQ2NTY';
    const id = keyIdOfToken(`sk-orq-01HZY3K8Q4T9V6W2X7Y5Z0A1B2-${secret}`);
    expect(id).toBeDefined();
    for (let i = 0; i + 4 <= secret.length; i++) expect(id).not.toContain(secret.slice(i, i + 4));
  });
});
