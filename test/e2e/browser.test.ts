/**
 * The demo's `/` in a real headless browser: the built demo (`node dist/src/demo.js`) with a
 * seeded simulated workspace, loaded in Debian's chromium. The rows it renders are checked
 * against the same workspace generated here from the same seed, with the simulator's own
 * data and none of the exporter's code; a screenshot is kept under test-results/browser/.
 *
 * chromium is required, not optional: CI installs it (.ci/run), and a missing browser fails
 * here with what to install rather than skipping.
 */
import { execFile, execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWorkspace, keyBudgetRecord, type SimBudgetRecord, type SimKey, type SimProject } from '../../src/simulator/index.js';

/** Debian's chromium, found on PATH as .ci/run checks for it; CHROMIUM names another binary. */
const CHROMIUM = process.env['CHROMIUM'] ?? onPath('chromium');
const DEMO = 'dist/src/demo.js';
const KEYS = 300;
const SEED = 42;
const ROWS = 10;
const DAY_MS = 86_400_000;
const SCREENSHOT_DIR = join('test-results', 'browser');
const SCREENSHOT = join(SCREENSHOT_DIR, 'landing.png');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const run = promisify(execFile);
const profile = mkdtempSync(join(tmpdir(), 'chromium-'));
let demo: ChildProcessWithoutNullStreams | undefined;
let landingUrl = '';
/** Generated here just before the demo started, so the same keys with expiries a moment apart. */
let keys: readonly SimKey[] = [];
let projects: readonly SimProject[] = [];
let extraBudgets: readonly SimBudgetRecord[] = [];
let generatedAt = 0;

function onPath(name: string): string | undefined {
  return (process.env['PATH'] ?? '').split(delimiter).filter((dir) => dir !== '').map((dir) => join(dir, name)).find((file) => existsSync(file));
}

/** Resolves with the landing page URL the demo prints once it listens; rejects if it exits first. */
function landingUrlOf(child: ChildProcessWithoutNullStreams): Promise<string> {
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const found = /Landing page: (http:\/\/\S+\/)\n/.exec(stdout);
      if (found?.[1] !== undefined) resolve(found[1]);
    });
    child.once('exit', (code) => reject(new Error(`the demo exited (${code}) before listening:\n${stdout}\n${stderr}`)));
  });
}

/** Polls /readyz until the first refresh is in (it answers 503 until then). */
async function ready(url: string, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (let wait = 10; ; wait = Math.min(wait * 2, 250)) {
    const res = await fetch(`${url}readyz`).catch(() => undefined);
    if (res?.status === 200) return;
    if (Date.now() > deadline) throw new Error(`the demo was not ready within ${deadlineMs} ms (last answer: ${res?.status ?? 'none'})`);
    await new Promise((r) => setTimeout(r, wait));
  }
}

function chromium(...args: string[]): Promise<{ stdout: string }> {
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=${profile}`];
  return run(CHROMIUM ?? 'chromium', [...flags, ...args], { timeout: 90_000, maxBuffer: 16 * 1024 * 1024 });
}

/** The cells of each body row of the table with this class, as text. */
function rowsOf(dom: string, table: string): string[][] {
  const body = new RegExp(`<table class="${table}">[\\s\\S]*?<tbody>([\\s\\S]*?)</tbody>`).exec(dom)?.[1];
  if (body === undefined) return [];
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...(row[1] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => text(cell[1] ?? '')));
}

function text(html: string): string {
  return html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&nbsp;/g, '\u00a0').replace(/&amp;/g, '&');
}

/** A key's project as the page names it, from the simulated workspace's projects (as the demo serves them). */
function projectOf(key: SimKey, names: ReadonlyMap<string, string>): string {
  return key.project_scope.kind === 'all' ? 'all projects' : (names.get(key.project_scope.project_id) ?? key.project_scope.project_id);
}

beforeAll(async () => {
  if (CHROMIUM === undefined || !existsSync(CHROMIUM)) {
    throw new Error(`chromium is needed for this test and was not found (${CHROMIUM ?? 'not on PATH'}): install Debian's chromium (apt-get install --no-install-recommends chromium), as .ci/run does, or set CHROMIUM to its path`);
  }
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  generatedAt = Date.now();
  ({ keys, projects, extraBudgets } = generateWorkspace({ count: KEYS, seed: SEED, now: generatedAt }));
  const child = spawn(process.execPath, [DEMO], {
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', DEMO_KEYS: String(KEYS), DEMO_SEED: String(SEED), LOG_LEVEL: 'warn' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  demo = child;
  landingUrl = await landingUrlOf(child);
  await ready(landingUrl, 30_000);
}, 180_000);

