/** The order `GET /v2/projects` pages in: newest first, then id descending. */
import { RankedList, compareText } from './listing.js';
import type { SimProject } from './projects.js';

export function projectList(projects: readonly SimProject[]): RankedList<SimProject> {
  const created = new Map<SimProject, number>();
  for (const p of projects) created.set(p, Date.parse(p.created_at) || 0);
  return new RankedList(
    projects,
    (a, b) => (created.get(b) ?? 0) - (created.get(a) ?? 0) || compareText(b.project_id, a.project_id),
    (p) => p.project_id,
  );
}
