#!/usr/bin/env -S node --min-semi-space-size=32
// The larger young generation spares a long listing (100,000 routes) dozens of scavenges: about
// a quarter of `nlkit ip -j route show`'s time, measured with bench/run.ts.
// nlkit: the command line. Subcommands follow iproute2's grammar where one exists.
import { runCli } from './run.js';
import { commandLineArgs, dieOfBrokenPipe, writeRawBytes } from './stdio.js';

// Names that are not UTF-8 pass through byte for byte: in from the command line, out on stdout
// and stderr (every printer writes through these two streams).
writeRawBytes(process.stdout);
writeRawBytes(process.stderr);
// A reader that goes away (`| head`) ends nlkit as it ends ip: by SIGPIPE, without a word.
dieOfBrokenPipe(process.stdout);
dieOfBrokenPipe(process.stderr);

void runCli(commandLineArgs()).then((code) => {
  process.exitCode = code;
});