afterAll(async () => {
  if (demo !== undefined && demo.exitCode === null) {
    const exited = once(demo, 'exit');
    demo.kill('SIGTERM');
    await exited;
  }
  rmSync(profile, { recursive: true, force: true });
});

describe('the demo\'s landing page in headless chromium', () => {
  it('lists the simulated workspace\'s active keys expiring soonest and closest to their budget, with no script', async () => {
    const { stdout: dom } = await chromium('--dump-dom', landingUrl);
    const loadedAt = Date.now();
    expect(dom).toContain('<h2>Workspace demo</h2>');
    expect(dom).not.toMatch(/<script/i);

    const names = new Map(projects.map((p) => [p.project_id, p.name]));
    // Active keys whose expiry is still ahead, soonest first; already-expired ones are not listed.
    const expiring = keys
      .filter((k) => k.status === 1 && k.expires_at !== null && Date.parse(k.expires_at) > generatedAt)
      .sort((a, b) => Date.parse(a.expires_at ?? '') - Date.parse(b.expires_at ?? '') || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .slice(0, ROWS);
    expect(expiring).toHaveLength(ROWS);
    const shown = rowsOf(dom, 'expiring');
    expect(shown.map((cells) => [cells[0], cells[1], cells[4]])).toEqual(
      expiring.map((k) => [k.name, projectOf(k, names), k.owner.kind === 'service_account' ? 'service account' : 'user']),
    );
    // The demo drew its keys (expiries relative to its own clock) a moment after these, and
    // rendered the page a moment before chromium returned it: days left agree to the page's
    // one decimal, give or take five minutes for those moments on a busy machine.
    shown.forEach((cells, i) => {
      const expected = (Date.parse(expiring[i]?.expires_at ?? '') - loadedAt) / DAY_MS;
      expect(Math.abs(Number(cells[2]) - expected)).toBeLessThanOrEqual(0.05 + (5 * 60_000) / DAY_MS);
    });

    // Per active key, the budget and dimension closest to its limit (spent / limit), highest
    // first, over every budget /v2/budgets holds for that key: its own and any second one.
    const keyBudgets = (k: SimKey): SimBudgetRecord[] => [
      ...[keyBudgetRecord(k)].filter((r): r is SimBudgetRecord => r !== null),
      ...extraBudgets.filter((r) => r.scope?.kind === 'api_key' && r.scope.api_key_id === k.api_key_id),
    ];
    const closest = keys
      .flatMap((k) => {
        if (k.status !== 1) return [];
        const ratios = keyBudgets(k)
          .filter((b) => b.is_active)
          .flatMap((b) => [b.amount !== null && b.amount > 0 ? b.usage.amount / b.amount : 0, b.token_limit !== null && b.token_limit > 0 ? b.usage.tokens / b.token_limit : 0]);
        const ratio = Math.max(0, ...ratios);
        return ratio > 0 ? [{ key: k, ratio }] : [];
      })
      .sort((a, b) => b.ratio - a.ratio || (a.key.name < b.key.name ? -1 : a.key.name > b.key.name ? 1 : 0))
      .slice(0, ROWS);
    expect(closest).toHaveLength(ROWS);
    expect(rowsOf(dom, 'budgets').map((cells) => [cells[0], cells[1], cells[3]])).toEqual(
      closest.map(({ key, ratio }) => [key.name, projectOf(key, names), `${(ratio * 100).toFixed(1)}%`]),
    );
  });

  it('renders to a non-empty PNG kept under test-results/browser/', async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    rmSync(SCREENSHOT, { force: true });
    await chromium(`--screenshot=${SCREENSHOT}`, '--window-size=1280,2000', landingUrl);
    const png = readFileSync(SCREENSHOT);
    expect(png.length).toBeGreaterThan(PNG_SIGNATURE.length);
    expect(png.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)).toBe(true);
  });
});
