// Candidate sync worker measured against @gu/worker-sync: pauses accepting by closing its copy of
// the listening socket after each connection, and resumes on a fresh copy from the arbiter (one
// handle over IPC per request). Keeps the guarantee; DESIGN.md's measured fallback.
export default {
  name: 'sync-close-copy',
  async run(ctx) {
    const front = ctx.createHttpFront(await ctx.loadRequestListener(), { maxConnections: 1, keepAlive: false, pauseAcceptBy: 'close' });
    await front.listen();
    ctx.ready();
    await front.serveUntil(ctx.stopSignal);
  },
};
