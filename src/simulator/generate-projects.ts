/**
 * The projects of a generated workspace. Keys are drawn against the "seeds" (id, slug and
 * creation time, from the workspace's main random stream, so key generation is unchanged);
 * everything /v2/projects adds on top comes from a stream of its own.
 */
import type { SimProject } from './projects.js';
import { titleOf } from './projects.js';
import type { Rng } from './random.js';
import { DAY, isoSeconds } from './time.js';

export interface ProjectSeed {
  id: string;
  /** a word such as `checkout`: key names start with it, and it is the project's key */
  slug: string;
  createdMs: number;
}

export const PROJECT_WORDS = [
  'checkout', 'billing', 'search', 'support-bot', 'ml-batch', 'recommendations', 'onboarding',
  'analytics', 'fraud', 'catalog', 'chat', 'summarizer', 'docs-qa', 'translation', 'routing',
  'ingest', 'labeling', 'eval', 'growth', 'pricing', 'inbox', 'voice', 'agents', 'rag',
  'moderation', 'claims', 'kyc', 'crm-sync', 'reporting', 'playground', 'notifications',
  'forecasting', 'ledger', 'legal-review', 'hr-assistant', 'sales-copilot', 'tagging',
  'extraction', 'webhooks', 'mobile-app',
] as const;

/** Projects nobody made a key in: a workspace keeps a few, and /v2/projects lists them. */
const KEYLESS_WORDS = ['sandbox', 'pilot-emea', 'hackathon-2024', 'legacy-import', 'archive-2023', 'design-partners'] as const;

const DESCRIPTIONS = [
  'Production traffic for the %s service.',
  'Experiments and evaluations for %s.',
  '%s: prompts, deployments and datasets.',
  'Owned by the platform team. Ask in #%s before creating keys.',
] as const;

/** The projects keys are drawn against: 8 to 40, every id form the exporter must accept. */
export function drawProjectSeeds(rng: Rng, now: number): ProjectSeed[] {
  const count = rng.int(8, 40);
  const words: string[] = [...PROJECT_WORDS];
  const seeds: ProjectSeed[] = [];
  for (let i = 0; i < count; i++) {
    // Drawn without replacement so key names read as distinct projects.
    const slug = words.splice(rng.int(0, words.length - 1), 1)[0] ?? `project-${i}`;
    const createdMs = now - rng.int(30, 1000) * DAY;
    seeds.push({ id: projectId(rng, i, createdMs), slug, createdMs });
  }
  return seeds;
}

/** Cycled rather than drawn, so every workspace has ULID, UUID and proj_ ids. */
function projectId(rng: Rng, i: number, createdMs: number): string {
  const form = i % 5;
  return form < 2 ? rng.ulid(createdMs) : form < 4 ? rng.uuid() : `proj_${rng.ulid(createdMs)}`;
}

/**
 * The full projects: the seeds with names, teams, archive flags and descriptions, plus two
 * to four projects that hold no key. The oldest seed is the default project and never archived.
 */
export function finishProjects(seeds: readonly ProjectSeed[], rng: Rng, now: number, users: readonly string[]): SimProject[] {
  const teams = Array.from({ length: rng.int(2, 6) }, () => `team_${rng.ulid(now - rng.int(100, 900) * DAY)}`);
  let oldest = seeds[0];
  for (const seed of seeds) if (oldest === undefined || seed.createdMs < oldest.createdMs) oldest = seed;

  const keyless: ProjectSeed[] = [];
  const words: string[] = [...KEYLESS_WORDS];
  const extra = rng.int(2, 4);
  for (let i = 0; i < extra; i++) {
    const slug = words.splice(rng.int(0, words.length - 1), 1)[0] ?? `empty-${i}`;
    const createdMs = now - rng.int(1, 400) * DAY;
    keyless.push({ id: projectId(rng, seeds.length + i, createdMs), slug, createdMs });
  }

  return [...seeds, ...keyless].map((seed, i) => {
    const isDefault = seed === oldest;
    const keylessProject = i >= seeds.length;
    const updatedMs = rng.chance(0.4) ? seed.createdMs : seed.createdMs + rng.next() * (now - seed.createdMs);
    const project: SimProject = {
      project_id: seed.id,
      name: titleOf(seed.slug),
      key: seed.slug,
      is_archived: !isDefault && rng.chance(keylessProject ? 0.5 : 0.1),
      is_default: isDefault,
      teams: teams.filter(() => rng.chance(0.3)),
      created_at: isoSeconds(seed.createdMs),
      updated_at: isoSeconds(updatedMs),
    };
    if (users.length > 0) project.created_by_id = rng.pick(users);
    if (rng.chance(0.6)) project.description = rng.pick(DESCRIPTIONS).replace('%s', project.name);
    return project;
  });
}
