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

/** What responses need of their customer (a CustomerSeed has it all). */
export interface CustomerRef {
  index: number;
  externalRef: string;
  region: Region;
  plan: Plan;
  customerSince: number;
  attributes: { accountManager?: unknown } & Record<string, unknown>;
}

/** The customers as responses see them: by index, without holding every customer's row. */
export interface CustomerList {
  readonly length: number;
  customerSince(i: number): number;
  at(i: number): CustomerRef;
}

export const customerList = (customers: readonly CustomerSeed[]): CustomerList => ({
  length: customers.length,
  customerSince: (i) => customers[i].customerSince,
  at: (i) => customers[i],
});

const REGION_NAMES = Object.keys(REGIONS) as Region[];
const PLAN_NAMES = Object.keys(PLANS) as Plan[];

/**
 * The columns of the customers responses need, in typed arrays (12 bytes a customer), filled as
 * the customers are generated; the full rows are inserted chunk by chunk and dropped.
 */
export class CustomerTable implements CustomerList {
  private readonly region: Uint8Array;
  private readonly plan: Uint8Array;
  private readonly since: Float64Array;
  private readonly manager: Uint16Array;
  private readonly managers: string[] = [];
  private readonly managerIndex = new Map<string, number>();
  length = 0;

  constructor(capacity: number) {
    this.region = new Uint8Array(capacity);
    this.plan = new Uint8Array(capacity);
    this.since = new Float64Array(capacity);
    this.manager = new Uint16Array(capacity);
  }

  add(c: CustomerSeed): void {
    const i = c.index;
    if (i !== this.length) throw new Error(`customers out of order: ${i} after ${this.length}`);
    const m = String(c.attributes.accountManager);
    if (!this.managerIndex.has(m)) (this.managerIndex.set(m, this.managers.length), this.managers.push(m));
    this.region[i] = REGION_NAMES.indexOf(c.region);
    this.plan[i] = PLAN_NAMES.indexOf(c.plan);
    this.since[i] = c.customerSince;
    this.manager[i] = this.managerIndex.get(m)!;
    this.length++;
  }

  customerSince(i: number): number {
    return this.since[i];
  }

  at(i: number): CustomerRef {
    return {
      index: i,
      externalRef: customerRef(i),
      region: REGION_NAMES[this.region[i]],
      plan: PLAN_NAMES[this.plan[i]],
      customerSince: this.since[i],
      attributes: { accountManager: this.managers[this.manager[i]] },
    };
  }
}

export const customerRef = (index: number) => `CUST-${String(10001 + index)}`;

/**
 * Customers with the attributes segmentation needs. About a third joined inside the window of
 * responses (onboarding surveys follow them); the rest are older accounts.
 */
export function buildCustomers(rng: Rng, count: number, windowStart: number, anchor: number, accountManagers: readonly string[]): CustomerSeed[] {
  return [...generateCustomers(rng, count, windowStart, anchor, accountManagers)];
}

/** Like buildCustomers, one at a time. */
export function* generateCustomers(rng: Rng, count: number, windowStart: number, anchor: number, accountManagers: readonly string[]): Generator<CustomerSeed> {
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
    yield {
      index: i,
      externalRef: customerRef(i),
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
    };
  }
}
