// An Express app served by gu: `export default app`, as with any server (gu app.js).
import express from 'express';

const app = express();
app.use(express.json());

app.get('/', (req, res) => res.send(`Hello from Express, served by gu worker ${process.pid}\n`));
app.get('/json', (req, res) => res.json({ framework: 'express', server: 'gu', worker: process.pid }));
app.post('/json', (req, res) => res.status(201).json(req.body));
// An async route that fails: gu's 500, and the error in gu's error log, as Express answers it.
app.get('/fail', async () => {
  throw new Error('this route fails on purpose');
});

export default app;
