import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  type AgendaItem,
  candidateVaultRoots,
  describeDue,
  groupByContact,
  localToday,
  parseAgenda,
  resolveItemFile,
  ruleIcon,
} from '../../src/agenda';

function item(contact: string, due: string | null, extra: Partial<AgendaItem> = {}): AgendaItem {
  return { contact, path: `people/${contact}.md`, line: 5, rule: 'missing-thanks', due, message: 'm', ...extra };
}

/** A fake file system holding exactly `files`. */
function existsIn(...files: string[]) {
  const set = new Set(files.map((f) => path.resolve(f)));
  return async (file: string) => set.has(path.resolve(file));
}

describe('parseAgenda', () => {
  it('keeps well-formed items', () => {
    const raw = [
      {
        contact: 'Jana Müller',
        path: 'people/jana.md',
        line: 12,
        rule: 'missing-thanks',
        due: '2026-10-18',
        message: 'Thank Jana for the intro to Max',
      },
    ];
    assert.deepEqual(parseAgenda(raw), { items: raw, dropped: 0 });
  });

  it('keeps the optional fields of the server\'s agenda items', () => {
    const { items } = parseAgenda([
      {
        contact: 'Jana Müller',
        contact_path: 'people/Jana Müller.md',
        path: 'journal/2026-11-20.md',
        line: 3,
        column: 5,
        rule: 'missing-thanks',
        level: 'warning',
        due: '2026-11-24',
        message: 'Jana Müller: no #thanks yet for “the intro”',
        action: 'say thanks for “the intro”',
        reason: 'received 11 days ago',
      },
    ]);
    assert.deepEqual(items, [
      {
        contact: 'Jana Müller',
        contactPath: 'people/Jana Müller.md',
        path: 'journal/2026-11-20.md',
        line: 3,
        column: 5,
        rule: 'missing-thanks',
        due: '2026-11-24',
        message: 'Jana Müller: no #thanks yet for “the intro”',
        action: 'say thanks for “the intro”',
        reason: 'received 11 days ago',
      },
    ]);
  });

  it('drops malformed optional fields but keeps the item', () => {
    const { items } = parseAgenda([
      { contact: 'A', path: 'a.md', line: 2, rule: 'r', due: null, message: 'm', column: -1, action: 7, reason: '' },
    ]);
    assert.deepEqual(items, [{ contact: 'A', path: 'a.md', line: 2, rule: 'r', due: null, message: 'm' }]);
  });

  it('drops malformed items and counts them', () => {
    const { items, dropped } = parseAgenda([
      { contact: 'A', path: 'a.md', line: 1, rule: 'r', due: null, message: 'ok' },
      { path: 'b.md', line: 1, rule: 'r' },
      'not an item',
      null,
    ]);
    assert.equal(items.length, 1);
    assert.equal(dropped, 3);
  });

  it('repairs optional fields instead of dropping the item', () => {
    const { items } = parseAgenda([{ contact: 'A', path: 'a.md', rule: 'overdue-touch', line: 0, due: 'soon' }]);
    assert.deepEqual(items, [
      { contact: 'A', path: 'a.md', line: 1, rule: 'overdue-touch', due: null, message: 'overdue-touch' },
    ]);
  });

  it('treats no answer as an empty agenda and anything else as one bad item', () => {
    assert.deepEqual(parseAgenda(null), { items: [], dropped: 0 });
    assert.deepEqual(parseAgenda(undefined), { items: [], dropped: 0 });
    assert.deepEqual(parseAgenda({ items: [] }), { items: [], dropped: 1 });
  });
});

