import { FileRefused } from './read-file.js';

/**
 * The one wording of a file the exporter could not read: `cannot read "<path>" (ENOENT)`, or
 * for a file refused by readSmallFile, why: `cannot read "<path>" (not a regular file)`.
 */
export function cannotRead(path: string, error: unknown): string {
  if (error instanceof FileRefused) return `cannot read ${JSON.stringify(path)} (${error.message})`;
  const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : 'unreadable';
  return `cannot read ${JSON.stringify(path)} (${code})`;
}
