// The command-line skeleton: help, version, exit codes, errors printed the way iproute2 does.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { NetlinkError, SocketError } from '../src/index.js';
import { EXIT_REFUSED, EXIT_USAGE, UsageError, reportError } from '../src/cli/errors.js';
import { commands } from '../src/cli/commands.js';
import { nlkit } from './helpers/cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('nlkit --help lists every registered command and exits 0', () => {
  const r = nlkit(['--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^Usage: nlkit COMMAND/);
  for (const [name, entry] of Object.entries(commands)) assert.ok(r.stdout.includes(`${name}`) && r.stdout.includes(entry.summary), name);
  assert.match(r.stdout, /Exit status: 0 success, 1 the kernel refused, 2 usage error/);
  assert.equal(r.stderr, '');
  assert.equal(nlkit(['-h']).stdout, r.stdout);
});

test('nlkit --version prints the package version', () => {
  const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string };
  const r = nlkit(['--version']);
  assert.equal(r.status, 0);
  assert.equal(r.stdout, `nlkit ${pkg.version}\n`);
});

test('usage errors exit 2 with a one-line hint and no stack trace', () => {
  const none = nlkit([]);
  assert.equal(none.status, EXIT_USAGE);
  assert.match(none.stdout, /^Usage: nlkit/);
  const r = nlkit(['no-such-command']);
  assert.equal(r.status, EXIT_USAGE);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'nlkit: unknown command "no-such-command"\nTry "nlkit --help".\n');
});

test('reportError prints kernel refusals like iproute2 and returns the exit code', () => {
  const cases: [unknown, string, number][] = [
    [new NetlinkError('RTM_NEWLINK', 95, { message: 'Unknown device type' }), 'Error: Unknown device type.\n', EXIT_REFUSED],
    [new NetlinkError('RTM_NEWLINK', 17, { message: 'Already exists.' }), 'Error: Already exists.\n', EXIT_REFUSED],
    [new NetlinkError('RTM_NEWADDR', 17), 'Error: File exists.\n', EXIT_REFUSED],
    [new SocketError('open netlink socket: EPERM', 'EPERM'), 'Error: open netlink socket: EPERM\n', EXIT_REFUSED],
    [new UsageError('nlkit ip: what is "frob"?', 'Try "nlkit ip help".'), 'nlkit ip: what is "frob"?\nTry "nlkit ip help".\n', EXIT_USAGE],
  ];
  for (const [err, text, code] of cases) {
    let out = '';
    assert.equal(reportError(err, (s) => (out += s)), code);
    assert.equal(out, text);
  }
  // Anything else is a bug: rethrown so that its stack shows.
  assert.throws(() => reportError(new RangeError('bug'), () => {}), RangeError);
});

test('the in-process CLI the tests use does what the process does (output, stderr, status, stdin)', () => {
  // Most tests run command lines in a worker (helpers/cli.ts); the process adds only argv's
  // bytes, the exit code and SIGPIPE, which other tests start real processes for.
  const lines: [string[], string?][] = [
    // Help, a usage error, a kernel answer, a refusal, stdin, another command's module.
    [['--help']], [['no-such-command']], [['ip', '-j', 'addr', 'show', 'dev', 'lo']],
    [['ip', 'link', 'show', 'nlkit-no-such-dev']], [['ip', '-batch', '-'], 'link show lo\naddr show nosuch\n'],
    [['ss', '-H', '-x', 'src', 'nlkit-no-such-name-*']],
  ];
  for (const [args, input] of lines) {
    const inWorker = nlkit(args, { input });
    const inProcess = nlkit(args, { input, env: { NLKIT_TEST_PROCESS: '1' } });
    assert.deepEqual(inWorker, inProcess, `nlkit ${args.join(' ')}`);
  }
});
