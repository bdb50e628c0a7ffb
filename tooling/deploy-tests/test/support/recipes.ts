// Where the recipes are: deploy/ at the root of the repository, read by the tests as shipped.
import { join } from 'node:path';

export const deployDir = join(import.meta.dirname, '../../../../deploy');
export const appDir = join(import.meta.dirname, '../fixtures/app');

export function recipe(...parts: string[]): string {
  return join(deployDir, ...parts);
}
