import { createTestApp, TestApp } from './support/test-app';

/** npsTrend and closedLoopTrend check their range with one helper: the same mistake, the same answer. */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const NOW = new Date('2026-06-15T12:00:00Z');
const ask = async (field: 'npsTrend' | 'closedLoopTrend', filter: Record<string, unknown>, extra = '') => {
  const res = await t.exec(`query($f: ResponseFilter) { ${field}(interval: MONTH, filter: $f${extra}) { periodStart } }`, { f: filter }, { now: () => NOW });
  return (res.errors ?? []).map((e) => ({ code: e.extensions?.code, field: e.extensions?.field, message: e.message }));
};

describe('bucketed series share their checks', () => {
  it.each([
    ['from after an explicit to', { from: '2026-05-01T00:00:00Z', to: '2026-04-01T00:00:00Z' }, 'filter.to must be after filter.from'],
    ['from after now, to left out', { from: '2026-07-01T00:00:00Z' }, 'filter.to must be after filter.from (filter.to defaults to now)'],
  ])('%s', async (_name, filter, message) => {
    const trend = await ask('npsTrend', filter);
    const closedLoop = await ask('closedLoopTrend', filter);
    expect(trend).toHaveLength(1);
    // One shape for both: the end field named, even when it defaulted to now.
    expect(trend[0]).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.to', message });
    expect(closedLoop).toEqual(trend);
  });

  it('refuses the same unknown time zone the same way', async () => {
    const trend = await ask('npsTrend', {}, ', timeZone: "Mars/Olympus"');
    const closedLoop = await ask('closedLoopTrend', {}, ', timeZone: "Mars/Olympus"');
    expect(trend[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: 'timeZone' });
    expect(closedLoop).toEqual(trend);
  });
});
