/**
 * scripts/loaded-runs.mjs, the flake hunt: it runs what CI runs, reports every run, fails when
 * one failed, and however it ends (normally, on a timeout, a signal or SIGKILL) no busy
 * process it started is left running. Commands here are small node one-liners that wait on a
 * file the test writes, so nothing depends on how fast the machine is.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SCRIPT = join(root, 'scripts/loaded-runs.mjs');
const work = mkdtempSync(join(tmpdir(), 'loaded-runs-test-'));
/**
 * Processes (positive ids) and process groups (negative) a test that failed half-way may have
 * left behind: killed at the end so one failure does not make more.
 */
const strays = new Set<number>();

/** Tools this file started: their busy processes name them as parent. */
const tools = new Set<number>();

/** Only what this file started, checked by command line: a pid may have been reused since. */
function startedHere(pid: number): boolean {
  let args: string[];
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return false;
  }
  if (args.some((a) => a.includes(work))) return true; // a tool or a test command of this file
  return args.includes(join(root, 'scripts/busy-loop.mjs')) && tools.has(Number(args.at(-2)));
}

afterAll(() => {
  for (const id of strays) {
    if (!startedHere(Math.abs(id))) continue;
    try {
      process.kill(id, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  rmSync(work, { recursive: true, force: true });
});

interface Tool {
  readonly child: ChildProcess;
  readonly lines: string[];
  /** Resolves with the first output line matching `pattern`. */
  line(pattern: RegExp): Promise<RegExpExecArray>;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startTool(args: readonly string[]): Tool {
  const child = spawn(process.execPath, [SCRIPT, '--logs', join(work, 'logs'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid !== undefined) {
    strays.add(child.pid);
    tools.add(child.pid);
  }
  const lines: string[] = [];
  const waiting: Array<{ pattern: RegExp; resolve: (m: RegExpExecArray) => void }> = [];
  let partial = '';
  const take = (chunk: Buffer): void => {
    partial += chunk.toString('utf8');
    const complete = partial.split('\n');
    partial = complete.pop() ?? '';
    for (const l of complete) {
      lines.push(l);
      for (const w of [...waiting]) {
        const match = w.pattern.exec(l);
        if (match) {
          waiting.splice(waiting.indexOf(w), 1);
          w.resolve(match);
        }
      }
    }
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.once('close', (code, signal) => done({ code, signal })));
  return {
    child,
    lines,
    exit,
    line: (pattern) => {
      const seen = lines.map((l) => pattern.exec(l)).find((m) => m !== null);
      if (seen) return Promise.resolve(seen);
      return new Promise((done, fail) => {
        waiting.push({ pattern, resolve: done });
        void exit.then(() => fail(new Error(`exited without printing ${pattern}:\n${lines.join('\n')}`)));
      });
    },
  };
}

/** Linux's view of a process: gone (or a zombie) counts as not running. */
function procStat(pid: number): { state: string; cpuTicks: number } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const state = fields[0] ?? '?';
  if (state === 'Z' || state === 'X') return undefined;
  return { state, cpuTicks: Number(fields[11]) + Number(fields[12]) };
}

const running = (pid: number): boolean => procStat(pid) !== undefined;

/** Whether any process of group `pgid` is still running (zombies aside). */
function groupRunning(pgid: number): boolean {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .some((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X';
      } catch {
        return false; // gone while we looked
      }
    });
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A command that records its pid, then waits until the test writes `go` (and removes it). */
function waitingCommand(name: string): { command: string; go: string; pidFile: string } {
  const go = join(work, `${name}.go`);
  const pidFile = join(work, `${name}.pid`);
  const program = `const fs=require('fs');fs.writeFileSync(${JSON.stringify(pidFile)},String(process.pid));setInterval(()=>{if(fs.existsSync(${JSON.stringify(go)})){fs.rmSync(${JSON.stringify(go)});process.exit(0)}},20)`;
  return { command: `${JSON.stringify(process.execPath)} -e ${JSON.stringify(program)}`, go, pidFile };
}

async function pidIn(file: string): Promise<number> {
  await until(() => existsSync(file) && readFileSync(file, 'utf8') !== '', `${file} is written`);
  const pid = Number(readFileSync(file, 'utf8'));
  strays.add(pid);
  return pid;
}

function busyPids(match: RegExpExecArray): number[] {
  const pids = (match[1] ?? '').trim().split(' ').map(Number);
  for (const pid of pids) strays.add(pid);
  return pids;
}

describe('loaded-runs', () => {
  it('runs CI test commands: the npm test and npm run test:… lines of .ci/run', async () => {
    const tool = startTool(['--print-commands']);
    expect((await tool.exit).code).toBe(0);
    const ci = readFileSync(join(root, '.ci/run'), 'utf8').split('\n').filter((l) => /^npm (test|run test:)/.test(l));
    expect(tool.lines.filter((l) => l !== '')).toEqual(ci);
    expect(ci).toContain('npm test');
  });

  it('keeps every core busy during each run, then stops the busy processes; all runs passed exits 0', async () => {
    const { command, go, pidFile } = waitingCommand('pass');
    const tool = startTool(['--runs', '2', '--busy', '2', '--', command]);
    for (const run of [1, 2]) {
      const pids = busyPids(await tool.line(new RegExp(`^run ${run}/2: started; busy pids ([\\d ]+)$`)));
      expect(pids).toHaveLength(2);
      await pidIn(pidFile);
      for (const pid of pids) {
        // Busy, not merely started: each accrues CPU time (a tick is 10 ms) while the command runs.
        const before = procStat(pid)?.cpuTicks ?? Number.NaN;
        await until(() => (procStat(pid)?.cpuTicks ?? Number.NaN) >= before + 10, `busy process ${pid} has spun 100 ms`);
      }
      rmSync(pidFile);
      writeFileSync(go, '');
      await tool.line(new RegExp(`^run ${run}/2: PASS `));
      for (const pid of pids) await until(() => !running(pid), `busy process ${pid} is gone after run ${run}`);
    }
    const { code } = await tool.exit;
    expect(code).toBe(0);
    expect(tool.lines.at(-1)).toMatch(/^loaded-runs: 2\/2 passed; duration min [\d.]+s, max [\d.]+s, mean [\d.]+s$/);
  });

  it('names the failing tests with their first error line, goes on with the next run, and exits 1', async () => {
    const log = [' FAIL  test/a.test.ts > outer > fails here', 'AssertionError: expected 1 to be 2', '', ' FAIL  test/b.test.ts [ test/b.test.ts ]', 'Error: import boom'];
    const program = `console.log(${JSON.stringify(log.join('\n'))});process.exit(1)`;
    const tool = startTool(['--runs', '2', '--busy', '1', '--', `${JSON.stringify(process.execPath)} -e ${JSON.stringify(program)}`]);
    const { code } = await tool.exit;
    expect(code).toBe(1);
    const output = tool.lines.join('\n');
    expect(output).toMatch(/^run 1\/2: FAIL [\d.]+s \(.*: FAIL \(exit 1\) [\d.]+s\)$/m);
    expect(output).toMatch(/^run 2\/2: FAIL /m);
    expect(output).toContain('    test/a.test.ts > outer > fails here\n        AssertionError: expected 1 to be 2');
    expect(output).toContain('    test/b.test.ts [ test/b.test.ts ]\n        Error: import boom');
    expect(tool.lines.at(-1)).toMatch(/^loaded-runs: 0\/2 passed;/);
  });

  it('kills a run that outlives --timeout-minutes, with its whole process group, and fails it', async () => {
    const { command } = waitingCommand('stuck');
    const tool = startTool(['--runs', '1', '--busy', '1', '--timeout-minutes', '0.02', '--', command]);
    const pids = busyPids(await tool.line(/^run 1\/1: started; busy pids ([\d ]+)$/));
    const group = Number((await tool.line(/^run 1\/1: .* \(process group (\d+)\)$/))[1]);
    strays.add(-group);
    const { code } = await tool.exit;
    expect(code).toBe(1);
    expect(tool.lines.join('\n')).toMatch(/^run 1\/1: FAIL [\d.]+s \(.*: TIMEOUT [\d.]+s\)$/m);
    await until(() => !groupRunning(group), `process group ${group} is gone`);
    for (const pid of pids) await until(() => !running(pid), `busy process ${pid} is gone`);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('on %s stops the run and every busy process', async (signal) => {
    const { command, pidFile } = waitingCommand(`signal-${signal}`);
    const tool = startTool(['--runs', '3', '--busy', '1', '--', command]);
    const pids = busyPids(await tool.line(/^run 1\/3: started; busy pids ([\d ]+)$/));
    const test = await pidIn(pidFile);
    tool.child.kill(signal);
    const { code } = await tool.exit;
    expect(code).toBe(signal === 'SIGTERM' ? 143 : 130);
    for (const pid of [test, ...pids]) await until(() => !running(pid), `process ${pid} is gone`);
  });

  it('killed with SIGKILL, which it cannot catch, its busy processes still stop by themselves', async () => {
    const { command, pidFile } = waitingCommand('sigkill');
    const tool = startTool(['--runs', '1', '--busy', '2', '--', command]);
    const pids = busyPids(await tool.line(/^run 1\/1: started; busy pids ([\d ]+)$/));
    await pidIn(pidFile);
    for (const pid of pids) expect(running(pid)).toBe(true);
    tool.child.kill('SIGKILL');
    await tool.exit;
    for (const pid of pids) await until(() => !running(pid), `busy process ${pid} is gone`);
    // The test command is not busy and ends on its own in a real run; this one waits for ever (afterAll kills it).
  });

  it('killed with SIGKILL while its busy processes are still starting, they stop as soon as they start', async () => {
    const tool = startTool(['--runs', '1', '--busy', '2', '--', `${JSON.stringify(process.execPath)} -e ""`]);
    const pids = busyPids(await tool.line(/^run 1\/1: started; busy pids ([\d ]+)$/));
    tool.child.kill('SIGKILL');
    await tool.exit;
    for (const pid of pids) await until(() => !running(pid), `busy process ${pid} is gone`);
  });

  it.concurrent.each([
    [['--runs', '0'], '--runs must be a whole number of at least 1, not "0"'],
    [['--busy', 'two'], '--busy must be a whole number of at least 0, not "two"'],
    [['--timeout-minutes', '-1'], '--timeout-minutes must be a positive number, not "-1"'],
    [['--runs'], '--runs needs a value'],
    [['--'], '-- must be followed by a command'],
    [['--bogus'], 'unknown argument "--bogus"'],
  ])('refuses %j with exit 2 and one line saying why, starting nothing', async (args, message) => {
    const tool = startTool(args);
    const { code } = await tool.exit;
    expect(code).toBe(2);
    expect(tool.lines.filter((l) => l !== '')).toHaveLength(1);
    expect(tool.lines[0]).toContain(`loaded-runs: ${message}`);
  });
});
