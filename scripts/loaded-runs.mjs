#!/usr/bin/env node
/**
 * The flake hunt, repeatable: runs the test commands CI runs (read from .ci/run) N times in a
 * row while other processes keep every core busy, and prints each run's result, duration and
 * failing tests. Exits 1 if any run failed, 2 on bad arguments.
 *
 *   npm run test:loaded -- --runs 10
 *   node scripts/loaded-runs.mjs --runs 3 --busy 0               # unloaded, for comparison
 *   node scripts/loaded-runs.mjs --runs 5 -- npx vitest run test/hardening
 *
 * Options:
 *   --runs N             runs in a row (default 5)
 *   --busy N             CPU-bound processes during each run (default: one per core)
 *   --timeout-minutes M  a run still going after M minutes is killed and failed (default 15);
 *                        also each busy process's hard time limit
 *   --logs DIR           where each run's full output goes (default: a new temporary folder)
 *   --print-commands     print the commands a run would run, one a line, and exit
 *   -- COMMAND...        run this instead of CI's test commands
 *
 * Nothing busy outlives a run: the busy processes are started per run with a hard time limit,
 * stop when their parent's IPC channel closes (even if this script is killed with SIGKILL),
 * and are killed at the end of each run, on exit and on SIGINT/SIGTERM/SIGHUP. Each command
 * runs in its own process group, killed whole on a timeout or a signal.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUSY_LOOP = join(root, 'scripts', 'busy-loop.mjs');
/** After SIGTERM, how long a process group gets before SIGKILL. */
const KILL_GRACE_MS = 5_000;

/** The test commands of .ci/run, in order: `npm test` and any `npm run test:…` line but this hunt's own. */
function ciTestCommands(ciScript) {
  return ciScript
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^npm (test|run (--silent )?test:[\w:-]+)( |$)/.test(line) && !/\btest:loaded\b/.test(line));
}

/** Failing tests (and failed typechecks or unhandled errors) named in a vitest/tsc log, each with its first error line. */
function failuresIn(log) {
  const lines = log.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  const failures = [];
  lines.forEach((line, i) => {
    const failed = /^\s*FAIL\s+(.+?)\s*$/.exec(line);
    const typeError = /^(\S+\(\d+,\d+\)): error (TS\d+: .*)$/.exec(line) ?? /^(\S+:\d+:\d+) - error (TS\d+: .*)$/.exec(line);
    const unhandled = /Vitest caught \d+ unhandled errors?/.exec(line);
    if (failed) {
      const reason = lines.slice(i + 1).find((l) => l.trim() !== '' && !/^\s*FAIL\s/.test(l)) ?? '';
      failures.push({ name: failed[1], reason: reason.trim() });
    } else if (typeError) failures.push({ name: `typecheck ${typeError[1]}`, reason: typeError[2] });
    else if (unhandled) failures.push({ name: 'unhandled errors', reason: line.trim() });
  });
  return failures;
}

