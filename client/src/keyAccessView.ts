/**
 * The Key access view in the Explorer: keys → accounts → principals, each principal with the
 * actions it can use (conditional, only through a service), and what has no effect. The data
 * comes from the server (`policyHandshake/keyAccess`); the server says when it changed
 * (`policyHandshake/keyAccessChanged`) and the view asks again. Selecting an entry opens the
 * statement it comes from.
 */
import { EventEmitter, MarkdownString, Position, Range, ThemeColor, ThemeIcon, TreeItem, TreeItemCollapsibleState, Uri, type Event, type TreeDataProvider } from 'vscode';

export const KEY_ACCESS_VIEW = 'policyHandshake.keyAccess';
export const KEY_ACCESS_REQUEST = 'policyHandshake/keyAccess';
export const KEY_ACCESS_CHANGED = 'policyHandshake/keyAccessChanged';
/** Opens `[uri, range]` (LSP values) in an editor with the range selected. */
export const OPEN_PLACE_COMMAND = 'policyHandshake.openPlace';

interface LspRange { start: { line: number; character: number }; end: { line: number; character: number } }
export interface WireLocation { uri: string; range: LspRange }

/** What the view reads of the server's answer (server/src/core/features/keyAccess.ts). */
export interface WirePrincipal { arn?: string; label: string; actions: string[]; conditions: string[]; via?: string[]; places: WireLocation[]; grant?: string }
export interface WireIneffective { actions: string[]; reason: string; principal?: string; place?: WireLocation }
export interface WireAccount {
  account: string; name?: string; own: boolean; trusted: string[]; wholeAccount: boolean; statements: WireLocation[];
  described: boolean; principals: WirePrincipal[]; ineffective: WireIneffective[];
}
export interface WireKey { label: string; arn?: string; account?: string; place: WireLocation; fileLabel: string; accounts: WireAccount[] }

export type KeyAccessNode =
  | { kind: 'key'; key: WireKey }
  | { kind: 'account'; key: WireKey; account: WireAccount }
  | { kind: 'principal'; principal: WirePrincipal }
  | { kind: 'ineffective'; ineffective: WireIneffective }
  | { kind: 'note'; text: string; place?: WireLocation };

/** `kms:Decrypt, kms:Encrypt` or `kms:Decrypt, kms:Encrypt and 4 more`. */
export function actionList(actions: string[], max = 3): string {
  return actions.length > max ? `${actions.slice(0, max).join(', ')} and ${actions.length - max} more` : actions.join(', ');
}

function accountName(a: WireAccount): string {
  if (a.account === '*') return 'Every AWS account';
  return a.name ? `${a.name} (${a.account})` : a.account;
}

/** The key's id (`key/1234abcd…`) when its ARN is known, else what is known of it. */
function keyName(k: WireKey): string {
  return k.arn ? k.arn.slice(k.arn.lastIndexOf(':') + 1) : k.label;
}

export class KeyAccessTreeProvider implements TreeDataProvider<KeyAccessNode> {
  private readonly changed = new EventEmitter<KeyAccessNode | undefined>();
  readonly onDidChangeTreeData: Event<KeyAccessNode | undefined> = this.changed.event;
  private keys: Promise<WireKey[]> | undefined;

  /** `fetch` asks the server (undefined while it is not running). */
  constructor(private readonly fetch: () => Promise<WireKey[]> | undefined) {}

  refresh(): void {
    this.keys = undefined;
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
  }

  async getChildren(node?: KeyAccessNode): Promise<KeyAccessNode[]> {
    if (!node) {
      this.keys ??= Promise.resolve(this.fetch() ?? []).catch(() => []);
      const keys = await this.keys;
      return keys.length ? keys.map((key) => ({ kind: 'key', key })) : [{ kind: 'note', text: 'No key policy in the workspace yet.' }];
    }
    if (node.kind === 'key') return node.key.accounts.map((account) => ({ kind: 'account', key: node.key, account }));
    if (node.kind === 'account') {
      const a = node.account;
      const out: KeyAccessNode[] = a.principals.map((principal) => ({ kind: 'principal', principal }));
      if (a.wholeAccount && !a.own && a.described && a.principals.length === 0) out.push({ kind: 'note', text: 'No principal of the account has an IAM grant on this key.', place: a.statements[0] });
      if (a.wholeAccount && !a.described) out.push({ kind: 'note', text: 'No IAM data of the account in the workspace: who can use the key there is not known.', place: a.statements[0] });
      if (a.own && a.wholeAccount) out.push({ kind: 'note', text: `The account's IAM policies decide who can use ${actionList(a.trusted)}.`, place: a.statements[0] });
      for (const ineffective of a.ineffective) out.push({ kind: 'ineffective', ineffective });
      return out;
    }
    return [];
  }

