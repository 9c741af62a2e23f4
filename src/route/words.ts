// iproute2's words for the values of a generated UAPI table: mostly the C name's suffix in
// lower case (RTPROT_KERNEL is 'kernel'), renamed where iproute2 says otherwise
// (RT_SCOPE_UNIVERSE is 'global'). The numbers stay in the generated table; these helpers only
// choose names, so an enum never re-types a kernel value.

type Key<T> = keyof T & string;

/** Per C key: iproute2's word, or `false` for a value iproute2 does not name. */
export type Renames<T> = { readonly [K in Key<T>]?: string | false };

/** The words `words(table, renames)` gives. */
export type Words<T, R> = {
  [K in Key<T>]: K extends keyof R ? (R[K] extends string ? R[K] : never) : Lowercase<K>;
}[Key<T>];

/**
 * Every value of `table` under iproute2's word: the lower-cased key unless `renames` gives one;
 * keys renamed to `false` are left out. Where two keys give one word, the first stays.
 */
export function words<const T extends Record<string, number>, const R extends Renames<T> = {}>(
  table: T,
  renames?: R,
): Record<Words<T, R>, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(table)) {
    const w = (renames as Record<string, string | false | undefined> | undefined)?.[key];
    if (w === false) continue;
    const word = w ?? key.toLowerCase();
    if (!(word in out)) out[word] = value;
  }
  return out as Record<Words<T, R>, number>;
}

/** Only the named keys of `table`, each under the given word, in the order given. */
export function pick<const T extends Record<string, number>, const P extends { readonly [K in Key<T>]?: string }>(
  table: T,
  picked: P,
): Record<Exclude<P[keyof P], undefined>, number> {
  const out: Record<string, number> = {};
  for (const [key, word] of Object.entries(picked) as [Key<T>, string][]) out[word] = table[key];
  return out as Record<Exclude<P[keyof P], undefined>, number>;
}

/** The named keys of `table` under their C names, in the order given (iproute2's print order). */
export function inOrder<const T extends Record<string, number>, const K extends readonly Key<T>[]>(
  table: T,
  keys: K,
): Record<K[number], number> {
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = table[k];
  return out as Record<K[number], number>;
}
