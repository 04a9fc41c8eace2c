import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Host, missingServerMessage, resolveServerPath } from '../../src/serverPath';

/** A machine where exactly `executables` can be run. */
function host(executables: string[], overrides: Partial<Host> = {}): Host {
  return {
    platform: 'linux',
    env: { PATH: '/usr/local/bin:/usr/bin' },
    homedir: '/home/u',
    workspaceFolders: ['/home/u/vault'],
    isExecutable: async (file) => executables.includes(file),
    ...overrides,
  };
}

describe('resolveServerPath', () => {
  it('finds the default `kith` on PATH, in PATH order', async () => {
    const r = await resolveServerPath(undefined, host(['/usr/bin/kith', '/usr/local/bin/kith']));
    assert.deepEqual(r, { found: true, path: '/usr/local/bin/kith' });
  });

  it('treats an empty or blank setting as the default', async () => {
    for (const setting of ['', '   ']) {
      const r = await resolveServerPath(setting, host(['/usr/bin/kith']));
      assert.deepEqual(r, { found: true, path: '/usr/bin/kith' });
    }
  });

  it('falls back to ~/.cargo/bin, where `cargo install` puts it', async () => {
    const r = await resolveServerPath('kith', host(['/home/u/.cargo/bin/kith']));
    assert.deepEqual(r, { found: true, path: '/home/u/.cargo/bin/kith' });
  });

  it('honours CARGO_HOME', async () => {
    const r = await resolveServerPath(
      'kith',
      host(['/opt/cargo/bin/kith'], { env: { PATH: '/usr/bin', CARGO_HOME: '/opt/cargo' } }),
    );
    assert.deepEqual(r, { found: true, path: '/opt/cargo/bin/kith' });
  });

  it('skips empty PATH entries rather than searching the current folder', async () => {
    const r = await resolveServerPath('kith', host([], { env: { PATH: ':/usr/bin:' } }));
    assert.equal(r.found, false);
    assert.ok(!r.found && r.searched.every((file) => file.startsWith('/')), JSON.stringify(r));
  });

  it('searches each folder once', async () => {
    const r = await resolveServerPath(
      'kith',
      host([], { env: { PATH: '/home/u/.cargo/bin:/usr/bin:/home/u/.cargo/bin' } }),
    );
    assert.deepEqual(!r.found && r.searched, ['/home/u/.cargo/bin/kith', '/usr/bin/kith']);
  });

  it('expands ~ and ${userHome}', async () => {
    const h = host(['/home/u/bin/kith']);
    assert.deepEqual(await resolveServerPath('~/bin/kith', h), { found: true, path: '/home/u/bin/kith' });
    assert.deepEqual(await resolveServerPath('${userHome}/bin/kith', h), { found: true, path: '/home/u/bin/kith' });
  });

  it('resolves ${workspaceFolder} and relative paths against the workspace', async () => {
    const h = host(['/home/u/vault/target/debug/kith']);
    const expected = { found: true, path: '/home/u/vault/target/debug/kith' };
    assert.deepEqual(await resolveServerPath('${workspaceFolder}/target/debug/kith', h), expected);
    assert.deepEqual(await resolveServerPath('target/debug/kith', h), expected);
  });

  it('does not search PATH for a path', async () => {
    const r = await resolveServerPath('/opt/kith/kith', host(['/usr/bin/kith']));
    assert.deepEqual(r, { found: false, setting: '/opt/kith/kith', searched: ['/opt/kith/kith'] });
  });

  it('reports what it searched for a missing bare name', async () => {
    const r = await resolveServerPath('kith', host([]));
    assert.deepEqual(r, {
      found: false,
      setting: 'kith',
      searched: ['/usr/local/bin/kith', '/usr/bin/kith', '/home/u/.cargo/bin/kith'],
    });
  });

  it('uses PATHEXT and case-insensitive variables on Windows', async () => {
    const h = host(['C:\\Tools\\kith.exe'], {
      platform: 'win32',
      env: { Path: 'C:\\Windows;C:\\Tools', PATHEXT: '.COM;.EXE' },
      homedir: 'C:\\Users\\u',
      workspaceFolders: [],
    });
    const r = await resolveServerPath('kith', h);
    assert.deepEqual(r, { found: true, path: 'C:\\Tools\\kith.exe' });
  });

  it('keeps an explicit extension on Windows', async () => {
    const h = host(['C:\\kith\\kith.exe'], { platform: 'win32', env: {}, homedir: 'C:\\Users\\u' });
    assert.deepEqual(await resolveServerPath('C:\\kith\\kith.exe', h), { found: true, path: 'C:\\kith\\kith.exe' });
  });
});

describe('missingServerMessage', () => {
  it('names the install command', () => {
    const message = missingServerMessage({ found: false, setting: 'kith', searched: [] });
    assert.match(message, /not found on PATH/);
    assert.match(message, /`cargo install kithkin`/);
  });

  it('names a custom setting', () => {
    const message = missingServerMessage({ found: false, setting: '~/bin/kith', searched: [] });
    assert.match(message, /"~\/bin\/kith" \(setting kith\.path\)/);
    assert.match(message, /cargo install kithkin/);
  });
});
