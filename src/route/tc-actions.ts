// Traffic-control actions on their own (RTM_{NEW,DEL,GET}ACTION, `tc actions …`): actions made
// once and shared by index between filters, dumped per kind, got, added, replaced, deleted and
// flushed. The messages are a struct tcamsg and TCA_ROOT_* attributes; the actions sit in the
// TCA_ACT_TAB nest, each a TCA_ACT_* nest whose options are typed by kind (mirred, gact).
import { NLM_F_CREATE, NLM_F_ECHO, NLM_F_EXCL, NLM_F_REPLACE, NLM_F_ROOT } from '../wire/index.js';
import { FlatMessageCodec, attrFlagsOf } from '../schema/index.js';
import type { Dump, FamilyOptions } from '../socket/index.js';
import type { Flat } from './codecs.js';
import { RTM, TCA_ACT_FLAG } from './constants.js';
import { callOptions, routeDump, withSocket } from './socket.js';
import { actionRootAttrs, type TcAction } from './tc-attrs.js';
import { tcamsg } from './tc-structs.js';

/** RTM_*ACTION: struct tcamsg + TCA_ROOT_* (the actions in `tab`). */
export const actionCodec = new FlatMessageCodec(tcamsg, actionRootAttrs);
/** One RTM_*ACTION message: `family`, `tab` (the actions), `count` in a dump, `flags`. */
export type ActionMessage = Flat<typeof tcamsg, typeof actionRootAttrs>;

/** An action as a listing gives it: TCA_ACT_* plus `order`, its attribute type in the message's tab. */
export type TcActionEntry = TcAction & { order: number };

const HDR = actionCodec.headerSize;

/** The actions of a message, each with its `order` (the kernel numbers a dump from 0, anything else from 1). */
export function actionsOf(m: { tab?: TcAction[] }): TcActionEntry[] {
  const tab = m.tab ?? [];
  const types = attrFlagsOf(tab);
  return tab.map((a, i) => Object.assign(a, { order: (types?.get(i) ?? i + 1) & 0x3fff }));
}

/**
 * Dumps the actions of one kind (RTM_GETACTION, NLM_F_DUMP, TCA_ACT_FLAG_LARGE_DUMP_ON so the
 * kernel fills each message rather than stopping at 32): one item per message, its `count` and
 * `tab`. {@link listActions} flattens them.
 */
export function dumpActions(kind: string, opts: FamilyOptions = {}): Dump<ActionMessage> {
  const flags = { value: TCA_ACT_FLAG.LARGE_DUMP_ON, selector: TCA_ACT_FLAG.LARGE_DUMP_ON };
  return routeDump<ActionMessage>(opts, actionCodec.encode(RTM.GETACTION, 0, { family: 'unspec', tab: [{ kind }], flags } as Partial<ActionMessage>), actionCodec);
}

/** All actions of a kind (`tc actions list action KIND`), in the kernel's order. */
export async function listActions(kind: string, opts: FamilyOptions = {}): Promise<TcActionEntry[]> {
  const out: TcActionEntry[] = [];
  for await (const m of dumpActions(kind, opts)) out.push(...actionsOf(m));
  return out;
}

/** An action to add: its kind, options (their parms.index chooses the index; 0 lets the kernel pick) and any TCA_ACT_* attribute. */
export type TcActionSpec = Partial<TcAction> & { kind: string };

async function send(type: number, nlflags: number, tab: Partial<TcAction>[], opts: FamilyOptions, extra: Partial<ActionMessage> = {}): Promise<TcActionEntry[]> {
  return withSocket(opts, async (sock) => {
    const msg = actionCodec.encode(type, nlflags, { family: 'unspec', tab, ...extra } as Partial<ActionMessage>);
    const reply = await sock.request(msg, { headerSize: HDR, ...callOptions(opts), ...(type === RTM.GETACTION ? { ack: false } : {}) });
    const out: TcActionEntry[] = [];
    for (const m of reply.messages) if (m.type === RTM.NEWACTION || m.type === RTM.DELACTION || m.type === RTM.GETACTION) out.push(...actionsOf(actionCodec.decodePayload(m.payload)));
    return out;
  });
}

/**
 * Adds actions not bound to any filter (`tc actions add`, NLM_F_CREATE|NLM_F_EXCL); filters then
 * use one by kind and index. Resolves with the actions as the kernel echoes them (with the indexes it chose).
 *
 *   await addActions([{ kind: 'gact', options: { parms: { index: 5, action: TC_ACT.SHOT } } }], { netns: 'demo' });
 */
export function addActions(actions: TcActionSpec[], opts: FamilyOptions = {}): Promise<TcActionEntry[]> {
  return send(RTM.NEWACTION, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ECHO, actions, opts);
}

/** Adds or replaces actions (`tc actions replace`). */
export function replaceActions(actions: TcActionSpec[], opts: FamilyOptions = {}): Promise<TcActionEntry[]> {
  return send(RTM.NEWACTION, NLM_F_CREATE | NLM_F_REPLACE | NLM_F_ECHO, actions, opts);
}

/** Changes existing actions in place (`tc actions change`). */
export function changeActions(actions: TcActionSpec[], opts: FamilyOptions = {}): Promise<TcActionEntry[]> {
  return send(RTM.NEWACTION, NLM_F_REPLACE | NLM_F_ECHO, actions, opts);
}

/** Gets one action by kind and index (`tc actions get action KIND index N`). */
export async function getAction(kind: string, index: number, opts: FamilyOptions = {}): Promise<TcActionEntry> {
  const got = await send(RTM.GETACTION, 0, [{ kind, index }], opts);
  if (!got[0]) throw new Error(`getAction: the kernel sent no ${kind} action ${index}`);
  return got[0];
}

/** Deletes actions by kind and index (`tc actions del`); a bound action is refused (EPERM) until its filters are gone. */
export async function deleteActions(refs: { kind: string; index: number }[], opts: FamilyOptions = {}): Promise<void> {
  await send(RTM.DELACTION, 0, refs, opts);
}

/** Deletes every unbound action of a kind (`tc actions flush action KIND`, NLM_F_ROOT). */
export async function flushActions(kind: string, opts: FamilyOptions = {}): Promise<void> {
  await send(RTM.DELACTION, NLM_F_ROOT, [{ kind }], opts);
}
