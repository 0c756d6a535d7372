/**
 * A token file that is watched for rotation. A Kubernetes secret mount replaces its files by
 * swapping the `..data` symlink, and Docker secrets or an operator may rewrite the file: either
 * way the exporter must use the new token without a restart. The file is looked at with one
 * stat when asked (once per refresh, and when the upstream refuses the token), and read again
 * only when its identity or times changed. A new token passes the checks of start-up
 * (config/tokens.ts); one that does not is refused and the current token is kept.
 */
import { statSync } from 'node:fs';
import { readSmallFile } from '../util/read-file.js';
import { cannotReadPath, readTokenFile, type ReadFile } from './tokens.js';

export interface TokenFileOptions {
  readonly path: string;
  /** The token read at start (or reload), already checked. */
  readonly token: string;
  /** Told of a new, accepted token. */
  readonly onChange: (token: string) => void;
  /** Told why the file could not be used; the problem never holds the token. */
  readonly onRefused: (problem: string) => void;
  readonly readFile?: ReadFile | undefined;
  /** What identifies the file's current content; a stat by default. */
  readonly signature?: ((path: string) => string) | undefined;
}

/**
 * Device, inode, size and nanosecond times: a symlink swap changes the inode, a rewrite in
 * place the times (ctime too, which `touch -m` back to the old mtime cannot hide).
 */
export function statSignature(path: string): string {
  const s = statSync(path, { bigint: true });
  return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}

/** A TokenSupplier of the orq client (by shape: settings come before the client and do not import it). */
export class TokenFile {
  readonly path: string;
  readonly #options: TokenFileOptions;
  readonly #readFile: ReadFile;
  readonly #signature: (path: string) => string;
  #token: string;
  /** What the file looked like when last read, or why it could not be looked at. */
  #seen: string;

  constructor(options: TokenFileOptions) {
    this.path = options.path;
    this.#options = options;
    this.#token = options.token;
    this.#readFile = options.readFile ?? readSmallFile;
    this.#signature = options.signature ?? statSignature;
    this.#seen = this.#look().seen;
  }

  current(): string {
    return this.#token;
  }

  /** Reads the file again if it changed since it was last read; true when the token changed. */
  recheck(): boolean {
    const look = this.#look();
    if (look.seen === this.#seen) return false;
    this.#seen = look.seen;
    // Told once per state of the file, not at every refresh while it stays unreadable.
    if (look.problem !== undefined) {
      this.#options.onRefused(look.problem);
      return false;
    }
    const read = readTokenFile(this.path, this.#readFile);
    if (!read.ok) {
      this.#options.onRefused(read.problem);
      return false;
    }
    return this.adopt(read.token);
  }

  /** Uses a token read elsewhere from this file (a reload read it); true when it is new. */
  adopt(token: string): boolean {
    this.#seen = this.#look().seen;
    if (token === this.#token) return false;
    this.#token = token;
    this.#options.onChange(token);
    return true;
  }

  #look(): { seen: string; problem?: string } {
    try {
      return { seen: this.#signature(this.path) };
    } catch (error) {
      const problem = cannotReadPath(this.path, error);
      return { seen: `unreadable: ${problem}`, problem };
    }
  }
}
