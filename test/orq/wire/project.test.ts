import { describe, expect, it } from 'vitest';
import { parseProject, projectId } from '../../../src/orq/wire/project.js';

describe('parseProject', () => {
  it('reads a project of GET /v2/projects', () => {
    expect(parseProject({ project_id: 'p1', name: 'Checkout', key: 'checkout', is_archived: false, is_default: true, teams: [] })).toEqual({
      id: 'p1',
      name: 'Checkout',
      archived: false,
    });
    expect(parseProject({ projectId: 'p2', name: 'Old', isArchived: true })).toEqual({ id: 'p2', name: 'Old', archived: true });
  });

  it('keeps a project without a name, named by nothing', () => {
    expect(parseProject({ project_id: 'p3' })).toEqual({ id: 'p3', name: '', archived: false });
  });

  it.each([[null], [[]], ['p'], [{ name: 'no id' }], [{ project_id: '' }]])('refuses %j', (item) => {
    expect(parseProject(item)).toBeUndefined();
  });

  it('finds the cursor id', () => {
    expect(projectId({ project_id: 'p1' })).toBe('p1');
    expect(projectId({})).toBe('');
  });
});
