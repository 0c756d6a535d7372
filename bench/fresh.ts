/**
 * The parent's side of bench/child.ts: forks a fresh exporter process, waits for its report,
 * and asks it for its render count while the load test runs.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ChildReport, ChildRequest, ParentMessage } from './child.js';

const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));

export interface FreshExporter {
  readonly report: ChildReport;
  renders(): Promise<number>;
  stop(): Promise<void>;
}

/** `env` adds to this process's environment (the allocator's tunables, say). */
export function startFreshExporter(request: ChildRequest, env: Readonly<Record<string, string>> = {}): Promise<FreshExporter> {
  const child = fork(CHILD, [JSON.stringify(request)], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`bench child exited with ${code} before reporting`));
    child.once('exit', onExit);
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'error') reject(new Error(`bench child failed: ${message.message}`));
      if (message.type !== 'ready') return;
      child.off('exit', onExit);
      resolve({ report: message, renders: () => askRenders(child), stop: () => stop(child) });
    });
  });
}

function askRenders(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (message: ChildMessage): void => {
      if (message.type !== 'renders') return;
      child.off('message', onMessage);
      resolve(message.renders);
    };
    child.on('message', onMessage);
    const ask: ParentMessage = { type: 'renders' };
    child.send(ask);
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    const message: ParentMessage = { type: 'stop' };
    child.send(message);
  });
}

