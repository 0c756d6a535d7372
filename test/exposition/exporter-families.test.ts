/**
 * The exporter's own families (how refreshes, sources, requests and reloads fare), the part of
 * the metrics contract that exporter-families.ts holds: named in the orq_exporter_ namespace,
 * made by the exporter's instrumentation, and documenting in their HELP exactly the label
 * values the code uses. What holds of every family (names, labels, suffixes) is
 * families.test.ts's.
 */
import { describe, expect, it } from 'vitest';
import { exporterFamilies } from '../../src/exposition/exporter-families.js';
import { allFamilies, families, SOURCES, type Family } from '../../src/exposition/families.js';
import { SKIP_REASONS } from '../../src/orq/api-key.js';
import { REFRESH_ERROR_REASONS } from '../../src/orq/errors.js';
import { ENDPOINTS } from '../../src/orq/transport.js';

const own: ReadonlyArray<readonly [string, Family]> = Object.entries(exporterFamilies);

describe('the exporter\'s own families', () => {
  it.each(own)('%s is named orq_exporter_*, made by the exporter, and in the contract under its own key', (key, f) => {
    expect(f.name.startsWith('orq_exporter_')).toBe(true);
    expect(f.computed).toBe('exporter');
    expect((families as Record<string, Family>)[key]).toBe(f);
  });

  it('are every family the exporter\'s instrumentation computes', () => {
    // Not every orq_exporter_ family: the snapshot's age is computed at scrape, with the keys' families.
    const mine = new Set<Family>(Object.values(exporterFamilies));
    for (const f of allFamilies) expect(f.computed === 'exporter', f.name).toBe(mine.has(f));
  });
});

describe('the closed sets named in HELP', () => {
  it('list every refresh error reason, every skip reason, every source and every endpoint', () => {
    expect(exporterFamilies.refreshErrors.help).toContain(`(${REFRESH_ERROR_REASONS.join(', ')})`);
    expect(exporterFamilies.skippedRecords.help).toContain(`(${SKIP_REASONS.join(', ')})`);
    // The sources a workspace is read from are the endpoints it requests.
    expect(SOURCES).toEqual(ENDPOINTS);
    expect(exporterFamilies.sourceUp.help).toContain(`(${SOURCES.join(', ')})`);
    expect(exporterFamilies.apiRequests.help).toContain(`(${ENDPOINTS.join(', ')})`);
  });
});
