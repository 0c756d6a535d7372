/**
 * The built programs as a user runs them: `node dist/src/main.js` or `node dist/src/demo.js`,
 * compiled into a directory of their own laid out as the image is. Not the project's dist/:
 * test files run two at a time, and one compiling into dist/ while another spawns a program
 * from it could start a half-written file.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { compileEntries } from './compile.js';

export type Program = 'main' | 'demo';
export type Child = ChildProcessByStdio<null, Readable, Readable>;

export interface Built {
  /** Starts the program with only PATH and `env` in its environment. */
  run(env: Record<string, string>, args?: readonly string[]): Child;
  remove(): void;
}

/** Compiles one program and what it imports; its packages come from the project's node_modules. */
export function buildProgram(program: Program): Built {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; version: string };
  const dir = compileEntries([`src/${program}.ts`], { name: pkg.name, version: pkg.version, type: 'module' });
  symlinkSync(resolve('node_modules'), join(dir, 'node_modules'), 'dir');
  const entry = join(dir, 'dist', 'src', `${program}.js`);
  return {
    run: (env, args = []) => spawn(process.execPath, [entry, ...args], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** What the child wrote until it exited, and its exit code. */
export async function exit(child: Child): Promise<Exit> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // 'close' rather than 'exit': by then every byte the child wrote has been read.
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}
