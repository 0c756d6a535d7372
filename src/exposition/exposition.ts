/**
 * Serves the whole exposition of a set of workspaces as a metrics body (body.ts). The snapshot
 * families are prepared (and gzipped) once per snapshot; the clock-dependent families and the
 * exporter's own metrics once per second at most, shared by every scrape of that second,
 * whatever encoding each asks for. A gzip body is one gzip member assembled from pieces
 * deflated separately, so the big snapshot part is compressed only once per snapshot (gzip.ts);
 * a plain body writes its text out as it is sent.
 */
import { constants } from 'node:zlib';
import type { Registry } from 'prom-client';
import type { Snapshot } from '../snapshot.js';
import { prepareSnapshot, SNAPSHOT_FAMILIES, type PreparedSnapshot } from './prepare.js';
import { EXPIRED_HEADER, renderClockFamilies, type ClockRender, type ExpiredText } from './scrape.js';
import { familyHeader } from './text.js';
import { deflateLines, deflatePiece, deflateTexts, gzipMember, type DeflatedPiece } from './gzip.js';
import { linesBytes, linesThrough, type Lines } from './lines.js';
import { BLOCK_BYTES, bodyBytes, metricsBody, sharedText, type LazyText, type MetricsBody } from './body.js';

export type Encoding = 'identity' | 'gzip';

export interface ExpositionOptions {
  /** The current snapshot of each workspace, undefined before its first successful refresh. */
  readonly snapshots: () => ReadonlyArray<Snapshot | undefined>;
  readonly registry: Registry;
  /** Wall clock in ms. */
  readonly now?: () => number;
}

/**
 * zlib level for what is deflated at every scrape. On this text level 1 is about twice as
 * fast as the default and only a few per cent larger; the snapshot part, deflated once per
 * snapshot, keeps the default (bench/RESULTS.md has the figures).
 */
const SCRAPE_LEVEL = 1;

const HEADERS = SNAPSHOT_FAMILIES.map((f) => Buffer.from(familyHeader(f), 'utf8'));
const DEFLATED_HEADERS = Promise.all(HEADERS.map((h) => deflatePiece(h, false)));
const DEFLATED_EXPIRED_HEADER = deflatePiece(EXPIRED_HEADER, false);

interface Prepared {
  readonly value: PreparedSnapshot;
  /** Each snapshot family's blocks, deflated once. */
  deflated?: Promise<DeflatedPiece[][]>;
  /** The last expired text rendered, reused by later seconds while no key crosses its expiry. */
  expired?: ExpiredText;
}

interface Rendered {
  readonly prepared: readonly Prepared[];
  readonly clock: ClockRender;
  readonly registry: Buffer;
}

interface Second {
  readonly key: string;
  /** Whole Unix seconds. */
  readonly second: number;
  readonly rendered: Promise<Rendered>;
  plain?: Promise<MetricsBody>;
  gzip?: Promise<MetricsBody>;
}

