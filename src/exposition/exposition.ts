/**
 * Serves the whole exposition of a set of workspaces as a list of buffers. The snapshot
 * families are rendered (and gzipped) once per snapshot; the clock-dependent families and the
 * exporter's own metrics once per second at most, shared by every scrape of that second.
 * A gzip body is several gzip members back to back, which gzip readers (Prometheus's among
 * them) read as one stream; that lets the big snapshot part be compressed only once.
 */
import { promisify } from 'node:util';
import { gzip as gzipCallback, constants as zlib } from 'node:zlib';
import type { Registry } from 'prom-client';
import type { Snapshot } from '../snapshot.js';
import { prepareSnapshot, SNAPSHOT_FAMILIES, type PreparedSnapshot } from './prepare.js';
import { renderScrapeFamilies } from './scrape.js';
import { familyHeader } from './text.js';

const gzip = promisify(gzipCallback);
const GZIP_OPTIONS = { level: zlib.Z_DEFAULT_COMPRESSION };

export type Encoding = 'identity' | 'gzip';

export interface ExpositionOptions {
  /** The current snapshot of each workspace, undefined before its first successful refresh. */
  readonly snapshots: () => ReadonlyArray<Snapshot | undefined>;
  readonly registry: Registry;
  /** Wall clock in ms. */
  readonly now?: () => number;
}

const HEADERS = SNAPSHOT_FAMILIES.map((f) => Buffer.from(familyHeader(f), 'utf8'));
const GZIPPED_HEADERS = Promise.all(HEADERS.map((h) => gzip(h, GZIP_OPTIONS)));

interface Prepared {
  readonly value: PreparedSnapshot;
  gzipped?: Promise<Buffer[]>;
}

export class Exposition {
  readonly #options: ExpositionOptions;
  readonly #now: () => number;
  /** Newest prepared render of each snapshot; the old one is dropped with its snapshot. */
  #prepared = new WeakMap<Snapshot, Prepared>();
  #cached: { key: string; body: Promise<Buffer[]> } | undefined;
  #renders = 0;

  constructor(options: ExpositionOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** How many bodies were rendered (not served from the per-second cache); for tests and the bench. */
  get renders(): number {
    return this.#renders;
  }

  /** Prepares (and gzips) a new snapshot ahead of the next scrape, off the scrape's path. */
  async warm(snapshot: Snapshot): Promise<void> {
    await this.#gzipped(this.#prepare(snapshot));
  }

  /** The body for one scrape; concurrent scrapes of the same second share one render. */
  body(encoding: Encoding): Promise<Buffer[]> {
    const nowMs = this.#now();
    const current = this.#options.snapshots().filter((s): s is Snapshot => s !== undefined);
    const key = `${encoding}|${Math.floor(nowMs / 1000)}|${current.map((s) => `${s.workspace}@${s.version}`).join(',')}`;
    if (this.#cached?.key !== key) {
      const body = this.#render(current, nowMs, encoding);
      this.#cached = { key, body };
      // A failed render must not stick for the rest of the second.
      body.catch(() => {
        if (this.#cached?.body === body) this.#cached = undefined;
      });
    }
    return this.#cached.body;
  }

  /** The whole exposition as text, for tests and tools. */
  async text(): Promise<string> {
    return Buffer.concat(await this.body('identity')).toString('utf8');
  }

  async #render(snapshots: readonly Snapshot[], nowMs: number, encoding: Encoding): Promise<Buffer[]> {
    this.#renders++;
    const prepared = snapshots.map((s) => this.#prepare(s));
    const values = prepared.map((p) => p.value);
    const dynamic = Buffer.from(renderScrapeFamilies(values, nowMs / 1000) + (await this.#options.registry.metrics()), 'utf8');

    if (encoding === 'identity') {
      return [...interleave(HEADERS, values.map((v) => v.chunks)), dynamic];
    }
    const [headers, chunks, tail] = await Promise.all([
      GZIPPED_HEADERS,
      Promise.all(prepared.map((p) => this.#gzipped(p))),
      gzip(dynamic, GZIP_OPTIONS),
    ]);
    return [...interleave(headers, chunks), tail];
  }

  #prepare(snapshot: Snapshot): Prepared {
    let prepared = this.#prepared.get(snapshot);
    if (!prepared) {
      prepared = { value: prepareSnapshot(snapshot) };
      this.#prepared.set(snapshot, prepared);
    }
    return prepared;
  }

  #gzipped(prepared: Prepared): Promise<Buffer[]> {
    prepared.gzipped ??= Promise.all(prepared.value.chunks.map((c) => (c.length === 0 ? c : gzip(c, GZIP_OPTIONS))));
    return prepared.gzipped;
  }
}

/** Family by family: the family's header, then each workspace's lines of that family. */
function interleave(headers: readonly Buffer[], perWorkspace: ReadonlyArray<readonly Buffer[]>): Buffer[] {
  const out: Buffer[] = [];
  headers.forEach((header, family) => {
    out.push(header);
    for (const chunks of perWorkspace) {
      const chunk = chunks[family];
      if (chunk !== undefined && chunk.length > 0) out.push(chunk);
    }
  });
  return out;
}
