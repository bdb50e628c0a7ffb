/** The apps of the matrix: one fixture per framework, and what each answers where frameworks differ. */
export interface MatrixApp {
  readonly name: string;
  /** The app spec as a user passes it to gu, relative to test/fixtures. */
  readonly spec: string;
  readonly env?: Readonly<Record<string, string>>;
  /** The framework's own 404 body for GET /missing. */
  readonly notFound: RegExp;
  /** What gu's error log says when a route throws (null: the framework handles and logs it itself). */
  readonly errorLog: ((path: string) => RegExp) | null;
  /** The lines the app's close hooks write to CLOSE_FILE when gu closes it on a graceful stop. */
  readonly closeLines?: readonly string[];
}

export const matrixApps: readonly MatrixApp[] = [
  {
    name: 'Express 4',
    spec: 'express-app.mjs:app',
    env: { EXPRESS_MODULE: 'express4' },
    notFound: /Cannot GET \/missing/,
    errorLog: (path) => new RegExp(`\\[ERROR\\] Error in the Express app handling GET ${path}\\n.*boom`),
  },
  {
    name: 'Express 5',
    spec: 'express-app.mjs:app',
    env: { EXPRESS_MODULE: 'express' },
    notFound: /Cannot GET \/missing/,
    errorLog: (path) => new RegExp(`\\[ERROR\\] Error in the Express app handling GET ${path}\\n.*boom`),
  },
  {
    name: 'Koa 3',
    spec: 'koa-app.mjs:app',
    env: { KOA_MODULE: 'koa' },
    notFound: /^Not Found$/,
    errorLog: (path) => new RegExp(`\\[ERROR\\] Error in the Koa app handling GET ${path}\\n.*boom`),
  },
  {
    name: 'Koa 2',
    spec: 'koa-app.mjs:app',
    env: { KOA_MODULE: 'koa2' },
    notFound: /^Not Found$/,
    errorLog: (path) => new RegExp(`\\[ERROR\\] Error in the Koa app handling GET ${path}\\n.*boom`),
  },
  {
    name: 'Fastify 5',
    spec: 'fastify-app.mjs:app',
    notFound: /"message":"Route GET:\/missing not found"/,
    errorLog: null,
    closeLines: ['closed'],
  },
  {
    name: 'NestJS (Express)',
    spec: 'nest-app.mjs:create()',
    env: { NEST_PLATFORM: 'express' },
    notFound: /"message":"Cannot GET \/missing"/,
    errorLog: null,
    closeLines: ['nest shutdown'],
  },
  {
    name: 'NestJS (Fastify)',
    spec: 'nest-app.mjs:create()',
    env: { NEST_PLATFORM: 'fastify' },
    notFound: /"message":"Cannot GET \/missing"/,
    errorLog: null,
    // app.close(): the Fastify instance's onClose hooks, and Nest's shutdown hooks.
    closeLines: ['fastify closed', 'nest shutdown'],
  },
];
