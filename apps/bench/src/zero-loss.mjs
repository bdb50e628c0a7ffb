#!/usr/bin/env node
// Zero-loss runs: does recycling, reloading, scaling or a worker's TERM cost a client a request?
// Each scenario starts the real gu (packages/core/dist, built by `tooling/run bench zero-loss`) on
// src/pid-app.mjs, loads it with keep-alive and fresh-connection clients, disturbs it, and counts
// the failed requests; pm2 runs the same load when it is on PATH. See README.md.
// Exit codes: 0 once the table is printed (whatever it shows), 1 when a scenario could not run,
// 2 on a bad flag, 130 when interrupted.
import { parseArgs } from 'node:util';
import { describeLoad, findPm2, guScenarios, killAllGu, runGuScenario, runPm2Scenario, scenarioNames } from './zero-loss-scenarios.mjs';

const integerFlags = {
  duration: { default: 10, quick: 3, min: 1, max: 600, help: 'seconds of load per scenario' },
  'keep-alive-clients': { default: 10, min: 0, max: 1000, help: 'clients reusing one keep-alive connection each' },
  'fresh-clients': { default: 10, min: 0, max: 1000, help: 'clients opening a new connection per request' },
  'max-requests': { default: 1000, min: 1, max: 1_000_000, help: "gu's --max-requests in the recycle scenario" },
  delay: { default: 0, min: 0, max: 10_000, help: 'milliseconds the app waits before answering (?delay=)' },
};
const booleanFlags = {
  quick: { help: `a smoke run: --duration ${integerFlags.duration.quick} unless given` },
  json: { help: 'print the results as JSON instead of the table' },
  help: { help: 'print this help' },
};

const usage = [
  'usage: tooling/run bench zero-loss [flags]    (or: node apps/bench/src/zero-loss.mjs [flags])',
  ...Object.entries(integerFlags).map(([name, flag]) => `  --${name} N`.padEnd(26) + `${flag.help} (default ${flag.default})`),
  `  --scenarios LIST`.padEnd(26) + `comma-separated, of ${scenarioNames.join(', ')} (default all)`,
  ...Object.entries(booleanFlags).map(([name, flag]) => `  --${name}`.padEnd(26) + flag.help),
].join('\n');

class UsageError extends Error {}

function parseOptions(argv) {
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.fromEntries(Object.keys(integerFlags).map((name) => [name, { type: 'string' }])),
        ...Object.fromEntries(Object.keys(booleanFlags).map((name) => [name, { type: 'boolean' }])),
        scenarios: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new UsageError(error.message);
  }
  const integer = (name) => {
    const flag = integerFlags[name];
    const text = values[name];
    if (text === undefined) return values.quick && flag.quick !== undefined ? flag.quick : flag.default;
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < flag.min || value > flag.max) {
      throw new UsageError(`--${name}: expected an integer from ${flag.min} to ${flag.max}, got '${text}'`);
    }
    return value;
  };
  const scenarios = values.scenarios === undefined ? scenarioNames : values.scenarios.split(',').map((s) => s.trim());
  const unknown = scenarios.filter((name) => !scenarioNames.includes(name));
  if (unknown.length > 0) throw new UsageError(`--scenarios: unknown ${unknown.join(', ')} (known: ${scenarioNames.join(', ')})`);
  const options = {
    duration: integer('duration'),
    keepAliveClients: integer('keep-alive-clients'),
    freshClients: integer('fresh-clients'),
    maxRequests: integer('max-requests'),
    delay: integer('delay'),
    scenarios,
    json: values.json === true,
    help: values.help === true,
  };
  if (options.keepAliveClients + options.freshClients === 0) throw new UsageError('no clients: --keep-alive-clients and --fresh-clients are both 0');
  return options;
}

const failuresText = (failures) =>
  Object.entries(failures)
    .sort((a, b) => b[1] - a[1])
    .map(([code, count]) => `${code} ${count}`)
    .join(', ') || '-';

/** The one table at the end; `skipped` and `errors` rows say why a scenario has no figures. */
export function formatTable(rows) {
  const header = ['scenario', 'sent', 'failed keep-alive', 'failed fresh', 'failure codes', 'recycles/reloads', 'notes'];
  const lines = rows.map((r) =>
    r.skipped || r.error
      ? [r.scenario, '-', '-', '-', '-', '-', r.skipped ?? `error: ${r.error}`]
      : [
          r.scenario,
          String(r.sent),
          `${r.keepAlive.failed} of ${r.keepAlive.sent}`,
          `${r.fresh.failed} of ${r.fresh.sent}`,
          failuresText(r.failures),
          String(r.recycles),
          r.notes.join('; ') || '-',
        ],
  );
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i].length)));
  const format = (cells) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ');
  return [format(header), ...lines.map(format)].join('\n');
}

async function runScenarios(options, abort, say) {
  const rows = [];
  const gu = guScenarios(options);
  for (const name of options.scenarios) {
    if (abort.aborted) break;
    try {
      if (name === 'pm2') {
        const bin = findPm2();
        if (bin === undefined) {
          say('pm2: not installed, skipped');
          rows.push({ scenario: 'pm2', skipped: 'pm2: not installed, skipped' });
          continue;
        }
        rows.push(await runPm2Scenario(bin, options, abort, say));
      } else {
        rows.push(await runGuScenario(gu.find((scenario) => scenario.name === name), options, abort, say));
      }
      const last = rows.at(-1);
      say(`  sent ${last.sent}, failed ${last.failed} (keep-alive ${last.keepAlive.failed}, fresh ${last.fresh.failed}), recycles/reloads ${last.recycles}`);
    } catch (error) {
      if (abort.aborted) break;
      say(`${name}: ${error.message}`);
      rows.push({ scenario: name, error: error.message.split('\n')[0] });
      await killAllGu();
    }
  }
  return rows;
}

async function main(argv) {
  let options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`zero-loss: ${error.message}\n${usage}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const say = (text) => process.stderr.write(`zero-loss: ${text}\n`);
  const controller = new AbortController();
  const interrupt = () => {
    if (!controller.signal.aborted) {
      say('interrupted, stopping the load and the servers (again to kill them)');
      controller.abort();
      return;
    }
    void killAllGu().finally(() => process.exit(130));
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  say(`Node ${process.version}, 127.0.0.1; each scenario: ${describeLoad(options)}`);
  try {
    const rows = await runScenarios(options, controller.signal, say);
    if (controller.signal.aborted) return 130;
    if (options.json) {
      const { json: _json, help: _help, ...settings } = options;
      process.stdout.write(`${JSON.stringify({ node: process.version, options: settings, scenarios: rows }, null, 2)}\n`);
    }
    else process.stdout.write(`\n${formatTable(rows)}\n`);
    return rows.some((row) => row.error) ? 1 : 0;
  } finally {
    await killAllGu();
  }
}

process.exitCode = await main(process.argv.slice(2));
