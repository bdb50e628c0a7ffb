import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { cleanUp, guBin, tempDir } from '@gu/testkit';
import { unsupportedNodeMessage } from '../../src/cli/node-version.js';

afterEach(cleanUp);

const engines = (JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { engines: { node: string } })
  .engines.node;
const needed = engines.replace(/^>=\s*/, '');

const olderThanEngines = (version: string): boolean => unsupportedNodeMessage(version, engines, 'node') !== null;

/**
 * A Node on this machine older than @gu/core's engines: the machine's own (CI and developers have
 * one under the project's Node 24, which tooling/bootstrap.sh puts first on PATH), else null.
 */
function findOldNode(): { path: string; version: string } | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/local/bin', '/bin'];
  const candidates = [...new Set(dirs.filter((dir) => dir !== '' && dir !== dirname(process.execPath)).map((dir) => join(dir, 'node')))];
  for (const path of candidates.filter((candidate) => existsSync(candidate))) {
    let version: string;
    try {
      version = execFileSync(path, ['-p', 'process.versions.node'], { encoding: 'utf8', timeout: 10_000 }).trim();
    } catch {
      continue;
    }
    if (olderThanEngines(version)) return { path, version };
  }
  return null;
}

const oldNode = findOldNode();

function runWith(node: string, args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [guBin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: 15_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const commands: string[][] = [['--version'], ['--help'], ['app.js'], ['app.js:app', '-k', 'sync', '-b', '127.0.0.1:0'], ['--check-config'], ['--print-config']];
const title = oldNode
  ? `on Node ${oldNode.version} (${oldNode.path}), every command says which Node it found and which it needs, in one line, exit 2`
  : `skipped: no Node older than ${needed} on PATH, /usr/bin, /usr/local/bin or /bin to run gu with`;

describe('gu on a Node older than engines', () => {
  it.skipIf(oldNode === null)(title, async () => {
    const { path, version } = oldNode!;
    const project = tempDir('gu-old-node-');
    writeFileSync(join(project, 'app.js'), 'module.exports = (req, res) => res.end("ok");\n');
    for (const args of commands) {
      const result = await runWith(path, args, project);
      expect({ args, code: result.code, stdout: result.stdout }).toEqual({ args, code: 2, stdout: '' });
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines, `gu ${args.join(' ')}`).toHaveLength(1);
      expect(lines[0]).toBe(`gu: error: gu needs Node ${needed} or newer, and this is Node ${version} (${path}): put a newer Node first on PATH`);
    }
  });

  it('runs on the Node that runs the tests (which is recent enough)', async () => {
    const result = await runWith(process.execPath, ['--version'], tempDir('gu-new-node-'));
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^gu \(version \d+\.\d+\.\d+/);
  });
});
