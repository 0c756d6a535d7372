/**
 * What the exporter reads from orq.ai: every API key of a workspace (all pages, in any of the
 * three wire variants), the budgets scoped to those keys with their usage, and the projects.
 * Each list either arrives whole or throws a RefreshError: never a partial list.
 */
import type { LookupFunction } from 'node:net';
import type { Dispatcher } from 'undici';
import { redactor } from '../log.js';
import { SKIP_REASONS, type ApiKey, type SkipReason } from './api-key.js';
import type { KeyBudget } from './budget.js';
import { RefreshError } from './errors.js';
import { walkPages, type WalkEnd, type WalkSummary } from './pagination.js';
import type { Project } from './project.js';
import { asSupplier, type TokenSupplier } from './token.js';
import { Transport, type BodyLimits, type Endpoint } from './transport.js';
import { apiKeyId, parseApiKey } from './wire/api-key.js';
import { budgetId, parseKeyBudget, type BudgetSkip } from './wire/budget.js';
import type { PageBody } from './wire/list-scan.js';
import { parseProject, projectId } from './wire/project.js';

export const PAGE_SIZE = 200;
/** Keys accepted from one workspace in one refresh when MAX_KEYS is not set. */
export const DEFAULT_MAX_KEYS = 100_000;
/** A floor on pages so a server that never says `has_more: false` cannot loop us forever. */
export const DEFAULT_MAX_PAGES = 5_000;
/** Bytes one answer may take per record it may hold; real records are well under 1 KiB. */
const BYTES_PER_RECORD = 2 * 1024;
const MIN_BODY_BYTES = 32 * 1024 * 1024;
/** A key can have a budget per period, so budgets may outnumber keys. */
const BUDGETS_PER_KEY = 4;
const API_KEY_BUDGET_SCOPE = 'BUDGET_SCOPE_KIND_API_KEY';
/** How long the key list is asked without include_budget after refusing it. */
const INCLUDE_BUDGET_RETRY_MS = 60 * 60_000;

export interface ClientOptions {
  readonly baseUrl: string;
  /** A fixed token, or one read anew as its file is rotated. */
  readonly token: string | TokenSupplier;
  readonly projectId?: string | undefined;
  readonly requestTimeoutMs: number;
  readonly maxRetries: number;
  readonly backoffBaseMs?: number | undefined;
  readonly backoffMaxMs?: number | undefined;
  readonly maxPages?: number | undefined;
  /** Most keys accepted in one list (MAX_KEYS); it bounds memory against a hostile upstream. */
  readonly maxKeys?: number | undefined;
  readonly userAgent: string;
  /** Hides the token; one per workspace, shared with its logs. Default: a redactor of `token`. */
  readonly redact?: ((text: string) => string) | undefined;
  /** Told of every response's status code, or `error` / `timeout` when none came. */
  readonly onRequest?: ((endpoint: Endpoint, code: string) => void) | undefined;
  /** Requests, retries, waits and fallbacks, for LOG_LEVEL=debug. */
  readonly debug?: ((msg: string, fields: Record<string, unknown>) => void) | undefined;
  readonly sleep?: ((ms: number, signal: AbortSignal) => Promise<void>) | undefined;
  readonly random?: (() => number) | undefined;
  /** Wall clock in ms, for X-RateLimit-Reset. */
  readonly now?: (() => number) | undefined;
  readonly dispatcher?: Dispatcher | undefined;
  readonly connect?: { readonly ca?: string | Buffer; readonly lookup?: LookupFunction } | undefined;
}

interface Listed {
  readonly pages: number;
  /** Requests this list took, retries included. */
  readonly requests: number;
  readonly ended: WalkEnd;
}

export interface KeyList extends Listed {
  readonly keys: readonly ApiKey[];
  readonly skipped: Readonly<Record<SkipReason, number>>;
  /** Records received, usable or not: the share of skipped ones is judged against it. */
  readonly received: number;
}

export interface BudgetList extends Listed {
  readonly budgets: readonly KeyBudget[];
  readonly skipped: Readonly<Record<BudgetSkip, number>>;
}

