/**
 * Structured logs: one JSON object a line with time, level and message. Every line passes
 * through redaction of the secrets the logger was given, so a token echoed back by the
 * upstream, or caught in an error, never reaches a log.
 */
import { redactor } from './util/redact.js';

export { REDACTED, redactor, type Redactor } from './util/redact.js';

export type Fields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  /**
   * Redacts this secret too from now on: a token read after start (a reload, a rotated token
   * file). Optional, so loggers that redact nothing (tests, silentLogger) need not have it.
   */
  addSecret?(secret: string): void;
}

/** Replaces every secret it knows in a text; learns more with add(). */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  readonly level: LogLevel;
  readonly secrets?: readonly string[];
  readonly write?: (line: string) => void;
  readonly now?: () => number;
}

export function createLogger(options: LoggerOptions): Logger {
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const now = options.now ?? Date.now;
  const redact = redactor(options.secrets ?? []);
  const log = (level: LogLevel) => (msg: string, fields?: Fields) => {
    if (RANK[level] < RANK[options.level]) return;
    const entry = { time: new Date(now()).toISOString(), level, msg, ...fields };
    write(`${redact(JSON.stringify(entry, errorReplacer))}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), addSecret: (secret) => redact.add(secret) };
}


function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    // Stacks are for bugs; upstream failures are expected and their message says it all.
    return { name: value.name, message: value.message };
  }
  return value;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
