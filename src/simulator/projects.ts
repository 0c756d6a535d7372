/**
 * The projects of a simulated workspace as /v2/projects serves them, and the ones the
 * simulator makes up from its keys when it is given none.
 */
import type { SimKey } from './key.js';

export interface SimProject {
  project_id: string;
  name: string;
  /** the slug */
  key: string;
  is_archived: boolean;
  is_default: boolean;
  teams: string[];
  created_at: string;
  updated_at: string;
  created_by_id?: string;
  description?: string;
}

const ACRONYMS = new Set(['ml', 'qa', 'rag', 'kyc', 'crm', 'hr', 'emea', 'api']);

/** A display name from a slug: `docs-qa` is "Docs QA". */
export function titleOf(slug: string): string {
  return slug
    .split('-')
    .filter((word) => word !== '')
    .map((word) => (ACRONYMS.has(word) ? word.toUpperCase() : word.charAt(0).toUpperCase() + word.slice(1)))
    .join(' ');
}

/**
 * One project per project id that single-project keys use, in the order first met: created
 * with the oldest of its keys, named after the end of its id.
 */
export function deriveProjects(keys: readonly SimKey[]): SimProject[] {
  const byId = new Map<string, SimProject>();
  for (const key of keys) {
    if (key.project_scope.kind !== 'single') continue;
    const id = key.project_scope.project_id;
    const known = byId.get(id);
    if (known === undefined) {
      const slug = `project-${id.slice(-6).toLowerCase()}`;
      byId.set(id, {
        project_id: id,
        name: titleOf(slug),
        key: slug,
        is_archived: false,
        is_default: false,
        teams: [],
        created_at: key.created_at,
        updated_at: key.created_at,
      });
    } else if (Date.parse(key.created_at) < Date.parse(known.created_at)) {
      known.created_at = key.created_at;
      known.updated_at = key.created_at;
    }
  }
  return [...byId.values()];
}
