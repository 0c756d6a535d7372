import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBoolean, parseFlags, type FlagTable } from '../../src/util/flags.js';

const TABLE = {
  port: { type: 'string', short: 'p' },
  'log.level': { type: 'string' },
  'web.enable-lifecycle': { type: 'boolean' },
  size: { type: 'string', multiple: true },
} as const satisfies FlagTable;
const REFUSED = { 'orq-api-key': 'not accepted, since a flag shows the token in process listings' };
const SECRET = 'sk-orq-01J9ZQ4X8V7M2K3N5P6R8S9T0W-s3cr3tPart';

const parse = (argv: string[], allowPositionals = false) => parseFlags(argv, TABLE, { refused: REFUSED, allowPositionals });

describe('parseFlags', () => {
  it('reads values in every spelling: --flag value, --flag=value, -f value, -fvalue', () => {
    for (const argv of [['--port', '9100'], ['--port=9100'], ['-p', '9100'], ['-p9100']]) {
      expect(parse(argv)).toEqual({ kind: 'values', values: { port: '9100' }, positionals: [] });
    }
    expect(parse(['--log.level=debug', '--web.enable-lifecycle'])).toEqual({
      kind: 'values',
      values: { 'log.level': 'debug', 'web.enable-lifecycle': true },
      positionals: [],
    });
  });

  it('takes a value that starts with one dash, and an empty value', () => {
    expect(parse(['--port', '-1'])).toMatchObject({ values: { port: '-1' } });
    expect(parse(['-p', '-10x'])).toMatchObject({ values: { port: '-10x' } });
    expect(parse(['--port='])).toMatchObject({ values: { port: '' } });
  });

  it.each([
    ['=true', true],
    ['=TRUE', true],
    ['=1', true],
    ['=false', false],
    ['=False', false],
    ['=0', false],
  ])('reads a boolean flag written --flag%s', (suffix, value) => {
    expect(parse([`--web.enable-lifecycle${suffix}`])).toMatchObject({ kind: 'values', values: { 'web.enable-lifecycle': value } });
  });

  it('refuses other boolean values without repeating them', () => {
    const result = parse([`--web.enable-lifecycle=${SECRET}`]);
    expect(result).toEqual({ kind: 'errors', errors: ['--web.enable-lifecycle: must be true or false, or the flag alone for true'] });
  });

  it('says how to write a boolean given a separate value', () => {
    expect(parse(['--web.enable-lifecycle', 'false'])).toEqual({
      kind: 'errors',
      errors: ['--web.enable-lifecycle: takes no separate value; write --web.enable-lifecycle=true or --web.enable-lifecycle=false'],
    });
  });

  it('answers help and version wherever they are, before any error', () => {
    expect(parse(['--nope', '--help'])).toEqual({ kind: 'help' });
    expect(parse(['-h'])).toEqual({ kind: 'help' });
    expect(parse(['x', '--version'])).toEqual({ kind: 'version' });
    expect(parse(['--version', '--help'])).toEqual({ kind: 'help' });
  });

  it('never takes an argument that starts with -- as a value', () => {
    expect(parse(['--port', '--help'])).toEqual({ kind: 'help' });
    expect(parse(['--port', '--log.level=info'])).toEqual({ kind: 'errors', errors: ['--port: needs a value'] });
    expect(parse(['--log.level'])).toEqual({ kind: 'errors', errors: ['--log.level: needs a value'] });
    expect(parse(['-p'])).toEqual({ kind: 'errors', errors: ['-p: needs a value'] });
  });

  it('refuses a flag given twice, unless the table says it may be', () => {
    expect(parse(['--port=1', '-p', '2'])).toEqual({ kind: 'errors', errors: ['-p: given more than once'] });
    expect(parse(['--size', '1', '--size=2'])).toMatchObject({ values: { size: ['1', '2'] } });
  });

  it('names an unknown flag that reads like one, and skips the value after it', () => {
    expect(parse(['--verbose', 'yes', '--port=1'])).toEqual({ kind: 'errors', errors: ['--verbose: unknown flag (see --help)'] });
  });

  it('names anything else by its position only', () => {
    expect(parse(['--port=1', 'extra'])).toEqual({ kind: 'errors', errors: ['argument 2: not a flag (see --help)'] });
    expect(parse([`--${SECRET}`])).toEqual({ kind: 'errors', errors: ['argument 1: unknown flag (see --help)'] });
    expect(parse(['--Verbose'])).toEqual({ kind: 'errors', errors: ['argument 1: unknown flag (see --help)'] });
    // A cluster of short flags is one argument, one error: its letters would spell the token.
    expect(parse([`-${SECRET}`])).toEqual({ kind: 'errors', errors: ['argument 1: unknown flag (see --help)'] });
  });

  it('refuses a refused flag by name, skipping its value in either spelling', () => {
    const line = `--orq-api-key: ${REFUSED['orq-api-key']}`;
    expect(parse(['--orq-api-key', SECRET])).toEqual({ kind: 'errors', errors: [line] });
    expect(parse([`--orq-api-key=${SECRET}`])).toEqual({ kind: 'errors', errors: [line] });
  });

  it('tells the problems in the order they were typed', () => {
    expect(parse(['x', '--orq-api-key', SECRET, '-zz', '--port'])).toEqual({
      kind: 'errors',
      errors: ['argument 1: not a flag (see --help)', `--orq-api-key: ${REFUSED['orq-api-key']}`, 'argument 4: unknown flag (see --help)', '--port: needs a value'],
    });
  });

  it('keeps positionals when the program takes them, the ones after -- included', () => {
    expect(parse(['a', '--port', '1', '--', '--port', 'b'], true)).toEqual({ kind: 'values', values: { port: '1' }, positionals: ['a', '--port', 'b'] });
  });

  it('never repeats a secret typed anywhere but in a known flag’s value', () => {
    const pieces = fc.constantFrom(
      SECRET,
      `--${SECRET}`,
      `-${SECRET}`,
      `--orq-api-key=${SECRET}`,
      `--web.enable-lifecycle=${SECRET}`,
      `--${SECRET}=${SECRET}`,
      '--orq-api-key',
      '--verbose',
      '--port=1',
      '--port',
      '--web.enable-lifecycle',
      '-x',
      '--',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 8 }), (argv) => {
        const result = parse(argv);
        if (result.kind === 'errors') {
          for (const line of result.errors) expect(line).not.toContain(SECRET.slice(0, 8));
        }
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('parseBoolean', () => {
  it.each(['yes', 'no', '', 'on', 'truee', '2'])('refuses %j', (text) => {
    expect(parseBoolean(text)).toBeUndefined();
  });
});
