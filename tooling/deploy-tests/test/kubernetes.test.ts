// deploy/kubernetes/: no cluster here, so the manifests are validated against the Kubernetes API
// schemas (kubernetes-models: the OpenAPI spec compiled by ajv; plus TypeScript's excess-property
// check for misspelt fields) and their numbers are tied to gu's flags: probes on the health port
// gu binds, a grace period above preStop + graceful_timeout, the Service on the app port.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanUp, httpGet, runGu, startGu } from '@gu/testkit';
import { parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Service } from 'kubernetes-models/v1/Service';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { appDir, deployDir, recipe } from './support/recipes.js';
import { typeErrors } from './support/excess-fields.js';

interface Manifest { kind: string; value: Record<string, unknown> }

function manifests(file: string): Manifest[] {
  return parseAllDocuments(readFileSync(recipe('kubernetes', file), 'utf8')).map((document) => {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors.map(String).join('; ')}`);
    const value = document.toJS() as Record<string, unknown>;
    return { kind: String(value.kind), value };
  });
}

const all = [...manifests('deployment.yaml'), ...manifests('service.yaml')];
const deployment = new Deployment(all.find((m) => m.kind === 'Deployment')?.value);
const service = new Service(all.find((m) => m.kind === 'Service')?.value);
const pod = deployment.spec?.template.spec;
const container = pod?.containers[0] as IContainer;
const args = container.args ?? [];

/** The value of `--flag VALUE` in the container's args. */
function flag(name: string): string {
  const at = args.indexOf(name);
  if (at < 0 || at + 1 >= args.length) throw new Error(`the container's args have no ${name} VALUE`);
  return args[at + 1] ?? '';
}

/** A probe's or Service's port (a number or the name of a container port) as a number. */
function portNumber(port: number | string | undefined): number {
  if (typeof port === 'number') return port;
  const named = container.ports?.find((candidate) => candidate.name === port);
  if (!named) throw new Error(`no container port named ${String(port)}`);
  return named.containerPort;
}

/** The container's environment as the manifest sets it. */
function containerEnv(): Record<string, string> {
  return Object.fromEntries((container.env ?? []).map((variable) => [variable.name, variable.value ?? '']));
}

afterEach(cleanUp);

describe('deploy/kubernetes manifests', () => {
  it('validate against the Kubernetes API schemas, with no field the API does not know', () => {
    expect(all.map((m) => m.kind).sort()).toEqual(['Deployment', 'Service']);
    expect(() => deployment.validate()).not.toThrow();
    expect(() => service.validate()).not.toThrow();
    expect(typeErrors(all)).toEqual([]);
  });

  it('the schema check has teeth: a misspelt field and a wrong type are caught', () => {
    const value = structuredClone(all.find((m) => m.kind === 'Deployment')?.value ?? {});
    const spec = (value.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec;
    const first = spec.containers[0] ?? {};
    first.readinesProbe = first.readinessProbe;
    expect(typeErrors([{ kind: 'Deployment', value }]).join('\n')).toMatch(/readinesProbe/);
    first.ports = [{ containerPort: '8000' }];
    expect(() => new Deployment(value as never).validate()).toThrow(/containerPort must be integer/);
  });

  it('probes: readiness on /readyz and liveness on /livez of the port --health-bind binds', () => {
    const healthPort = Number(/:(\d+)$/.exec(flag('--health-bind'))?.[1]);
    expect(container.readinessProbe?.httpGet).toMatchObject({ path: '/readyz' });
    expect(container.livenessProbe?.httpGet).toMatchObject({ path: '/livez' });
    expect(portNumber(container.readinessProbe?.httpGet?.port)).toBe(healthPort);
    expect(portNumber(container.livenessProbe?.httpGet?.port)).toBe(healthPort);
    // The kubelet probes the pod's IP: the health listener must not be loopback-only.
    expect(flag('--health-bind')).toMatch(/^0\.0\.0\.0:/);
  });

  it('terminationGracePeriodSeconds is above the preStop sleep plus graceful_timeout', () => {
    const graceful = Number(flag('--graceful-timeout'));
    const preStop = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
    expect(preStop).toBeGreaterThan(0);
    expect(pod?.terminationGracePeriodSeconds).toBeGreaterThan(preStop + graceful);
  });

  it('the Service sends to the port gu binds (PORT), selects the pods, and leaves the health port out', () => {
    const appPort = Number(containerEnv().PORT);
    expect(args).not.toContain('--bind');
    expect(service.spec?.ports?.map((port) => portNumber(port.targetPort))).toEqual([appPort]);
    expect(service.spec?.selector).toEqual(deployment.spec?.selector.matchLabels);
    expect(deployment.spec?.template.metadata?.labels).toMatchObject(deployment.spec?.selector.matchLabels ?? {});
  });

  it('runs as the image\'s user with a read-only root and a writable /tmp for the heartbeats; memory limit above the workers\' cap', () => {
    expect(pod?.securityContext?.runAsUser).toBe(1000);
    expect(container.securityContext?.readOnlyRootFilesystem).toBe(true);
    expect(container.volumeMounts?.map((mount) => mount.mountPath)).toContain('/tmp');
    const env = containerEnv();
    const limitMiB = Number(/^(\d+)Mi$/.exec(String(container.resources?.limits?.memory))?.[1]);
    expect(limitMiB).toBeGreaterThan(Number(env.WEB_CONCURRENCY) * Number(flag('--max-worker-memory')));
    expect(deployment.spec?.strategy?.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
  });

  it('requests the CPU docs/deploy.md plans for its workers: W × 0.5 to W × 1 cores, and no CPU limit', () => {
    const workers = Number(containerEnv().WEB_CONCURRENCY);
    const requested = String(container.resources?.requests?.cpu);
    const cores = requested.endsWith('m') ? Number(requested.slice(0, -1)) / 1000 : Number(requested);
    expect(cores).toBeGreaterThanOrEqual(workers * 0.5);
    expect(cores).toBeLessThanOrEqual(workers);
    expect(container.resources?.limits?.cpu).toBeUndefined();
  });
});

describe('deploy/kubernetes: the container\'s args and env with the real gu', () => {
  it('are settings gu accepts and an app it loads (--check-config)', async () => {
    const result = await runGu([...args, '--check-config'], { cwd: appDir, env: containerEnv() });
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
  });

  it('readiness turns 503 at TERM while a request drains; gu exits 0 within the grace period', async () => {
    const local = args.map((arg, index) => (args[index - 1] === '--health-bind' ? '127.0.0.1:0' : arg));
    const env: Record<string, string> = { ...containerEnv(), GU_CMD_ARGS: '--bind 127.0.0.1:0' };
    const server = await startGu(local, { cwd: appDir, env, workers: Number(env.WEB_CONCURRENCY) });
    const health = (await server.waitForLog(/Health endpoints at: (http:\/\/\S+)/))[0]?.[1] ?? '';
    expect((await httpGet(`${health}/livez`)).status).toBe(200);
    expect((await httpGet(`${health}/readyz`)).status).toBe(200);
    const slow = httpGet(`${server.url}/slow?ms=1500`, { timeoutMs: 15_000 });
    await server.waitForLog(/slow request began/);
    const signalled = performance.now();
    server.signal('SIGTERM');
    // The arbiter handles signals in its loop: once it logs the TERM, readiness must say 503.
    await server.waitForLog(/Handling signal: term/);
    expect((await httpGet(`${health}/readyz`)).status).toBe(503);
    expect((await slow).status).toBe(200);
    expect(await server.exited).toEqual({ code: 0, signal: null });
    const budget = (pod?.terminationGracePeriodSeconds ?? 30) - (container.lifecycle?.preStop?.sleep?.seconds ?? 0);
    expect(performance.now() - signalled).toBeLessThan(budget * 1000);
  });
});

describe('the Kubernetes example in docs/operations.md', () => {
  it("validates as a Deployment, with a grace period above graceful_timeout plus preStop", () => {
    const page = readFileSync(join(deployDir, '..', 'docs', 'operations.md'), 'utf8');
    const blocks = [...page.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
    const documented = blocks.flatMap((block) => parseAllDocuments(block).map((document) => document.toJS() as Record<string, unknown>));
    const deployments = documented.filter((value) => value.kind === 'Deployment');
    expect(deployments).toHaveLength(1);
    const example = new Deployment(deployments[0]);
    expect(() => example.validate()).not.toThrow();
    expect(typeErrors(deployments.map((value) => ({ kind: 'Deployment', value })))).toEqual([]);
    const spec = example.spec?.template.spec;
    const command = spec?.containers[0]?.command ?? [];
    const graceful = Number(command[command.indexOf('--graceful-timeout') + 1]);
    const preStop = spec?.containers[0]?.lifecycle?.preStop?.sleep?.seconds ?? 0;
    expect(graceful).toBeGreaterThan(0);
    expect(spec?.terminationGracePeriodSeconds).toBeGreaterThan(graceful + preStop);
  });
});
