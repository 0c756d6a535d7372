/**
 * What one benchmark run measured, as plain data: the measurements fill it, the targets judge
 * it, the Markdown writer prints it. Nothing here measures or formats.
 */
import type { Stats } from './measure.js';

export type Path = 'in-process' | 'HTTP';
export type Encoding = 'identity' | 'gzip';

export interface RenderRow {
  readonly keys: number;
  readonly encoding: Encoding;
  readonly path: Path;
  readonly ours: Stats;
  readonly baseline: Stats;
  /** Writing the same bytes, already built: a copy into a preallocated buffer, or a bare node:http server. */
  readonly floor: Stats;
  /** In-process only: Buffer.concat of our pieces, a copy that also allocates. */
  readonly concat?: Stats | undefined;
  /**
   * HTTP only: the same app and exposition answering through a web Response instead of
   * writing /metrics straight to the socket, scraped in turn with ours: what the direct write saves.
   */
  readonly responsePath?: Stats | undefined;
  readonly bytes: number;
  readonly baselineBytes: number;
}

export interface LoadRow {
  readonly keys: number;
  readonly encoding: Encoding | 'mixed';
  readonly connections: number;
  readonly seconds: number;
  readonly scrapes: number;
  readonly scrapesPerSecond: number;
  readonly latencyP50: number;
  readonly latencyP99: number;
  readonly errors: number;
  readonly renders: number;
  /** Distinct wall-clock seconds the load spanned: the most renders the cache allows. */
  readonly secondsSpanned: number;
  /** The same load against a bare node:http server writing the same bytes, already built. */
  readonly floorScrapesPerSecond: number | undefined;
}

/** glibc's malloc as it comes, or with its mmap threshold fixed (no dynamic raising). */
export type Allocator = 'default' | 'fixed-mmap-threshold';
export const FIXED_MMAP_THRESHOLD_ENV = { MALLOC_MMAP_THRESHOLD_: '131072' } as const;

/** Pages and requests of one refresh, per source. */
export interface RefreshPages {
  readonly keys: number;
  readonly budgets: number;
  /** Zero when the projects were not due (their names are cached for ORQ_PROJECTS_TTL). */
  readonly projects: number;
}

export interface FreshRow {
  readonly keys: number;
  readonly allocator: Allocator;
  /** Pages of the last (timed) refresh, per source; its floor is their sum × latency. */
  readonly pages: RefreshPages;
  /** Key-list requests of the first refresh, and of the last. */
  readonly requests: readonly [number, number];
  /** Refreshes the process made; the last is the one timed as the exporter's usual refresh. */
  readonly refreshes: number;
  /** Key-list requests the simulator saw over all of them. */
  readonly simulatorRequests: number;
  readonly latencyMs: number;
  readonly firstRefreshSeconds: number;
  /** Pages of the first refresh, all sources: its floor. */
  readonly firstPages: number;
  readonly refreshSeconds: number;
  readonly firstScrapesMs: number;
  readonly rss: number;
  readonly rssAfterGc: number;
  readonly heapAfterGc: number;
  readonly arrayBuffersAfterGc: number;
}

/** Per-scrape work no render can skip, measured alone on one core. */
export interface IrreducibleRow {
  readonly keys: number;
  /** Lines of the clock families per scrape, and how many of them have fractional values. */
  readonly clockLines: number;
  readonly fractionalValues: number;
  /** Bytes of the clock families per scrape (plain). */
  readonly clockBytes: number;
  /** String() of the fractional values alone: shortest round-trip digits, as the text format spells them. */
  readonly formatMs: number;
  /** zlib deflate of the clock families' bytes, at level 1 and at the default level, and the ratios. */
  readonly deflate1Ms: number;
  readonly deflate1Ratio: number;
  readonly deflate6Ms: number;
  readonly deflate6Ratio: number;
}

export interface PrepareRow {
  readonly keys: number;
  /** Budgets and projects the snapshot holds: they are rendered once per snapshot too. */
  readonly budgets: number;
  readonly projects: number;
  /** prepareSnapshot alone: the snapshot families and the heads of the clock families. */
  readonly prepareMs: number;
  /** prepare plus deflating the snapshot families: what a refresh adds before the next scrape. */
  readonly warmMs: number;
}

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly date: string;
  readonly load: string;
}

export interface Results {
  readonly machine: Machine;
  readonly quick: boolean;
  readonly render: readonly RenderRow[];
  readonly load: readonly LoadRow[];
  readonly fresh: readonly FreshRow[];
  /** The same exporter process with no keys, per allocator: the memory base. */
  readonly empty: readonly FreshRow[];
  readonly prepare: readonly PrepareRow[];
  readonly irreducible: readonly IrreducibleRow[];
  readonly durationSeconds: number;
}

/** The key list's page size (src/orq/client.ts). */
export const PAGE_SIZE = 200;

/**
 * Key-list requests of one refresh on the sdk wire variant: a bare array says nothing of more
 * pages, so the walk goes on while a page is full and ends at the first shorter one (an empty
 * one when the keys are a multiple of the page size).
 */
export function expectedRequests(keys: number): number {
  return Math.floor(keys / PAGE_SIZE) + 1;
}

export function totalPages(pages: RefreshPages): number {
  return pages.keys + pages.budgets + pages.projects;
}

/** What cursor pagination allows a refresh at best: each page waits for the one before. */
export function floorSeconds(row: FreshRow): number {
  return (totalPages(row.pages) * row.latencyMs) / 1000;
}

function emptyFor(row: FreshRow, empty: readonly FreshRow[]): FreshRow | undefined {
  return empty.find((e) => e.allocator === row.allocator);
}

/** Resident memory per key above the same process with no keys, after a full GC. */
export function bytesPerKey(row: FreshRow, empty: readonly FreshRow[]): number | undefined {
  const base = emptyFor(row, empty);
  if (base === undefined || row.keys === 0) return undefined;
  return (row.rssAfterGc - base.rssAfterGc) / row.keys;
}

/** What the exporter holds per key above the empty process: V8 heap plus buffers, after a full GC. */
export function liveBytesPerKey(row: FreshRow, empty: readonly FreshRow[]): number | undefined {
  const base = emptyFor(row, empty);
  if (base === undefined || row.keys === 0) return undefined;
  return (row.heapAfterGc + row.arrayBuffersAfterGc - base.heapAfterGc - base.arrayBuffersAfterGc) / row.keys;
}

export function findRender(rows: readonly RenderRow[], keys: number, encoding: Encoding, path: Path): RenderRow | undefined {
  return rows.find((r) => r.keys === keys && r.encoding === encoding && r.path === path);
}

/** The largest size's fresh process on glibc's default malloc: the one the memory figures are judged at. */
export function largestFresh(fresh: readonly FreshRow[]): FreshRow | undefined {
  return fresh.filter((r) => r.allocator === 'default').reduce<FreshRow | undefined>((a, r) => (a === undefined || r.keys > a.keys ? r : a), undefined);
}
