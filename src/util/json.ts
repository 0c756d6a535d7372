/** Small questions asked of parsed JSON or YAML, whose shape is never trusted. */
export type JsonObject = Record<string, unknown>;

/** A plain mapping: not null, not an array. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The words a message uses for a list and a mapping: JSON's by default, YAML's for config files. */
export interface Vocabulary {
  readonly array: string;
  readonly object: string;
}

export const JSON_WORDS: Vocabulary = { array: 'an array', object: 'an object' };
export const YAML_WORDS: Vocabulary = { array: 'a list', object: 'a mapping' };

/** What kind of value this is, for an error message; never the value itself, which may be a secret. */
export function describe(value: unknown, words: Vocabulary = JSON_WORDS): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return words.array;
  return typeof value === 'object' ? words.object : `a ${typeof value}`;
}
