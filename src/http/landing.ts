/**
 * The `/` page: what this exporter polls, how each workspace is doing, and the keys that need
 * someone first (expiring soonest, closest to their budget), readable without Grafana. Built
 * with hono/html's `html` template, which escapes every interpolated value; workspace names,
 * base URLs, key and project names and upstream error messages are text however they are
 * spelled. No script; the little CSS is inline so the page is one request.
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { BudgetRow, ExpiringRow, KeyLists, WorkspaceStatus } from '../workspace/status.js';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** A constant of this file, so written raw: escaping would turn a future quote in it into an entity. */
const STYLE = `body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2330;max-width:72rem}
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{padding:.3rem .7rem;text-align:left;border-bottom:1px solid #d8dce4}
th{background:#f1f3f7}td.num{text-align:right;font-variant-numeric:tabular-nums}
.soon{color:#b3261e;font-weight:600}.over{color:#b3261e;font-weight:600}.note{color:#5b6475;font-size:.9rem}
section{margin-top:2rem}h2{border-bottom:2px solid #1d2330;padding-bottom:.2rem}`;

function row(w: WorkspaceStatus): Html {
  return html`<tr><td>${w.name}</td><td>${w.baseUrl}</td><td>${w.keys ?? '–'}</td><td>${w.lastSuccess ?? 'not yet'}</td><td>${w.lastError ?? ''}</td></tr>\n`;
}

/** Days left to one decimal; under a week is marked, as the expiry alerts would page by then. */
function expiringRow(r: ExpiringRow): Html {
  const days = r.daysLeft.toFixed(1);
  const expires = new Date(r.expiresAt * 1000).toISOString().slice(0, 16).replace('T', ' ');
  return html`<tr><td>${r.name}</td><td>${r.project || '–'}</td><td class="num${r.daysLeft < 7 ? ' soon' : ''}">${days}</td><td>${expires}</td><td>${ownerText(r.ownerType)}</td></tr>\n`;
}

function budgetRow(r: BudgetRow): Html {
  const percent = `${(r.ratio * 100).toFixed(1)}%`;
  return html`<tr><td>${r.name}</td><td>${r.project || '–'}</td><td class="num">${spentOfLimit(r)}</td><td class="num${r.ratio >= 1 ? ' over' : ''}">${percent}</td><td>${r.period}</td></tr>\n`;
}

function ownerText(owner: string): string {
  return owner === 'service_account' ? 'service account' : owner;
}

/** Cost in dollars with cents; tokens as a whole count, the unit said once. */
function spentOfLimit(r: BudgetRow): string {
  if (r.dimension === 'cost') return `$${money(r.spent)} / $${money(r.limit)}`;
  const count = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
  return `${count(r.spent)} / ${count(r.limit)} tokens`;
}

function money(n: number): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

function expiringSection(lists: KeyLists): Html {
  const shown = lists.expiring.length;
  const expired =
    lists.expiredActive === 0
      ? ''
      : html` ${lists.expiredActive} active ${lists.expiredActive === 1 ? 'key has' : 'keys have'} already expired and ${lists.expiredActive === 1 ? 'is' : 'are'} not listed (see <code>orq_api_key_expired</code>).`;
  const picked = shown === 0 ? '' : `The ${shown} soonest of ${lists.expiringTotal} active keys with an expiry ahead (at most ${lists.limit}). `;
  const note = html`<p class="note">${picked}Keys that never expire and disabled or revoked keys are left out.${expired}</p>`;
  if (shown === 0) return html`<h3>Active keys expiring soonest</h3>\n<p class="none">None: no active key has an expiry ahead.</p>${note}\n`;
  return html`<h3>Active keys expiring soonest</h3>
<table class="expiring">
<thead><tr><th>Key</th><th>Project</th><th>Days left</th><th>Expires (UTC)</th><th>Owner</th></tr></thead>
<tbody>
${lists.expiring.map(expiringRow)}</tbody>
</table>
${note}\n`;
}

function budgetSection(lists: KeyLists): Html {
  const shown = lists.budgets.length;
  const picked = shown === 0 ? '' : `The ${shown} closest of ${lists.budgetsTotal} active keys that spent something this period against a limit (at most ${lists.limit}). `;
  const note = html`<p class="note">${picked}Per key, its budget and dimension (cost or tokens) closest to the limit. Spending comes from the budgets API of orq.ai.</p>`;
  if (shown === 0) return html`<h3>Keys closest to their budget</h3>\n<p class="none">None: no active key has spent against a budget limit this period, or spending cannot be read.</p>${note}\n`;
  return html`<h3>Keys closest to their budget</h3>
<table class="budgets">
<thead><tr><th>Key</th><th>Project</th><th>Spent / limit</th><th>Used</th><th>Period</th></tr></thead>
<tbody>
${lists.budgets.map(budgetRow)}</tbody>
</table>
${note}\n`;
}

function workspaceSection(w: WorkspaceStatus): Html {
  const lists = w.lists;
  return html`<section class="workspace">
<h2>Workspace ${w.name}</h2>
${lists === undefined ? html`<p class="none">No key list yet: the first refresh has not succeeded.</p>\n` : [expiringSection(lists), budgetSection(lists)]}</section>
`;
}

/** `metricsPath` is WEB_TELEMETRY_PATH; links are relative, so the page works behind a path prefix too. */
export function landingPage(version: string, workspaces: readonly WorkspaceStatus[], metricsPath = '/metrics'): Html {
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>orq.ai API keys exporter</title><style>${raw(STYLE)}</style></head>
<body>
<h1>orq.ai API keys exporter</h1>
<p>Version ${version}. Data is cached from the orq.ai API and refreshed on an interval; scrapes never call the API.</p>
<ul>
<li><a href="${metricsPath.replace(/^\/+/, '')}">${metricsPath}</a>: Prometheus metrics</li>
<li><a href="healthz">/healthz</a>: liveness</li>
<li><a href="readyz">/readyz</a>: readiness (ready after the first successful refresh)</li>
</ul>
<table>
<thead><tr><th>Workspace</th><th>API</th><th>Keys</th><th>Last successful refresh</th><th>Last error</th></tr></thead>
<tbody>
${workspaces.map(row)}</tbody>
</table>
${workspaces.map(workspaceSection)}</body>
</html>
`;
}
