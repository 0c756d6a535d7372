import { describe, expect, it } from 'vitest';
import { PROJECT_WORDS, drawProjectSeeds, finishProjects } from '../../src/simulator/generate-projects.js';
import { titleOf } from '../../src/simulator/projects.js';
import { createRng } from '../../src/simulator/random.js';

const NOW = Date.UTC(2025, 5, 1, 12);
const DAY = 86_400_000;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PROJ = /^proj_[0-9A-HJKMNP-TV-Z]{26}$/;

describe('drawProjectSeeds', () => {
  it('draws 8 to 40 distinct words with ULID, UUID and proj_ ids, 30 to 1,000 days old, for every seed', () => {
    for (let seed = 0; seed < 200; seed++) {
      const seeds = drawProjectSeeds(createRng(seed), NOW);
      expect(seeds.length).toBeGreaterThanOrEqual(8);
      expect(seeds.length).toBeLessThanOrEqual(40);
      expect(new Set(seeds.map((s) => s.slug)).size).toBe(seeds.length);
      for (const s of seeds) {
        expect(PROJECT_WORDS).toContain(s.slug);
        expect(NOW - s.createdMs).toBeGreaterThanOrEqual(30 * DAY);
        expect(NOW - s.createdMs).toBeLessThanOrEqual(1000 * DAY);
      }
      const ids = seeds.map((s) => s.id);
      expect(ids.some((id) => ULID.test(id)) && ids.some((id) => UUID.test(id)) && ids.some((id) => PROJ.test(id))).toBe(true);
    }
  });
});

describe('finishProjects', () => {
  const users = ['user_a', 'user_b'];
  const workspaces = Array.from({ length: 50 }, (_, seed) => {
    const seeds = drawProjectSeeds(createRng(seed), NOW);
    return { seeds, projects: finishProjects(seeds, createRng(seed + 1000), NOW, users) };
  });

  it('keeps every seed, named after its word, and adds two to four projects of its own', () => {
    for (const { seeds, projects } of workspaces) {
      expect(projects.slice(0, seeds.length).map((p) => [p.project_id, p.key, p.name])).toEqual(
        seeds.map((s) => [s.id, s.slug, titleOf(s.slug)]),
      );
      const extra = projects.length - seeds.length;
      expect(extra).toBeGreaterThanOrEqual(2);
      expect(extra).toBeLessThanOrEqual(4);
      expect(new Set(projects.map((p) => p.project_id)).size).toBe(projects.length);
      expect(new Set(projects.map((p) => p.key)).size).toBe(projects.length);
    }
  });

  it('makes the oldest seed the one default project, never archived', () => {
    for (const { seeds, projects } of workspaces) {
      const defaults = projects.filter((p) => p.is_default);
      expect(defaults).toHaveLength(1);
      const oldest = Math.min(...seeds.map((s) => s.createdMs));
      expect(Date.parse(defaults[0]!.created_at)).toBe(Math.floor(oldest / 1000) * 1000);
      expect(defaults[0]!.is_archived).toBe(false);
    }
  });

  it('archives some projects, the extra ones more often, and gives some a description and teams', () => {
    const all = workspaces.flatMap((w) => w.projects.map((p, i) => ({ p, extra: i >= w.seeds.length })));
    const share = (xs: typeof all, f: (x: (typeof all)[number]) => boolean): number => xs.filter(f).length / xs.length;
    expect(share(all.filter((x) => !x.extra), (x) => x.p.is_archived)).toBeGreaterThan(0.05);
    expect(share(all.filter((x) => !x.extra), (x) => x.p.is_archived)).toBeLessThan(0.15);
    expect(share(all.filter((x) => x.extra), (x) => x.p.is_archived)).toBeGreaterThan(0.35);
    expect(share(all, (x) => x.p.description !== undefined)).toBeGreaterThan(0.5);
    expect(share(all, (x) => x.p.teams.length > 0)).toBeGreaterThan(0.4);
    for (const { p } of all) {
      for (const team of p.teams) expect(team).toMatch(/^team_[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(new Set(p.teams).size).toBe(p.teams.length);
      expect(users).toContain(p.created_by_id);
      expect(Date.parse(p.updated_at)).toBeGreaterThanOrEqual(Date.parse(p.created_at));
      expect(Date.parse(p.updated_at)).toBeLessThanOrEqual(NOW);
    }
  });

  it('names no creator when the workspace has no users', () => {
    const seeds = drawProjectSeeds(createRng(1), NOW);
    for (const p of finishProjects(seeds, createRng(2), NOW, [])) expect('created_by_id' in p).toBe(false);
  });
});
