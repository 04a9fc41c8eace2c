// The kith extension: starts `kith lsp` for Markdown files and shows the
// agenda. Everything about relationships lives in the server; this file only
// finds the executable, starts and restarts it, and draws the agenda tree.

import { constants as fsConstants, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  State,
} from 'vscode-languageclient/node';
import { localToday } from './agenda';
import { AgendaView } from './agendaView';
import { INSTALL_COMMAND, missingServerMessage, resolveServerPath } from './serverPath';
import { todaySetting } from './settings';

/** The server's `workspace/executeCommand` that lists the gestures due. */
const AGENDA_COMMAND = 'kith.agenda';

let server: Server | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('kith', { log: true });
  server = new Server(log);
  const agenda = new AgendaView(
    {
      fetch: () => server?.agenda() ?? Promise.resolve(undefined),
      today: () => server?.today ?? localToday(),
    },
    log,
  );
  server.onDidStop = () => agenda.clear();
  server.onDidStart = () => {
    if (agenda.visible) {
      void agenda.refresh();
    }
  };

  context.subscriptions.push(
    log,
    agenda,
    vscode.commands.registerCommand('kith.restartServer', () => server?.restart()),
    vscode.commands.registerCommand('kith.showAgenda', async () => {
      if (!(await server?.isRunning())) {
        const restart = 'Restart Server';
        const choice = await vscode.window.showWarningMessage('The kith language server is not running.', restart);
        if (choice === restart) {
          await server?.restart();
        }
        if (!(await server?.isRunning())) {
          return;
        }
      }
      await agenda.show();
    }),
    vscode.commands.registerCommand('kith.refreshAgenda', () => agenda.refresh()),
    vscode.commands.registerCommand('kith.showOutput', () => log.show()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      // The path and the date are fixed when the server starts; the trace
      // level is read by the language client on the fly.
      if (event.affectsConfiguration('kith.path') || event.affectsConfiguration('kith.today')) {
        void server?.restart();
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void server?.restart()),
    onDidChangeNotes(() => {
      if (agenda.visible) {
        void agenda.refresh();
      }
    }),
  );

  // Not awaited: activation should not wait for the server's initialize
  // (commands and the view are ready already), and a failed start reports
  // itself.
  void server.start();
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}

/** One `kith lsp` process at a time, started and stopped in order. */
class Server {
  private client: LanguageClient | undefined;
  /** Serialises start/stop so that quick restarts cannot run two servers. */
  private queue: Promise<void> = Promise.resolve();
  /** The date given to the running server, if one was fixed. */
  private fixedToday: string | undefined;

  onDidStart: () => void = () => {};
  onDidStop: () => void = () => {};

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** Whether a server runs, once any start or restart under way is done. */
  async isRunning(): Promise<boolean> {
    await this.queue;
    return this.client?.state === State.Running;
  }

  get today(): string {
    return this.fixedToday ?? localToday();
  }

