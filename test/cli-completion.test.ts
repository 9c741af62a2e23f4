// `nlkit completion bash|zsh`: the script the shipped CLI prints, sourced by a real bash that
// completes many command lines in one run (COMP_WORDS/COMP_CWORD set as bash sets them), and
// its tables held to their sources — the parsers' tables it is generated from, and iproute2's
// own grammar (`ip help`, `ip OBJECT help`) for ip's objects and verbs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { grammar } from '../src/cli/completion.js';
import { IP_VERBS, IP_OBJECT_ALIASES } from '../src/cli/completion-table.js';
import { ETHTOOL_COMMANDS } from '../src/cli/ethtool/commands.js';
import { CALL_OPTIONS } from '../src/cli/genl/options.js';
import { CLI, cliEnv, nlkit } from './helpers/cli.js';
import { hasTool, ip, requireRoot, withNetns } from './helpers/netns.js';

/** Completes each line (words; the last is the one being completed) in one bash run. */
function complete(script: string, bin: string, lines: string[][]): string[][] {
  const q = (w: string) => `'${w.replace(/'/g, `'\\''`)}'`;
  const body = lines.map((words) => `COMP_WORDS=(${words.map(q).join(' ')}); COMP_CWORD=${words.length - 1}; COMPREPLY=(); _nlkit; echo "\${COMPREPLY[*]}"`).join('\n');
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', `source ${q(script)}\n${body}`], {
    encoding: 'utf8', env: cliEnv({ PATH: `${bin}:${process.env.PATH}` }),
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').slice(0, lines.length).map((l) => l.split(' ').filter(Boolean).sort());
}

test('bash completes nlkit\'s commands, ip objects and verbs, genl call and ethtool from the parsers\' tables', async (t) => {
  if (!requireRoot(t)) return;
  if (!hasTool('bash')) return t.skip('bash is not installed');
  const gen = nlkit(['completion', 'bash']);
  assert.equal(gen.status, 0, gen.stderr);
  const dir = mkdtempSync(path.join(tmpdir(), 'nlkit-completion-'));
  try {
    const script = path.join(dir, 'nlkit.bash');
    writeFileSync(script, gen.stdout);
    // `nlkit` on PATH, as installed: completion asks it for a family's operations.
    writeFileSync(path.join(dir, 'nlkit'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`);
    chmodSync(path.join(dir, 'nlkit'), 0o755);
    await withNetns((ns) => {
      ip(ns, 'link add va type veth peer name vb');
      const cases: [string[], string[]][] = [
        [['nlkit', 'i'], ['ip']],
        [['nlkit', 'et'], ['ethtool']],
        [['nlkit', 'comp'], ['completion']],
        [['nlkit', 'ip', 'li'], ['link']],
        [['nlkit', 'ip', 'ro'], ['route']],
        [['nlkit', 'ip', 'link', 's'], ['set', 'show']],
        [['nlkit', 'ip', 'l', 'a'], ['add', 'afstats']],
        [['nlkit', 'ip', '-n', ns, 'link', 'show', 'dev', 'v'], ['va', 'vb']],
        [['nlkit', 'ip', '-j', 'addr', 'fl'], ['flush']],
        [['nlkit', 'genl', 'c'], ['call', 'ctrl']],
        [['nlkit', 'genl', 'ctrl', 'l'], ['list']],
        [['nlkit', 'genl', 'call', '--ex'], ['--excl']],
        [['nlkit', 'genl', 'call', '--family', 'netd'], ['netdev']],
        [['nlkit', 'genl', 'call', '--family', 'netdev', '--dump', 'dev'], ['dev-get']],
        [['nlkit', 'ethtool', '--s'], ['--set-channels', '--set-ring', '--show-channels', '--show-coalesce', '--show-features', '--show-offload', '--show-pause', '--show-ring', '--statistics']],
        [['nlkit', 'ethtool', '--netns', ns, 'v'], ['va', 'vb']],
        [['nlkit', 'ethtool', '--netns', ns, '-G', 'v'], ['va', 'vb']],
        [['nlkit', 'ethtool', '-G', 'va', 'rx-'], ['rx-buf-len', 'rx-jumbo', 'rx-mini', 'rx-push']],
        [['nlkit', 'ethtool', '-A', 'va', 'rx', ''], ['off', 'on']],
        [['nlkit', 'ethtool', '-s', 'va', 'duplex', ''], ['full', 'half']],
        [['nlkit', 'ethtool', '-s', 'va', 'speed', '100', 'dup'], ['duplex']],
        [['nlkit', 'ethtool', '-K', 'va', 'ts'], ['tso']],
        [['nlkit', 'ethtool', '-K', 'va', 'tso', ''], ['off', 'on']],
        // Namespaces come and go as other tests run: this one's own name is what must complete.
        [['nlkit', 'ss', '-N', ns], [ns]],
        [['nlkit', 'ip', '-n', ns.slice(0, -1)], [ns]],
      ];
      const got = complete(script, dir, cases.map(([w]) => w));
      cases.forEach(([words, want], i) => assert.deepEqual(got[i], want, words.join(' ')));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the completion tables are the parsers\' tables and iproute2\'s grammar', async (t) => {
  const g = await grammar();
  // Generated from the same rows the parsers read.
  assert.deepEqual(g.genl.callOptions, CALL_OPTIONS.flatMap((o) => o.names));
  assert.deepEqual(g.ethtool.commands.map((c) => c.names), ETHTOOL_COMMANDS.map((c) => [...c.names]));
  assert.deepEqual(g.ethtool.commands.find((c) => c.names.includes('-L'))!.params, ETHTOOL_COMMANDS.find((c) => c.names.includes('-L'))!.params!.map((p) => p.arg));
  const { commands } = await import('../src/cli/commands.js');
  assert.deepEqual(g.top.filter((c) => c !== 'help'), Object.keys(commands));
  if (!hasTool('ip')) return t.skip('iproute2 is not installed');
  // Every object nlkit ip offers is one of ip's, and every verb of it is in `ip OBJECT help`
  // (or one of the aliases ip accepts without listing: delete, list, show, change).
  const help = spawnSync('ip', ['help'], { encoding: 'utf8' });
  const objects = (help.stdout + help.stderr).replace(/\s+/g, ' ');
  const aliases = new Set(['help', 'delete', 'list', 'show', 'change']);
  assert.ok(g.ip.objects.length >= 8, g.ip.objects.join(' '));
  for (const o of g.ip.objects) {
    const name = IP_OBJECT_ALIASES[o] === 'nexthop' ? 'nexthop' : o;
    const r = spawnSync('ip', [name, 'help'], { encoding: 'utf8' });
    const text = r.stdout + r.stderr;
    // ip's usage leaves some of its objects out (`stats`): those must at least be known to it.
    if (o !== 'neigh' && o !== 'nh' && !new RegExp(`[{|] ${name} [|}]`).test(objects)) assert.doesNotMatch(text, /is unknown/, `ip has object ${o}`);
    for (const v of IP_VERBS[IP_OBJECT_ALIASES[o] ?? o] ?? []) {
      if (!aliases.has(v)) assert.match(text, new RegExp(`(^|[^\\w-])${v}([^\\w-]|$)`), `ip ${name} help lists ${v}`);
    }
  }
});

test('zsh loads the generated script and completes through it', (t) => {
  if (!hasTool('zsh')) return t.skip('zsh is not installed');
  const gen = nlkit(['completion', 'zsh']);
  assert.equal(gen.status, 0, gen.stderr);
  // As zsh's _bash_complete calls it on <Tab>: COMP_WORDS as zsh numbers arrays, COMP_CWORD
  // from 0, the function named by `complete -F`. zsh's compgen does not filter by the word (zsh
  // itself does, by prefix): the candidates are checked as zsh would filter them.
  const complete = (words: string[]) => {
    const r = spawnSync('zsh', ['-f', '-c', `${gen.stdout}\nCOMP_WORDS=(${words.join(' ')}); COMP_CWORD=${words.length - 1}; \${\${(z)_comps[nlkit]}[-1]} nlkit; print -r -- "\${COMPREPLY[*]}"`], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim().split(/\s+/).filter((c) => c.startsWith(words[words.length - 1]!));
  };
  assert.deepEqual(complete(['nlkit', 'ip', 'li']), ['link']);
  assert.deepEqual(complete(['nlkit', 'ip', 'link', 'sh']), ['show']);
  assert.deepEqual(complete(['nlkit', 'eth']), ['ethtool']);
});
