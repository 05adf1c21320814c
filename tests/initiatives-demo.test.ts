/**
 * The demo's initiatives, measured on the demo data (seeds/initiatives.ts): the ordering app
 * redesign worked (its NPS rose significantly more than the rest's), the Support EMEA first-contact
 * resolution drive did not (no significant difference in differences). Nothing in the seed sets these
 * verdicts: they come from the score model's stories (seeds/model.ts).
 */
import { seedDemo } from '../seeds';
import { DEMO_ANCHOR, DEMO_ANCHOR_INSTANT } from './support/demo-anchor';
import { createTestApp, TestApp } from './support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.deps.ds, { anchor: DEMO_ANCHOR });
}, 300_000);
afterAll(() => t.close());

const QUERY = `{ initiatives { title windowDays progress { actionItems } effect {
  scopeBefore { responses nps } scopeAfter { responses nps } outsideBefore { nps } outsideAfter { nps }
  scopeChange { delta verdict } outsideChange { delta verdict } effect standardError pValue significant verdict lowSample tooEarly } } }`;

it('one initiative worked and one did not', async () => {
  const { initiatives } = await t.ok(QUERY, {}, { now: () => DEMO_ANCHOR_INSTANT });
  const byTitle = Object.fromEntries(initiatives.map((i: any) => [i.title, i]));
  const app = byTitle['Ordering app redesign'].effect;
  const emea = byTitle['Support EMEA first-contact resolution drive'].effect;
  // Printed for the docs (README "Initiatives"): the figures of the demo
  console.log(JSON.stringify({ app, emea }, null, 1));
  expect(app).toMatchObject({ significant: true, verdict: 'SIGNIFICANT_UP', lowSample: false, tooEarly: false });
  expect(app.effect).toBeGreaterThan(5);
  expect(emea).toMatchObject({ significant: false, verdict: 'NO_SIGNIFICANT_CHANGE', lowSample: false, tooEarly: false });
  expect(byTitle['Support EMEA first-contact resolution drive'].progress.actionItems).toBeGreaterThan(0);
});
