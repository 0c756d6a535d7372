/**
 * Redaction of secrets from text: what the logs, error messages and the landing page share.
 * It knows only what length a secret has to be worth looking for; which tokens are valid is
 * the settings' business (config/tokens.ts), which takes its length rule from here.
 */
export const REDACTED = '[REDACTED]';

export const TOKEN_LENGTH = { min: 20, max: 4096 } as const;

/** Whether a secret is one the exporter could have accepted, and so one to redact. */
export function isPlausibleToken(text: string): boolean {
  return text.length >= TOKEN_LENGTH.min && text.length <= TOKEN_LENGTH.max;
}

export interface Redactor {
  (text: string): string;
  /** Old secrets are kept: a token that was rotated out is still a secret. */
  add(secret: string): void;
}

/**
 * Replaces every occurrence of any secret; the JSON-escaped spelling of a secret too. Only
 * secrets of a token's length are looked for (the rule start-up enforces: config/tokens.ts refuses any other):
 * a one-character "secret" would turn "exporter started" into "e[REDACTED]porter started".
 */
export function redactor(secrets: readonly string[]): Redactor {
  const spellings = new Set<string>();
  const add = (secret: string): void => {
    if (!isPlausibleToken(secret)) return;
    spellings.add(secret);
    spellings.add(JSON.stringify(secret).slice(1, -1));
  };
  for (const secret of secrets) add(secret);
  const redact = (text: string): string => {
    let out = text;
    for (const secret of spellings) out = out.split(secret).join(REDACTED);
    return out;
  };
  return Object.assign(redact, { add });
}
