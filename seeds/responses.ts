import { DAY } from './calendar';
import type { CustomerSeed, Region } from './customers';
import { drawScore, expectedNps } from './model';
import { agentsOf, PersonSeed } from './org';
import { Rng } from './random';
import { Channel, SurveySeed, SURVEYS } from './surveys';
import { Category, verbatimFor } from './verbatims';

export interface ResponseSeed {
  externalRef: string;
  surveyCode: string;
  score: number;
  category: Category;
  comment: string | null;
  followUps: { question: string; answer: string }[];
  channel: Channel;
  touchpoint: string | null;
  customer: CustomerSeed;
  team: string;
  agentKey: string | null;
  respondedAt: number;
  receivedAt: number;
}

const SUPPORT_TEAM: Record<Region, string> = {
  EMEA: 'CX-SUP-EMEA',
  APAC: 'CX-SUP-APAC',
  'North America': 'CX-SUP-AMER',
  LATAM: 'CX-SUP-AMER',
};

const TEAM_OF_SURVEY: Record<string, string> = {
  'REL-QUARTERLY': 'SAL-AM',
  'TX-DELIVERY': 'OPS-DEL',
  'TX-ONBOARDING': 'CX-ONB',
  'TX-BILLING': 'OPS-BILL',
  'TX-APP': 'PRD-APP',
};

/** What detractors mostly complain about, where the story says so. */
function boostedTheme(team: string, at: number): string | undefined {
  if (team === 'OPS-DEL' && at >= Date.UTC(2026, 2, 1)) return 'Late delivery';
  if (team === 'CX-SUP-APAC' && at < Date.UTC(2026, 0, 1)) return 'Long wait time';
  if (team === 'OPS-BILL') return 'Unexpected charges';
  return undefined;
}

interface Draft {
  survey: SurveySeed;
  customer: CustomerSeed;
  at: number;
}

/**
 * At least `total` responses (exactly `total`) over the window, with scores from the score model
 * and verbatims from the themes. Sorted by time; external references follow that order.
 */
export function buildResponses(
  rng: Rng,
  total: number,
  customers: readonly CustomerSeed[],
  people: readonly PersonSeed[],
  windowStart: number,
  anchor: number,
): ResponseSeed[] {
  const span = anchor - windowStart;
  const drafts: Draft[] = [];
  const onboarding = SURVEYS.find((s) => s.code === 'TX-ONBOARDING')!;

  // Onboarding follows new customers: one survey 10-40 days after they join, most of them answer.
  for (const c of customers) {
    if (drafts.length >= Math.floor(total * 0.08)) break;
    const at = c.customerSince + rng.between(10, 40) * DAY;
    if (at >= windowStart && at < anchor && rng.chance(0.8)) drafts.push({ survey: onboarding, customer: c, at });
  }

  const others = SURVEYS.filter((s) => s.share > 0);
  const shareSum = others.reduce((s, x) => s + x.share, 0);
  const rest = total - drafts.length;
  let allocated = 0;
  others.forEach((survey, i) => {
    const count = i === others.length - 1 ? rest - allocated : Math.round((rest * survey.share) / shareSum);
    allocated += count;
    for (let k = 0; k < count; k++) drafts.push(placeDraft(rng, survey, customers, windowStart, anchor));
  });

  drafts.sort((a, b) => a.at - b.at);

  const agentEffect = new Map<string, number>();
  for (const p of people) if (p.level === 'AGENT') agentEffect.set(p.key, Math.round(rng.normal(0, 7)));
  const byEmail = new Map(people.map((p) => [p.email, p]));
  const teams = new Map<string, PersonSeed[]>();
  const teamAgents = (team: string) => {
    if (!teams.has(team)) teams.set(team, agentsOf(people, team));
    return teams.get(team)!;
  };

  return drafts.map((d, i) => {
    const { survey, customer } = d;
    const team = survey.code === 'TX-SUPPORT-CALL' ? SUPPORT_TEAM[customer.region] : TEAM_OF_SURVEY[survey.code];
    let agent: PersonSeed | undefined;
    if (survey.code === 'REL-QUARTERLY') agent = byEmail.get(String(customer.attributes.accountManager));
    else if (survey.code !== 'TX-APP') agent = rng.pick(teamAgents(team));
    const channel = rng.weighted(survey.channels as Record<Channel, number>);
    const at = new Date(d.at);
    const nps = expectedNps({
      team,
      t: (d.at - windowStart) / span,
      at,
      region: customer.region,
      plan: customer.plan,
      channel,
      tenureDays: (d.at - customer.customerSince) / DAY,
      agentEffect: agent ? agentEffect.get(agent.key) ?? 0 : 0,
    });
    const { score, category } = drawScore(rng, nps);
    const v = verbatimFor(rng, survey.code, category, { agentFirstName: agent?.name.split(' ')[0], boostTheme: boostedTheme(team, d.at) });
    return {
      externalRef: `DEMO-R-${String(i + 1).padStart(7, '0')}`,
      surveyCode: survey.code,
      score,
      category,
      comment: v.comment,
      followUps: v.followUps,
      channel,
      touchpoint: survey.touchpoint,
      customer,
      team,
      agentKey: agent?.key ?? null,
      respondedAt: d.at,
      receivedAt: d.at + rng.int(5, 900) * 1000,
    };
  });
}

/**
 * When and who: transactional answers spread over the window with volume growing by half over
 * the 18 months; relationship answers follow the 90-day waves. The customer had joined by then.
 */
function placeDraft(rng: Rng, survey: SurveySeed, customers: readonly CustomerSeed[], windowStart: number, anchor: number): Draft {
  const span = anchor - windowStart;
  let at: number;
  let joinedBy: number;
  if (survey.cadenceDays) {
    const waves = Math.ceil(span / (survey.cadenceDays * DAY));
    const wave = windowStart + rng.int(0, waves - 1) * survey.cadenceDays * DAY;
    at = Math.min(wave + Math.min(rng.exp(4 * DAY), 28 * DAY), anchor - rng.between(1, DAY));
    joinedBy = wave - 30 * DAY;
  } else {
    let u: number;
    do u = rng.next();
    while (rng.next() * 1.25 > 0.75 + 0.5 * u);
    at = windowStart + u * span;
    joinedBy = at - DAY;
  }
  let customer = rng.pick(customers);
  for (let attempt = 0; customer.customerSince > joinedBy && attempt < 100; attempt++) customer = rng.pick(customers);
  if (customer.customerSince > joinedBy) at = Math.min(anchor - 1000, Math.max(at, customer.customerSince + DAY));
  return { survey, customer, at: Math.floor(at / 1000) * 1000 };
}
