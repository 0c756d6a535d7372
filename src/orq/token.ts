/**
 * What an orq.ai token says of itself. Tokens have the form `sk-orq-<key_id>-<secret>`; the
 * key id is the key's public id (the API lists it), so the exporter can name the key it polls
 * with and join it with that key's own series. Nothing of the secret is ever taken.
 */
const TOKEN_FORM = /^sk-orq-([0-9A-Za-z]{8,64})-[^\s-][^\s]*$/;

/** The key id a token names, or undefined for a token of another form (a legacy JWT, say). */
export function keyIdOfToken(token: string): string | undefined {
  return TOKEN_FORM.exec(token)?.[1];
}

/**
 * Where a client takes its token from at each request: a fixed one, or a token file that may
 * be rotated under a running exporter (config/token-file.ts).
 */
export interface TokenSupplier {
  /** The token to send now. */
  current(): string;
  /** Looks at the source again (the upstream refused the token); true when the token changed. */
  recheck(): boolean;
}

/** A token that never changes: ORQ_API_KEY, or a workspace's api_key_env. */
export function fixedToken(token: string): TokenSupplier {
  return { current: () => token, recheck: () => false };
}

export function asSupplier(token: string | TokenSupplier): TokenSupplier {
  return typeof token === 'string' ? fixedToken(token) : token;
}
