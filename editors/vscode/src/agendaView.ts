// The "kith Agenda" tree: one node per person, one child per gesture due,
// each opening the note at the finding's line.

import * as vscode from 'vscode';
import {
  type AgendaGroup,
  type AgendaItem,
  candidateVaultRoots,
  describeDue,
  groupByContact,
  parseAgenda,
  resolveItemFile,
  ruleIcon,
} from './agenda';

type Node =
  | { kind: 'contact'; group: AgendaGroup }
  | { kind: 'item'; item: AgendaItem; index: number; file: string | undefined };

export interface AgendaSource {
  /** Runs `kith.agenda` on the server; undefined when no server is running. */
  fetch(): Promise<unknown>;
  /** The date the server treats as today, `YYYY-MM-DD`. */
  today(): string;
}

export class AgendaView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  private readonly view: vscode.TreeView<Node>;
  private groups: AgendaGroup[] | undefined;
  private files = new Map<AgendaItem, string | undefined>();
  private contactNotes = new Map<string, string>();
  private loading: Promise<void> | undefined;
  /** Set when a refresh was asked for while one was under way. */
  private stale = false;

  constructor(
    private readonly source: AgendaSource,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.view = vscode.window.createTreeView('kith.agenda', {
      treeDataProvider: this,
      showCollapseAll: true,
    });
  }

  get visible(): boolean {
    return this.view.visible;
  }

  /** Brings the view into sight and loads a fresh agenda. */
  async show(): Promise<void> {
    await vscode.commands.executeCommand('kith.agenda.focus');
    await this.refresh();
  }

  /**
   * Asks the server again. While a request is under way, further calls
   * share it and make it ask once more when it is done, so that the last
   * edit is always reflected without a request per keystroke.
   */
  refresh(): Promise<void> {
    if (this.loading) {
      this.stale = true;
      return this.loading;
    }
    this.loading = (async () => {
      do {
        this.stale = false;
        await this.load();
      } while (this.stale);
    })().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /** Forgets the agenda, e.g. when the server stops. */
  clear(): void {
    this.groups = undefined;
    this.files.clear();
    this.contactNotes.clear();
    this.view.badge = undefined;
    this.view.description = undefined;
    this.changed.fire(undefined);
  }

  private async load(): Promise<void> {
    let answer: unknown;
    try {
      answer = await this.source.fetch();
    } catch (error) {
      this.log.error('kith.agenda failed:', error);
      this.view.message = `Could not load the agenda: ${error instanceof Error ? error.message : String(error)}`;
      this.groups = [];
      this.changed.fire(undefined);
      return;
    }
    const { items, dropped } = parseAgenda(answer);
    if (dropped > 0) {
      this.log.warn(`kith.agenda: ignored ${dropped} malformed item(s); is the kith executable up to date?`);
    }
    await this.locate(items);
    this.groups = groupByContact(items);
    this.view.message = undefined;
    this.view.description = items.length > 0 ? `${items.length} due` : undefined;
    this.view.badge =
      items.length > 0
        ? { value: items.length, tooltip: `${items.length} ${items.length === 1 ? 'gesture' : 'gestures'} due` }
        : undefined;
    this.changed.fire(undefined);
  }

  /** Finds the files behind the vault-relative paths of the items. */
  private async locate(items: readonly AgendaItem[]): Promise<void> {
    const folders = (vscode.workspace.workspaceFolders ?? [])
      .filter((folder) => folder.uri.scheme === 'file')
      .map((folder) => folder.uri.fsPath);
    // Vaults nested in a workspace folder; ten is plenty, and the limit keeps
    // this cheap in a huge workspace.
    const tomls = await vscode.workspace.findFiles('**/kith.toml', '**/node_modules/**', 10);
    const below = tomls.map((uri) => vscode.Uri.joinPath(uri, '..').fsPath);
    const roots = await candidateVaultRoots(folders, below, exists);
    this.files = new Map();
    this.contactNotes = new Map();
    for (const item of items) {
      this.files.set(item, await resolveItemFile(item.path, roots, exists));
      if (item.contactPath !== undefined && !this.contactNotes.has(item.contact)) {
        const note = await resolveItemFile(item.contactPath, roots, exists);
        if (note !== undefined) {
          this.contactNotes.set(item.contact, note);
        }
      }
    }
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node === undefined) {
      if (this.groups === undefined) {
        await this.refresh();
      }
      return (this.groups ?? []).map((group) => ({ kind: 'contact', group }));
    }
    if (node.kind === 'contact') {
      return node.group.items.map((item, index) => ({ kind: 'item', item, index, file: this.files.get(item) }));
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const today = this.source.today();
    if (node.kind === 'contact') {
      const { contact, items } = node.group;
      const treeItem = new vscode.TreeItem(contact, vscode.TreeItemCollapsibleState.Expanded);
      treeItem.id = `contact:${contact}`;
      treeItem.iconPath = new vscode.ThemeIcon('person');
      const first = items[0];
      const due = first ? describeDue(first.due, today) : '';
      treeItem.description = items.length === 1 ? due : [`${items.length} due`, due].filter(Boolean).join(' · ');
      treeItem.contextValue = 'kith.contact';
      const note = this.contactNotes.get(contact);
      if (note !== undefined) {
        treeItem.resourceUri = vscode.Uri.file(note);
        treeItem.tooltip = `${contact} — ${vscode.workspace.asRelativePath(treeItem.resourceUri)}`;
        treeItem.command = { command: 'vscode.open', title: 'Open Contact Note', arguments: [treeItem.resourceUri] };
      }
      return treeItem;
    }

    const { item, index, file } = node;
    // Under the person's name, "say thanks for “the intro”" reads better
    // than the full sentence, which repeats the name.
    const treeItem = new vscode.TreeItem(item.action ?? item.message, vscode.TreeItemCollapsibleState.None);
    // Stable across refreshes so that VS Code keeps the selection; the index
    // keeps two findings of one rule on one line apart.
    treeItem.id = `item:${item.contact}:${item.path}:${item.line}:${item.rule}:${index}`;
    treeItem.iconPath = new vscode.ThemeIcon(ruleIcon(item.rule));
    treeItem.description = item.reason ?? [item.rule, describeDue(item.due, today)].filter(Boolean).join(' · ');
    const tooltip = new vscode.MarkdownString();
    tooltip.appendText(item.message);
    tooltip.appendMarkdown('\n\n');
    tooltip.appendText(`${item.rule}${item.due ? ` · due ${item.due}` : ''} · ${item.path}:${item.line}`);
    treeItem.tooltip = tooltip;
    treeItem.contextValue = 'kith.item';
    if (file !== undefined) {
      // The server counts columns in characters, VS Code in UTF-16 units;
      // they differ only after astral characters (emoji) on the same line.
      const position = new vscode.Position(item.line - 1, (item.column ?? 1) - 1);
      treeItem.resourceUri = vscode.Uri.file(file);
      treeItem.command = {
        command: 'vscode.open',
        title: 'Open Note',
        arguments: [treeItem.resourceUri, { selection: new vscode.Range(position, position) }],
      };
    }
    return treeItem;
  }

  dispose(): void {
    this.view.dispose();
    this.changed.dispose();
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(vscode.Uri.file(file));
    return true;
  } catch {
    return false;
  }
}
