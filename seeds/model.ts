import type { Channel } from './surveys';
import type { Plan, Region } from './customers';
import type { Rng } from './random';
import type { Category } from './verbatims';
import { monthIndex } from './calendar';

/**
 * How the demo's experience differs, in NPS points. The expected NPS of a response is the sum of
 * its team's level at that time and region, plan, channel, tenure and agent effects; scores are
 * then drawn so that the promoter and detractor shares give that NPS. The stories the data tells:
 * Support APAC improves steadily under a new lead; Support Americas slowly declines; Delivery
 * drops after a courier change eight months before the anchor's month (recovering a little from
 * three months later) and dips every December; the ordering app improves after a redesign; Billing
 * is the weak spot; Onboarding the star. Stories are placed relative to the anchor (for an anchor
 * of 2026-11-01: the courier change in March 2026, the recovery from June), so every load tells them.
 */
export const COURIER_CHANGE_MONTHS_BEFORE = 8;
const RECOVERY_MONTHS_BEFORE = 5;

const TEAM_LEVEL: Record<string, (t: number, at: Date, anchorMonth: number) => number> = {
  'CX-SUP-EMEA': () => 44,
  'CX-SUP-AMER': (t) => 32 - 12 * t,
  'CX-SUP-APAC': (t) => -4 + 44 * t,
  'CX-ONB': () => 56,
  'OPS-DEL': (_t, at, anchorMonth) => {
    const month = monthIndex(at);
    const courierChange = anchorMonth - COURIER_CHANGE_MONTHS_BEFORE;
    const recovery = anchorMonth - RECOVERY_MONTHS_BEFORE;
    const base = month < courierChange ? 36 : 4 + 2 * Math.max(0, month - recovery);
    return base - (at.getUTCMonth() === 11 ? 15 : 0);
  },
  'OPS-BILL': (t) => -10 + 8 * t,
  'PRD-APP': (t) => (t < 0.55 ? 16 : 30),
  'SAL-AM': () => 30,
};

const REGION: Record<Region, number> = { EMEA: 4, 'North America': 2, APAC: -4, LATAM: -9 };
const PLAN: Record<Plan, number> = { Enterprise: 8, Business: 4, Growth: 0, Starter: -7 };
const CHANNEL: Record<Channel, number> = { phone: 8, 'in-app': 3, email: 0, web: -3, sms: -6 };

export interface ScoreInput {
  team: string;
  /** 0 at the start of the window, 1 at the anchor. */
  t: number;
  at: Date;
  /** monthIndex of the anchor. */
  anchorMonth: number;
  region: Region;
  plan: Plan;
  channel: Channel;
  tenureDays: number;
  /** The frontline person's own effect, if any. */
  agentEffect: number;
}

export function expectedNps(x: ScoreInput): number {
  const level = TEAM_LEVEL[x.team];
  if (!level) throw new Error(`no score model for ${x.team}`);
  const honeymoon = x.tenureDays < 90 ? 6 : 0;
  const n = level(x.t, x.at, x.anchorMonth) + REGION[x.region] + PLAN[x.plan] + CHANNEL[x.channel] + honeymoon + x.agentEffect;
  return Math.max(-85, Math.min(90, n));
}

/** A 0-10 score whose category shares give the expected NPS (passives about a quarter). */
export function drawScore(rng: Rng, nps: number, passiveShare = 0.26): { score: number; category: Category } {
  const n = nps / 100;
  const promoter = Math.max(0.02, (1 - passiveShare + n) / 2);
  const detractor = Math.max(0.02, (1 - passiveShare - n) / 2);
  const x = rng.next() * (promoter + detractor + passiveShare);
  if (x < promoter) return { score: rng.chance(0.55) ? 10 : 9, category: 'PROMOTER' };
  if (x < promoter + detractor) return { score: DETRACTOR_SCORES[Math.floor(rng.next() * DETRACTOR_SCORES.length)], category: 'DETRACTOR' };
  return { score: rng.chance(0.45) ? 7 : 8, category: 'PASSIVE' };
}

/** Detractors mostly give 5 or 6; zeros happen. */
const DETRACTOR_SCORES = [0, 0, 1, 2, 3, 3, 4, 4, 4, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6];

/** Follow-up speed per team: multiplies the time to first action and to close (1 = par). */
export const TEAM_SPEED: Record<string, number> = {
  'CX-SUP-EMEA': 0.55,
  'CX-SUP-AMER': 0.9,
  'CX-SUP-APAC': 1.1,
  'CX-ONB': 0.7,
  'OPS-DEL': 1.3,
  'OPS-BILL': 1.7,
  'PRD-APP': 1.0,
  'SAL-AM': 0.8,
};
