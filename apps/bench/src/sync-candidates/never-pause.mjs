// Candidate measured as an upper bound only: Connection: close on every response but accepting
// never paused. It breaks the sync guarantee (a busy worker may hold connections an idle one could
// serve); it shows what pausing costs.
export default {
  name: 'sync-never-pause',
  async run(ctx) {
    const front = ctx.createHttpFront(await ctx.loadRequestListener(), { keepAlive: false });
    await front.listen();
    ctx.ready();
    await front.serveUntil(ctx.stopSignal);
  },
};
