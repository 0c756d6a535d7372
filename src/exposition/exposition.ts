/**
 * Serves the whole exposition of a set of workspaces as a list of buffers. The snapshot
 * families are rendered (and gzipped) once per snapshot; the clock-dependent families and the
 * exporter's own metrics once per second at most, shared by every scrape of that second.
 * A gzip body is one gzip member assembled from pieces deflated separately, so the big
 * snapshot part is compressed only once per snapshot (gzip.ts).
 */
import type { Registry } from 'prom-client';
import type { Snapshot } from '../snapshot.js';
import { prepareSnapshot, SNAPSHOT_FAMILIES, type PreparedSnapshot } from './prepare.js';
import { renderScrapeFamilies } from './scrape.js';
import { familyHeader } from './text.js';
import { deflatePiece, gzipMember, type DeflatedPiece } from './gzip.js';

export type Encoding = 'identity' | 'gzip';

export interface ExpositionOptions {
  /** The current snapshot of each workspace, undefined before its first successful refresh. */
  readonly snapshots: () => ReadonlyArray<Snapshot | undefined>;
  readonly registry: Registry;
  /** Wall clock in ms. */
  readonly now?: () => number;
}

const HEADERS = SNAPSHOT_FAMILIES.map((f) => Buffer.from(familyHeader(f), 'utf8'));
const DEFLATED_HEADERS = Promise.all(HEADERS.map((h) => deflatePiece(h, false)));

interface Prepared {
  readonly value: PreparedSnapshot;
  deflated?: Promise<DeflatedPiece[]>;
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
    await this.#deflated(this.#prepare(snapshot));
  }

  /** Drops the per-second cache, so the next scrape shows what just changed (a refresh outcome). */
  invalidate(): void {
    this.#cached = undefined;
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
      DEFLATED_HEADERS,
      Promise.all(prepared.map((p) => this.#deflated(p))),
      deflatePiece(dynamic, true),
    ]);
    return gzipMember([...interleave(headers, chunks), tail]);
  }

  #prepare(snapshot: Snapshot): Prepared {
    let prepared = this.#prepared.get(snapshot);
    if (!prepared) {
      prepared = { value: prepareSnapshot(snapshot) };
      this.#prepared.set(snapshot, prepared);
    }
    return prepared;
  }

  #deflated(prepared: Prepared): Promise<DeflatedPiece[]> {
    prepared.deflated ??= Promise.all(prepared.value.chunks.map((c) => deflatePiece(c, false)));
    return prepared.deflated;
  }
}

/** Family by family: the family's header, then each workspace's lines of that family. */
function interleave<T extends { readonly length: number }>(headers: readonly T[], perWorkspace: ReadonlyArray<readonly T[]>): T[] {
  const out: T[] = [];
  headers.forEach((header, family) => {
    out.push(header);
    for (const chunks of perWorkspace) {
      const chunk = chunks[family];
      if (chunk !== undefined && chunk.length > 0) out.push(chunk);
    }
  });
  return out;
}