  start(): Promise<void> {
    return this.enqueue(() => this.doStart());
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.doStop());
  }

  restart(): Promise<void> {
    return this.enqueue(async () => {
      await this.doStop();
      await this.doStart();
    });
  }

  async agenda(): Promise<unknown> {
    // Wait for a start or restart in progress rather than answer "nothing due".
    await this.queue;
    const client = this.client;
    if (client === undefined || client.state !== State.Running) {
      return undefined;
    }
    // Sent as a request rather than through `vscode.commands`: the language
    // client registers server commands only once the server has announced
    // them, and the answer is data for the tree, not an action.
    return client.sendRequest(ExecuteCommandRequest.type, { command: AGENDA_COMMAND, arguments: [] });
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.queue.then(step);
    // A failed step is reported to its caller; the queue itself must never
    // stay rejected, or every later start would fail with it.
    this.queue = next.catch(() => {});
    return next;
  }

  private async doStart(): Promise<void> {
    const config = vscode.workspace.getConfiguration('kith');
    const resolution = await resolveServerPath(config.get<string>('path'), {
      platform: process.platform,
      env: process.env,
      homedir: os.homedir(),
      workspaceFolders: (vscode.workspace.workspaceFolders ?? [])
        .filter((folder) => folder.uri.scheme === 'file')
        .map((folder) => folder.uri.fsPath),
      isExecutable,
    });
    if (!resolution.found) {
      this.log.error(`${missingServerMessage(resolution)} Searched: ${resolution.searched.join(', ')}`);
      void this.offerInstall(missingServerMessage(resolution));
      await setActive(false);
      return;
    }

    const today = todaySetting(config.get('today'));
    if (today.warning !== undefined) {
      void vscode.window.showWarningMessage(today.warning);
    }
    this.fixedToday = today.options.today;

    const serverOptions: ServerOptions = { command: resolution.path, args: ['lsp'] };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'markdown' },
        // The server reports configuration errors on kith.toml, so it gets to
        // see that file's edits too.
        { scheme: 'file', pattern: '**/kith.toml' },
      ],
      initializationOptions: today.options,
      outputChannel: this.log,
    };
    this.log.info(`Starting ${resolution.path} lsp${this.fixedToday ? ` (today: ${this.fixedToday})` : ''}`);
    const client = new LanguageClient('kith', 'kith', serverOptions, clientOptions);
    this.client = client;
    try {
      await client.start();
    } catch (error) {
      // The language client has already shown the error and logged the
      // server's stderr; leave the view hidden until a restart succeeds.
      this.log.error('The kith language server did not start:', error);
      this.client = undefined;
      await client.dispose().catch(() => {});
      await setActive(false);
      return;
    }
    await setActive(true);
    this.onDidStart();
  }

  private async doStop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.onDidStop();
    await setActive(false);
    if (client !== undefined) {
      // dispose() also stops a running server; a server that already died
      // makes it reject, which is no reason to fail a restart.
      await client.dispose().catch((error: unknown) => this.log.warn('Stopping the server:', error));
    }
  }

  private async offerInstall(message: string): Promise<void> {
    const install = 'Install with Cargo';
    const settings = 'Set kith.path';
    const choice = await vscode.window.showErrorMessage(message, install, settings);
    if (choice === install) {
      await this.installWithCargo();
    } else if (choice === settings) {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'kith.path');
    }
  }

  /** Runs `cargo install kithkin` as a visible task and restarts on success. */
  private async installWithCargo(): Promise<void> {
    const [program, ...args] = INSTALL_COMMAND.split(' ') as [string, ...string[]];
    const task = new vscode.Task(
      { type: 'process', command: INSTALL_COMMAND },
      vscode.workspace.workspaceFolders?.[0] ?? vscode.TaskScope.Workspace,
      'install kith',
      'kith',
      new vscode.ProcessExecution(program, args),
    );
    let execution: vscode.TaskExecution;
    try {
      execution = await vscode.tasks.executeTask(task);
    } catch (error) {
      // Tasks need an open folder; without one, hand the command over.
      this.log.warn('Could not run the install task:', error);
      await vscode.env.clipboard.writeText(INSTALL_COMMAND);
      void vscode.window.showInformationMessage(
        `Run \`${INSTALL_COMMAND}\` in a terminal (copied to the clipboard), then "kith: Restart Server".`,
      );
      return;
    }
    const listener = vscode.tasks.onDidEndTaskProcess(async (event) => {
      if (event.execution !== execution) {
        return;
      }
      listener.dispose();
      if (event.exitCode === 0) {
        await this.restart();
      } else {
        void vscode.window.showErrorMessage(
          `\`${INSTALL_COMMAND}\` did not succeed (see the terminal). It needs Rust's cargo: https://rustup.rs`,
        );
      }
    });
  }
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) {
      return false;
    }
    // Windows has no execute bit; there the extension decides (PATHEXT).
    if (process.platform !== 'win32') {
      await fs.access(file, fsConstants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

/** `kith.active` shows the agenda view only while a server runs. */
function setActive(active: boolean): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', 'kith.active', active);
}

/**
 * Fires, at most twice a second, when a note's findings may have changed:
 * when the server publishes new diagnostics for a Markdown file (it does so
 * as you type, so the agenda keeps up with unsaved edits) or a note is saved.
 */
function onDidChangeNotes(listener: () => void): vscode.Disposable {
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(listener, 500);
  };
  const isNote = (uri: vscode.Uri) => /\.(md|markdown)$/i.test(uri.path);
  const subscriptions = [
    vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some(isNote)) {
        schedule();
      }
    }),
    vscode.workspace.onDidSaveTextDocument((document) => {
      if (document.languageId === 'markdown') {
        schedule();
      }
    }),
  ];
  return { dispose: () => (clearTimeout(timer), subscriptions.forEach((s) => s.dispose())) };
}
