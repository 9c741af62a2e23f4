// Names of routing tables and route protocols as iproute2 knows them: the files
// /etc/iproute2/rt_tables (and rt_tables.d/*.conf), else /usr/share/iproute2/rt_tables, over
// the built-in names. Read lazily, once per process.
import { NameTable } from './name-table.js';
import { protocol as protocolEnum, table as tableEnum } from './enums.js';

/** Built-in names for the values an enum declares (name by number). */
function names(values: Readonly<Record<string, number>>): Record<number, string> {
  const out: Record<number, string> = {};
  for (const [k, v] of Object.entries(values)) if (!(v in out)) out[v] = k;
  return out;
}

const tables = new NameTable('rt_tables', names(tableEnum.values));
const protocols = new NameTable('rt_protos', names(protocolEnum.values), 255);

/** The name of routing table `id` ('main', or a name from rt_tables), else undefined. */
export function tableName(id: number): string | undefined {
  return tables.name(id);
}

/** The id of a routing table given by name ('main', 'local', a name from rt_tables) or number; throws on an unknown name. */
export function tableId(name: string | number): number {
  const id = typeof name === 'number' ? name : tables.a2n(name);
  if (id === undefined || !Number.isInteger(id) || id < 0 || id > 0xffffffff) throw new TypeError(`unknown routing table "${name}"`);
  return id;
}

/** The name of route protocol `id` ('kernel', 'boot', a name from rt_protos), else undefined. */
export function protocolName(id: number): string | undefined {
  return protocols.name(id);
}

/** The id of a route protocol given by name or number; throws on an unknown name. */
export function protocolId(name: string | number): number {
  const id = typeof name === 'number' ? name : protocols.a2n(name);
  if (id === undefined || !Number.isInteger(id) || id < 0 || id > 255) throw new TypeError(`unknown route protocol "${name}"`);
  return id;
}
