/** The `/` page: every value that came from config or upstream is text, however it is spelled. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { landingPage } from '../../src/http/landing.js';
import type { BudgetRow, ExpiringRow, KeyLists, WorkspaceStatus } from '../../src/workspace/status.js';

const status = (over: Partial<WorkspaceStatus> = {}): WorkspaceStatus => ({
  name: 'acme',
  baseUrl: 'https://api.orq.ai',
  keys: 3,
  lastSuccess: '2026-11-27T00:00:00.000Z',
  lastError: undefined,
  ...over,
});

const NOW = 1_800_000_000;
const expiring = (over: Partial<ExpiringRow> = {}): ExpiringRow => ({
  id: 'k1',
  name: 'billing-prod-1',
  project: 'Billing',
  ownerType: 'service_account',
  expiresAt: NOW + 2.25 * 86_400,
  daysLeft: 2.25,
  ...over,
});
const spending = (over: Partial<BudgetRow> = {}): BudgetRow => ({
  id: 'k2',
  name: 'search-dev-3',
  project: 'Search',
  period: 'monthly',
  dimension: 'cost',
  spent: 1234.5,
  limit: 2500,
  ratio: 0.4938,
  ...over,
});
const lists = (over: Partial<KeyLists> = {}): KeyLists => ({
  limit: 10,
  expiring: [expiring()],
  expiringTotal: 4,
  expiredActive: 0,
  budgets: [spending()],
  budgetsTotal: 7,
  ...over,
});

/** The page's text with every tag the template itself writes taken out: what is left came from values. */
const TEMPLATE_TAGS =
  /<\/?(?:!doctype html|html[^>]*|head|meta charset="utf-8"|meta name="viewport" content="[^"<>]*"|title|style|body|h1|h2|h3|p|p class="(?:note|none)"|section class="workspace"|section|code|ul|li|a href="(?:metrics|healthz|readyz)"|a|table|table class="(?:expiring|budgets)"|thead|tbody|tr|th|td|td class="num(?: soon| over)?")>/g;

