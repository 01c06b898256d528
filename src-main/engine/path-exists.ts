import { access } from 'node:fs/promises';

/** True when the path can be reached now; never throws. */
export const pathExists = (p: string): Promise<boolean> =>
  access(p).then(
    () => true,
    () => false,
  );