export interface ProjectList extends Listed {
  readonly projects: readonly Project[];
  readonly skipped: number;
}

export class OrqClient {
  readonly #options: ClientOptions;
  readonly #transport: Transport;
  readonly #redact: (text: string) => string;
  readonly #token: TokenSupplier;
  readonly #maxKeys: number;
  /**
   * When the key list last refused include_budget (budgets are optional, keys are not): it is
   * not asked with it again for an hour, then tried once more, since a 403 that was really the
   * token's (or a blip) would otherwise cost the embedded budgets for good.
   */
  #includeBudgetRefusedAt: number | undefined;

  constructor(options: ClientOptions) {
    this.#options = options;
    this.#token = asSupplier(options.token);
    this.#redact = options.redact ?? redactor([this.#token.current()]);
    this.#maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
    this.#transport = new Transport({ ...options, token: this.#token, redact: this.#redact });
  }

  async close(): Promise<void> {
    await this.#transport.close();
  }

  /** Every key, all pages; throws RefreshError when any page fails. */
  async listApiKeys(signal: AbortSignal): Promise<KeyList> {
    const started = this.#transport.requests;
    const keys: ApiKey[] = [];
    const skipped = Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as Record<SkipReason, number>;
    // Ids as published: a scrubbed id could meet another one, and one series must not be two.
    const ids = new Set<string>();
    let received = 0;
    const share = sharing();
    const walk = await this.#walk('api_keys', 'keys', this.#maxKeys, apiKeyId, (cursor) => this.#keysPage(cursor, signal), (items) => {
      received += items.length;
      for (const item of items) {
        const record = parseApiKey(item, share);
        if (!record.ok) {
          skipped[record.reason]++;
          continue;
        }
        const key = this.#scrub(record.key);
        if (ids.has(key.id)) skipped.duplicate_id++;
        else {
          ids.add(key.id);
          keys.push(key);
        }
      }
    });
    skipped.duplicate_id += walk.duplicates;
    received += walk.duplicates;
    return { keys, skipped, received, pages: walk.pages, requests: this.#transport.requests - started, ended: walk.ended };
  }

  /** Budgets scoped to one API key (active ones), with their usage; GET /v2/budgets needs the Budgets permission. */
  async listBudgets(signal: AbortSignal): Promise<BudgetList> {
    const started = this.#transport.requests;
    const budgets: KeyBudget[] = [];
    const skipped: Record<BudgetSkip, number> = { invalid: 0, not_key_scoped: 0, inactive: 0 };
    const maxItems = this.#maxKeys * BUDGETS_PER_KEY;
    const walk = await this.#walk('budgets', 'budgets', maxItems, budgetId, (cursor) => {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE), scope_kind: API_KEY_BUDGET_SCOPE });
      if (cursor !== undefined) query.set('starting_after', cursor);
      return this.#get('budgets', `/v2/budgets?${query.toString()}`, signal, maxItems);
    }, (items) => {
      for (const item of items) {
        const result = parseKeyBudget(item);
        if (result.ok) budgets.push(this.#scrubBudget(result.budget));
        else skipped[result.reason]++;
      }
    });
    skipped.invalid += walk.duplicates;
    return { budgets, skipped, pages: walk.pages, requests: this.#transport.requests - started, ended: walk.ended };
  }

  async listProjects(signal: AbortSignal): Promise<ProjectList> {
    const started = this.#transport.requests;
    const projects: Project[] = [];
    let skipped = 0;
    const walk = await this.#walk('projects', 'projects', this.#maxKeys, projectId, (cursor) => {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (cursor !== undefined) query.set('starting_after', cursor);
      return this.#get('projects', `/v2/projects?${query.toString()}`, signal, this.#maxKeys);
    }, (items) => {
      for (const item of items) {
        const project = parseProject(item);
        if (project === undefined) skipped++;
        else projects.push(this.#scrubProject(project));
      }
    });
    return { projects, skipped: skipped + walk.duplicates, pages: walk.pages, requests: this.#transport.requests - started, ended: walk.ended };
  }

  #walk(
    endpoint: Endpoint,
    what: string,
    maxItems: number,
    idOf: (item: unknown) => string,
    fetchPage: (cursor: string | undefined) => Promise<PageBody>,
    onItems: (items: readonly unknown[]) => void,
  ): Promise<WalkSummary> {
    const maxPages = Math.max(this.#options.maxPages ?? DEFAULT_MAX_PAGES, 0);
    return walkPages({ limit: PAGE_SIZE, maxItems, maxPages, what, fetchPage, idOf, onItems }).then((walk) => {
      if (walk.ended !== 'last_page') this.#options.debug?.('upstream did not page as asked; the list is complete', { endpoint, ended: walk.ended, pages: walk.pages });
      return walk;
    });
  }

  /**
   * One page of keys, with include_budget=true while the server takes it. A server that
   * refuses the parameter (400) or the budget lookup (403) is asked again without it, and not
   * asked with it again: its keys are what the exporter cannot do without.
   */
  async #keysPage(cursor: string | undefined, signal: AbortSignal): Promise<PageBody> {
    const path = (includeBudget: boolean): string => {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (includeBudget) query.set('include_budget', 'true');
      if (cursor !== undefined) query.set('starting_after', cursor);
      if (this.#options.projectId) query.set('project_id', this.#options.projectId);
      return `/v2/api-keys?${query.toString()}`;
    };
    const now = (this.#options.now ?? Date.now)();
    const refusedAt = this.#includeBudgetRefusedAt;
    if (refusedAt !== undefined && now - refusedAt < INCLUDE_BUDGET_RETRY_MS) return this.#get('api_keys', path(false), signal, this.#maxKeys);
    try {
      return await this.#get('api_keys', path(true), signal, this.#maxKeys);
    } catch (error) {
      if (!(error instanceof RefreshError) || (error.status !== 400 && error.status !== 403)) throw error;
      this.#includeBudgetRefusedAt = now;
      this.#options.debug?.('the key list refused include_budget; listing keys without embedded budgets', { status: error.status });
      return this.#get('api_keys', path(false), signal, this.#maxKeys);
    }
  }

  #get(endpoint: Endpoint, pathAndQuery: string, signal: AbortSignal, maxItems: number): Promise<PageBody> {
    const limits: BodyLimits = { maxItems, maxBytes: Math.max(MIN_BODY_BYTES, maxItems * BYTES_PER_RECORD) };
    return this.#transport.getPage(endpoint, pathAndQuery, signal, limits);
  }

  /**
   * An upstream that echoes the token into its data must not get it published on /metrics.
   * Checked on decoded fields rather than the raw body: a \u-escaped token is caught too, and a
   * short token can never corrupt the JSON it happens to spell.
   */
  #scrub(key: ApiKey): ApiKey {
    const { id, name, ownerId, projectId: project, tokenPrefix } = key;
    if (![id, name, ownerId, project, tokenPrefix].some((v) => this.#holdsToken(v))) return key;
    return {
      ...key,
      id: this.#redact(id),
      name: this.#redact(name),
      ownerId: this.#redact(ownerId),
      projectId: this.#redact(project),
      tokenPrefix: this.#redact(tokenPrefix),
    };
  }

  #scrubBudget(budget: KeyBudget): KeyBudget {
    if (!this.#holdsToken(budget.id) && !this.#holdsToken(budget.apiKeyId)) return budget;
    return { ...budget, id: this.#redact(budget.id), apiKeyId: this.#redact(budget.apiKeyId) };
  }

  #scrubProject(project: Project): Project {
    if (!this.#holdsToken(project.id) && !this.#holdsToken(project.name)) return project;
    return { ...project, id: this.#redact(project.id), name: this.#redact(project.name) };
  }

  #holdsToken(value: string): boolean {
    return value.includes(this.#token.current());
  }
}

/** One instance of each distinct string for the length of a list; the map goes with it. */
function sharing(): (value: string) => string {
  const seen = new Map<string, string>();
  return (value) => {
    const known = seen.get(value);
    if (known !== undefined) return known;
    seen.set(value, value);
    return value;
  };
}

export type { Endpoint } from './transport.js';
export { ENDPOINTS } from './transport.js';
