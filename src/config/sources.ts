/**
 * Where each setting's text comes from: its flag, else its environment variable, else its
 * default. Also how to name the setting in an error: the flag when the user gave one, so the
 * message points at what they typed.
 */
import { parseFlags, type FlagTable } from '../util/flags.js';
import { REFUSED_FLAGS, SETTINGS, setting, type Setting, type SettingName } from './settings.js';

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
  const table: Record<string, { type: 'string' }> = {};
  for (const s of SETTINGS as readonly Setting[]) {
    for (const flag of s.flags) table[flag.slice(2)] = { type: 'string' };
  }
  return table;
}

export function readSources(env: Readonly<Record<string, string | undefined>>, argv: readonly string[]): SourcesResult {
  const refused = Object.fromEntries(Object.entries(REFUSED_FLAGS).map(([flag, why]) => [flag.slice(2), why]));
  const parsed = parseFlags(argv, settingFlagTable(), { refused });
  if (parsed.kind !== 'values') return parsed;
  const flagValues = parsed.values as Readonly<Record<string, string | boolean | undefined>>;

  /** Per setting: the spelling used and its text, when a flag set it. */
  const fromFlags = new Map<SettingName, { flag: string; text: string }>();
  for (const s of SETTINGS as readonly Setting[]) {
    const flag = s.flags.find((f) => flagValues[f.slice(2)] !== undefined);
    if (flag !== undefined) fromFlags.set(s.env as SettingName, { flag, text: String(flagValues[flag.slice(2)]) });
  }

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
