// Preloaded into the measured service process by bench/e2e (node --import): on SIGUSR2 it
// writes one stderr line "memory-probe {json}" with process.memoryUsage(), so the benchmark can
// split RSS into V8 heap, external/array buffers and the rest (code, native, allocator).
process.on('SIGUSR2', () => {
  process.stderr.write(`memory-probe ${JSON.stringify(process.memoryUsage())}\n`);
});
