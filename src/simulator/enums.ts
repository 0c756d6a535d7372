/**
 * The enums of the orq API and the three ways the wire variants spell them: integers
 * (reference), protobuf constants such as `API_KEY_STATUS_ACTIVE` (SDK 4.15.11) and lowercase
 * names such as `active` (4.16 release candidate). Index = the integer value.
 */

export interface EnumTable {
  /** lowercase names, indexed by value */
  readonly names: readonly string[];
  /** the protobuf constant prefix, e.g. API_KEY_STATUS */
  readonly prefix: string;
}

const table = (prefix: string, names: readonly string[]): EnumTable => ({ prefix, names });

export const STATUS_NAMES = ['unspecified', 'active', 'disabled', 'revoked'] as const;
export const PERMISSION_MODE_NAMES = ['unspecified', 'all', 'restricted', 'read_only'] as const;
export const LEGACY_FAMILY_NAMES = ['none', 'router_jwt', 'project_jwt', 'workspace_jwt'] as const;
export const BUDGET_PERIOD_NAMES = ['unspecified', 'daily', 'weekly', 'monthly', 'yearly', 'one_time'] as const;
export const OWNER_TYPE_NAMES = ['unspecified', 'user', 'service_account'] as const;
export const ALERT_DIMENSION_NAMES = ['unspecified', 'cost', 'tokens'] as const;
export const SCOPE_KIND_NAMES = ['unspecified', 'workspace', 'project', 'identity', 'api_key', 'provider', 'model'] as const;
export const BUDGET_SORT_NAMES = ['unspecified', 'expires_at', 'created_at', 'updated_at'] as const;

export const STATUS = table('API_KEY_STATUS', STATUS_NAMES);
export const PERMISSION_MODE = table('PERMISSION_MODE', PERMISSION_MODE_NAMES);
export const LEGACY_FAMILY = table('LEGACY_TOKEN_FAMILY', LEGACY_FAMILY_NAMES);
export const BUDGET_PERIOD = table('BUDGET_PERIOD', BUDGET_PERIOD_NAMES);
export const OWNER_TYPE = table('OWNER_TYPE', OWNER_TYPE_NAMES);
export const ALERT_DIMENSION = table('BUDGET_ALERT_DIMENSION', ALERT_DIMENSION_NAMES);
export const SCOPE_KIND = table('BUDGET_SCOPE_KIND', SCOPE_KIND_NAMES);
export const BUDGET_SORT = table('BUDGET_SORT_FIELD', BUDGET_SORT_NAMES);

/**
 * The lowercase spelling of an enum value. Values the table does not know still get a
 * stable spelling, because the service adds enum values over time and the exporter must
 * survive meeting one.
 */
export function enumName(names: readonly string[], value: number): string {
  return names[value] ?? `unknown_${value}`;
}

/** The integer a lowercase spelling stands for, or undefined when it is not one. */
export function enumValue(names: readonly string[], spelling: string): number | undefined {
  const i = names.indexOf(spelling);
  return i === -1 ? undefined : i;
}

/** The protobuf constant of a value: API_KEY_STATUS_ACTIVE; an unknown 7 is API_KEY_STATUS_UNKNOWN_7. */
export function enumConstant(t: EnumTable, value: number): string {
  return `${t.prefix}_${enumName(t.names, value).toUpperCase()}`;
}

/**
 * A query parameter in any spelling a client may send: the integer, the lowercase name or
 * the protobuf constant (either case). Undefined when it names no value of the table.
 */
export function parseEnumParam(t: EnumTable, raw: string): number | undefined {
  if (/^\d+$/.test(raw)) {
    const n = Number(raw);
    return n < t.names.length ? n : undefined;
  }
  const lower = raw.toLowerCase();
  const prefix = `${t.prefix.toLowerCase()}_`;
  return enumValue(t.names, lower.startsWith(prefix) ? lower.slice(prefix.length) : lower);
}

/** Every spelling parseEnumParam accepts for a table, for error messages. */
export function describeEnum(t: EnumTable): string {
  return t.names.map((name, i) => `${i}|${name}|${enumConstant(t, i)}`).join(', ');
}
