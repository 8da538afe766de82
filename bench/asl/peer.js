// Runs the machines of machines/ with aws-local-stepfunctions (npm, 3.x),
// one execution at a time, measured as main.go measures Baton, and prints
// {machine: {execPerSec, execPerCPUSec}} as JSON on stdout; progress goes
// to stderr. Each machine runs for the warm-up, then for the measured time
// split into rounds: execPerSec is the best round's executions per second
// of wall time, execPerCPUSec the executions per second of process CPU
// time (all threads) over all rounds. Each machine's output is compared
// once with machines/NAME.output.json before it is measured, and every
// execution must succeed (a failed one rejects its result promise).
//
// Usage: node peer.js [seconds, default 3] [warm-up seconds, default 1] [rounds, default 3]
'use strict';

const fs = require('fs');
const path = require('path');
const util = require('util');
const { StateMachine } = require('aws-local-stepfunctions');

const machineNames = ['passchain', 'choice', 'map100'];

function readJSON(name) {
  return JSON.parse(fs.readFileSync(path.join(__dirname, 'machines', name), 'utf8'));
}

// measure runs sm on input one execution after another for about seconds
// and returns the number of executions and the wall time in seconds.
async function measure(sm, input, seconds) {
  let n = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(seconds * 1e9));
  let now = start;
  while (now < end) {
    await sm.run(input).result;
    n++;
    now = process.hrtime.bigint();
  }
  return { n, elapsed: Number(now - start) / 1e9 };
}

async function main() {
  const seconds = Number(process.argv[2] || 3);
  const warmup = Number(process.argv[3] || 1);
  const rounds = Math.max(1, Number(process.argv[4] || 3));
  const out = {};
  for (const name of machineNames) {
    // The constructor validates the definition once, as for a state
    // machine that is created once and run many times.
    const sm = new StateMachine(readJSON(`${name}.asl.json`));
    const input = readJSON(`${name}.input.json`);
    const want = readJSON(`${name}.output.json`);
    const got = await sm.run(input).result;
    if (!util.isDeepStrictEqual(got, want)) {
      throw new Error(`${name}: output differs from ${name}.output.json:\n${JSON.stringify(got)}`);
    }
    await measure(sm, input, warmup);
    let best = 0;
    let total = 0;
    const cpu0 = process.cpuUsage();
    for (let r = 0; r < rounds; r++) {
      const { n, elapsed } = await measure(sm, input, seconds / rounds);
      best = Math.max(best, n / elapsed);
      total += n;
    }
    const cpu = process.cpuUsage(cpu0);
    out[name] = { execPerSec: best, execPerCPUSec: total / ((cpu.user + cpu.system) / 1e6) };
    process.stderr.write(`peer ${name}: ${best.toFixed(1)} exec/s, ${out[name].execPerCPUSec.toFixed(1)} per CPU-second\n`);
  }
  console.log(JSON.stringify(out));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
