/**
 * The layout's rules, checked on the code as it is: one test file named after every module,
 * no module over 300 lines, and imports that follow the data's one way through the exporter
 * (config → orq client → poller → snapshot → exposition → HTTP), never back against it.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? modules(join(dir, e.name)) : e.name.endsWith('.ts') ? [relative(src, join(dir, e.name))] : [],
  );
}
const all = modules(src).sort();

/** The src-relative modules a module imports. */
function importsOf(module: string): string[] {
  const text = readFileSync(join(src, module), 'utf8');
  const specifiers = [...text.matchAll(/^(?:import|export)[^'"]*?from\s+'(\.[^']+)'/gm)].map((m) => m[1] ?? '');
  return specifiers.map((s) => relative(src, resolve(dirname(join(src, module)), s)).replace(/\.js$/, '.ts'));
}

/** Which stage of the flow a module belongs to; a module may import its own stage or earlier ones. */
const STAGES: readonly [string, RegExp][] = [
  ['util', /^(util\/|version\.ts$|log\.ts$)/],
  ['config', /^(config\/|config\.ts$)/],
  ['orq', /^orq\//],
  ['poller', /^poller\.ts$/],
  ['snapshot', /^snapshot\.ts$/],
  ['exposition', /^exposition\//],
  ['workspace', /^(workspace\/|reload\.ts$)/],
  ['http', /^http\//],
  ['wiring', /^(exporter|main|demo)\.ts$/],
];
function stageOf(module: string): number {
  const i = STAGES.findIndex(([, pattern]) => pattern.test(module));
  return i;
}

describe('the source tree', () => {
  const production = all.filter((m) => !m.startsWith('simulator/'));

  it.each(all)('%s has a test file named after it', (module) => {
    const base = join(root, 'test', module.replace(/\.ts$/, ''));
    const named = existsSync(`${base}.test.ts`) || (existsSync(dirname(base)) && readdirSync(dirname(base)).some((f) => f.startsWith(`${base.slice(dirname(base).length + 1)}.`) && f.endsWith('.test.ts')));
    expect(named, `test/${module.replace(/\.ts$/, '.test.ts')}`).toBe(true);
  });

  it.each(all)('%s is at most 300 lines', (module) => {
    expect(readFileSync(join(src, module), 'utf8').split('\n').length - 1).toBeLessThanOrEqual(300);
  });

  it('places every exporter module in a stage of the flow', () => {
    expect(production.filter((m) => stageOf(m) === -1)).toEqual([]);
  });

  it('imports only from its own stage or earlier ones', () => {
    const against = production.flatMap((m) =>
      importsOf(m)
        .filter((target) => !target.startsWith('simulator/') || m !== 'demo.ts')
        .filter((target) => stageOf(target) > stageOf(m))
        .map((target) => `${m} -> ${target}`),
    );
    expect(against).toEqual([]);
  });

  it('keeps the simulator out of the exporter: only the demo starts one', () => {
    const users = production.filter((m) => importsOf(m).some((t) => t.startsWith('simulator/')));
    expect(users).toEqual(['demo.ts']);
  });
});
