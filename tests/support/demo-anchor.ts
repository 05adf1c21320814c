/**
 * The day tests load the demo for (SeedOptions.anchor): the demo's data end at its 00:00 UTC. The
 * demo is dated relative to its anchor (by default the day it is loaded), so a test that pins
 * figures of the demo pins the anchor too, and gives the same answer whatever day it runs.
 */
export const DEMO_ANCHOR = '2026-11-01';
export const DEMO_ANCHOR_INSTANT = new Date(`${DEMO_ANCHOR}T00:00:00Z`);
