/**
 * Where each setting's text comes from: its flag in any of its spellings, else its environment
 * variable, else its default. Also how to name the setting in an error: the spelling the user
 * used, so the message points at what they typed.
 */
import { parseFlags, type FlagTable } from '../util/flags.js';
import { LISTEN_FLAG, REFUSED_FLAGS, SETTINGS, setting, type Setting, type SettingName } from './settings.js';

export interface SettingSources {
  /** What the user gave, trimmed; undefined when unset or empty. A flag wins over the environment. */
  given(name: SettingName): string | undefined;
  /** What the user gave, else the default. */
  raw(name: SettingName): string | undefined;
  isSet(name: SettingName): boolean;
  /** The flag spelling the user used, else the environment variable. */
  label(name: SettingName): string;
}

export type SourcesResult =
  | { readonly kind: 'sources'; readonly sources: SettingSources }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'errors'; readonly errors: readonly string[] };

/** Every flag of every setting, for the flag parser (names without their leading `--`). */
export function settingFlagTable(): FlagTable {
  const table: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const s of SETTINGS as readonly Setting[]) {
    for (const flag of s.flags) table[flag.slice(2)] = { type: s.type === 'boolean' ? 'boolean' : 'string' };
  }
  return table;
}

export function readSources(env: Readonly<Record<string, string | undefined>>, argv: readonly string[]): SourcesResult {
  const refused = Object.fromEntries(Object.entries(REFUSED_FLAGS).map(([flag, why]) => [flag.slice(2), why]));
  const parsed = parseFlags(argv, settingFlagTable(), { refused });
  if (parsed.kind !== 'values') return parsed;
  const flagValues = parsed.values as Readonly<Record<string, string | boolean | undefined>>;

  const errors: string[] = [];
  /** Per setting: the spelling used and its text, when a flag set it. */
  const fromFlags = new Map<SettingName, { flag: string; text: string }>();
  for (const s of SETTINGS as readonly Setting[]) {
    const name = s.env as SettingName;
    const used = s.flags.filter((flag) => flagValues[flag.slice(2)] !== undefined);
    if (used.length > 1) {
      errors.push(`${used[1]}: sets the same as ${used[0]}; give one`);
      continue;
    }
    const flag = used[0];
    if (flag === undefined) continue;
    const value = flagValues[flag.slice(2)]!;
    const text = typeof value === 'boolean' ? String(value) : flag === LISTEN_FLAG ? listenPart(value, name) : value;
    if (text === undefined) continue;
    fromFlags.set(name, { flag, text });
  }
  const listen = flagValues[LISTEN_FLAG.slice(2)];
  if (typeof listen === 'string' && splitHostPort(listen) === undefined) {
    errors.push(`${LISTEN_FLAG}: must be host:port, such as 127.0.0.1:9877, [::1]:9877 or :9877 for every address`);
  }
  if (errors.length > 0) return { kind: 'errors', errors: [...new Set(errors)] };

  const given = (name: SettingName): string | undefined => {
    const value = fromFlags.get(name)?.text ?? env[name];
    return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
  };
  return {
    kind: 'sources',
    sources: {
      given,
      raw: (name) => given(name) ?? setting(name).default,
      isSet: (name) => given(name) !== undefined,
      label: (name) => fromFlags.get(name)?.flag ?? name,
    },
  };
}

/** `host:port`, `[v6]:port` (the host keeps its brackets) or `:port` (every address); undefined for anything else. */
export function splitHostPort(text: string): { readonly host: string; readonly port: string } | undefined {
  const match = /^(\[[^\]]+\]|[^:[\]]*):([^:]+)$/.exec(text.trim());
  if (!match) return undefined;
  return { host: match[1]!, port: match[2]! };
}

/** The part of `--web.listen-address` a setting takes; an empty host means the default address. */
function listenPart(value: string, name: SettingName): string | undefined {
  const parts = splitHostPort(value);
  if (parts === undefined) return undefined;
  if (name === 'PORT') return parts.port;
  return parts.host === '' ? setting('LISTEN_ADDRESS').default : parts.host;
}
