import { describe, expect, it } from 'vitest';
import { makeKey } from '../../src/simulator/generator.js';
import { deriveProjects, titleOf } from '../../src/simulator/projects.js';

describe('titleOf', () => {
  it.each([
    ['checkout', 'Checkout'],
    ['docs-qa', 'Docs QA'],
    ['hr-assistant', 'HR Assistant'],
    ['crm-sync', 'CRM Sync'],
    ['hackathon-2024', 'Hackathon 2024'],
    ['a--b', 'A B'],
    ['', ''],
  ])('%j is %j', (slug, title) => {
    expect(titleOf(slug)).toBe(title);
  });
});

describe('deriveProjects', () => {
  it('makes one project per project id single-project keys use, created with its oldest key', () => {
    const keys = [
      makeKey({ project_scope: { kind: 'single', project_id: 'proj_AAA111' }, created_at: '2024-05-01T00:00:00Z' }),
      makeKey({ project_scope: { kind: 'single', project_id: 'proj_AAA111' }, created_at: '2024-03-01T00:00:00Z' }),
      makeKey({ project_scope: { kind: 'single', project_id: 'b1e5c9a0-0000-4000-8000-00000000beef' } }),
      makeKey({ project_scope: { kind: 'all' } }),
    ];
    expect(deriveProjects(keys)).toEqual([
      {
        project_id: 'proj_AAA111',
        name: 'Project Aaa111',
        key: 'project-aaa111',
        is_archived: false,
        is_default: false,
        teams: [],
        created_at: '2024-03-01T00:00:00Z',
        updated_at: '2024-03-01T00:00:00Z',
      },
      expect.objectContaining({ project_id: 'b1e5c9a0-0000-4000-8000-00000000beef', key: 'project-00beef' }),
    ]);
  });

  it('is empty for no keys and for keys scoped to every project only', () => {
    expect(deriveProjects([])).toEqual([]);
    expect(deriveProjects([makeKey({ project_scope: { kind: 'all' } })])).toEqual([]);
  });
});
