/** A project as `/v2/projects` writes it (Project of the SDK): snake_case, unset fields left out. */
import type { SimProject } from './projects.js';

export interface ProjectItem {
  project_id: string;
  name: string;
  key: string;
  is_archived: boolean;
  is_default: boolean;
  teams: string[];
  created_at: string;
  updated_at: string;
  created_by_id?: string;
  description?: string;
}

export function toProject(p: SimProject): ProjectItem {
  const item: ProjectItem = {
    project_id: p.project_id,
    name: p.name,
    key: p.key,
    is_archived: p.is_archived,
    is_default: p.is_default,
    teams: [...p.teams],
    created_at: p.created_at,
    updated_at: p.updated_at,
  };
  if (p.created_by_id !== undefined) item.created_by_id = p.created_by_id;
  if (p.description !== undefined) item.description = p.description;
  return item;
}
