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
