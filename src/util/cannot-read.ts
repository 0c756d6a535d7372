/** The one wording of a file the exporter could not read: `cannot read "<path>" (ENOENT)`. */
export function cannotRead(path: string, error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : 'unreadable';
  return `cannot read ${JSON.stringify(path)} (${code})`;
}
