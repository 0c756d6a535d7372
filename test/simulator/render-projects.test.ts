import { describe, expect, it } from 'vitest';
import type { SimProject } from '../../src/simulator/projects.js';
import { toProject } from '../../src/simulator/render-projects.js';

const BASE: SimProject = {
  project_id: 'proj_01HPROJECT000000000000000',
  name: 'Docs QA',
  key: 'docs-qa',
  is_archived: true,
  is_default: false,
  teams: ['team_1', 'team_2'],
  created_at: '2024-01-01T00:00:00Z',
  updated_at: '2024-02-01T00:00:00Z',
};

describe('toProject', () => {
  it('writes the required fields in snake_case, and leaves out a missing creator and description', () => {
    expect(toProject(BASE)).toEqual({
      project_id: 'proj_01HPROJECT000000000000000',
      name: 'Docs QA',
      key: 'docs-qa',
      is_archived: true,
      is_default: false,
      teams: ['team_1', 'team_2'],
      created_at: '2024-01-01T00:00:00Z',
      updated_at: '2024-02-01T00:00:00Z',
    });
  });

  it('writes creator and description when set, and an empty team list as []', () => {
    const item = toProject({ ...BASE, teams: [], created_by_id: 'user_1', description: 'All about docs.' });
    expect(item).toMatchObject({ teams: [], created_by_id: 'user_1', description: 'All about docs.' });
  });

  it('does not share its team list with the project', () => {
    const item = toProject(BASE);
    item.teams.push('team_3');
    expect(BASE.teams).toEqual(['team_1', 'team_2']);
  });
});
