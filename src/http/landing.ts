/**
 * The `/` page: what this exporter polls and where its endpoints are. Built with hono/html's
 * `html` template, which escapes every interpolated value; workspace names, base URLs and
 * upstream error messages are text however they are spelled.
 */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { WorkspaceStatus } from '../workspace/status.js';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

function row(w: WorkspaceStatus): Html {
  return html`<tr><td>${w.name}</td><td>${w.baseUrl}</td><td>${w.keys ?? '–'}</td><td>${w.lastSuccess ?? 'not yet'}</td><td>${w.lastError ?? ''}</td></tr>\n`;
}

export function landingPage(version: string, workspaces: readonly WorkspaceStatus[]): Html {
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>orq.ai API keys exporter</title></head>
<body>
<h1>orq.ai API keys exporter</h1>
<p>Version ${version}. Data is cached from the orq.ai API and refreshed on an interval; scrapes never call the API.</p>
<ul>
<li><a href="metrics">/metrics</a>: Prometheus metrics</li>
<li><a href="healthz">/healthz</a>: liveness</li>
<li><a href="readyz">/readyz</a>: readiness (ready after the first successful refresh)</li>
</ul>
<table>
<thead><tr><th>Workspace</th><th>API</th><th>Keys</th><th>Last successful refresh</th><th>Last error</th></tr></thead>
<tbody>
${workspaces.map(row)}</tbody>
</table>
</body>
</html>
`;
}
