/**
 * project.ts is one record type, with no code to run: what can break is its shape, which the
 * projects parser fills and orq_project_info's labels read. Checked by the type checker
 * (`npm run typecheck` covers test/); the runtime half is that the parser's output has it.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Project } from '../../src/orq/project.js';
import { parseProject } from '../../src/orq/wire/project.js';

describe('Project', () => {
  it('is an id, a name and whether it is archived, all read-only', () => {
    expectTypeOf<Project>().toEqualTypeOf<{ readonly id: string; readonly name: string; readonly archived: boolean }>();
  });

  it('is exactly what the projects parser makes of an item, no field more', () => {
    const project = parseProject({ id: 'p1', name: 'Checkout', is_archived: true, workspace_id: 'w' });
    expectTypeOf(project).toEqualTypeOf<Project | undefined>();
    expect(Object.keys(project ?? {}).sort()).toEqual(['archived', 'id', 'name']);
  });
});
