/** A Kubernetes secret volume on disk, for the token-rotation tests. */
import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SecretMount {
  /** `<dir>/token`, the path a pod reads */
  readonly path: string;
  /** Rotates the secret as the kubelet does: a new directory, `..data` swapped over atomically. */
  swap(next: string): void;
}

/** `token` -> `..data/token`, `..data` -> a timestamped directory holding the token. */
export function secretMount(dir: string, token: string): SecretMount {
  let n = 0;
  const version = (content: string): string => {
    const name = `..2026_${++n}`;
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'token'), `${content}\n`);
    return name;
  };
  symlinkSync(version(token), join(dir, '..data'));
  symlinkSync(join('..data', 'token'), join(dir, 'token'));
  return {
    path: join(dir, 'token'),
    swap(next) {
      // A new symlink beside the old, renamed over it: readers see one or the other, never none.
      symlinkSync(version(next), join(dir, '..data_tmp'));
      renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
    },
  };
}
