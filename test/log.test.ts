import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';

describe('createLogger', () => {
  it('writes one JSON object a line with time, level and message', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', write: (l) => lines.push(l), now: () => 0 });
    log.info('hello', { keys: 3 });
    expect(lines).toEqual(['{"time":"1970-01-01T00:00:00.000Z","level":"info","msg":"hello","keys":3}\n']);
  });

  it('drops lines below its level', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'warn', write: (l) => lines.push(l) });
    log.debug('a');
    log.info('b');
    log.warn('c');
    log.error('d');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['c', 'd']);
  });

  it('redacts secrets wherever they appear, errors included', () => {
    const lines: string[] = [];
    const secret = 'sk-"quoted"\\secret-0123456789';
    const log = createLogger({ level: 'debug', secrets: [secret], write: (l) => lines.push(l) });
    log.error(`token ${secret} leaked`, { error: new Error(`bad ${secret}`), nested: { h: `Bearer ${secret}` } });
    const line = lines.join('');
    expect(line).not.toContain('secret');
    expect(JSON.parse(line)).toMatchObject({ msg: 'token [REDACTED] leaked', error: { message: 'bad [REDACTED]' }, nested: { h: 'Bearer [REDACTED]' } });
  });
});

describe('secrets learnt after start', () => {
  it('are redacted from then on, and the old ones still are', () => {
    const lines: string[] = [];
    const before = 'sk-orq-before-rotation-0123456789';
    const after = 'sk-orq-after-rotation-9876543210';
    const log = createLogger({ level: 'info', secrets: [before], write: (l) => lines.push(l), now: () => 0 });
    log.addSecret?.(after);
    log.info(`${before} and ${after}`);
    expect(JSON.parse(lines[0]!).msg).toBe('[REDACTED] and [REDACTED]');
  });

});

describe('secrets of implausible length', () => {
  it('are not looked for, so a short one cannot garble a line', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', secrets: ['e', 'x'.repeat(19)], write: (l) => lines.push(l), now: () => 0 });
    log.info('exporter started');
    expect(JSON.parse(lines[0]!).msg).toBe('exporter started');
  });
});