export class Exposition {
  readonly #options: ExpositionOptions;
  readonly #now: () => number;
  /** Newest prepared render of each snapshot; the old one is dropped with its snapshot. */
  #prepared = new WeakMap<Snapshot, Prepared>();
  /**
   * The plain text of the current snapshots' families, shared by the plain scrapes of every
   * second until a snapshot changes: written out for each scrape until a second one asks, then
   * kept (body.ts sharedText). Only a scraper that does not ask for gzip pays its memory.
   */
  #plainSnapshot: { readonly of: readonly Prepared[]; readonly text: LazyText } | undefined;
  /** The deflated expired text, kept as long as the text is (it is reused across seconds). */
  #deflatedExpiredTexts = new WeakMap<ExpiredText, Promise<DeflatedPiece>>();
  #cached: Second | undefined;
  #dropTimer: NodeJS.Timeout | undefined;
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
    // The text of the snapshot this one replaces is not kept alive waiting for a plain scrape.
    this.#plainSnapshot = undefined;
    await this.#deflated(this.#prepare(snapshot));
  }

  /** Drops the per-second cache, so the next scrape shows what just changed (a refresh outcome). */
  invalidate(): void {
    this.#cached = undefined;
  }

  /**
   * The body for one scrape; every scrape of the same second shares one render, whichever
   * encoding it asks for. Values are computed at the start of that second, not at the first
   * scrape's millisecond: the body of a second is then the same whichever scrape came first,
   * and whole seconds print as short integers instead of 17-digit fractions.
   */
  body(encoding: Encoding): Promise<MetricsBody> {
    const second = Math.floor(this.#now() / 1000);
    const current = this.#options.snapshots().filter((s): s is Snapshot => s !== undefined);
    const key = `${second}|${current.map((s) => `${s.workspace}@${s.version}`).join(',')}`;
    let cached = this.#cached;
    if (cached?.key !== key) {
      const rendered = this.#render(current, second);
      const fresh: Second = { key, second, rendered };
      this.#cached = cached = fresh;
      // A failed render must not stick for the rest of the second.
      rendered.catch(() => {
        if (this.#cached === fresh) this.#cached = undefined;
      });
      this.#dropAfter(second);
    }
    return encoding === 'identity' ? this.#plainOf(cached) : this.#gzipOf(cached);
  }

  /**
   * A render is only ever served within its second; after that it is megabytes held for
   * nothing until the next scrape, 15 to 60 seconds later. Dropped once the clock has moved on
   * (a clock a test holds still keeps it).
   */
  #dropAfter(second: number): void {
    // One timer at a time, holding a number rather than the render: a clock that moves faster
    // than the wall clock (the benchmark's) would otherwise keep a render alive per timer.
    clearTimeout(this.#dropTimer);
    const untilNextSecond = (second + 1) * 1000 - this.#now();
    this.#dropTimer = setTimeout(() => {
      this.#dropTimer = undefined;
      if (this.#cached?.second === second && Math.floor(this.#now() / 1000) !== second) this.#cached = undefined;
    }, Math.max(0, untilNextSecond) + 50);
    this.#dropTimer.unref();
  }

  /** The whole exposition as text, for tests and tools. */
  async text(): Promise<string> {
    return bodyBytes(await this.body('identity')).toString('utf8');
  }

  async #render(snapshots: readonly Snapshot[], second: number): Promise<Rendered> {
    this.#renders++;
    const prepared = snapshots.map((s) => this.#prepare(s));
    const clock = renderClockFamilies(
      prepared.map((p) => p.value),
      second,
      prepared.map((p) => p.expired),
    );
    prepared.forEach((p, i) => (p.expired = clock.expired[i]));
    const registry = Buffer.from(await this.#options.registry.metrics(), 'utf8');
    return { prepared, clock, registry };
  }

  /**
   * The second's plain body, shared by its plain scrapes. The snapshot families in it are
   * written out by each scrape as it sends them (body.ts): only a plain scrape needs them
   * whole, and Prometheus asks for gzip.
   */
  #plainOf(second: Second): Promise<MetricsBody> {
    if (second.plain) return second.plain;
    const plain = second.rendered.then(({ prepared, clock, registry }) =>
      metricsBody([
        this.#plainSnapshotText(prepared),
        sharedText(clock.days),
        EXPIRED_HEADER,
        ...clock.expired.map((e) => e.text).filter((t) => t.length > 0),
        sharedText(clock.rest),
        registry,
      ]),
    );
    second.plain = plain;
    plain.catch(() => {
      if (second.plain === plain) delete second.plain;
    });
    return plain;
  }

  #plainSnapshotText(prepared: readonly Prepared[]): LazyText {
    const current = this.#plainSnapshot;
    if (current !== undefined && current.of.length === prepared.length && current.of.every((p, i) => p === prepared[i])) return current.text;
    const text = sharedText(snapshotText(HEADERS, prepared.map((p) => p.value.families)));
    this.#plainSnapshot = { of: prepared, text };
    return text;
  }

  /** The second's gzip body, deflated by the first gzip scrape and shared by the rest. */
  #gzipOf(second: Second): Promise<MetricsBody> {
    if (second.gzip) return second.gzip;
    const gzip = second.rendered.then((r) => this.#gzip(r));
    second.gzip = gzip;
    gzip.catch(() => {
      if (second.gzip === gzip) delete second.gzip;
    });
    return gzip;
  }

  async #gzip(rendered: Rendered): Promise<MetricsBody> {
    const { prepared, clock, registry } = rendered;
    const [headers, statics, days, rest, expiredHeader, expired, tail] = await Promise.all([
      DEFLATED_HEADERS,
      Promise.all(prepared.map((p) => this.#deflated(p))),
      deflateTexts(clock.days.blocks(), SCRAPE_LEVEL),
      deflateTexts(clock.rest.blocks(), SCRAPE_LEVEL),
      DEFLATED_EXPIRED_HEADER,
      Promise.all(clock.expired.filter((e) => e.text.length > 0).map((e) => this.#deflatedExpired(e))),
      deflatePiece(registry, true, SCRAPE_LEVEL),
    ]);
    const snapshotPieces: DeflatedPiece[] = [];
    headers.forEach((header, family) => {
      snapshotPieces.push(header);
      for (const workspace of statics) snapshotPieces.push(...(workspace[family] ?? []));
    });
    return metricsBody(gzipMember([...snapshotPieces, days, expiredHeader, ...expired, rest, tail]));
  }

  #prepare(snapshot: Snapshot): Prepared {
    let prepared = this.#prepared.get(snapshot);
    if (!prepared) {
      prepared = { value: prepareSnapshot(snapshot) };
      this.#prepared.set(snapshot, prepared);
    }
    return prepared;
  }

  #deflated(prepared: Prepared): Promise<DeflatedPiece[][]> {
    prepared.deflated ??= deflateLines(prepared.value.families, constants.Z_DEFAULT_COMPRESSION);
    return prepared.deflated;
  }

  #deflatedExpired(expired: ExpiredText): Promise<DeflatedPiece> {
    let deflated = this.#deflatedExpiredTexts.get(expired);
    if (!deflated) {
      deflated = deflateTexts(expired.text.blocks(), SCRAPE_LEVEL);
      this.#deflatedExpiredTexts.set(expired, deflated);
    }
    return deflated;
  }
}

/**
 * Family by family, the family's header, then each workspace's lines of that family, written
 * out block by block into one block per sending.
 */
function snapshotText(headers: readonly Buffer[], perWorkspace: ReadonlyArray<readonly Lines[]>): LazyText {
  let length = 0;
  headers.forEach((header, family) => {
    length += header.length;
    for (const lines of perWorkspace) length += linesBytes(lines[family]!);
  });
  function* blocks(): Generator<Buffer, void, undefined> {
    const cursor = { block: Buffer.allocUnsafeSlow(Math.min(BLOCK_BYTES, length)), to: 0 };
    for (let family = 0; family < headers.length; family++) {
      const header = headers[family]!;
      if (cursor.to + header.length > cursor.block.length) {
        yield cursor.block.subarray(0, cursor.to);
        cursor.to = 0;
      }
      cursor.to += header.copy(cursor.block, cursor.to);
      for (const workspace of perWorkspace) yield* linesThrough(cursor, workspace[family]!);
    }
    if (cursor.to > 0) yield cursor.block.subarray(0, cursor.to);
  }
  return { length, blocks };
}