describe('groupByContact', () => {
  it('groups by person, most urgent person first', () => {
    const groups = groupByContact([
      item('Max', '2026-11-20'),
      item('Jana', '2026-11-25'),
      item('Jana', '2026-10-01', { line: 9 }),
      item('Max', '2026-11-28'),
    ]);
    assert.deepEqual(
      groups.map((g) => [g.contact, g.items.map((i) => i.due)]),
      [
        ['Jana', ['2026-10-01', '2026-11-25']],
        ['Max', ['2026-11-20', '2026-11-28']],
      ],
    );
  });

  it('puts undated items after dated ones and breaks ties by name, path and line', () => {
    const groups = groupByContact([
      item('Zoe', null),
      item('Bo', null, { path: 'b.md', line: 3 }),
      item('Bo', null, { path: 'a.md', line: 7 }),
      item('Bo', null, { path: 'a.md', line: 2 }),
      item('Al', '2027-01-01'),
    ]);
    assert.deepEqual(
      groups.map((g) => g.contact),
      ['Al', 'Bo', 'Zoe'],
    );
    assert.deepEqual(
      groups[1]?.items.map((i) => `${i.path}:${i.line}`),
      ['a.md:2', 'a.md:7', 'b.md:3'],
    );
  });

  it('does not reorder its input', () => {
    const input = [item('B', '2026-02-01'), item('A', '2026-01-01')];
    const copy = [...input];
    groupByContact(input);
    assert.deepEqual(input, copy);
  });

  it('returns nothing for nothing', () => {
    assert.deepEqual(groupByContact([]), []);
  });
});

describe('describeDue', () => {
  it('counts days relative to today', () => {
    assert.equal(describeDue('2026-12-01', '2026-12-01'), 'due today');
    assert.equal(describeDue('2026-11-30', '2026-12-01'), '1 day overdue');
    assert.equal(describeDue('2026-11-01', '2026-12-01'), '30 days overdue');
    assert.equal(describeDue('2026-12-03', '2026-12-01'), 'due in 2 days');
  });

  it('is not thrown off by a change to or from daylight saving time', () => {
    assert.equal(describeDue('2026-03-30', '2026-03-28'), 'due in 2 days');
    assert.equal(describeDue('2026-10-24', '2026-10-26'), '2 days overdue');
  });

  it('says nothing without a date', () => {
    assert.equal(describeDue(null, '2026-12-01'), '');
  });
});

describe('localToday', () => {
  it('formats the local date', () => {
    assert.equal(localToday(new Date(2026, 0, 5, 23, 59)), '2026-01-05');
  });
});

describe('ruleIcon', () => {
  it('has an icon for each relationship rule and a fallback', () => {
    assert.equal(ruleIcon('missing-thanks'), 'heart');
    assert.equal(ruleIcon('some-future-rule'), 'circle-small-filled');
  });
});

describe('candidateVaultRoots', () => {
  const ws = path.resolve('/home/u/notes');

  it('uses the workspace folder when it holds kith.toml', async () => {
    const roots = await candidateVaultRoots([ws], [], existsIn(`${ws}/kith.toml`));
    assert.deepEqual(roots, [ws]);
  });

  it('climbs to a kith.toml above the workspace folder', async () => {
    const sub = path.join(ws, 'people');
    const roots = await candidateVaultRoots([sub], [], existsIn(`${ws}/kith.toml`));
    assert.deepEqual(roots, [ws]);
  });

  it('falls back to the workspace folder, then vaults below it, shallowest first', async () => {
    const deep = path.join(ws, 'a', 'b', 'vault');
    const shallow = path.join(ws, 'vault');
    const roots = await candidateVaultRoots([ws], [deep, shallow], existsIn());
    assert.deepEqual(roots, [ws, shallow, deep]);
  });

  it('lists each folder once', async () => {
    const roots = await candidateVaultRoots([ws], [ws], existsIn(`${ws}/kith.toml`));
    assert.deepEqual(roots, [ws]);
  });
});

describe('resolveItemFile', () => {
  const a = path.resolve('/w/a');
  const b = path.resolve('/w/b');

  it('takes the first root where the note exists', async () => {
    const file = await resolveItemFile('people/jana.md', [a, b], existsIn(path.join(b, 'people', 'jana.md')));
    assert.equal(file, path.join(b, 'people', 'jana.md'));
  });

  it('falls back to the first root when the note is nowhere', async () => {
    assert.equal(await resolveItemFile('x.md', [a, b], existsIn()), path.join(a, 'x.md'));
    assert.equal(await resolveItemFile('x.md', [], existsIn()), undefined);
  });

  it('keeps an absolute path', async () => {
    const abs = path.resolve('/elsewhere/x.md');
    assert.equal(await resolveItemFile(abs, [a], existsIn()), abs);
  });
});
