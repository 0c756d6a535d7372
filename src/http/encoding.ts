/** Whether the client accepts gzip, by the Accept-Encoding rules (a q of 0 refuses it). */
export function acceptsGzip(header: string | undefined | null): boolean {
  if (!header) return false;
  let gzip: number | undefined;
  let star: number | undefined;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    const value = Number.isFinite(weight) ? weight : 0;
    if (name.trim() === 'gzip' || name.trim() === 'x-gzip') gzip = value;
    else if (name.trim() === '*') star = value;
  }
  return (gzip ?? star ?? 0) > 0;
}
