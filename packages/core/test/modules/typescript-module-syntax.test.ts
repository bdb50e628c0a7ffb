import { describe, expect, it } from 'vitest';
import { hasModuleSyntax } from '../../src/modules/typescript-module-syntax.js';

describe('hasModuleSyntax', () => {
  it.each([
    "import express from 'express';",
    "import { a, b } from './a.ts';",
    "import * as path from 'node:path';",
    "import type { Server } from 'node:http';",
    "import './side-effect.ts';",
    'export const app = 1;',
    'export default app;',
    "export { app } from './app.ts';",
    "export * from './app.ts';",
    'const here = import.meta.dirname;',
    "// a comment\n  import { x } from 'y';",
  ])('sees ES module syntax in %j', (source) => {
    expect(hasModuleSyntax(source)).toBe(true);
  });

  it.each([
    "const express = require('express');",
    'module.exports = { app };',
    'exports.app = app;',
    "const later = import('./later.ts');",
    "  import('./later.ts').then(start);",
    '// import { x } from "y" — commented out',
    ' * export default, in a block comment',
    'const imports = [];\nconst exported = true;',
  ])('sees CommonJS in %j', (source) => {
    expect(hasModuleSyntax(source)).toBe(false);
  });
});
