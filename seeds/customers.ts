import { DAY } from './calendar';
import { Rng } from './random';

export const REGIONS = { 'North America': 34, EMEA: 32, APAC: 20, LATAM: 14 } as const;
export type Region = keyof typeof REGIONS;
export const PLANS = { Starter: 35, Growth: 30, Business: 22, Enterprise: 13 } as const;
export type Plan = keyof typeof PLANS;
const SPEND: Record<Plan, [number, number]> = {
  Starter: [1_200, 6_000],
  Growth: [6_000, 25_000],
  Business: [25_000, 90_000],
  Enterprise: [90_000, 600_000],
};
const PRODUCTS = { Essentials: 40, Pantry: 25, 'Print & Ship': 20, Facilities: 15 } as const;
const INDUSTRIES = ['Software', 'Healthcare', 'Education', 'Finance', 'Retail', 'Manufacturing', 'Public sector', 'Hospitality'];
const LANGUAGES: Record<Region, Record<string, number>> = {
  'North America': { en: 85, es: 10, fr: 5 },
  EMEA: { en: 40, de: 25, fr: 20, es: 15 },
  APAC: { en: 60, ja: 25, zh: 15 },
  LATAM: { es: 60, pt: 40 },
};

export interface CustomerSeed {
  index: number;
  externalRef: string;
  region: Region;
  plan: Plan;
  spend: number;
  signupChannel: string;
  customerSince: number;
  product: string;
  attributes: Record<string, unknown>;
}

/**
 * Customers with the attributes segmentation needs. About a third joined inside the window of
 * responses (onboarding surveys follow them); the rest are older accounts.
 */
export function buildCustomers(rng: Rng, count: number, windowStart: number, anchor: number, accountManagers: readonly string[]): CustomerSeed[] {
  const out: CustomerSeed[] = [];
  for (let i = 0; i < count; i++) {
    const region = rng.weighted(REGIONS);
    const plan = rng.weighted(PLANS);
    const [lo, hi] = SPEND[plan];
    const recent = rng.chance(0.35);
    const since = recent
      ? rng.between(windowStart - 60 * DAY, anchor - 5 * DAY)
      : windowStart - 60 * DAY - rng.exp(700 * DAY) - rng.between(0, 60) * DAY;
    const signupChannel =
      plan === 'Enterprise'
        ? rng.weighted({ sales: 75, partner: 20, web: 5 })
        : rng.weighted({ web: 50, sales: 18, partner: 16, marketplace: 16 });
    out.push({
      index: i,
      externalRef: `CUST-${String(10001 + i)}`,
      region,
      plan,
      spend: Math.round(rng.logUniform(lo, hi) * 100) / 100,
      signupChannel,
      customerSince: Math.floor(since / 1000) * 1000,
      product: rng.weighted(PRODUCTS),
      attributes: {
        industry: rng.pick(INDUSTRIES),
        employees: Math.round(rng.logUniform(plan === 'Enterprise' ? 1000 : 10, plan === 'Enterprise' ? 40_000 : 1500)),
        language: rng.weighted(LANGUAGES[region]),
        accountManager: rng.pick(accountManagers),
      },
    });
  }
  return out;
}
