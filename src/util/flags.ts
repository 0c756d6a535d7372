/**
 * Command-line flags for every program of the project (the exporter, the demo, the simulator
 * and the benchmark), on node:util parseArgs. A program gives a table of its flags and gets
 * back one of four answers: the values, a request for help, a request for the version, or one
 * error line per problem.
 *
 * The error lines never repeat what the user typed beyond a flag's own name: a positional
 * argument, the value after a refused flag, or a short-option cluster may be a token pasted in
 * the wrong place (`--orq-api-key sk-...`, `-sk-...`), and errors end up in logs.
 */
import { parseArgs } from 'node:util';

export interface FlagSpec {
  /** A string flag takes a value (`--port 9100`, `--port=9100`); a boolean one stands alone or takes `=true`/`=false`. */
  readonly type: 'string' | 'boolean';
  /** One letter, for `-p 9100`. */
  readonly short?: string;
  /** May be given more than once, each value kept in order; otherwise a second time is an error. */
  readonly multiple?: boolean;
}

/** Flag names without their leading `--`, as parseArgs has them: `{ port: { type: 'string' } }`. */
export type FlagTable = Readonly<Record<string, FlagSpec>>;

export interface FlagParserOptions {
  /** Arguments that are not flags are kept in `positionals`; otherwise each is an error. */
  readonly allowPositionals?: boolean;
  /** Flags refused by name, with the reason (a flag that would show a secret in process listings). */
  readonly refused?: Readonly<Record<string, string>>;
  /** `--help` and `-h` are answered as `help` (default true); the table cannot use these names then. */
  readonly help?: boolean;
  /** `--version` is answered as `version` (default true). */
  readonly version?: boolean;
}

type Value<S extends FlagSpec> = S['type'] extends 'boolean' ? boolean : string;
export type FlagValues<T extends FlagTable> = {
  readonly [K in keyof T]?: T[K]['multiple'] extends true ? readonly Value<T[K]>[] : Value<T[K]>;
};

export type FlagsResult<T extends FlagTable> =
  | { readonly kind: 'values'; readonly values: FlagValues<T>; readonly positionals: readonly string[] }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'errors'; readonly errors: readonly string[] };

/** What a boolean flag or setting accepts, either case: true/false and 1/0. */
export function parseBoolean(text: string): boolean | undefined {
  const lower = text.trim().toLowerCase();
  if (lower === 'true' || lower === '1') return true;
  if (lower === 'false' || lower === '0') return false;
  return undefined;
}

/**
 * An unknown flag's name is repeated in its error only when it reads like a flag name: a few
 * lowercase words joined by `-` or `.`, and shorter than the shortest API token the exporter
 * accepts (20 characters), so a token typed after `--` is never repeated. Anything else is
 * named by its position.
 */
