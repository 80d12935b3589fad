/**
 * A firewall inside the client's test namespace that drops GRE (IP protocol 47), the usual
 * reason a PPTP call comes up but no data flows. nftables table `inet pptptest`, input hook,
 * so raw sockets in the namespace never see the server's GRE. Only ever inside `ns`.
 */
import { runInNetns } from './netns';

const TABLE = 'pptptest';

/** Drops (and counts) every GRE packet arriving in `ns`. */
export async function blockGre(ns: string): Promise<void> {
  const r = await runInNetns(ns, 'sh', [
    '-c',
    `nft add table inet ${TABLE} && nft add chain inet ${TABLE} input '{ type filter hook input priority 0; policy accept; }' && nft add rule inet ${TABLE} input ip protocol gre counter drop`,
  ]);
  if (r.code !== 0) throw new Error(`nft failed in ${ns}: ${r.stderr}`);
}

/** Removes the table again; a missing table is fine. */
export async function unblockGre(ns: string): Promise<void> {
  await runInNetns(ns, 'nft', ['delete', 'table', 'inet', TABLE]);
}

/** GRE packets the drop rule counted so far (0 when the table does not exist). */
export async function greDropped(ns: string): Promise<number> {
  const r = await runInNetns(ns, 'nft', ['list', 'table', 'inet', TABLE]);
  return Number(/counter packets (\d+)/.exec(r.stdout)?.[1] ?? 0);
}
