/**
 * Seeded generator of realistic orq workspaces. The proportions below are guesses at what a
 * busy workspace looks like; they exist so every metric family and alert has something to
 * show (keys about to expire, legacy JWTs, budgets, unused keys) at any size.
 */
import { drawKeyBudget, drawNotifiers } from './generate-budgets.js';
import { drawProjectSeeds, type ProjectSeed } from './generate-projects.js';
import { CROCKFORD, createRng, encodeUlidTime, type Rng } from './random.js';
import type { SimKey, SimOwner } from './key.js';
import { DAY, HOUR, MINUTE, isoSeconds } from './time.js';

export { isoSeconds } from './time.js';
export type { SimAlert, SimBudget, SimKey, SimOwner, SimProjectScope, SimUsage } from './key.js';

export interface GenerateOptions {
  count: number;
  seed: number;
  /** epoch ms that "now" is for the workspace: expiries and last uses are placed around it */
  now: number;
}

/** Keys and what they were drawn against, for the workspace generator to build on. */
export interface DrawnKeys {
  keys: SimKey[];
  projects: ProjectSeed[];
  users: string[];
}

const ENVS = ['prod', 'prod', 'prod', 'staging', 'dev', 'test'] as const;
const ALL_PROJECT_NAMES = ['workspace-admin', 'ci-all-projects', 'terraform', 'platform-ops', 'backstage'] as const;
const ACCESS_DOMAINS = [
  'deployments', 'agents', 'datasets', 'knowledge', 'prompts', 'evaluators', 'files', 'traces',
] as const;
const RATE_LIMITS = [10, 30, 60, 100, 120, 300, 600, 1000, 3000] as const;
const BUDGET_AMOUNTS = [5, 10, 20, 49.99, 50, 100, 200, 250, 500, 1000, 2500] as const;
const TOKEN_LIMITS = ['100000', '1000000', '5000000', '25000000', '100000000'] as const;
/** Monthly budgets dominate; the rest are spread over the other periods. */
const BUDGET_PERIODS = [3, 3, 3, 3, 3, 1, 1, 2, 2, 4, 5] as const;
/** Salt of the stream budget details come from, so the keys' own draws stay as they were. */
const DETAIL_STREAM = 0x5bd1e995;

/** Log-uniform between lo and hi: many recent events, a long tail of old ones. */
function logUniform(rng: Rng, lo: number, hi: number): number {
  return Math.exp(Math.log(lo) + rng.next() * (Math.log(hi) - Math.log(lo)));
}

function expiry(rng: Rng, now: number): number | null {
  if (!rng.chance(0.6)) return null;
  const r = rng.next();
  if (r < 0.06) return now + rng.float(HOUR, 3 * DAY);
  if (r < 0.14) return now + rng.float(3 * DAY, 14 * DAY);
  if (r < 0.26) return now - rng.float(MINUTE, 30 * DAY);
  return now + rng.float(14 * DAY, 400 * DAY);
}

function access(rng: Rng, mode: number): Record<string, string> {
  if (mode !== 2 && mode !== 3) return {};
  const out: Record<string, string> = {};
  const n = mode === 3 ? ACCESS_DOMAINS.length : rng.int(1, 4);
  for (let i = 0; i < n; i++) {
    const domain = mode === 3 ? ACCESS_DOMAINS[i] : rng.pick(ACCESS_DOMAINS);
    if (domain !== undefined) out[domain] = mode === 3 || rng.chance(0.5) ? 'read' : 'write';
  }
  return out;
}

function status(rng: Rng): number {
  const r = rng.next();
  return r < 0.86 ? 1 : r < 0.95 ? 2 : 3;
}

function permissionMode(rng: Rng): number {
  const r = rng.next();
  return r < 0.6 ? 1 : r < 0.88 ? 2 : 3;
}

function legacyFamily(rng: Rng): number {
  if (!rng.chance(0.1)) return 0;
  const r = rng.next();
  return r < 0.4 ? 1 : r < 0.8 ? 2 : 3;
}

export function generateKeys(options: GenerateOptions): SimKey[] {
  return drawKeys(options).keys;
}

