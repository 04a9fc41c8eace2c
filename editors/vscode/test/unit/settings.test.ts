import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { todaySetting } from '../../src/settings';

describe('todaySetting', () => {
  it('passes a real day on as initializationOptions.today', () => {
    assert.deepEqual(todaySetting('2026-12-01'), { options: { today: '2026-12-01' } });
    assert.deepEqual(todaySetting(' 2028-02-29 '), { options: { today: '2028-02-29' } });
  });

  it('sends nothing when unset, so the server uses the local date', () => {
    for (const raw of ['', undefined, null, 42]) {
      assert.deepEqual(todaySetting(raw), { options: {} });
    }
  });

  it('ignores a date that is not a real day, with a warning', () => {
    for (const raw of ['2026-02-29', '2026-13-01', '2026-00-10', '2026-1-1', 'tomorrow']) {
      const result = todaySetting(raw);
      assert.deepEqual(result.options, {}, raw);
      assert.match(result.warning ?? '', /not a date like/, raw);
    }
  });
});
