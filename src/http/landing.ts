/** The `/` page: what this exporter polls and where its endpoints are. */
export interface WorkspaceStatus {
  readonly name: string;
  readonly baseUrl: string;
  readonly keys: number | undefined;
  readonly lastSuccess: string | undefined;
  readonly lastError: string | undefined;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function landingPage(version: string, workspaces: readonly WorkspaceStatus[]): string {
  const rows = workspaces
    .map(
      (w) =>
        `<tr><td>${escapeHtml(w.name)}</td><td>${escapeHtml(w.baseUrl)}</td><td>${w.keys ?? '–'}</td>` +
        `<td>${escapeHtml(w.lastSuccess ?? 'not yet')}</td><td>${escapeHtml(w.lastError ?? '')}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>orq.ai API keys exporter</title></head>
<body>
<h1>orq.ai API keys exporter</h1>
<p>Version ${escapeHtml(version)}. Data is cached from the orq.ai API and refreshed on an interval; scrapes never call the API.</p>
<ul>
<li><a href="metrics">/metrics</a>: Prometheus metrics</li>
<li><a href="healthz">/healthz</a>: liveness</li>
<li><a href="readyz">/readyz</a>: readiness (ready after the first successful refresh)</li>
</ul>
<table>
<thead><tr><th>Workspace</th><th>API</th><th>Keys</th><th>Last successful refresh</th><th>Last error</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</body>
</html>
`;
}
