// Drives code-server in headless Chromium as a person would: opens a contact
// note, reads the Problems panel, runs "kith: Show Agenda" and follows an
// agenda item. Started by ../ui.sh, which sets up code-server and the vault.
//
//   node ui.mjs --url URL --vault DIR --chromium PATH --artifacts DIR
//
// Prints one line per check and a final "ui: N passed, N failed"; exits
// non-zero on failure, leaving screenshots in the artifacts folder.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values: opts } = parseArgs({
  options: {
    url: { type: 'string' },
    vault: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    artifacts: { type: 'string', default: 'ui-artifacts' },
  },
});
if (!opts.url || !opts.vault) {
  console.error('usage: node ui.mjs --url URL --vault DIR [--chromium PATH] [--artifacts DIR]');
  process.exit(2);
}
mkdirSync(opts.artifacts, { recursive: true });

// The note with a #got of 2026-11-20 and no #thanks: `missing-thanks` on
// 2026-12-01, the date ui.sh gives the extension in `kith.today`.
const NOTE = 'Jana Müller.md';
const CONTACT = 'Jana Müller';
// A language server needs a moment to index; a cold code-server needs longer.
const TIMEOUT = 60_000;

const browser = await chromium.launch({
  executablePath: opts.chromium,
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
page.setDefaultTimeout(TIMEOUT);
const consoleLines = [];
page.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));

let passed = 0;
let failed = 0;
let step = 0;

async function check(name, body) {
  step += 1;
  try {
    await body();
    passed += 1;
    console.log(`ok ${step} - ${name}`);
  } catch (error) {
    failed += 1;
    console.log(`not ok ${step} - ${name}\n  ${String(error?.message ?? error).split('\n').join('\n  ')}`);
  } finally {
    await page.screenshot({ path: join(opts.artifacts, `${String(step).padStart(2, '0')}.png`) }).catch(() => {});
  }
}

/** Runs a command from the command palette by its title. */
async function runCommand(title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

try {
  await check('VS Code starts with the vault open', async () => {
    await page.goto(opts.url);
    await page.locator('.monaco-workbench').waitFor();
    // The Explorer lists the vault's folders once the workspace is loaded.
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'people' }).first().waitFor();
  });

  await check(`opening ${NOTE} shows it in an editor`, async () => {
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(NOTE);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: NOTE }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab.active', { hasText: NOTE }).waitFor();
    await page.locator('.monaco-editor .view-lines', { hasText: '#got' }).first().waitFor();
  });

  await check('a kith missing-thanks diagnostic appears in the Problems panel', async () => {
    await runCommand('View: Focus Problems');
    const panel = page.locator('.markers-panel');
    await panel.waitFor();
    // A row reads "<message> kith(missing-thanks) [Ln 14, Col 1]".
    const row = panel.locator('.monaco-list-row', { hasText: 'missing-thanks' }).first();
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    if (!/kith/.test(text)) {
      throw new Error(`the missing-thanks row does not name kith as its source: ${text}`);
    }
    console.log(`  # ${text.trim()}`);
  });

  await check(`"kith: Show Agenda" lists ${CONTACT} and what is due`, async () => {
    await runCommand('kith: Show Agenda');
    const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'kith Agenda' }) });
    await view.locator('.monaco-list-row[aria-level="1"]', { hasText: CONTACT }).first().waitFor();
    // The gestures are the person's children; their wording is the server's.
    await view.locator('.monaco-list-row[aria-level="2"]').first().waitFor();
    const rows = await view.locator('.monaco-list-row').allTextContents();
    console.log(`  # ${rows.map((row) => row.trim()).join(' | ')}`);
  });

  await check('clicking an agenda item opens the note at its line', async () => {
    // Start from another editor so that the click has something to change.
    await runCommand('View: Close All Editors');
    await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached' });
    const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'kith Agenda' }) });
    // The fixture's most urgent gesture is Jana's thank-you, so it is first.
    await view.locator('.monaco-list-row[aria-level="2"]').first().click();
    await page.locator('.tabs-container .tab.active', { hasText: NOTE }).waitFor();
    // The status bar shows the cursor position; the #got entry is line 14.
    await page.locator('.statusbar-item', { hasText: /Ln 14\b/ }).first().waitFor();
  });

  await check('completion after [[ offers contact names', async () => {
    await page.locator('.tabs-container .tab.active', { hasText: NOTE }).waitFor();
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('- 2026-12-01 #met [[');
    // The server answers the `[` trigger; Ctrl+Space asks again should the
    // editor's auto-closed `]]` have swallowed the trigger.
    const suggestion = page.locator('.suggest-widget .monaco-list-row', { hasText: 'Max Mustermann' }).first();
    try {
      await suggestion.waitFor({ timeout: 10_000 });
    } catch {
      await page.keyboard.press('Control+Space');
      await suggestion.waitFor();
    }
    await page.keyboard.press('Escape');
    await runCommand('File: Revert File');
    await editor.locator('.view-lines', { hasNotText: '#met [[' }).waitFor();
  });

  await check('the quick fix for missing-thanks logs a #thanks and clears the problem and the agenda', async () => {
    await runCommand('Go to Line/Column...');
    await page.keyboard.type('14');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: '#thanks' }).first();
    await fix.waitFor();
    console.log(`  # ${(await fix.textContent())?.trim()}`);
    // The menu takes keys, as a person would use it (a transparent layer
    // keeps the mouse off it while it opens).
    const focused = page.locator('.action-widget .monaco-list-row.focused');
    for (let i = 0; i < 10 && !((await focused.textContent()) ?? '').includes('#thanks'); i++) {
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-line', { hasText: '#thanks' }).first().waitFor();
    await page
      .locator('.markers-panel .monaco-list-row', { hasText: 'missing-thanks' })
      .first()
      .waitFor({ state: 'detached' });
    // The agenda follows the unsaved edit: nothing is due any more.
    const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'kith Agenda' }) });
    await view.getByText('Nothing is due').waitFor();
  });

  await check('a missing kith executable brings a notification with the install command', async () => {
    // As a person would: point kith.path elsewhere in the workspace settings
    // (the setting is machine-overridable) and save; the extension restarts
    // the server when kith.path changes.
    await runCommand('Preferences: Open Workspace Settings (JSON)');
    await page.locator('.tabs-container .tab.active', { hasText: 'settings.json' }).waitFor();
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    // One line, so that auto-indent has nothing to do; the closing quotes and
    // brace type over the ones the editor auto-closes.
    await page.keyboard.insertText(JSON.stringify({ 'kith.path': '/nonexistent/kith' }));
    await page.keyboard.press('Control+S');
    const toast = page.locator('.notification-toast', { hasText: '/nonexistent/kith' });
    await toast.waitFor();
    await toast.locator('.notification-list-item-message', { hasText: 'cargo install kithkin' }).waitFor();
    await toast.locator('.monaco-button', { hasText: 'Install with Cargo' }).waitFor();
  });
} finally {
  if (failed > 0) {
    console.log(`  # browser console (last 40 lines):\n  ${consoleLines.slice(-40).join('\n  ')}`);
  }
  await browser.close();
}

console.log(`ui: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
