// express4 is Express 4 installed under an alias (package.json); @types/express describes it well
// enough for the tests.
declare module 'express4' {
  import express from 'express';
  export default express;
}
