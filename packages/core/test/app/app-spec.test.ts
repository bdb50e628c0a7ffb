import { describe, expect, it } from 'vitest';
import { parseAppSpec } from '../../src/app/app-spec.js';
import { AppLoadError } from '../../src/errors.js';

function parseError(spec: string): AppLoadError {
  try {
    parseAppSpec(spec);
  } catch (error) {
    if (error instanceof AppLoadError) return error;
    throw error;
  }
  throw new Error(`${spec} parsed`);
}

describe('parseAppSpec', () => {
  it.each([
    ['app.js', { module: 'app.js', exportPath: [], factoryArguments: null }],
    ['./src/app.ts:app', { module: './src/app.ts', exportPath: ['app'], factoryArguments: null }],
    ['/abs/app.mjs:server.handler', { module: '/abs/app.mjs', exportPath: ['server', 'handler'], factoryArguments: null }],
    ['my-app:create()', { module: 'my-app', exportPath: ['create'], factoryArguments: [] }],
    ['@org/app:$create_2 ( )', { module: '@org/app', exportPath: ['$create_2'], factoryArguments: [] }],
    ['C:\\srv\\app.js:app', { module: 'C:\\srv\\app.js', exportPath: ['app'], factoryArguments: null }],
  ])('parses %s', (spec, expected) => {
    expect(parseAppSpec(spec)).toEqual(expected);
  });

  it('parses JSON-like factory arguments, single-quoted strings included', () => {
    const parsed = parseAppSpec(`app.js:create('it\\'s', "say \\"hi\\"", -2.5e3, true, false, null, [1, 'two'], {"k": {'n': 1}})`);
    expect(parsed.factoryArguments).toEqual(["it's", 'say "hi"', -2500, true, false, null, [1, 'two'], { k: { n: 1 } }]);
  });

  it('keeps a colon or a quote inside string arguments', () => {
    expect(parseAppSpec(`app.js:create('http://x:80', "it's", 'a "b"')`).factoryArguments).toEqual([
      'http://x:80',
      "it's",
      'a "b"',
    ]);
  });

  it.each([
    ['app.js:create(process.env)', 'are not JSON-like literals'],
    ['app.js:create(port=80)', 'are not JSON-like literals'],
    ['app.js:create(1,)', 'are not JSON-like literals'],
    ["app.js:create('open)", 'unterminated string'],
    ['app.js:create(1)(2)', 'are not JSON-like literals'],
    ['app.js:', '"" is not an export name'],
    ['app.js:a..b', '"a..b" is not an export name'],
    ['app.js:app-name', '"app-name" is not an export name'],
    [':app', 'it names no module'],
    ['', 'it names no module'],
  ])('rejects %s', (spec, reason) => {
    const error = parseError(spec);
    expect(error.message).toContain(`Cannot load app "${spec}": `);
    expect(error.message).toContain(reason);
    expect(error.exitCode).toBe(4);
  });
});
