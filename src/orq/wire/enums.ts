/**
 * Enum values in every spelling the three wire variants use: the reference page's integers,
 * the SDK's protobuf constants (`API_KEY_STATUS_ACTIVE`), the release candidate's lowercase
 * names, and numeric strings.
 */
import type { Known } from '../api-key.js';

/**
 * The table's name for a value; `unknown` for a value the table does not hold. Absent, empty
 * and every spelling of "unspecified" are the zero value (table[0]): protobuf JSON omits zero
 * values, and for a table whose zero is `none` (legacy token families) `unspecified` still
 * means none, not an unknown family.
 */
export function parseEnum<T extends readonly string[]>(value: unknown, table: T): Known<T> {
  const zero = table[0] as Known<T>;
  if (value === undefined || value === null) return zero;
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 0 && value < table.length ? (table[value] as Known<T>) : 'unknown';
  }
  if (typeof value !== 'string') return 'unknown';
  const raw = value.trim().toLowerCase();
  if (raw === '' || raw === 'unspecified' || raw.endsWith('_unspecified')) return zero;
  if (/^\d+$/.test(raw)) return parseEnum(Number(raw), table);
  let match: string | undefined;
  for (const name of table) {
    if (raw === name) return name as Known<T>;
    if (raw.endsWith(`_${name}`) && (match === undefined || name.length > match.length)) match = name;
  }
  return (match as Known<T> | undefined) ?? 'unknown';
}
