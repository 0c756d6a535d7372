/**
 * The reloader on its own, with the loading and applying scripted: reloads run one at a time
 * in the order asked, whatever each ends in; what is recorded, logged and answered. What a
 * reload does to a running exporter is e2e/reload.test.ts's and exporter.test.ts's.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig, type Config, type ConfigResult } from '../src/config.js';
import type { Fields, Logger } from '../src/log.js';
import { createReloader, type ReloaderOptions, type ReloadSummary } from '../src/reload.js';
import { deferred, settle } from './support/timers.js';

const SECRET = 'sk-orq-01HRELOADRELOADRELOADRELOA-secret';

const accepted = (): ConfigResult => {
  const result = loadConfig({ env: { ORQ_API_KEY: SECRET }, argv: [] });
  if (result.ok !== true) throw new Error(JSON.stringify(result));
  return result;
};

const summary = (changes: Partial<ReloadSummary> = {}): ReloadSummary => ({ added: [], removed: [], replaced: [], kept: ['default'], needRestart: [], ...changes });

interface Line {
  readonly level: string;
  readonly msg: string;
  readonly fields: Fields | undefined;
}

/** A reloader whose load and apply a test gives, with what it recorded and logged. */
function reloader(load: () => ConfigResult, apply: (config: Config) => Promise<ReloadSummary>) {
  const recorded: boolean[] = [];
  const lines: Line[] = [];
  const at = (level: string) => (msg: string, fields?: Fields) => void lines.push({ level, msg, fields });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  const options: ReloaderOptions = {
    load,
    apply,
    record: (ok) => void recorded.push(ok),
    logger,
    redact: (text) => text.split(SECRET).join('[REDACTED]'),
  };
  return { reload: createReloader(options), recorded, lines };
}

describe('createReloader', () => {
  it('applies an accepted configuration, records success and logs what changed with the trigger', async () => {
    const changes = summary({ added: ['b'], removed: ['c'], replaced: ['d'], kept: ['a'] });
    const r = reloader(accepted, async () => changes);
    await expect(r.reload('SIGHUP')).resolves.toEqual({ ok: true, summary: changes });
    expect(r.recorded).toEqual([true]);
    expect(r.lines).toEqual([{ level: 'info', msg: 'configuration reloaded', fields: { trigger: 'SIGHUP', ...changes } }]);
  });

  it('warns once, naming them, about settings that only change at a restart', async () => {
    const r = reloader(accepted, async () => summary({ needRestart: ['PORT', 'LISTEN_ADDRESS'] }));
    const result = await r.reload('SIGHUP');
    expect(result.ok).toBe(true);
    expect(r.lines.filter((l) => l.level === 'warn')).toEqual([
      { level: 'warn', msg: 'some settings changed that only take effect at a restart; their running values are kept', fields: { settings: ['PORT', 'LISTEN_ADDRESS'] } },
    ]);
  });

  it('refuses a configuration with problems without applying it: records failure, logs the redacted lines once and answers them', async () => {
    let applied = 0;
    const r = reloader(
      () => ({ ok: false, errors: ['PORT: must be a whole number from 0 to 65535 (got "x")', `LOG_LEVEL: must be one of debug, info, warn, error (got "${SECRET}")`] }),
      async () => (applied++, summary()),
    );
    const expected = ['PORT: must be a whole number from 0 to 65535 (got "x")', 'LOG_LEVEL: must be one of debug, info, warn, error (got "[REDACTED]")'];
    await expect(r.reload('POST /-/reload')).resolves.toEqual({ ok: false, errors: expected });
    expect(applied).toBe(0);
    expect(r.recorded).toEqual([false]);
    expect(r.lines).toEqual([
      { level: 'error', msg: 'configuration reload refused; the running configuration is kept', fields: { trigger: 'POST /-/reload', problems: expected } },
    ]);
  });

  it.each(['help', 'version'] as const)('refuses arguments that now ask for --%s, rather than ignoring them', async (kind) => {
    let applied = 0;
    const r = reloader(() => ({ ok: kind }), async () => (applied++, summary()));
    await expect(r.reload('SIGHUP')).resolves.toEqual({ ok: false, errors: [`the arguments now ask for --${kind}`] });
    expect(applied).toBe(0);
    expect(r.recorded).toEqual([false]);
    expect(r.lines.map((l) => l.msg)).toEqual(['configuration reload refused; the running configuration is kept']);
  });

  it('answers an apply that throws as a failed reload, redacted, never a rejection, and the next reload still runs', async () => {
    let calls = 0;
    const r = reloader(accepted, async () => {
      if (++calls === 1) throw new Error(`cannot start workspace with ${SECRET}`);
      return summary();
    });
    await expect(r.reload('SIGHUP')).resolves.toEqual({ ok: false, errors: ['reload failed: cannot start workspace with [REDACTED]'] });
    expect(r.lines).toMatchObject([{ level: 'error', msg: 'configuration reload failed', fields: { trigger: 'SIGHUP' } }]);
    // Something thrown that is not an Error is reported the same way.
    const odd = reloader(accepted, () => Promise.reject('a string'));
    await expect(odd.reload('SIGHUP')).resolves.toEqual({ ok: false, errors: ['reload failed: a string'] });

    await expect(r.reload('SIGHUP')).resolves.toMatchObject({ ok: true });
    expect(r.recorded).toEqual([false, true]);
  });

  it('runs one reload at a time, in the order asked: the next reads the files only once the one before has applied', async () => {
    const events: string[] = [];
    const applies = [deferred<ReloadSummary>(), deferred<ReloadSummary>(), deferred<ReloadSummary>()];
    let loads = 0;
    let applying = 0;
    const r = reloader(
      () => (events.push(`load ${++loads}`), accepted()),
      () => {
        const n = applying++;
        events.push(`apply ${n + 1}`);
        return applies[n]!.promise;
      },
    );
    const first = r.reload('one');
    const second = r.reload('two');
    const third = r.reload('three');
    await settle();
    expect(events).toEqual(['load 1', 'apply 1']);
    // The first fails; the second still waits for it, and runs after.
    applies[0]!.reject(new Error('broken'));
    await expect(first).resolves.toMatchObject({ ok: false });
    await settle();
    expect(events).toEqual(['load 1', 'apply 1', 'load 2', 'apply 2']);
    applies[1]!.resolve(summary({ added: ['two'] }));
    applies[2]!.resolve(summary({ added: ['three'] }));
    await expect(second).resolves.toEqual({ ok: true, summary: summary({ added: ['two'] }) });
    await expect(third).resolves.toEqual({ ok: true, summary: summary({ added: ['three'] }) });
    expect(events).toEqual(['load 1', 'apply 1', 'load 2', 'apply 2', 'load 3', 'apply 3']);
    expect(r.lines.map((l) => l.fields?.['trigger'])).toEqual(['one', 'two', 'three']);
  });

  it('answers a load that throws as a failed reload, redacted, never a rejection, and the next reload still runs', async () => {
    // loadConfig is not meant to throw; a reload must survive it all the same.
    let n = 0;
    const r = reloader(() => {
      if (++n === 1) throw new Error(`load broke on ${SECRET}`);
      return accepted();
    }, async () => summary());
    const broken = r.reload('one');
    const next = r.reload('two');
    await expect(broken).resolves.toEqual({ ok: false, errors: ['reading the configuration failed: load broke on [REDACTED]'] });
    await expect(next).resolves.toMatchObject({ ok: true });
    expect(r.recorded).toEqual([false, true]);
    expect(r.lines[0]).toMatchObject({ level: 'error', msg: 'configuration reload failed', fields: { trigger: 'one' } });
  });
});
