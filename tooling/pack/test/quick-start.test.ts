import { afterEach, describe, expect, inject, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cleanUp, httpGet, startGu, tempDir } from '@gu/testkit';
import { workspaceRoot } from '@gu/pack';
import { freshProject, stopGracefully, userEnv } from './user-project.js';

afterEach(cleanUp);

/** The commands of each ```sh block of the README's quick start, without their comments. */
function quickStartBlocks(): string[][] {
  const readme = readFileSync(join(workspaceRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Quick start in your project'));
  const end = section.indexOf('\n## ', 1);
  const blocks = [...section.slice(0, end).matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  return blocks.map((block) =>
    block
      .split('\n')
      .map((line) => line.replace(/\s+#.*$/, '').trim())
      .filter(Boolean),
  );
}

const [install = [], commands = []] = quickStartBlocks();

/** The apps the quick start's comments describe, in a project as `npm init -y` makes it ("type": "commonjs"). */
const appFiles = {
  'app.js': "module.exports = (req, res) => res.end('hello from app.js');\n",
  'server.ts': [
    "import type { IncomingMessage, ServerResponse } from 'node:http';",
    'export async function createApp(environment: string) {',
    '  return (req: IncomingMessage, res: ServerResponse): void => res.end(`hello from server.ts in ${environment}`);',
    '}',
  ].join('\n'),
};
const expectedBodies: Record<string, string> = { app: 'hello from app.js', server: 'hello from server.ts in prod' };

// A command that binds a fixed port (0.0.0.0:8000) is left out: tests bind port 0 only, which the
// others get from GU_CMD_ARGS, as any gu command line without -b would.
const serving = commands.filter((command) => command.startsWith('npx gu ') && !/\s-b\s/.test(command));

describe("the README's quick start, as written", () => {
  it('packs with tooling/run pack and installs the tarballs of core and the default worker class', () => {
    expect(install[0]).toBe('tooling/run pack');
    expect(install).toContain('gu_tarballs=$PWD/tarballs');
    expect(install.at(-1)).toBe('npm i "$gu_tarballs/gu-core.tgz" "$gu_tarballs/gu-worker-async.tgz"');
    expect(serving).toHaveLength(3);
  });

  it('serves each of its gu commands from a fresh project that ran its npm i line', async () => {
    const project = await freshProject(tempDir('gu-quick-start-'), appFiles);
    const installLines = install.slice(install.findIndex((line) => line.startsWith('cd ')) + 1);
    await promisify(execFile)('sh', ['-ec', installLines.join('\n')], {
      cwd: project,
      env: { ...process.env, ...userEnv, gu_tarballs: inject('tarballs') },
      timeout: 150_000,
    });
    for (const command of serving) {
      const gu = await startGu([], {
        cwd: project,
        command: ['sh', '-c', `exec ${command} "$@"`, 'sh'],
        env: { ...userEnv, GU_CMD_ARGS: '-b 127.0.0.1:0' },
      });
      const module = /npx gu '?(\w+)/.exec(command)?.[1] ?? '';
      expect(await httpGet(gu.url), command).toMatchObject({ status: 200, body: expectedBodies[module] });
      await stopGracefully(gu);
    }
  });
});
