/**
 * Which budgets `GET /v2/budgets` answers, in which order: most recently updated first (or by
 * expiry or creation when asked), filtered by scope kind, scope target, active state, period
 * and a free-text query over the target's id and name.
 */
import { BUDGET_PERIOD, BUDGET_SORT, SCOPE_KIND, describeEnum, parseEnumParam } from './enums.js';
import { scopeKindOf, scopeTargetOf, type SimBudgetRecord } from './budgets.js';
import { RankedList, compareText, enumList, type Parsed } from './listing.js';

export interface BudgetFilters {
  scopeKinds?: number[];
  scopeTargetId?: string;
  isActive?: boolean;
  periods?: number[];
  /** lowercased */
  query?: string;
}

export interface BudgetQuery {
  filters: BudgetFilters;
  /** BudgetSortField: 0 and 3 by update, 1 by expiry, 2 by creation; all newest first */
  sort: number;
}

export function parseBudgetQuery(query: URLSearchParams): Parsed<BudgetQuery> {
  const filters: BudgetFilters = {};
  const kinds = enumList(query, 'scope_kind', SCOPE_KIND);
  if (!kinds.ok) return kinds;
  if (kinds.value !== undefined) filters.scopeKinds = kinds.value;
  const periods = enumList(query, 'period', BUDGET_PERIOD);
  if (!periods.ok) return periods;
  if (periods.value !== undefined) filters.periods = periods.value;
  const target = query.get('scope_target_id');
  if (target) filters.scopeTargetId = target;
  const active = query.get('is_active');
  if (active) {
    if (active !== 'true' && active !== 'false') return { ok: false, message: `is_active must be true or false, got "${active}"` };
    filters.isActive = active === 'true';
  }
  const text = query.get('query')?.trim().toLowerCase();
  if (text) filters.query = text;
  let sort = 0;
  const rawSort = query.get('sort_by');
  if (rawSort) {
    const value = parseEnumParam(BUDGET_SORT, rawSort);
    if (value === undefined) return { ok: false, message: `sort_by: unknown value "${rawSort}", expected one of ${describeEnum(BUDGET_SORT)}` };
    sort = value;
  }
  return { ok: true, value: { filters, sort } };
}

/** `nameOf` gives the display name of a scope target (a key's or a project's), for the query filter. */
export function budgetMatches(r: SimBudgetRecord, f: BudgetFilters, nameOf: (id: string) => string | undefined): boolean {
  if (f.scopeKinds !== undefined && !f.scopeKinds.includes(scopeKindOf(r.scope))) return false;
  const target = scopeTargetOf(r.scope);
  if (f.scopeTargetId !== undefined && target !== f.scopeTargetId) return false;
  if (f.isActive !== undefined && r.is_active !== f.isActive) return false;
  if (f.periods !== undefined && !f.periods.includes(r.period)) return false;
  if (f.query !== undefined) {
    if (target === undefined || target === '') return false;
    const name = nameOf(target)?.toLowerCase() ?? '';
    if (!target.toLowerCase().includes(f.query) && !name.includes(f.query)) return false;
  }
  return true;
}

type SortField = 'updated_at' | 'expires_at' | 'created_at';

function sortField(sort: number): SortField {
  return sort === 1 ? 'expires_at' : sort === 2 ? 'created_at' : 'updated_at';
}

/** A workspace's budgets in each order asked for, each built on first use. */
export class BudgetIndex {
  readonly records: readonly SimBudgetRecord[];
  private readonly lists = new Map<SortField, RankedList<SimBudgetRecord>>();

  constructor(records: readonly SimBudgetRecord[], private readonly nameOf: (id: string) => string | undefined) {
    this.records = records;
  }

  list(sort: number): RankedList<SimBudgetRecord> {
    const field = sortField(sort);
    let list = this.lists.get(field);
    if (list === undefined) {
      // Newest first; a budget that never expires sorts after every one that does.
      const time = new Map<SimBudgetRecord, number>();
      for (const r of this.records) {
        const value = r[field];
        time.set(r, value === null ? Number.NEGATIVE_INFINITY : Date.parse(value) || 0);
      }
      const at = (r: SimBudgetRecord): number => time.get(r) ?? 0;
      list = new RankedList(
        this.records,
        (a, b) => (at(b) > at(a) ? 1 : at(b) < at(a) ? -1 : compareText(b.budget_id, a.budget_id)),
        (r) => r.budget_id,
      );
      this.lists.set(field, list);
    }
    return list;
  }

  view(sort: number, f: BudgetFilters): readonly SimBudgetRecord[] {
    const memo = Object.keys(f).length === 0 ? undefined : JSON.stringify(f);
    return this.list(sort).view(memo, (r) => budgetMatches(r, f, this.nameOf));
  }
}
