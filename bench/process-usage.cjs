// Preloaded (`node --require`) into the validate process the benchmark times: at exit it writes the
// process's own CPU time and peak RSS as one JSON line to stderr, so that a run on a busy machine can be
// read by CPU as well as by wall clock.
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(`\nBENCH-USAGE ${JSON.stringify({ cpuSeconds: (user + system) / 1e6, rssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
});
