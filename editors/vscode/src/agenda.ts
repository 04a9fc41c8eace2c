// The agenda: what the `kith.agenda` server command returns, checked and
// grouped by person for the tree view.
//
// This module imports nothing from `vscode` so that it runs under plain
// `node --test`.

import * as path from 'node:path';

/** One gesture that is due, as the server reports it. */
export interface AgendaItem {
  /** The contact's display name. */
  contact: string;
  /** The note the finding is in, relative to the vault root, with `/`. */
  path: string;
  /** 1-based line of the finding. */
  line: number;
  /** The rule name, e.g. `missing-thanks`. */
  rule: string;
  /** `YYYY-MM-DD` on which the gesture fell or falls due, when known. */
  due: string | null;
  /** The full sentence, as `kith lint` says it. */
  message: string;
  /** 1-based column in Unicode characters, when the server says. */
  column?: number;
  /** The contact's own note, vault-relative, when the server says. */
  contactPath?: string;
  /** What to do, without the person's name: "say thanks for “the intro”". */
  action?: string;
  /** Why now: "received 6 days ago", "in 3 days". */
  reason?: string;
}

export interface AgendaGroup {
  contact: string;
  items: AgendaItem[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads the server's answer, keeping every well-formed item.
 *
 * The server is a separate program that may be older or newer than this
 * extension, so a malformed item is dropped (and counted) rather than
 * allowed to break the whole view.
 */
export function parseAgenda(value: unknown): { items: AgendaItem[]; dropped: number } {
  if (!Array.isArray(value)) {
    return { items: [], dropped: value === null || value === undefined ? 0 : 1 };
  }
  const items: AgendaItem[] = [];
  let dropped = 0;
  for (const raw of value) {
    const item = parseItem(raw);
    if (item) {
      items.push(item);
    } else {
      dropped += 1;
    }
  }
  return { items, dropped };
}

function parseItem(raw: unknown): AgendaItem | undefined {
  if (typeof raw !== 'object' || raw === null) {
    return undefined;
  }
  const r = raw as Record<string, unknown>;
  if (typeof r.contact !== 'string' || typeof r.path !== 'string' || typeof r.rule !== 'string') {
    return undefined;
  }
  const due = typeof r.due === 'string' && ISO_DATE.test(r.due) ? r.due : null;
  const message = typeof r.message === 'string' ? r.message : r.rule;
  const item: AgendaItem = { contact: r.contact, path: r.path, line: positive(r.line) ?? 1, rule: r.rule, due, message };
  // Optional extras of newer servers; each is kept only when well-formed.
  const column = positive(r.column);
  if (column !== undefined) {
    item.column = column;
  }
  if (typeof r.contact_path === 'string' && r.contact_path !== '') {
    item.contactPath = r.contact_path;
  }
  if (typeof r.action === 'string' && r.action !== '') {
    item.action = r.action;
  }
  if (typeof r.reason === 'string' && r.reason !== '') {
    item.reason = r.reason;
  }
  return item;
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : undefined;
}

/**
 * Groups items by contact, most urgent first.
 *
 * Within a person, items are ordered by due date (undated last), then by
 * place in the vault; people are ordered by their most urgent item, then by
 * name. Dates are ISO strings, so comparing them as strings is comparing
 * them as dates.
 */
export function groupByContact(items: readonly AgendaItem[]): AgendaGroup[] {
  const byContact = new Map<string, AgendaItem[]>();
  for (const item of items) {
    const list = byContact.get(item.contact);
    if (list) {
      list.push(item);
    } else {
      byContact.set(item.contact, [item]);
    }
  }
  const groups: AgendaGroup[] = [];
  for (const [contact, list] of byContact) {
    groups.push({ contact, items: [...list].sort(compareItems) });
  }
  return groups.sort(
    (a, b) =>
      compareDue(a.items[0]?.due ?? null, b.items[0]?.due ?? null) ||
      a.contact.localeCompare(b.contact),
  );
}

function compareItems(a: AgendaItem, b: AgendaItem): number {
  return compareDue(a.due, b.due) || compareText(a.path, b.path) || a.line - b.line;
}

function compareDue(a: string | null, b: string | null): number {
  if (a === b) {
    return 0;
  }
  if (a === null) {
    return 1;
  }
  if (b === null) {
    return -1;
  }
  return compareText(a, b);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Says when an item is due relative to `today` (`YYYY-MM-DD`): "due today",
 * "3 days overdue", "due in 2 days", or "" when it has no date.
 */
export function describeDue(due: string | null, today: string): string {
  if (due === null) {
    return '';
  }
  const days = daysBetween(today, due);
  if (days === undefined) {
    return `due ${due}`;
  }
  if (days === 0) {
    return 'due today';
  }
  if (days < 0) {
    return `${plural(-days, 'day')} overdue`;
  }
  return `due in ${plural(days, 'day')}`;
}

function daysBetween(from: string, to: string): number | undefined {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  if (Number.isNaN(a) || Number.isNaN(b)) {
    return undefined;
  }
  return Math.round((b - a) / 86_400_000);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The local date as `YYYY-MM-DD`: the same "today" the server uses by default. */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * The folders that may be the vault root, most likely first.
 *
 * Item paths are relative to the vault root, which is the nearest folder at
 * or above the workspace folder that holds a `kith.toml` (else the
 * workspace folder itself). A workspace may also hold vaults further down,
 * so folders below that hold a `kith.toml` are candidates too.
 */
export async function candidateVaultRoots(
  workspaceFolders: readonly string[],
  kithTomlDirsBelow: readonly string[],
  exists: (file: string) => Promise<boolean>,
): Promise<string[]> {
  const roots: string[] = [];
  const add = (dir: string) => {
    if (!roots.includes(dir)) {
      roots.push(dir);
    }
  };
  for (const folder of workspaceFolders) {
    add((await nearestVaultRoot(folder, exists)) ?? folder);
  }
  const byDepth = [...kithTomlDirsBelow].sort(
    (a, b) => a.split(path.sep).length - b.split(path.sep).length || compareText(a, b),
  );
  byDepth.forEach(add);
  return roots;
}

async function nearestVaultRoot(
  start: string,
  exists: (file: string) => Promise<boolean>,
): Promise<string | undefined> {
  let dir = start;
  for (;;) {
    if (await exists(path.join(dir, 'kith.toml'))) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      return undefined;
    }
    dir = parent;
  }
}

/**
 * The file an item points at: the first candidate root under which its
 * vault-relative path exists, else under the first root (so that VS Code
 * shows a clear "file not found" rather than nothing happening).
 */
export async function resolveItemFile(
  itemPath: string,
  roots: readonly string[],
  exists: (file: string) => Promise<boolean>,
): Promise<string | undefined> {
  if (path.isAbsolute(itemPath)) {
    return itemPath;
  }
  const parts = itemPath.split('/');
  for (const root of roots) {
    const file = path.join(root, ...parts);
    if (await exists(file)) {
      return file;
    }
  }
  return roots[0] === undefined ? undefined : path.join(roots[0], ...parts);
}

/**
 * A codicon for each rule, so that the kind of gesture is visible at a
 * glance. Unknown (newer) rules get a neutral dot.
 */
export function ruleIcon(rule: string): string {
  switch (rule) {
    case 'missing-thanks':
      return 'heart';
    case 'unreciprocated':
      return 'arrow-swap';
    case 'overdue-touch':
      return 'clock';
    case 'congratulate':
      return 'star';
    case 'birthday-soon':
      return 'gift';
    case 'follow-up-due':
      return 'tasklist';
    case 'vague-ask':
    case 'ask-after-silence':
      return 'question';
    default:
      return 'circle-small-filled';
  }
}
