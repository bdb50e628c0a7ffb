import { defineMatrix } from './matrix/define-matrix.js';

defineMatrix('async');