  getTreeItem(node: KeyAccessNode): TreeItem {
    switch (node.kind) {
      case 'key': {
        const item = new TreeItem(keyName(node.key), TreeItemCollapsibleState.Expanded);
        const owner = node.key.accounts.find((a) => a.own);
        item.description = `${owner ? `${owner.name ?? owner.account} · ` : ''}${node.key.fileLabel}`;
        item.tooltip = `${node.key.label}\nKey policy: ${node.key.fileLabel}`;
        item.iconPath = new ThemeIcon('key');
        item.contextValue = 'key';
        item.command = openCommand(node.key.place, 'Open the key policy');
        return item;
      }
      case 'account': {
        const a = node.account;
        const item = new TreeItem(accountName(a), TreeItemCollapsibleState.Expanded);
        const how = a.own ? 'own account' : a.wholeAccount ? 'whole account trusted' : 'named principals trusted';
        item.description = a.trusted.length ? `${how} · ${actionList(a.trusted, 2)}` : 'not trusted';
        item.tooltip = new MarkdownString(`**${accountName(a)}**: ${how}\n\nTrusted for: ${a.trusted.length ? a.trusted.join(', ') : 'nothing'}`);
        item.iconPath = new ThemeIcon(a.own ? 'home' : 'organization');
        item.contextValue = 'account';
        if (a.statements[0]) item.command = openCommand(a.statements[0], 'Open the key-policy statement');
        return item;
      }
      case 'principal': {
        const p = node.principal;
        const item = new TreeItem(p.label, TreeItemCollapsibleState.None);
        const notes = [p.grant ? 'through a grant' : '', p.conditions.length ? 'conditional' : '', p.via ? `only through ${p.via.join(', ')}` : ''].filter(Boolean);
        item.description = `${actionList(p.actions)}${notes.length ? ` · ${notes.join(' · ')}` : ''}`;
        item.tooltip = new MarkdownString([
          `**${p.arn ?? p.label}** can use ${p.actions.join(', ')}${p.grant ? ` through the KMS grant \`${p.grant}\` (no key-policy trust or IAM grant needed)` : ''}`,
          ...(p.conditions.length ? [`Conditional: ${p.conditions.join('; ')}`] : []),
          ...(p.via ? [`Only through ${p.via.join(', ')}`] : []),
        ].join('\n\n'));
        item.iconPath = new ThemeIcon(p.conditions.length || p.via ? 'pass' : 'pass-filled', new ThemeColor('charts.green'));
        item.contextValue = 'principal';
        if (p.places[0]) item.command = openCommand(p.places[0], p.grant ? 'Open the KMS grant' : 'Open the statement that grants the key');
        return item;
      }
      case 'ineffective': {
        const i = node.ineffective;
        const item = new TreeItem(`No effect: ${actionList(i.actions)}`, TreeItemCollapsibleState.None);
        item.description = `${i.principal ? `${i.principal} · ` : ''}${i.reason}`;
        item.tooltip = `${i.actions.join(', ')}${i.principal ? ` of ${i.principal}` : ''}: ${i.reason}`;
        item.iconPath = new ThemeIcon('circle-slash', new ThemeColor('problemsWarningIcon.foreground'));
        item.contextValue = 'ineffective';
        if (i.place) item.command = openCommand(i.place, 'Open the statement');
        return item;
      }
      default: {
        const item = new TreeItem(node.text, TreeItemCollapsibleState.None);
        item.iconPath = new ThemeIcon('info');
        if (node.place) item.command = openCommand(node.place, 'Open the statement');
        return item;
      }
    }
  }
}

function openCommand(place: WireLocation, title: string) {
  return { command: OPEN_PLACE_COMMAND, title, arguments: [place.uri, place.range] };
}

/** The VS Code range of an LSP range. */
export function toVsRange(r: LspRange): Range {
  return new Range(new Position(r.start.line, r.start.character), new Position(r.end.line, r.end.character));
}

export function placeUri(uri: string): Uri {
  return Uri.parse(uri);
}
