/** The `/` page: every value that came from config or upstream is text, however it is spelled. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { landingPage } from '../../src/http/landing.js';
import type { WorkspaceStatus } from '../../src/workspace/status.js';

const status = (over: Partial<WorkspaceStatus> = {}): WorkspaceStatus => ({
  name: 'acme',
  baseUrl: 'https://api.orq.ai',
  keys: 3,
  lastSuccess: '2026-11-27T00:00:00.000Z',
  lastError: undefined,
  ...over,
});

/** The page's text with every tag the template itself writes taken out: what is left came from values. */
const TEMPLATE_TAGS = /<\/?(?:!doctype html|html[^>]*|head|meta charset="utf-8"|title|body|h1|p|ul|li|a href="(?:metrics|healthz|readyz)"|a|table|thead|tbody|tr|th|td)>/g;

describe('landingPage', () => {
  it('lists each workspace with its keys, last success and last error, and the version', async () => {
    const page = String(await landingPage('1.2.3', [status(), status({ name: 'late', keys: undefined, lastSuccess: undefined, lastError: 'upstream answered 503' })]));
    expect(page).toContain('Version 1.2.3.');
    expect(page).toContain('<tr><td>acme</td><td>https://api.orq.ai</td><td>3</td><td>2026-11-27T00:00:00.000Z</td><td></td></tr>');
    expect(page).toContain('<tr><td>late</td><td>https://api.orq.ai</td><td>–</td><td>not yet</td><td>upstream answered 503</td></tr>');
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
    expect(page.split('&lt;script&gt;&quot;&#39;&amp;&lt;/script&gt;')).toHaveLength(6);
  });

  it('no value of any spelling can add a tag or an attribute (fast-check, 500 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ version: fc.string(), name: fc.string(), baseUrl: fc.string(), lastSuccess: fc.option(fc.string(), { nil: undefined }), lastError: fc.option(fc.string(), { nil: undefined }) }),
        async (v) => {
          const page = String(await landingPage(v.version, [status({ name: v.name, baseUrl: v.baseUrl, lastSuccess: v.lastSuccess, lastError: v.lastError })]));
          const left = page.replace(TEMPLATE_TAGS, '');
          expect(left).not.toMatch(/[<>"']/);
        },
      ),
      { numRuns: 500 },
    );
  });
});
