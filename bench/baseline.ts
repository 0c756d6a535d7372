/**
 * The baseline: the exporter as one would first write it with prom-client. One labelled Gauge
 * per family with the same names and labels, `set()` for every key, budget and project of the
 * snapshot (the same series ours writes), the
 * clock-dependent families set in `collect()` at every scrape, `registry.metrics()` per scrape
 * and zlib.gzip for gzip. Same snapshot, same exporter health metrics, same process.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { Gauge, Registry } from 'prom-client';
import { COUNT_LABELS, INFO_LABELS, families } from '../src/exposition/families.js';
import { createHealthMetrics } from '../src/exposition/health.js';
import { acceptsGzip } from '../src/http/encoding.js';
import { budgetsOf, rateLimitOf, type Snapshot } from '../src/snapshot.js';

const gzip = promisify(gzipCallback);
const DAY = 86_400;

export class PromClientBaseline {
  readonly registry = new Registry();

  constructor(snapshot: Snapshot, now: () => number) {
    createHealthMetrics({
      registry: this.registry,
      workspaces: [snapshot.workspace],
      refreshIntervalSeconds: 60,
      build: { version: 'bench', revision: 'bench' },
    });
    const registers = [this.registry];
    const gauge = (f: { name: string; help: string; labels: readonly string[] }, collect?: (this: Gauge) => void): Gauge =>
      new Gauge({ name: f.name, help: f.help, labelNames: [...f.labels], registers, ...(collect ? { collect } : {}) });

    const workspace = snapshot.workspace;
    const keys = snapshot.keys;
    const counts = gauge(families.keys);
    const info = gauge(families.keyInfo);
    const created = gauge(families.keyCreated);
    const expiry = gauge(families.keyExpiry);
    const lastUsed = gauge(families.keyLastUsed);
    const budgetAmount = gauge(families.keyBudgetAmount);
    const budgetTokens = gauge(families.keyBudgetTokenLimit);
    const usageAmount = gauge(families.keyBudgetUsageAmount);
    const usageTokens = gauge(families.keyBudgetUsageTokens);
    const usageRequests = gauge(families.keyBudgetUsageRequests);
    const alertThreshold = gauge(families.keyBudgetAlertThreshold);
    const rateLimit = gauge(families.keyRateLimit);
    const projectInfo = gauge(families.projectInfo);
    gauge(families.keyDaysToExpiry, function () {
      const nowS = now() / 1000;
      for (const k of keys) if (k.expiresAt !== null) this.set({ workspace, api_key_id: k.id }, (k.expiresAt - nowS) / DAY);
    });
    gauge(families.keyExpired, function () {
      const nowS = now() / 1000;
      for (const k of keys) if (k.expiresAt !== null) this.set({ workspace, api_key_id: k.id }, nowS >= k.expiresAt ? 1 : 0);
    });
    gauge(families.keySecondsSinceLastUse, function () {
      const nowS = now() / 1000;
      for (const k of keys) if (k.lastUsedAt !== null) this.set({ workspace, api_key_id: k.id }, Math.max(0, nowS - k.lastUsedAt));
    });
    gauge(families.snapshotAge, function () {
      this.set({ workspace }, Math.max(0, now() / 1000 - snapshot.fetchedAt));
    });

    for (const k of keys) {
      const id = { workspace, api_key_id: k.id };
      const labels: Record<(typeof INFO_LABELS)[number], string> = {
        workspace,
        api_key_id: k.id,
        name: k.name,
        status: k.status,
        owner_type: k.ownerType,
        owner_id: k.ownerId,
        project_scope: k.projectScope,
        project_id: k.projectId,
        permission_mode: k.permissionMode,
        legacy_token_family: k.legacyTokenFamily,
        token_prefix: k.tokenPrefix,
      };
      info.set(labels, 1);
      if (k.createdAt !== null) created.set(id, k.createdAt);
      if (k.expiresAt !== null) expiry.set(id, k.expiresAt);
      if (k.lastUsedAt !== null) lastUsed.set(id, k.lastUsedAt);
      let requests: number | null = null;
      for (const budget of budgetsOf(snapshot, k)) {
        const withPeriod = { ...id, period: budget.period };
        if (budget.amount !== null) budgetAmount.set(withPeriod, budget.amount);
        if (budget.tokenLimit !== null) budgetTokens.set(withPeriod, budget.tokenLimit);
        const usage = budget.usage;
        if (usage !== null) {
          if (usage.amount !== null) usageAmount.set(withPeriod, usage.amount);
          if (usage.tokens !== null) usageTokens.set(withPeriod, usage.tokens);
          // As ours: every budget of a key counts the same requests in the same minute.
          if (usage.requests !== null) requests = Math.max(requests ?? 0, usage.requests);
        }
        // As ours: the lowest threshold per dimension, one series however many alerts there are.
        const lowest = new Map<string, number>();
        for (const a of budget.alerts) lowest.set(a.dimension, Math.min(lowest.get(a.dimension) ?? Infinity, a.thresholdRatio));
        for (const [dimension, ratio] of lowest) alertThreshold.set({ ...withPeriod, dimension }, ratio);
      }
      if (requests !== null) usageRequests.set(id, requests);
      const rate = rateLimitOf(snapshot, k);
      if (rate !== null) rateLimit.set(id, rate);
      const group: Record<(typeof COUNT_LABELS)[number], string> = {
        workspace,
        status: k.status,
        project_id: k.projectId,
        owner_type: k.ownerType,
        legacy_token_family: k.legacyTokenFamily,
      };
      counts.inc(group, 1);
    }
    for (const p of snapshot.projects ?? []) projectInfo.set({ workspace, project_id: p.id, project_name: p.name, archived: String(p.archived) }, 1);
  }

  /** One scrape's body, as the bytes a server would write. */
  async body(encoding: 'identity' | 'gzip'): Promise<Buffer> {
    const text = await this.registry.metrics();
    return encoding === 'gzip' ? gzip(text) : Buffer.from(text, 'utf8');
  }

  /** Serves /metrics from a bare node:http server, as a prom-client exporter usually does. */
  listen(beforeScrape: () => void = () => undefined): Promise<{ server: Server; url: string }> {
    const server = createServer((req, res) => {
      beforeScrape();
      const encoding = acceptsGzip(req.headers['accept-encoding']) ? 'gzip' : 'identity';
      this.body(encoding).then(
        (body) => {
          const headers: Record<string, string | number> = { 'content-type': this.registry.contentType, 'content-length': body.length };
          if (encoding === 'gzip') headers['content-encoding'] = 'gzip';
          res.writeHead(200, headers);
          res.end(body);
        },
        (error: unknown) => {
          res.writeHead(500);
          res.end(String(error));
        },
      );
    });
    return new Promise((resolve) => {
      server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
    });
  }
}
