/**
 * The Key access picture as a graph for docs and pull requests (`policy-handshake graph`):
 * accounts as groups, keys and principals as nodes, an edge from each principal to each key it
 * can use labelled with the actions (dashed when conditional or only through a service; "through
 * a grant" for a KMS grant's grantee), and
 * crossed edges for what has no effect. Mermaid, Graphviz dot or JSON. Pure.
 */
import type { KeyAccessAccount, KeyAccessKey } from './keyAccess';

export type GraphFormat = 'mermaid' | 'dot' | 'json';

export interface GraphNode {
  id: string;
  kind: 'key' | 'principal' | 'account';
  label: string;
  /** The account it belongs to (`*`: any account; undefined: not known). */
  account?: string;
  /** The key or principal ARN when known. */
  arn?: string;
}

export interface GraphEdge {
  from: string;
  to: string;
  actions: string[];
  /** Every way it has is conditional. */
  conditional: boolean;
  /** Only through these services. */
  via?: string[];
  /** The actions have no effect; why. */
  ineffective?: string;
  /** Through this KMS grant (`aws_kms_grant.reader`), not through policies. */
  grant?: string;
}

export interface KeyAccessGraph {
  accounts: { account: string; name?: string; nodes: string[] }[];
  nodes: GraphNode[];
  edges: GraphEdge[];
}

const MAX_ACTIONS_IN_LABEL = 4;

/** The graph of the keys: one node per key, per principal and per account trusted as a whole where that says something. */
export function keyAccessGraph(keys: KeyAccessKey[]): KeyAccessGraph {
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const names = new Map<string, string | undefined>();
  const counts = { key: 0, principal: 0, account: 0 };
  // Ids by kind in order of appearance: k1, k2, p1, a1…
  const node = (key: string, fields: Omit<GraphNode, 'id'>) => {
    let n = nodes.get(key);
    if (!n) nodes.set(key, (n = { id: `${fields.kind[0]}${++counts[fields.kind]}`, ...fields }));
    return n;
  };
  const accountRoot = (a: KeyAccessAccount) => node(`account:${a.account}`, { kind: 'account', label: a.account === '*' ? 'every AWS account' : 'whole account', account: a.account });
  for (const k of keys) {
    if (k.account) names.set(k.account, names.get(k.account) ?? k.accounts.find((a) => a.own)?.name);
    const keyNode = node(`key:${k.arn ?? k.place.file}`, { kind: 'key', label: k.arn ? k.arn.slice(k.arn.lastIndexOf(':') + 1) : k.label, account: k.account, ...(k.arn ? { arn: k.arn } : {}) });
    for (const a of k.accounts) {
      names.set(a.account, names.get(a.account) ?? a.name);
      if (a.wholeAccount && (a.own || !a.described || a.account === '*')) {
        edges.push({ from: accountRoot(a).id, to: keyNode.id, actions: a.trusted, conditional: false, ...(a.described || a.own ? {} : { ineffective: 'no IAM data of the account: not known who can use it' }) });
      }
      for (const p of a.principals) {
        const pn = node(`principal:${p.arn ?? p.label}`, { kind: 'principal', label: p.label, account: a.account, ...(p.arn ? { arn: p.arn } : {}) });
        edges.push({ from: pn.id, to: keyNode.id, actions: p.actions, conditional: p.conditions.length > 0, ...(p.via ? { via: p.via } : {}), ...(p.grant ? { grant: p.grant } : {}) });
      }
      for (const i of a.ineffective) {
        const from = i.principal
          ? node(`principal:${i.principalArn ?? i.principal}`, { kind: 'principal', label: i.principal, account: a.account, ...(i.principalArn ? { arn: i.principalArn } : {}) })
          : accountRoot(a);
        edges.push({ from: from.id, to: keyNode.id, actions: i.actions, conditional: false, ineffective: i.reason });
      }
    }
  }
  const list = [...nodes.values()];
  const accounts = [...new Set(list.map((n) => n.account ?? '?'))].sort((a, b) => Number(a === '*') - Number(b === '*') || a.localeCompare(b));
  return {
    accounts: accounts.map((account) => ({ account, ...(names.get(account) ? { name: names.get(account) } : {}), nodes: list.filter((n) => (n.account ?? '?') === account).map((n) => n.id) })),
    nodes: list,
    edges,
  };
}

