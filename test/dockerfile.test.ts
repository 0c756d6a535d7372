/**
 * No Docker engine runs where the tests run, so the Dockerfile is checked for what can be
 * checked without building it: what it copies exists and is not ignored, it runs the same
 * entry point as `npm start`, its health check runs the shipped probe, and it runs as a
 * non-root user.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface Instruction {
  readonly op: string;
  readonly args: string;
}

/** Instructions with continuation lines joined and comments dropped, per stage. */
function stages(text: string): Instruction[][] {
  const joined = text.replace(/\\\n/g, ' ');
  const out: Instruction[][] = [];
  for (const line of joined.split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const [op = '', ...rest] = line.split(/\s+/);
    if (op.toUpperCase() === 'FROM') out.push([]);
    out[out.length - 1]?.push({ op: op.toUpperCase(), args: rest.join(' ') });
  }
  return out;
}

const dockerfile = stages(readFileSync('Dockerfile', 'utf8'));
const ignored = readFileSync('.dockerignore', 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
const runtime = dockerfile[dockerfile.length - 1]!;

describe('Dockerfile', () => {
  it('is multi-stage on a Node LTS image', () => {
    expect(dockerfile.length).toBeGreaterThanOrEqual(2);
    for (const stage of dockerfile) {
      const major = Number(/^node:(\d+)/.exec(stage[0]!.args)?.[1]);
      expect(major).toBeGreaterThanOrEqual(20);
      expect(major % 2).toBe(0);
    }
  });

  it('copies only files that exist and that .dockerignore lets through', () => {
    const sources = dockerfile
      .flat()
      .filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(existsSync(source), source).toBe(true);
      expect(ignored.some((pattern) => source === pattern || source.startsWith(`${pattern}/`)), `${source} is ignored`).toBe(false);
    }
  });

  it('runs what npm start runs', () => {
    const entry = runtime.find((i) => i.op === 'ENTRYPOINT');
    const command = (JSON.parse(entry!.args) as string[]).join(' ');
    expect(command).toBe(pkg.scripts['start']);
    const script = command.split(' ')[1]!;
    // dist/src/main.js is compiled from src/main.ts by tsconfig.build.json.
    expect(existsSync(script.replace(/^dist\//, '').replace(/\.js$/, '.ts'))).toBe(true);
    expect(runtime.some((i) => i.op === 'COPY' && i.args.includes(script.split('/').slice(0, 2).join('/')))).toBe(true);
  });

  it('checks its health with the shipped probe, which works with TLS and basic auth on', () => {
    const check = runtime.find((i) => i.op === 'HEALTHCHECK');
    const command = JSON.parse(check!.args.replace(/^.*?CMD\s+/, '')) as string[];
    expect(command).toEqual(['node', 'dist/src/http/probe-cli.js', '/healthz']);
    // dist/src/http/probe-cli.js is compiled from src/http/probe-cli.ts and copied with dist/src.
    expect(existsSync(command[1]!.replace(/^dist\//, '').replace(/\.js$/, '.ts'))).toBe(true);
    expect(runtime.some((i) => i.op === 'COPY' && i.args.endsWith(' ./dist/src'))).toBe(true);
    // A plain fetch of /healthz, as before, gets a 401 with basic auth and a 400 with TLS.
    expect(check!.args).not.toContain('fetch(');
  });

  it('runs as a numeric non-root user', () => {
    const user = runtime.filter((i) => i.op === 'USER').pop();
    const [uid, gid] = user!.args.split(':').map(Number);
    expect(uid).toBeGreaterThan(0);
    expect(gid).toBeGreaterThan(0);
  });

  it('ships no dev dependencies', () => {
    expect(dockerfile[0]!.some((i) => i.op === 'RUN' && i.args.includes('npm prune --omit=dev'))).toBe(true);
  });
});
