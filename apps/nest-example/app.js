// A NestJS app served by gu, written in plain JavaScript (the decorators applied as the TypeScript
// compiler would apply them). `create()` is the factory gu calls and awaits: `gu 'app.js:create()'`.
// gu (through @gu/adapters) runs app.init() before the worker takes requests, serves Nest's own
// routing, and runs app.close() on a graceful stop.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

class AppController {
  hello() {
    return `Hello from nest, served by gu worker ${process.pid}\n`;
  }
  json() {
    return { framework: 'nest', server: 'gu', worker: process.pid };
  }
  fail() {
    throw new Error('this route fails on purpose');
  }
}

/** `@Get(path) method()`, without TypeScript. */
function get(path, name) {
  Get(path)(AppController.prototype, name, Object.getOwnPropertyDescriptor(AppController.prototype, name));
}
get('/', 'hello');
get('json', 'json');
get('fail', 'fail');
Controller()(AppController);

class AppModule {}
Module({ controllers: [AppController] })(AppModule);

export async function create() {
  return NestFactory.create(AppModule, { logger: ['error', 'warn'] });
}