function parseArgs(argv) {
  const options = { runs: 5, busy: availableParallelism(), timeoutMinutes: 15, logs: undefined, command: undefined, printCommands: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    const count = (name, min) => {
      const raw = value();
      const n = Number(raw);
      if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number of at least ${min}, not ${JSON.stringify(raw)}`);
      return n;
    };
    if (arg === '--') {
      options.command = argv.slice(i + 1);
      if (options.command.length === 0) throw new Error('-- must be followed by a command');
      break;
    } else if (arg === '--runs') options.runs = count('--runs', 1);
    else if (arg === '--busy') options.busy = count('--busy', 0);
    else if (arg === '--timeout-minutes') {
      const raw = value();
      options.timeoutMinutes = Number(raw);
      if (!(options.timeoutMinutes > 0)) throw new Error(`--timeout-minutes must be a positive number, not ${JSON.stringify(raw)}`);
    } else if (arg === '--logs') options.logs = value();
    else if (arg === '--print-commands') options.printCommands = true;
    else throw new Error(`unknown argument ${JSON.stringify(arg)} (see the comment at the top of scripts/loaded-runs.mjs)`);
  }
  return options;
}

/** Live child processes of this script, so every way out can kill them. */
const busy = new Set();
const groups = new Set();

function startBusy(count, seconds) {
  return Array.from({ length: count }, () => {
    const child = spawn(process.execPath, [BUSY_LOOP, String(seconds), String(process.pid)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    busy.add(child);
    child.once('exit', () => busy.delete(child));
    return child;
  });
}

async function stopBusy(children) {
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', resolve);
          child.kill('SIGKILL');
        }),
    ),
  );
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Runs one shell command in its own process group, its output to `log`; resolves with its
 * exit. `onStart` gets the group's id.
 */
function runCommand(command, log, timeoutMs, onStart) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(command, { shell: true, cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    groups.add(child.pid);
    onStart(child.pid);
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGTERM');
      setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS).unref();
    }, timeoutMs);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      // Whatever the command left in its group (a server, a forked worker) goes with it.
      killGroup(child.pid, 'SIGKILL');
      groups.delete(child.pid);
      resolve({ code, signal, timedOut, seconds: (performance.now() - started) / 1000 });
    });
  });
}

function killEverything() {
  for (const child of busy) child.kill('SIGKILL');
  for (const pid of groups) killGroup(pid, 'SIGKILL');
}

const seconds = (s) => `${s.toFixed(1)}s`;

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`loaded-runs: ${error.message}\n`);
    process.exit(2);
  }
  const commands = options.command ? [options.command.join(' ')] : ciTestCommands(readFileSync(join(root, '.ci/run'), 'utf8'));
  if (commands.length === 0) {
    process.stderr.write('loaded-runs: .ci/run runs no `npm test` or `npm run test:…` line\n');
    process.exit(2);
  }
  if (options.printCommands) {
    for (const command of commands) console.log(command);
    return;
  }
  const logs = options.logs ?? mkdtempSync(join(tmpdir(), 'loaded-runs-'));
  mkdirSync(logs, { recursive: true });
  const timeoutMs = options.timeoutMinutes * 60_000;

  process.on('exit', killEverything);
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
    process.on(signal, () => {
      process.stdout.write(`loaded-runs: ${signal}, stopping the run and the busy processes\n`);
      killEverything();
      process.exit(code);
    });
  }

  console.log(`loaded-runs: ${options.runs} run(s) of \`${commands.join(' && ')}\` with ${options.busy} busy process(es) on ${availableParallelism()} core(s); logs in ${logs}`);
  const results = [];
  for (let run = 1; run <= options.runs; run++) {
    const logFile = join(logs, `run-${run}.log`);
    const log = createWriteStream(logFile);
    const children = startBusy(options.busy, Math.ceil(timeoutMs / 1000) + 60);
    console.log(`run ${run}/${options.runs}: started; busy pids ${children.map((c) => c.pid).join(' ') || 'none'}`);
    const steps = [];
    const started = performance.now();
    try {
      // Every command, even after one failed: a hunt wants all the failures of the run.
      for (const command of commands) {
        log.write(`$ ${command}\n`);
        const outcome = await runCommand(command, log, timeoutMs, (group) => console.log(`run ${run}/${options.runs}: ${command} (process group ${group})`));
        steps.push({ command, ...outcome });
      }
    } finally {
      await stopBusy(children);
      await new Promise((resolve) => log.end(resolve));
    }
    const failed = steps.filter((s) => s.code !== 0);
    const failures = failed.length > 0 ? failuresIn(readFileSync(logFile, 'utf8')) : [];
    const total = (performance.now() - started) / 1000;
    results.push({ run, ok: failed.length === 0, seconds: total });
    const detail = steps.map((s) => `${s.command}: ${s.code === 0 ? 'pass' : s.timedOut ? 'TIMEOUT' : `FAIL (${s.signal ?? `exit ${s.code}`})`} ${seconds(s.seconds)}`).join('; ');
    console.log(`run ${run}/${options.runs}: ${failed.length === 0 ? 'PASS' : 'FAIL'} ${seconds(total)} (${detail})`);
    for (const f of failures) console.log(`    ${f.name}${f.reason ? `\n        ${f.reason}` : ''}`);
    if (failed.length > 0 && failures.length === 0) console.log(`    no failing test named in the output; see ${logFile}`);
  }

  const passed = results.filter((r) => r.ok).length;
  const durations = results.map((r) => r.seconds);
  console.log(
    `loaded-runs: ${passed}/${results.length} passed; duration min ${seconds(Math.min(...durations))}, max ${seconds(Math.max(...durations))}, mean ${seconds(durations.reduce((a, b) => a + b, 0) / durations.length)}`,
  );
  process.exitCode = passed === results.length ? 0 : 1;
}

await main();
