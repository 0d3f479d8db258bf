/**
 * Several full nodes behind one URL that disagree, as behind TronGrid's load balancer: each node
 * lags the network head by its own number of blocks, and every /wallet or /walletsolidity request
 * is answered by one node chosen per request. A lagging node answers from the state it had then:
 * its head block (so tronweb builds on an older reference block), its solidified block, account
 * and delegation state, and the transactions it has seen. Broadcasts go to the network (the
 * leading node validates them). DEVNET ONLY.
 */
import { type Block, type Chain, type ChainState, StateView, type StoredTx } from "./chain";

export interface NodeSpec {
  /** Blocks this node is behind the network head (0 = the leading node). */
  lag: number;
}

export type NodePick = "round-robin" | "random" | number[];

export interface NodesConfig {
  nodes: NodeSpec[];
  /** How each request chooses its node: in turn, at random, or cycling through a list of indices. */
  pick?: NodePick;
  /** Only requests whose path starts with one of these go through the nodes (default: every node API path). */
  paths?: string[];
}

/** The chain as a node `lag` blocks behind sees it: same object shape, older answers. */
export function laggedChain(chain: Chain, lag: number): Chain {
  if (lag <= 0) return chain;
  const headNumber = (): number => Math.max(1, chain.head.number - lag);
  // State as of block n; a block whose state the devnet no longer keeps (it keeps them from the time
  // the nodes were configured) is answered from the oldest newer state it has.
  const stateAt = (n: number): ChainState => {
    let k = n;
    while (k < chain.head.number && !chain.snapshots.has(k)) k++;
    return chain.snapshots.get(k) ?? chain.state;
  };
  const solidNumber = (): number => Math.max(0, headNumber() - chain.solidityLag);
  const proxy: Chain = new Proxy(chain, {
    get(target, prop, receiver) {
      switch (prop) {
        case "head":
          return target.blocks[headNumber()] as Block;
        case "solidifiedNumber":
          return solidNumber();
        case "headView":
          return () => new StateView(proxy, stateAt(headNumber()), target.blocks[headNumber()].timestamp);
        case "solidView":
          return () => new StateView(proxy, stateAt(solidNumber()), target.blocks[headNumber()].timestamp);
        case "findTx":
          return (id: string, solid: boolean): StoredTx | undefined => {
            const t = target.txs.get(id);
            if (!t || t.blockNumber < 0) return undefined;
            return t.blockNumber <= (solid ? solidNumber() : headNumber()) ? t : undefined;
          };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
  return proxy;
}

/** The configured nodes and the per-request choice among them. */
export class NodeSet {
  private config: NodesConfig | null = null;
  private views: Chain[] = [];
  private turn = 0;

  constructor(
    private readonly chain: Chain,
    private readonly initial?: NodesConfig,
  ) {
    if (initial) this.configure(initial);
  }

  configure(c: NodesConfig): void {
    const nodes = (c.nodes ?? []).map((n) => ({ lag: Math.max(0, Math.floor(Number(n.lag) || 0)) }));
    if (nodes.length === 0) {
      this.clear();
      return;
    }
    const pick = c.pick ?? "round-robin";
    if (Array.isArray(pick) && (pick.length === 0 || pick.some((i) => !(i >= 0 && i < nodes.length))))
      throw new Error("pick lists node indices between 0 and the number of nodes - 1");
    this.config = { nodes, pick, paths: c.paths };
    this.views = nodes.map((n) => laggedChain(this.chain, n.lag));
    this.turn = 0;
    // keep the block states the most lagging node answers from
    this.chain.extraSnapshots = Math.max(...nodes.map((n) => n.lag));
  }

  clear(): void {
    this.config = null;
    this.views = [];
    this.turn = 0;
    this.chain.extraSnapshots = 0;
  }

  /** Back to the nodes given at start (after a devnet reset). */
  restore(): void {
    if (this.initial) this.configure(this.initial);
    else this.clear();
  }

  /** The node that answers a request to `path` (the chain itself when no nodes are configured). */
  pick(path: string): { chain: Chain; node: number } {
    const c = this.config;
    if (!c) return { chain: this.chain, node: 0 };
    if (c.paths && !c.paths.some((p) => path.startsWith(p))) return { chain: this.chain, node: 0 };
    let i: number;
    if (c.pick === "random") i = Math.floor(Math.random() * this.views.length);
    else if (Array.isArray(c.pick)) i = c.pick[this.turn++ % c.pick.length];
    else i = this.turn++ % this.views.length;
    return { chain: this.views[i], node: i };
  }

  /** For GET /_devnet/nodes: the configuration and what each node sees now. */
  describe(): Record<string, unknown> {
    if (!this.config) return { nodes: [] };
    return {
      pick: this.config.pick,
      paths: this.config.paths ?? null,
      nodes: this.config.nodes.map((n, i) => ({
        lag: n.lag,
        head: this.views[i].head.number,
        solidified: this.views[i].solidifiedNumber,
      })),
    };
  }
}
