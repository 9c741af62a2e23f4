// The options of `nlkit genl call`, as a table: the parser (call.ts) and shell completion
// (completion.ts) both read it, so what completes is what parses.
import { NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE } from '../../wire/index.js';

/** What an option's argument is, for completion: a family, an operation, a file, a group, or free text. */
export type OptionArg = 'family' | 'op' | 'file' | 'group' | 'json' | 'number' | 'text';

/** One option of a command: its spellings, its argument (if it takes one), and a line of help. */
export interface OptionSpec {
  readonly names: readonly string[];
  readonly arg?: OptionArg;
  /** The argument may be left out (`--do` alone: the operation is a positional word). */
  readonly optionalArg?: boolean;
  readonly help: string;
  /** nlmsg_flags the option adds to a do request. */
  readonly nlmsgFlags?: number;
  /** A second argument after the first (--multi OP JSON). */
  readonly arg2?: OptionArg;
}

/** `nlkit genl call` options (the kernel's YNL CLI's, by the same names). */
export const CALL_OPTIONS: readonly OptionSpec[] = [
  { names: ['--family'], arg: 'family', help: 'the family by name: its installed YNL spec, else the declaration nlkit ships' },
  { names: ['--spec'], arg: 'file', help: 'the family from a YNL spec file (.yaml or .yaml.gz)' },
  { names: ['--list-families'], help: 'the families with an installed spec' },
  { names: ['--list-ops'], help: 'the operations of the family and their handlers' },
  { names: ['--list-msgs'], help: 'the operations and notifications of the family' },
  { names: ['--list-attrs'], arg: 'op', help: 'the request and reply attributes of an operation' },
  { names: ['--do'], arg: 'op', optionalArg: true, help: 'run the operation\'s do handler' },
  { names: ['--dump', '-d'], arg: 'op', optionalArg: true, help: 'run the operation\'s dump handler' },
  { names: ['--json'], arg: 'json', help: 'the request as JSON (names as the spec spells them)' },
  { names: ['--multi'], arg: 'op', arg2: 'json', help: 'one more do operation with its JSON request (repeatable); replies as one list' },
  { names: ['--subscribe'], arg: 'group', help: 'print the notifications of a multicast group' },
  { names: ['--duration', '--sleep'], arg: 'number', help: 'with --subscribe: stop after this many seconds' },
  { names: ['--create'], help: 'NLM_F_CREATE', nlmsgFlags: NLM_F_CREATE },
  { names: ['--excl'], help: 'NLM_F_EXCL', nlmsgFlags: NLM_F_EXCL },
  { names: ['--replace'], help: 'NLM_F_REPLACE', nlmsgFlags: NLM_F_REPLACE },
  { names: ['--append'], help: 'NLM_F_APPEND', nlmsgFlags: NLM_F_APPEND },
  { names: ['--output-json'], help: 'replies as one line of JSON each' },
  { names: ['--process-unknown', '--no-process-unknown', '--no-schema'], help: 'accepted for YNL compatibility (unknown attributes are always kept)' },
  { names: ['--schema'], arg: 'file', help: 'accepted for YNL compatibility (specs are not validated)' },
  { names: ['--help', '-h'], help: 'this help' },
];

/** The option spelled `word`, if any. */
export function callOption(word: string): OptionSpec | undefined {
  return CALL_OPTIONS.find((o) => o.names.includes(word));
}