export function drawKeys({ count, seed, now }: GenerateOptions): DrawnKeys {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  const rng = createRng(seed);
  const details = createRng((seed ^ DETAIL_STREAM) >>> 0);
  const projects = drawProjectSeeds(rng, now);
  const users = Array.from({ length: Math.min(60, Math.max(3, Math.ceil(count / 15))) }, () =>
    rng.ulid(now - rng.int(100, 1200) * DAY),
  );
  const serviceAccounts = Array.from({ length: Math.max(2, Math.ceil(users.length / 3)) }, () =>
    `sa_${rng.ulid(now - rng.int(100, 1200) * DAY)}`,
  );
  const workspace = { now, notifiers: drawNotifiers(details, now) };
  const ids = new Set<string>();
  const keys: SimKey[] = new Array<SimKey>(count);

  for (let i = 0; i < count; i++) {
    // Skew towards recent creation: most keys are younger than a year, a few are three.
    const created = now - HOUR - Math.pow(rng.next(), 1.6) * 3 * 365 * DAY;
    // The 32-bit PRNG state can repeat an id; uniqueness is a property tests rely on.
    let id = rng.ulid(created);
    while (ids.has(id)) id = rng.ulid(created);
    ids.add(id);

    const family = legacyFamily(rng);
    const project = rng.pick(projects);
    // Workspace JWTs are workspace-wide by nature; a few new keys are too.
    const allProjects = family === 3 || rng.chance(0.05);
    const serviceAccount = rng.chance(0.25);
    const owner: SimOwner = serviceAccount
      ? rng.chance(0.85)
        ? { kind: 'service_account', service_account_id: rng.pick(serviceAccounts) }
        : { kind: 'service_account' }
      : { kind: 'user', user_id: rng.pick(users) };

    const base = allProjects ? rng.pick(ALL_PROJECT_NAMES) : project.slug;
    const name =
      family !== 0
        ? `${base}-legacy-jwt`
        : serviceAccount
          ? `${base}-${rng.chance(0.5) ? 'sa' : `${rng.pick(ENVS)}-sa`}`
          : `${base}-${rng.pick(ENVS)}-${rng.int(1, 9)}`;

    const mode = permissionMode(rng);
    const creator = rng.pick(users);
    const updated = rng.chance(0.5) ? created : created + rng.next() * (now - created);
    const expires = expiry(rng, now);

    let lastUsed: number | null = null;
    if (rng.chance(0.8)) {
      lastUsed = now - logUniform(rng, 2 * MINUTE, 200 * DAY);
      if (lastUsed < created) lastUsed = created + rng.next() * (now - created);
    }

    // Drawn into locals in the order they always were, so a seed keeps giving the same keys.
    const limits = rng.chance(0.3)
      ? { period: rng.pick(BUDGET_PERIODS), amount: rng.pick(BUDGET_AMOUNTS), token_limit: rng.pick(TOKEN_LIMITS) }
      : null;
    const keyAccess = access(rng, mode);
    const tokenPrefix = family === 0 ? `orq_sk_${rng.alnum(4)}` : 'eyJhbGciOi';
    const keyStatus = status(rng);
    const rateLimit = rng.chance(0.4) ? rng.pick(RATE_LIMITS) : null;
    const updater = rng.chance(0.8) ? creator : rng.pick(users);
    const legacyKeyId = family === 0 ? null : family === 1 ? rng.uuid() : rng.ulid(created);
    const createdAt = isoSeconds(created);

    const key: SimKey = {
      api_key_id: id,
      name,
      owner,
      project_scope: allProjects ? { kind: 'all' } : { kind: 'single', project_id: project.id },
      permission_mode: mode,
      access: keyAccess,
      token_prefix: tokenPrefix,
      status: keyStatus,
      expires_at: expires === null ? null : isoSeconds(expires),
      budget:
        limits === null
          ? null
          : drawKeyBudget(details, limits, { rateLimit, createdMs: created, createdAt, lastUsedMs: lastUsed }, workspace),
      rate_limit_rpm: rateLimit,
      created_by_id: creator,
      updated_by_id: updater,
      created_at: createdAt,
      updated_at: updated === created ? createdAt : isoSeconds(updated),
      last_used_at: lastUsed === null ? null : isoSeconds(lastUsed),
      legacy_token_family: family,
      legacy_key_id: legacyKeyId,
    };
    keys[i] = key;
  }
  return { keys, projects, users };
}

const MADE_AT = Date.UTC(2024, 0, 1);
let made = 0;

/** A counter-based ULID: unique per process and stable for a given call order. */
function nextMadeId(): string {
  let n = ++made;
  let tail = '';
  for (let i = 0; i < 16; i++) {
    tail = CROCKFORD[n % 32] + tail;
    n = Math.floor(n / 32);
  }
  return encodeUlidTime(MADE_AT) + tail;
}

/**
 * A plain, active, never-used key with no constraints; tests override only what they assert
 * on, so a test reads as the one field it is about.
 */
export function makeKey(overrides: Partial<SimKey> & { api_key_id?: string } = {}): SimKey {
  const id = overrides.api_key_id ?? nextMadeId();
  // An explicit `undefined` means "no opinion", not "erase the default".
  const given = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as Partial<SimKey>;
  return {
    name: `key-${id.slice(-6).toLowerCase()}`,
    owner: { kind: 'user', user_id: 'user_01HQ0000000000000000000000' },
    project_scope: { kind: 'single', project_id: 'proj_default' },
    permission_mode: 1,
    access: {},
    token_prefix: 'orq_sk_test',
    status: 1,
    expires_at: null,
    budget: null,
    rate_limit_rpm: null,
    created_by_id: 'user_01HQ0000000000000000000000',
    updated_by_id: 'user_01HQ0000000000000000000000',
    created_at: isoSeconds(MADE_AT),
    updated_at: isoSeconds(MADE_AT),
    last_used_at: null,
    legacy_token_family: 0,
    legacy_key_id: null,
    ...given,
    api_key_id: id,
  };
}
