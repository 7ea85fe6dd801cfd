// Reads TAP on stdin with the tap-parser npm package in strict mode and
// prints, as JSON, every test point it saw, every line it did not take as
// TAP, and its final results.
const { Parser } = require('tap-parser');

const points = [];
const extra = [];
const parser = new Parser({ strict: true }, (results) => {
  process.stdout.write(JSON.stringify({
    points,
    extra,
    ok: results.ok,
    count: results.count,
    pass: results.pass,
    fail: results.fail,
    skip: results.skip,
    bailout: results.bailout,
    plan: { start: results.plan.start, end: results.plan.end },
    tapErrors: results.failures.filter((f) => f.tapError).map((f) => f.tapError),
  }) + '\n');
});
parser.on('assert', (p) => points.push({
  id: p.id,
  ok: p.ok,
  name: p.name,
  skip: p.skip !== false,
  package: p.diag ? p.diag.package : undefined,
  output: p.diag ? p.diag.output : undefined,
}));
parser.on('extra', (line) => extra.push(line));
process.stdin.pipe(parser);
