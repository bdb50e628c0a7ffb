import { defineMatrix } from './matrix/define-matrix.js';

// Each of the two threads loads, readies and (on TERM) closes its own copy of the app.
defineMatrix('threads', ['--threads', '2']);
