import { describe, expect, it } from 'vitest';
import { InvalidSettingError } from '../../src/errors.js';
import { loadSettings } from '../../src/settings/load-settings.js';
import { rejectionOf, resolveSettings, useTempProject } from './temp-project.js';

const project = useTempProject();

describe('the HTTP front’s settings', () => {
  it.each([
    [['--limit-request-line', '-1'], 'limit_request_line (--limit-request-line): invalid value "-1" (expected an integer of 0 or more)'],
    [['--limit-request-fields', 'many'], 'limit_request_fields (--limit-request-fields): invalid value "many" (expected an integer of 0 or more)'],
    [['--limit-request-field_size', '-1'], 'limit_request_field_size (--limit-request-field_size): invalid value "-1" (expected an integer of 0 or more)'],
    [['--limit-request-body', '1k'], 'limit_request_body (--limit-request-body): invalid value "1k" (expected an integer of 0 or more)'],
    [['--forwarded-allow-ips', '10.0.0.1,localhost'], 'forwarded_allow_ips (--forwarded-allow-ips): invalid value "localhost" (expected an IP address, a CIDR range or *)'],
    [['--proxy-protocol', 'on'], 'proxy_protocol (--proxy-protocol): invalid value "on" (expected off, v1, v2 or auto)'],
    [['--proxy-allow-from', '10.0.0.0/33'], 'proxy_allow_ips (--proxy-allow-from): invalid value "10.0.0.0/33" (expected an IP address, a CIDR range or *)'],
  ])('%j → %s', async (argv, message) => {
    const error = await rejectionOf(loadSettings({ argv, env: {}, cwd: project.dir() }));
    expect(error).toBeInstanceOf(InvalidSettingError);
    expect(error.message).toBe(message);
  });

  it('reads Gunicorn’s flags and FORWARDED_ALLOW_IPS', async () => {
    const argv = ['--limit-request-line', '0', '--limit-request-field_size', '100', '--limit-request-fields', '32768'];
    const settings = await resolveSettings(argv, { FORWARDED_ALLOW_IPS: '10.0.0.0/8, ::1' }, project.dir());
    expect(settings).toMatchObject({ limitRequestLine: 0, limitRequestFieldSize: 100, limitRequestFields: 32768 });
    expect(settings.forwardedAllowIps).toEqual(['10.0.0.0/8', '::1']);
  });

  it('takes secure_scheme_headers from the config file only, names upper-cased', async () => {
    project.write(
      'gu.config.mjs',
      'export default { secureSchemeHeaders: { "X-Scheme": "https" }, forwardedAllowIps: ["*"] };\n',
    );
    const settings = await resolveSettings([], {}, project.dir());
    expect(settings.secureSchemeHeaders).toEqual({ 'X-SCHEME': 'https' });
    expect(settings.forwardedAllowIps).toEqual(['*']);
  });

  it('names the setting and the file when secure_scheme_headers is not a header map', async () => {
    const path = project.write('gu.config.mjs', 'export default { secureSchemeHeaders: { "Bad Name": "on" } };\n');
    const error = await rejectionOf(loadSettings({ argv: [], env: {}, cwd: project.dir() }));
    expect(error.message).toBe(
      `secureSchemeHeaders in ${path}: invalid value {"Bad Name":"on"} (expected an object of header names to values, e.g. {"X-FORWARDED-PROTO": "https"})`,
    );
  });

  it('reads proxy_protocol and proxy_allow_ips with Gunicorn’s defaults, and a config file’s true as auto', async () => {
    expect(await resolveSettings([], {}, project.dir())).toMatchObject({ proxyProtocol: 'off', proxyAllowIps: ['127.0.0.1', '::1'] });
    const fromFlags = await resolveSettings(['--proxy-protocol', 'V2', '--proxy-allow-from', '10.0.0.0/8,fd00::/8'], {}, project.dir());
    expect(fromFlags).toMatchObject({ proxyProtocol: 'v2', proxyAllowIps: ['10.0.0.0/8', 'fd00::/8'] });
    project.write('gu.config.mjs', 'export default { proxyProtocol: true, proxyAllowIps: "*" };\n');
    expect(await resolveSettings([], {}, project.dir())).toMatchObject({ proxyProtocol: 'auto', proxyAllowIps: ['*'] });
  });
});
