/**
 * Reads a small configuration file (a token, the workspaces file, the web config, a
 * certificate) whatever the path points at. `/dev/zero` would otherwise be read until memory
 * runs out and a FIFO with no writer would block start-up for ever: only regular files are
 * read, up to a cap, and the open never waits for a writer.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** Thrown for a path that is not a regular file or is over the cap; `code` names which. */
export class FileRefused extends Error {
  override readonly name = 'FileRefused';
  constructor(
    readonly code: 'ENOTREGULAR' | 'ETOOLARGE',
    message: string,
  ) {
    super(message);
  }
}

/** The caps the exporter reads its files with: a token is short, a certificate chain is not long. */
export const MAX_FILE_BYTES = {
  token: 16 * 1024,
  config: 1024 * 1024,
  certificate: 1024 * 1024,
} as const;

/**
 * The file's text, or a throw: the usual fs errors (ENOENT, EACCES, EISDIR...) or FileRefused.
 * Symlinks are followed, as a Kubernetes secret mount needs.
 */
export function readSmallFile(path: string, maxBytes: number): string {
  // O_NONBLOCK: opening a FIFO for reading waits for a writer otherwise.
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!fstatSync(fd).isFile()) throw new FileRefused('ENOTREGULAR', 'not a regular file');
    // Read to one byte past the cap rather than trusting the size fstat gave: a file can grow
    // between the two, and /proc files report 0.
    const buffer = Buffer.allocUnsafe(maxBytes + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > maxBytes) throw new FileRefused('ETOOLARGE', `larger than ${formatBytes(maxBytes)}`);
    }
    return buffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}

function formatBytes(n: number): string {
  if (n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
