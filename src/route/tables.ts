// Names of routing tables and route protocols as iproute2 knows them: the files
// /etc/iproute2/rt_tables (and rt_tables.d/*.conf), else /usr/share/iproute2/rt_tables, over
// the built-in names. Read lazily, once per process.
import { readdirSync, readFileSync } from 'node:fs';
import { protocol as protocolEnum, table as tableEnum } from './enums.js';

const DIRS = ['/etc/iproute2', '/usr/share/iproute2', '/usr/lib/iproute2'];

/** A number <-> name table from an iproute2 configuration file over built-in names. */
class NameFile {
  private byId: Map<number, string> | undefined;
  private byName: Map<string, number> | undefined;
  constructor(private readonly file: string, private readonly builtin: Record<string, number>) {}

  private load(): void {
    if (this.byId) return;
    const byId = new Map<number, string>();
    const byName = new Map<string, number>();
    for (const [k, v] of Object.entries(this.builtin)) {
      byId.set(v, k);
      byName.set(k, v);
    }
    const read = (path: string): boolean => {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        return false;
      }
      for (const raw of text.split('\n')) {
        const m = /^\s*(0x[0-9a-fA-F]+|\d+)\s+([^\s#]+)/.exec(raw.replace(/#.*/, ''));
        if (!m) continue;
        const n = Number(m[1]);
        byId.set(n, m[2]!);
        byName.set(m[2]!, n);
      }
      return true;
    };
    for (const dir of DIRS) {
      if (!read(`${dir}/${this.file}`)) continue;
      try {
        for (const f of readdirSync(`${dir}/${this.file}.d`).sort()) if (f.endsWith('.conf')) read(`${dir}/${this.file}.d/${f}`);
      } catch {
        // no .d directory
      }
      break;
    }
    this.byId = byId;
    this.byName = byName;
  }

  name(id: number): string | undefined {
    this.load();
    return this.byId!.get(id);
  }

  id(name: string | number): number | undefined {
    if (typeof name === 'number') return name;
    if (/^(0x[0-9a-fA-F]+|\d+)$/.test(name)) return Number(name);
    this.load();
    return this.byName!.get(name);
  }
}

const tables = new NameFile('rt_tables', tableEnum.values);
const protocols = new NameFile('rt_protos', protocolEnum.values);

/** The name of routing table `id` ('main', or a name from rt_tables), else undefined. */
export function tableName(id: number): string | undefined {
  return tables.name(id);
}

/** The id of a routing table given by name ('main', 'local', a name from rt_tables) or number; throws on an unknown name. */
export function tableId(name: string | number): number {
  const id = tables.id(name);
  if (id === undefined || !Number.isInteger(id) || id < 0 || id > 0xffffffff) throw new TypeError(`unknown routing table "${name}"`);
  return id;
}

/** The name of route protocol `id` ('kernel', 'boot', a name from rt_protos), else undefined. */
export function protocolName(id: number): string | undefined {
  return protocols.name(id);
}

/** The id of a route protocol given by name or number; throws on an unknown name. */
export function protocolId(name: string | number): number {
  const id = protocols.id(name);
  if (id === undefined || !Number.isInteger(id) || id < 0 || id > 255) throw new TypeError(`unknown route protocol "${name}"`);
  return id;
}
