/** One item of `GET /v2/projects` into a Project. Pure; never throws. */
import type { Project } from '../project.js';
import { isObject } from '../../util/json.js';
import { field, text } from './values.js';

export function projectId(item: unknown): string {
  return isObject(item) ? text(field(item, 'projectId', 'project_id')) || text(item['id']) : '';
}

export function parseProject(item: unknown): Project | undefined {
  const id = projectId(item);
  if (!isObject(item) || id === '') return undefined;
  return { id, name: text(item['name']), archived: field(item, 'isArchived', 'is_archived') === true };
}