describe('landingPage', () => {
  it('lists each workspace with its keys, last success and last error, and the version', async () => {
    const page = String(await landingPage('1.2.3', [status(), status({ name: 'late', keys: undefined, lastSuccess: undefined, lastError: 'upstream answered 503' })]));
    expect(page).toContain('Version 1.2.3.');
    expect(page).toContain('<tr><td>acme</td><td>https://api.orq.ai</td><td>3</td><td>2026-11-27T00:00:00.000Z</td><td></td></tr>');
    expect(page).toContain('<tr><td>late</td><td>https://api.orq.ai</td><td>–</td><td>not yet</td><td>upstream answered 503</td></tr>');
  });

  it('links the metrics at WEB_TELEMETRY_PATH, relative so a path prefix keeps working', async () => {
    expect(String(await landingPage('1', []))).toContain('<a href="metrics">/metrics</a>');
    expect(String(await landingPage('1', [], '/internal/metrics'))).toContain('<a href="internal/metrics">/internal/metrics</a>');
  });

  it('with no workspaces is still a whole page', async () => {
    const page = String(await landingPage('1', []));
    expect(page).toContain('<tbody>\n</tbody>');
    expect(page.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('escapes the five HTML characters wherever a value goes', async () => {
    const hostile = `<script>"'&</script>`;
    const page = String(await landingPage(hostile, [status({ name: hostile, baseUrl: hostile, lastSuccess: hostile, lastError: hostile })]));
    expect(page).not.toContain('<script>');
    // The version, the base URL, the last success and error, and the name twice: in the table and its section's heading.
    expect(page.split('&lt;script&gt;&quot;&#39;&amp;&lt;/script&gt;')).toHaveLength(7);
  });

  it('no value of any spelling can add a tag or an attribute (fast-check, 500 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          version: fc.string(),
          name: fc.string(),
          baseUrl: fc.string(),
          lastSuccess: fc.option(fc.string(), { nil: undefined }),
          lastError: fc.option(fc.string(), { nil: undefined }),
          keyName: fc.string(),
          project: fc.string(),
          budgetKey: fc.string(),
          budgetProject: fc.string(),
        }),
        async (v) => {
          const keyLists = lists({ expiring: [expiring({ name: v.keyName, project: v.project })], budgets: [spending({ name: v.budgetKey, project: v.budgetProject })] });
          const page = String(await landingPage(v.version, [status({ name: v.name, baseUrl: v.baseUrl, lastSuccess: v.lastSuccess, lastError: v.lastError, lists: keyLists })]));
          const left = page.replace(TEMPLATE_TAGS, '');
          expect(left).not.toMatch(/[<>"']/);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('shows each workspace\'s soonest expiring keys: name, project, days left, expiry, owner type', async () => {
    const page = String(await landingPage('1', [status({ lists: lists({ expiring: [expiring(), expiring({ name: 'later', project: '', ownerType: 'user', daysLeft: 40, expiresAt: NOW + 40 * 86_400 })] }) })]));
    expect(page).toContain('<h2>Workspace acme</h2>');
    expect(page).toContain('<tr><td>billing-prod-1</td><td>Billing</td><td class="num soon">2.3</td><td>2027-01-17 14:00</td><td>service account</td></tr>');
    expect(page).toContain('<tr><td>later</td><td>–</td><td class="num">40.0</td><td>2027-02-24 08:00</td><td>user</td></tr>');
    expect(page).toContain('The 2 soonest of 4 active keys with an expiry ahead (at most 10). Keys that never expire and disabled or revoked keys are left out.');
    expect(page).not.toContain('already expired');
  });

  it('says how many active keys have already expired, which it does not list', async () => {
    const one = String(await landingPage('1', [status({ lists: lists({ expiredActive: 1 }) })]));
    expect(one).toContain('1 active key has already expired and is not listed (see <code>orq_api_key_expired</code>).');
    const three = String(await landingPage('1', [status({ lists: lists({ expiredActive: 3 }) })]));
    expect(three).toContain('3 active keys have already expired and are not listed');
  });

  it('shows the keys closest to their budget: spent / limit, percent, period; cost in dollars, tokens counted', async () => {
    const tokens = spending({ name: 'tok', dimension: 'tokens', spent: 1_100_000, limit: 1_000_000, ratio: 1.1, period: 'daily' });
    const page = String(await landingPage('1', [status({ lists: lists({ budgets: [tokens, spending()] }) })]));
    expect(page).toContain('<tr><td>tok</td><td>Search</td><td class="num">1,100,000 / 1,000,000 tokens</td><td class="num over">110.0%</td><td>daily</td></tr>');
    expect(page).toContain('<tr><td>search-dev-3</td><td>Search</td><td class="num">$1,234.50 / $2,500.00</td><td class="num">49.4%</td><td>monthly</td></tr>');
    expect(page).toContain('The 2 closest of 7 active keys that spent something this period against a limit (at most 10). Per key,');
  });

  it('has a "none" state for each list, and for a workspace with no key list yet', async () => {
    const page = String(await landingPage('1', [status({ lists: lists({ expiring: [], expiringTotal: 0, budgets: [], budgetsTotal: 0 }) }), status({ name: 'late', keys: undefined, lastSuccess: undefined })]));
    expect(page).toContain('<p class="none">None: no active key has an expiry ahead.</p>');
    expect(page).toContain('<p class="none">None: no active key has spent against a budget limit this period, or spending cannot be read.</p>');
    expect(page).not.toContain('<table class="expiring">');
    expect(page).not.toContain('The 0');
    expect(page).toContain('<h2>Workspace late</h2>\n<p class="none">No key list yet: the first refresh has not succeeded.</p>');
  });

  it('escapes <script>, quotes and ampersands in every new cell', async () => {
    const hostile = `<script>"'&</script>`;
    const keyLists = lists({
      expiring: [expiring({ name: hostile, project: hostile })],
      budgets: [spending({ name: hostile, project: hostile, period: hostile as BudgetRow['period'] })],
    });
    const page = String(await landingPage('1', [status({ name: hostile, lists: keyLists })]));
    expect(page).not.toContain('<script>');
    expect(page).not.toMatch(/<[^>]*['"]&/);
    // Workspace name twice (table, heading), then key and project in each list, and the period.
    expect(page.split('&lt;script&gt;&quot;&#39;&amp;&lt;/script&gt;')).toHaveLength(8);
    expect(page).toContain('<tr><td>&lt;script&gt;&quot;&#39;&amp;&lt;/script&gt;</td><td>&lt;script&gt;&quot;&#39;&amp;&lt;/script&gt;</td><td class="num soon">');
  });

  it('has no script at all', async () => {
    const page = String(await landingPage('1', [status({ lists: lists() })]));
    expect(page).not.toMatch(/<script|\son\w+=|javascript:/i);
  });
});
