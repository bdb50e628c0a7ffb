import { describe, expect, it } from 'vitest';
import { certReqs, tlsVersion } from '../../src/settings/tls-kinds.js';
import { ValueRejected } from '../../src/settings/value-kinds.js';

const context = { cwd: '/' };

describe('cert_reqs', () => {
  it("takes Gunicorn's 0/1/2 (numbers or text) and the names", () => {
    expect([0, 1, 2].map((n) => certReqs.coerce(n, context))).toEqual(['none', 'optional', 'required']);
    expect(['0', ' 2 ', 'Optional', 'REQUIRED', 'cert_required'].map((raw) => certReqs.coerce(raw, context))).toEqual([
      'none',
      'required',
      'optional',
      'required',
      'required',
    ]);
  });

  it('refuses anything else', () => {
    for (const raw of [3, -1, '3', 'yes', '', null, true]) expect(() => certReqs.coerce(raw, context)).toThrow(ValueRejected);
  });
});

describe('tls_min_version', () => {
  it("takes TLSv1.2 and TLSv1.3, forgiving case, the v and Python's TLSv1_2", () => {
    expect(['TLSv1.2', 'tlsv1.3', 'TLS1.3', '1.2', 'TLSv1_2'].map((raw) => tlsVersion.coerce(raw, context))).toEqual(['TLSv1.2', 'TLSv1.3', 'TLSv1.3', 'TLSv1.2', 'TLSv1.2']);
  });

  it('refuses older and unknown versions', () => {
    for (const raw of ['TLSv1.1', 'TLSv1_1', 'TLSv1', 'SSLv3', 'TLSv1.4', 1.2, null]) expect(() => tlsVersion.coerce(raw, context)).toThrow(ValueRejected);
  });
});
