// Code generation: each declaration becomes one straight-line function (fixed object shapes, a
// switch on the attribute type, integer reads inlined), which is several times faster than
// walking a table per attribute. Built once per declaration, on first use.

/** A property access that works for any name. */
export function prop(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

/** Compiles generated source into a function; `env` names become constants in its scope. */
export function build<F>(env: Record<string, unknown>, body: string): F {
  const names = Object.keys(env);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const factory = new Function(...names, `"use strict";\n${body}`) as (...a: unknown[]) => F;
  return factory(...names.map((n) => env[n]));
}

/**
 * The scope of one generated function: the constants it refers to (`env`) and fresh names for
 * its locals. Field kinds emit source through it (see kinds.ts).
 */
export class Gen {
  /** Constants in the generated function's scope, by name. */
  readonly env: Record<string, unknown>;
  private n = 0;
  private readonly byValue = new Map<unknown, string>();

  constructor(env: Record<string, unknown> = {}) {
    this.env = env;
  }

  /** Puts `value` in scope (once per value) and returns its name. */
  ref(hint: string, value: unknown): string {
    const hit = this.byValue.get(value);
    if (hit !== undefined) return hit;
    const name = `${hint}$${this.n++}`;
    this.env[name] = value;
    this.byValue.set(value, name);
    return name;
  }

  /** Puts `value` in scope under a name of its own (an object with state, e.g. a cache). */
  own(hint: string, value: unknown): string {
    const name = `${hint}$${this.n++}`;
    this.env[name] = value;
    return name;
  }

  /** A fresh local variable name. */
  local(hint: string): string {
    return `${hint}_${this.n++}`;
  }
}
