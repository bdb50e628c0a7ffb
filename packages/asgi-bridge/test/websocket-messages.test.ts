import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp } from '@gu/testkit';
import { connect, seenByWorker, startAsgi } from './websocket-support.js';

afterEach(cleanUp);

const MiB = 1024 * 1024;

describe('asgi worker: WebSocket messages through ws', () => {
  it('echoes 1,000 text and 1,000 binary messages, interleaved, in order', async () => {
    const gu = await startAsgi('websocket-echo.mjs');
    const client = await connect(gu, '/echo');
    for (let i = 0; i < 1000; i += 1) {
      client.ws.send(`text ${i}`);
      client.ws.send(Buffer.from(Uint32Array.of(i).buffer));
    }
    for (let i = 0; i < 1000; i += 1) {
      const text = await client.next();
      expect([text.isBinary, text.data.toString()]).toEqual([false, `text ${i}`]);
      const binary = await client.next();
      expect([binary.isBinary, binary.data.readUInt32LE(0), binary.data.length]).toEqual([true, i, 4]);
    }
    client.ws.close();
    expect((await client.closed).code).toBe(1005);
  });

  it('sends what the app sends, not the message it last received (a text of the same length)', async () => {
    const gu = await startAsgi('websocket-echo.mjs');
    const client = await connect(gu, '/reverse');
    for (const text of ['abc', 'gu☃é', 'racecar']) {
      client.ws.send(text);
      expect((await client.next()).data.toString()).toBe(Array.from(text).reverse().join(''));
      expect((await client.next()).data.toString()).toBe(text);
    }
    client.ws.close();
    expect((await client.closed).code).toBe(1005);
  });

  it('carries a 1 MiB message each way, binary and text, byte for byte', async () => {
    const gu = await startAsgi('websocket-echo.mjs');
    const client = await connect(gu, '/echo');
    const binary = Buffer.alloc(MiB, 0);
    for (let i = 0; i < binary.length; i += 4) binary.writeUInt32LE(i, i);
    const text = 'gu☃'.repeat(MiB / 5 + 1); // ☃ is 3 bytes in UTF-8: just over 1 MiB
    client.ws.send(binary);
    client.ws.send(text);
    const binaryBack = await client.next();
    expect(binaryBack.isBinary).toBe(true);
    expect(binaryBack.data.equals(binary)).toBe(true);
    const textBack = await client.next();
    expect(textBack.isBinary).toBe(false);
    expect(textBack.data.toString() === text).toBe(true);
    expect(textBack.data.length).toBeGreaterThan(MiB);
  });

  it('gives the app the websocket scope: path, raw_path, query_string, lower-cased headers, client, server, subprotocols', async () => {
    const gu = await startAsgi('websocket-echo.mjs');
    const client = await connect(gu, '/scope?room=a%20b&x=1', ['one', 'two'], { headers: { 'X-Custom-Case': 'Value' } });
    const scope = JSON.parse(await client.nextText()) as Record<string, unknown>;
    const port = Number(new URL(gu.url).port);
    expect(scope).toMatchObject({
      type: 'websocket',
      asgi: { version: '3.0', spec_version: '2.5' },
      http_version: '1.1',
      scheme: 'ws',
      path: '/scope',
      raw_path: '/scope',
      query_string: 'room=a%20b&x=1',
      root_path: '',
      server: ['127.0.0.1', port],
      subprotocols: ['one', 'two'],
      state: {},
      extensions: { 'websocket.http.response': {} },
    });
    expect(scope.client).toEqual(['127.0.0.1', expect.any(Number)]);
    expect(scope.headers).toContainEqual(['x-custom-case', 'Value']);
    expect(scope.headers).toContainEqual(['sec-websocket-protocol', 'one,two']);
    expect(scope.headers).toContainEqual(['upgrade', 'websocket']);
  });

  it('decodes a percent-encoded path, keeping the bytes the client sent in raw_path', async () => {
    const gu = await startAsgi('websocket-echo.mjs');
    const client = await connect(gu, '/%73cope');
    const scope = JSON.parse(await client.nextText()) as Record<string, unknown>;
    expect([scope.path, scope.raw_path]).toEqual(['/scope', '/%73cope']);
  });

  it('negotiates the subprotocol the app chooses, with the app\'s extra headers in the 101', async () => {
    const gu = await startAsgi('websocket-echo.mjs');
    const client = await connect(gu, '/subprotocol', ['chat.v0', 'chat.v1', 'chat.v2']);
    expect(client.ws.protocol).toBe('chat.v2');
    expect(client.upgradeHeaders).toMatchObject({ 'sec-websocket-protocol': 'chat.v2', 'x-chosen-by': 'app' });
    expect(JSON.parse(await client.nextText())).toEqual({ offered: ['chat.v0', 'chat.v1', 'chat.v2'], chosen: 'chat.v2' });

    // Offered through the header itself: the ws client fails a handshake without a subprotocol
    // when it offered some, which RFC 6455 allows (the server may select none).
    const none = await connect(gu, '/subprotocol', [], { headers: { 'Sec-WebSocket-Protocol': 'mqtt' } });
    expect(none.ws.protocol).toBe('');
    expect(none.upgradeHeaders['sec-websocket-protocol']).toBeUndefined();
    expect(JSON.parse(await none.nextText())).toEqual({ offered: ['mqtt'], chosen: null });
  });

  it('closes with the app\'s code and reason; the app then gets websocket.disconnect and its send rejects', async () => {
    const gu = await startAsgi('websocket-echo.mjs');
    const client = await connect(gu, '/close-me');
    client.ws.send('4321 the app is done');
    expect(await client.closed).toEqual({ code: 4321, reason: 'the app is done' });
    await expect.poll(() => seenByWorker(gu)).toEqual([
      { path: '/close-me', type: 'websocket.disconnect', code: 4321, reason: 'the app is done' },
      { path: '/close-me', sendAfterClose: 'GU_ERR_ASGI_DISCONNECTED' },
    ]);
  });

  it('passes the client\'s close code and reason to the app as websocket.disconnect; a send after it rejects', async () => {
    const gu = await startAsgi('websocket-echo.mjs');
    const client = await connect(gu, '/record');
    client.ws.close(4000, 'client says bye');
    expect(await client.closed).toEqual({ code: 4000, reason: 'client says bye' });
    await expect.poll(() => seenByWorker(gu)).toEqual([
      { path: '/record', type: 'websocket.disconnect', code: 4000, reason: 'client says bye' },
      { path: '/record', sendAfterDisconnect: 'GU_ERR_ASGI_DISCONNECTED' },
    ]);
    expect(gu.matches(/ERROR/g)).toEqual([]);
  });

  it('reports a connection that died without a close frame as websocket.disconnect 1006', async () => {
    const gu = await startAsgi('websocket-echo.mjs');
    const client = await connect(gu, '/record');
    client.ws.terminate();
    await expect.poll(() => seenByWorker(gu)).toContainEqual({ path: '/record', type: 'websocket.disconnect', code: 1006, reason: '' });
  });
});
