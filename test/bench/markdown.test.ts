import { describe, expect, it } from 'vitest';
import { markdown, quantity, README_END, README_START, readmeSection, targetsTable, withReadmeSection } from '../../bench/markdown.js';
import { evaluate } from '../../bench/targets.js';
import { results } from './fixture.js';

describe('quantity', () => {
  it.each([
    [21.4, '×', '21×'],
    [1.63, '×', '1.6×'],
    [561.2, 'ms', '561 ms'],
    [2846.4, 'B/key', '2,846 B/key'],
    [0, 'renders', '0 renders'],
  ])('spells %d %s as %s', (value, unit, expected) => {
    expect(quantity(value, unit)).toBe(expected);
  });
});

describe('the Markdown of a run', () => {
  const run = results();
  const judged = evaluate(run);

  it('has one row per target with its verdict, figure and threshold', () => {
    const rows = targetsTable(judged).split('\n');
    expect(rows).toHaveLength(judged.length + 2);
    expect(rows).toContain(
      '| **PASS** | 10,000 keys: faster than prom-client (plain, HTTP) | 21× | at least 5.0× | 18.0 ms vs 380 ms | the point of rendering from prepared buffers instead of a labelled Gauge per family |',
    );
    expect(rows.filter((r) => r.startsWith('| **FAIL**'))).toHaveLength(judged.filter((j) => j.pass === false).length);
  });

  it('prints the machine, the targets and every measurement', () => {
    const text = markdown(run, judged);
    expect(text).toMatch(/^Machine: Test CPU, 2 cores, 8 GiB RAM, Node v20\.0\.0, 2026-01-01 00:00 UTC \(load average at start: 0\.10 0\.20 0\.30\)\. Whole run: 240 s\./);
    for (const heading of ['### Targets', '### Render per scrape', '### Concurrent scrapes', '### Refresh against the simulator', '### Per-scrape work', '### Once per snapshot']) {
      expect(text).toContain(heading);
    }
  });

  it('writes the README section from the same figures', () => {
    const section = readmeSection(run, judged);
    expect(section.startsWith('## Performance\n')).toBe(true);
    expect(section).toContain('| 10,000 | plain | 7.6 MiB | 18.0 ms (in-process 4.00) | 380 ms (21× slower) | 11.0 ms | 27.0 ms |');
    expect(section).toContain('- Writing /metrics straight to the socket instead of through a web Response: 10,000 keys plain 18.0 ms against 27.0 ms');
    expect(section).toContain(targetsTable(judged));
  });
});

describe('withReadmeSection', () => {
  it('replaces what is between the markers and keeps the rest', () => {
    const readme = `# Title\n\n${README_START}\nold\n${README_END}\n\n## Next\n`;
    expect(withReadmeSection(readme, '## Performance\n\nnew')).toBe(`# Title\n\n${README_START}\n## Performance\n\nnew\n${README_END}\n\n## Next\n`);
  });

  it('refuses a README without the markers', () => {
    expect(() => withReadmeSection('# Title\n', 'x')).toThrow(/markers/);
  });
});
