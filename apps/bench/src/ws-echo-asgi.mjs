// The ASGI app gu serves in the WebSocket benchmark: accepts, then sends back each message as it
// came, as src/ws-bare-server.mjs does with ws alone.
export default async function echo(scope, receive, send) {
  if (scope.type !== 'websocket') return;
  await receive(); // websocket.connect
  await send({ type: 'websocket.accept' });
  for (;;) {
    const event = await receive();
    if (event.type === 'websocket.disconnect') return;
    await send(event.text === undefined ? { type: 'websocket.send', bytes: event.bytes } : { type: 'websocket.send', text: event.text });
  }
}