const ECHOABLE_FLAG = /^--[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*$/;
export const MAX_ECHOED_FLAG_NAME = 19;

export function parseFlags<const T extends FlagTable>(argv: readonly string[], table: T, options: FlagParserOptions = {}): FlagsResult<T> {
  const wantHelp = options.help ?? true;
  const wantVersion = options.version ?? true;
  const specs: Record<string, FlagSpec> = { ...table };
  if (wantHelp) specs['help'] = { type: 'boolean', short: 'h' };
  if (wantVersion) specs['version'] = { type: 'boolean' };
  /** Each problem with the argument it is about, so they are told in the order typed. */
  const errors: Array<{ readonly at: number; readonly line: string }> = [];

  // A value is never taken from an argument that starts with `--`: `--port --help` is a
  // missing value and a request for help, not a port named "--help". parseArgs would take
  // it, so such a flag is reported here and left out of what parseArgs sees.
  const kept: string[] = [];
  const position: number[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      for (let j = i; j < argv.length; j++) {
        kept.push(argv[j]!);
        position.push(j);
      }
      break;
    }
    if (isUnknownCluster(arg, specs)) {
      // parseArgs would split `-xyz` into `-x -y -z`, and a `--` inside into a terminator;
      // a cluster this program does not fully know is one unknown argument.
      errors.push({ at: i, line: `argument ${i + 1}: unknown flag (see --help)` });
      continue;
    }
    const name = loneFlagName(arg, specs);
    const next = argv[i + 1];
    if (name !== undefined && specs[name]?.type === 'string' && (next === undefined || next.startsWith('--'))) {
      errors.push({ at: i, line: `${arg}: needs a value` });
      continue;
    }
    kept.push(arg);
    position.push(i);
    if (name !== undefined && specs[name]?.type === 'string') {
      // Its value, whatever it looks like (`--seed -10`).
      kept.push(next!);
      position.push(++i);
    }
  }

  const parseOptions: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, spec] of Object.entries(specs)) {
    parseOptions[name] = spec.short !== undefined ? { type: spec.type, short: spec.short } : { type: spec.type };
  }
  const { tokens } = parseArgs({ args: kept, options: parseOptions, strict: false, allowPositionals: true, tokens: true });

  const values: Record<string, string | boolean | Array<string | boolean>> = {};
  const positionals: string[] = [];
  let help = false;
  let version = false;
  /** Arguments already reported, so a cluster such as `-xyz` is one error, not three. */
  const reported = new Set<number>();
  /** The argument after an unknown or refused flag is its value, skipped unseen. */
  let skipValueAt = -1;
  /** A positional right after a lone boolean flag: probably `--flag false`. */
  let booleanBefore: { index: number; flag: string } | undefined;

  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    const at = position[token.index]!;
    if (token.kind === 'positional') {
      if (token.index === skipValueAt) continue;
      if (options.allowPositionals) {
        positionals.push(token.value);
      } else if (booleanBefore !== undefined && booleanBefore.index === token.index) {
        errors.push({ at, line: `${booleanBefore.flag}: takes no separate value; write ${booleanBefore.flag}=true or ${booleanBefore.flag}=false` });
      } else {
        errors.push({ at, line: `argument ${at + 1}: not a flag (see --help)` });
      }
      continue;
    }
    booleanBefore = undefined;
    const spec = specs[token.name];
    const isLong = token.rawName.startsWith('--');
    if (options.refused?.[token.name] !== undefined && isLong) {
      errors.push({ at, line: `${token.rawName}: ${options.refused[token.name]}` });
      if (token.value === undefined) skipValueAt = token.index + 1;
      continue;
    }
    if (spec === undefined) {
      if (reported.has(token.index)) continue;
      reported.add(token.index);
      const echoable = isLong && ECHOABLE_FLAG.test(token.rawName) && token.name.length <= MAX_ECHOED_FLAG_NAME;
      errors.push({ at, line: echoable ? `${token.rawName}: unknown flag (see --help)` : `argument ${at + 1}: unknown flag (see --help)` });
      if (isLong && token.value === undefined) skipValueAt = token.index + 1;
      continue;
    }
    if (wantHelp && token.name === 'help') {
      help = true;
      continue;
    }
    if (wantVersion && token.name === 'version') {
      version = true;
      continue;
    }
    let value: string | boolean;
    if (spec.type === 'boolean') {
      if (token.value === undefined) {
        value = true;
        if (token.inlineValue === undefined) booleanBefore = { index: token.index + 1, flag: token.rawName };
      } else {
        const parsed = parseBoolean(token.value);
        if (parsed === undefined) {
          errors.push({ at, line: `${token.rawName}: must be true or false, or the flag alone for true` });
          continue;
        }
        value = parsed;
      }
    } else {
      // The lone-flag case without a value was reported above; a short flag at the end lands here.
      if (token.value === undefined) {
        errors.push({ at, line: `${token.rawName}: needs a value` });
        continue;
      }
      value = token.value;
    }
    const previous = values[token.name];
    if (spec.multiple) {
      values[token.name] = [...(Array.isArray(previous) ? previous : []), value];
    } else if (previous !== undefined) {
      errors.push({ at, line: `${token.rawName}: given more than once` });
    } else {
      values[token.name] = value;
    }
  }

  if (help) return { kind: 'help' };
  if (version) return { kind: 'version' };
  if (errors.length > 0) {
    const lines = errors.sort((a, b) => a.at - b.at).map((e) => e.line);
    return { kind: 'errors', errors: [...new Set(lines)] };
  }
  return { kind: 'values', values: values as FlagValues<T>, positionals };
}

/**
 * A short-flag cluster (`-abc`) that is not every letter a known boolean flag, and not a
 * known string flag with its value attached (`-p9100`).
 */
function isUnknownCluster(arg: string, specs: Readonly<Record<string, FlagSpec>>): boolean {
  if (arg.length <= 2 || arg[0] !== '-' || arg[1] === '-') return false;
  const byShort = new Map(Object.values(specs).flatMap((spec) => (spec.short !== undefined ? [[spec.short, spec] as const] : [])));
  if (byShort.get(arg[1]!)?.type === 'string') return false;
  return ![...arg.slice(1)].every((letter) => byShort.get(letter)?.type === 'boolean');
}

/** The flag a lone `--name` or `-n` argument names (no `=value` attached), if the table has it. */
function loneFlagName(arg: string, specs: Readonly<Record<string, FlagSpec>>): string | undefined {
  if (arg.startsWith('--')) {
    const name = arg.slice(2);
    return !name.includes('=') && specs[name] !== undefined ? name : undefined;
  }
  if (arg.length === 2 && arg[0] === '-') {
    return Object.entries(specs).find(([, spec]) => spec.short === arg[1])?.[0];
  }
  return undefined;
}
