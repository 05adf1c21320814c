import { DAY, monthIndex, monthStart } from './calendar';
import { customerList, CustomerList, CustomerRef, CustomerSeed, Region } from './customers';
import { COURIER_CHANGE_MONTHS_BEFORE, drawScore, expectedNps } from './model';
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
  customer: CustomerRef;
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

/** What detractors mostly complain about, where the story says so (from the courier change; before the new APAC lead settled in). */
function boostedTheme(team: string, at: number, anchorMonth: number): string | undefined {
  if (team === 'OPS-DEL' && at >= monthStart(anchorMonth - COURIER_CHANGE_MONTHS_BEFORE)) return 'Late delivery';
  if (team === 'CX-SUP-APAC' && at < monthStart(anchorMonth - 10)) return 'Long wait time';
  if (team === 'OPS-BILL') return 'Unexpected charges';
  return undefined;
}

interface Draft {
  survey: SurveySeed;
  /** The customer's index. */
  customer: number;
  at: number;
}

/**
 * The responses of a load, generated on demand in time order: `next(n)` gives the next n rows.
 * Only the draft of each response (when, which survey, which customer) is held, in typed arrays
 * (17 bytes a response), because rows are numbered in time order and the draws that place them
 * come survey by survey; everything else is made chunk by chunk, so a load streams.
 */
export interface ResponseStream {
  readonly total: number;
  /** How many were handed out so far. */
  readonly done: number;
  /** The next (up to) n responses; an empty array at the end. */
  next(n: number): ResponseSeed[];
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
  const stream = streamResponses(rng, total, customerList(customers), people, windowStart, anchor);
  return stream.next(total);
}

/** Like buildResponses, row for row, but handing the rows out in chunks. */
export function streamResponses(
  rng: Rng,
  total: number,
  customers: CustomerList,
  people: readonly PersonSeed[],
  windowStart: number,
  anchor: number,
): ResponseStream {
  const span = anchor - windowStart;
  const anchorMonth = monthIndex(anchor);
  const surveyIndex = new Map(SURVEYS.map((s, i) => [s, i]));
  const draftAt = new Float64Array(total);
  const draftSurvey = new Uint8Array(total);
  const draftCustomer = new Uint32Array(total);
  let drafts = 0;
  const push = (d: Draft) => {
    draftAt[drafts] = d.at;
    draftSurvey[drafts] = surveyIndex.get(d.survey)!;
    draftCustomer[drafts] = d.customer;
    drafts++;
  };
  const onboarding = SURVEYS.find((s) => s.code === 'TX-ONBOARDING')!;

  // Onboarding follows new customers: one survey 10-40 days after they join, most of them answer.
  for (let c = 0; c < customers.length; c++) {
    if (drafts >= Math.floor(total * 0.08)) break;
    const at = customers.customerSince(c) + rng.between(10, 40) * DAY;
    if (at >= windowStart && at < anchor && rng.chance(0.8)) push({ survey: onboarding, customer: c, at });
  }

  const others = SURVEYS.filter((s) => s.share > 0);
  const shareSum = others.reduce((s, x) => s + x.share, 0);
  const rest = total - drafts;
  let allocated = 0;
  others.forEach((survey, i) => {
    const count = i === others.length - 1 ? rest - allocated : Math.round((rest * survey.share) / shareSum);
    allocated += count;
    for (let k = 0; k < count; k++) push(placeDraft(rng, survey, customers, windowStart, anchor));
  });
  if (drafts !== total) throw new Error(`seeding: ${drafts} response drafts for ${total}`);

  // By time; ties keep the order the drafts were made in (as a stable sort of the drafts did).
  const order = new Uint32Array(total);
  for (let i = 0; i < total; i++) order[i] = i;
  order.sort((a, b) => draftAt[a] - draftAt[b] || a - b);

  const agentEffect = new Map<string, number>();
  for (const p of people) if (p.level === 'AGENT') agentEffect.set(p.key, Math.round(rng.normal(0, 7)));
  const byEmail = new Map(people.map((p) => [p.email, p]));
  const teams = new Map<string, PersonSeed[]>();
  const teamAgents = (team: string) => {
    if (!teams.has(team)) teams.set(team, agentsOf(people, team));
    return teams.get(team)!;
  };

  const make = (i: number): ResponseSeed => {
    const j = order[i];
    const survey = SURVEYS[draftSurvey[j]];
    const customer = customers.at(draftCustomer[j]);
    const when = draftAt[j];
    const team = survey.code === 'TX-SUPPORT-CALL' ? SUPPORT_TEAM[customer.region] : TEAM_OF_SURVEY[survey.code];
    let agent: PersonSeed | undefined;
    if (survey.code === 'REL-QUARTERLY') agent = byEmail.get(String(customer.attributes.accountManager));
    else if (survey.code !== 'TX-APP') agent = rng.pick(teamAgents(team));
    const channel = rng.weighted(survey.channels as Record<Channel, number>);
    const at = new Date(when);
    const nps = expectedNps({
      team,
      t: (when - windowStart) / span,
      at,
      anchorMonth,
      region: customer.region,
      plan: customer.plan,
      channel,
      tenureDays: (when - customer.customerSince) / DAY,
      agentEffect: agent ? agentEffect.get(agent.key) ?? 0 : 0,
    });
    const { score, category } = drawScore(rng, nps);
    const v = verbatimFor(rng, survey.code, category, { agentFirstName: agent?.name.split(' ')[0], boostTheme: boostedTheme(team, when, anchorMonth) });
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
      respondedAt: when,
      receivedAt: when + rng.int(5, 900) * 1000,
    };
  };

  let done = 0;
  return {
    total,
    get done() {
      return done;
    },
    next(n: number) {
      const out: ResponseSeed[] = [];
      const end = Math.min(total, done + n);
      for (; done < end; done++) out.push(make(done));
      return out;
    },
  };
}

/**
 * When and who: transactional answers spread over the window with volume growing by half over
 * the 18 months; relationship answers follow the 90-day waves. The customer had joined by then.
 */
function placeDraft(rng: Rng, survey: SurveySeed, customers: CustomerList, windowStart: number, anchor: number): Draft {
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
  // rng.pick, by index: the list is not an array.
  const pick = () => {
    if (!customers.length) throw new Error('pick from an empty list');
    return Math.floor(rng.next() * customers.length);
  };
  let customer = pick();
  for (let attempt = 0; customers.customerSince(customer) > joinedBy && attempt < 100; attempt++) customer = pick();
  const since = customers.customerSince(customer);
  if (since > joinedBy) at = Math.min(anchor - 1000, Math.max(at, since + DAY));
  return { survey, customer, at: Math.floor(at / 1000) * 1000 };
}
