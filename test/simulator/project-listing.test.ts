import { describe, expect, it } from 'vitest';
import { projectList } from '../../src/simulator/project-listing.js';
import type { SimProject } from '../../src/simulator/projects.js';

const project = (project_id: string, created_at: string): SimProject => ({
  project_id,
  name: project_id,
  key: project_id,
  is_archived: false,
  is_default: false,
  teams: [],
  created_at,
  updated_at: created_at,
});

describe('projectList', () => {
  it('orders newest first, then by id descending, and ranks by project id', () => {
    const list = projectList([
      project('p_a', '2024-01-01T00:00:00Z'),
      project('p_c', '2024-03-01T00:00:00Z'),
      project('p_b', '2024-01-01T00:00:00Z'),
    ]);
    expect(list.order.map((p) => p.project_id)).toEqual(['p_c', 'p_b', 'p_a']);
    expect(list.rankOfId('p_b')).toBe(1);
  });

  it('is empty for no projects', () => {
    expect(projectList([]).order).toEqual([]);
  });
});
