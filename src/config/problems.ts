/**
 * The problems found in the settings, turned into lines only at the end, once every token has
 * been read: whatever a user typed that is repeated in an error (`got "..."`) is scrubbed of
 * every token first, then cut to length, so a token typed into another setting never shows,
 * not even in part.
 */
import { REDACTED } from '../util/redact.js';
import { TOKEN_LENGTH } from './tokens.js';
import { quote, type Fail } from './values.js';

interface Problem {
  readonly subject: string;
  readonly problem: string;
  readonly got: string | undefined;
}

export class Problems {
  readonly #problems: Problem[] = [];
  readonly #secrets = new Set<string>();

  /** A problem with `subject` (a setting's label, or a label and a field); undefined, for `return fail(...)`. */
  add(subject: string, problem: string, got?: string): undefined {
    this.#problems.push({ subject, problem, got });
    return undefined;
  }

  /** A Fail for one subject. */
  at(subject: string): Fail {
    return (problem, got) => this.add(subject, problem, got);
  }

  /** Lines made elsewhere (the web config's), already `subject: problem`. */
  addLines(lines: readonly string[]): void {
    for (const line of lines) this.#problems.push({ subject: '', problem: line, got: undefined });
  }

  /** A token that was read, accepted or not, to be kept out of every line. */
  secret(token: string): void {
    // Shorter ones are refused without being repeated, and scrubbing them would garble the lines.
    if (token.length >= TOKEN_LENGTH.min) this.#secrets.add(token);
  }

  get count(): number {
    return this.#problems.length;
  }

  lines(): string[] {
    return this.#problems.map(({ subject, problem, got }) => {
      const text = `${subject === '' ? '' : `${subject}: `}${problem}${got === undefined ? '' : ` (got ${quote(this.#scrub(got))})`}`;
      return this.#scrub(text);
    });
  }

  #scrub(text: string): string {
    let out = text;
    for (const secret of this.#secrets) {
      out = out.split(secret).join(REDACTED).split(JSON.stringify(secret).slice(1, -1)).join(REDACTED);
    }
    return out;
  }
}
