// Finding the `kith` executable from the `kith.path` setting.
//
// This module imports nothing from `vscode` so that it runs under plain
// `node --test`; everything it needs from the machine comes in `Host`.

import * as path from 'node:path';

export const INSTALL_COMMAND = 'cargo install kithkin';

export interface Host {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  homedir: string;
  workspaceFolders: readonly string[];
  /** True when `file` is a regular file this process may execute. */
  isExecutable(file: string): Promise<boolean>;
}

export type Resolution =
  | { found: true; path: string }
  | { found: false; setting: string; searched: string[] };

/**
 * Resolves `kith.path` to an executable.
 *
 * - Empty means `kith`.
 * - `~` and `${userHome}` expand to the home folder, `${workspaceFolder}` to
 *   the first workspace folder.
 * - A value with a path separator is a path: absolute, or relative to a
 *   workspace folder.
 * - A bare name is looked up on `PATH` (with `PATHEXT` on Windows), then in
 *   Cargo's bin folder: editors started from a desktop launcher often do not
 *   get the shell's `PATH`, yet that is where `cargo install kithkin` puts it.
 */
export async function resolveServerPath(setting: string | undefined, host: Host): Promise<Resolution> {
  const p = host.platform === 'win32' ? path.win32 : path.posix;
  const raw = (setting ?? '').trim() || 'kith';
  const value = expandVariables(raw, host, p);
  const searched: string[] = [];

  const isPath = value.includes('/') || (host.platform === 'win32' && value.includes('\\'));
  if (isPath) {
    const bases = p.isAbsolute(value) ? [''] : host.workspaceFolders;
    for (const base of bases) {
      for (const file of withExtensions(p.join(base, value), host)) {
        searched.push(file);
        if (await host.isExecutable(file)) {
          return { found: true, path: file };
        }
      }
    }
    return { found: false, setting: raw, searched };
  }

  const cargoHome = envVar(host, 'CARGO_HOME') || p.join(host.homedir, '.cargo');
  const dirs = new Set([...splitPath(envVar(host, 'PATH'), host.platform), p.join(cargoHome, 'bin')]);
  for (const dir of dirs) {
    for (const file of withExtensions(p.join(dir, value), host)) {
      searched.push(file);
      if (await host.isExecutable(file)) {
        return { found: true, path: file };
      }
    }
  }
  return { found: false, setting: raw, searched };
}

function expandVariables(value: string, host: Host, p: path.PlatformPath): string {
  let out = value.replaceAll('${userHome}', host.homedir);
  const folder = host.workspaceFolders[0];
  if (folder !== undefined) {
    out = out.replaceAll('${workspaceFolder}', folder);
  }
  if (out === '~') {
    return host.homedir;
  }
  if (out.startsWith('~/') || (host.platform === 'win32' && out.startsWith('~\\'))) {
    return p.join(host.homedir, out.slice(2));
  }
  return out;
}

/** Windows environment variables are case-insensitive (`Path`, `PATH`). */
function envVar(host: Host, name: string): string {
  if (host.platform !== 'win32') {
    return host.env[name] ?? '';
  }
  const key = Object.keys(host.env).find((k) => k.toUpperCase() === name);
  return key === undefined ? '' : (host.env[key] ?? '');
}

function splitPath(value: string, platform: NodeJS.Platform): string[] {
  const delimiter = platform === 'win32' ? ';' : ':';
  // An empty entry means the current folder to a shell; an editor's current
  // folder is arbitrary, so it is not searched. Repeated entries are common
  // (shell profiles that prepend ~/.cargo/bin twice) and searched once.
  return value.split(delimiter).filter((dir) => dir.length > 0);
}

function withExtensions(file: string, host: Host): string[] {
  if (host.platform !== 'win32' || path.win32.extname(file) !== '') {
    return [file];
  }
  const exts = (envVar(host, 'PATHEXT') || '.COM;.EXE;.BAT;.CMD')
    .split(';')
    .filter((ext) => ext.length > 0)
    .map((ext) => ext.toLowerCase());
  return exts.map((ext) => file + ext);
}

/** The notification text for an executable that could not be found. */
export function missingServerMessage(resolution: Extract<Resolution, { found: false }>): string {
  const what =
    resolution.setting === 'kith'
      ? 'The kith executable was not found on PATH or in Cargo\u2019s bin folder.'
      : `The kith executable "${resolution.setting}" (setting kith.path) was not found.`;
  return `${what} Install it with \`${INSTALL_COMMAND}\`, or set kith.path to where it is.`;
}
