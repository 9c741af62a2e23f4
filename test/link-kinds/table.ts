// What each link kind's table gives the kinds test (test/ip-link-kinds.test.ts); one file per
// kind or family of kinds in this folder, as src/cli/ip/link/ has one per kind.

/** One kind's (or a family of kinds') cases. */
export interface KindTable {
  /** The kinds covered, for the test's names. */
  kinds: readonly string[];
  /** ARPHRD_* of these links (see ARPHRD in helpers/link-kinds.ts), for printing. */
  arphrd: number;
  /**
   * `ip` command lines (without `ip`): `link add NAME … type KIND ARGS`, one request each,
   * sent by both tools and compared byte for byte. Names must be unique across all tables.
   * Each request is printed by both too (as a link of that kind, `-d`).
   */
  lines: readonly string[];
  /** Link messages (with nlmsghdr) carrying fuller data than any request, printed by both. */
  messages?: () => Uint8Array[];
  /** Lines ip refuses before sending anything: same stdout, stderr and status from both. */
  mistakes?: readonly string[];
}