function actionsLabel(actions: string[]): string {
  return actions.length > MAX_ACTIONS_IN_LABEL ? `${actions.slice(0, MAX_ACTIONS_IN_LABEL - 1).join(', ')} +${actions.length - MAX_ACTIONS_IN_LABEL + 1} more` : actions.join(', ');
}

/** What an edge says: its actions, then conditional / only through / no effect. */
export function edgeLabel(e: GraphEdge): string {
  const notes = [
    e.grant ? 'through a grant' : '',
    e.conditional ? 'conditional' : '',
    e.via ? `only via ${e.via.join(', ')}` : '',
    e.ineffective ? `no effect: ${e.ineffective}` : '',
  ].filter(Boolean);
  return `${actionsLabel(e.actions)}${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

function accountTitle(a: { account: string; name?: string }): string {
  if (a.account === '*') return 'Any AWS account';
  if (a.account === '?') return 'Account not known';
  return a.name ? `${a.name} (${a.account})` : a.account;
}

const mermaidText = (s: string) => s.replace(/"/g, '#quot;');

/** Said in the picture when it has no key: a bare `flowchart LR` looks like a fault. */
export const NO_KEYS = 'No key policy found in the files given.';

export function toMermaid(g: KeyAccessGraph): string {
  const out = ['flowchart LR'];
  if (g.nodes.length === 0) out.push(`  %% ${NO_KEYS}`);
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  g.accounts.forEach((a, i) => {
    out.push(`  subgraph acct${i + 1}["${mermaidText(accountTitle(a))}"]`);
    for (const id of a.nodes) {
      const n = byId.get(id)!;
      out.push(`    ${n.id}${n.kind === 'key' ? `[("${mermaidText(n.label)}")]` : n.kind === 'account' ? `{{"${mermaidText(n.label)}"}}` : `["${mermaidText(n.label)}"]`}`);
    }
    out.push('  end');
  });
  for (const e of g.edges) {
    const arrow = e.ineffective ? '--x' : e.conditional || e.via ? '-.->' : '-->';
    out.push(`  ${e.from} ${arrow}|"${mermaidText(edgeLabel(e))}"| ${e.to}`);
  }
  return out.join('\n') + '\n';
}

const dotText = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function toDot(g: KeyAccessGraph): string {
  const out = ['digraph keyAccess {', '  rankdir=LR;', '  node [fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=10];'];
  if (g.nodes.length === 0) out.push(`  // ${NO_KEYS}`);
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  g.accounts.forEach((a, i) => {
    out.push(`  subgraph cluster_${i + 1} {`, `    label=${dotText(accountTitle(a))};`);
    for (const id of a.nodes) {
      const n = byId.get(id)!;
      const shape = n.kind === 'key' ? 'cylinder' : n.kind === 'account' ? 'hexagon' : 'box';
      out.push(`    ${n.id} [label=${dotText(n.label)}, shape=${shape}];`);
    }
    out.push('  }');
  });
  for (const e of g.edges) {
    const style = e.ineffective ? ', style=dotted, color=red, arrowhead=tee' : e.conditional || e.via ? ', style=dashed' : '';
    out.push(`  ${e.from} -> ${e.to} [label=${dotText(edgeLabel(e))}${style}];`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}

export function formatGraph(keys: KeyAccessKey[], format: GraphFormat): string {
  const g = keyAccessGraph(keys);
  if (format === 'mermaid') return toMermaid(g);
  if (format === 'dot') return toDot(g);
  return JSON.stringify(g, null, 2) + '\n';
}
