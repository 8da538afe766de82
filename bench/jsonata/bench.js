// Runs the expressions of exprs.json with jsonata-js over the document
// written by `go run ./bench/jsonata -write-data FILE`, and prints
// {name: ops/s} as JSON. Usage: node bench.js DATA.json [seconds]
const fs = require('fs');
const path = require('path');
const jsonata = require('jsonata');

async function main() {
  const data = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const seconds = Number(process.argv[3] || 1);
  const exprs = JSON.parse(fs.readFileSync(path.join(__dirname, 'exprs.json'), 'utf8'));
  const out = {};
  for (const e of exprs) {
    const expr = jsonata(e.expr);
    await expr.evaluate(data);
    let n = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    while (elapsed < seconds) {
      await expr.evaluate(data);
      n++;
      elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    }
    out[e.name] = n / elapsed;
    process.stderr.write(`${e.name}: ${out[e.name].toFixed(1)} ops/s\n`);
  }
  console.log(JSON.stringify(out));
}

main().catch((err) => { console.error(err); process.exit(1); });
