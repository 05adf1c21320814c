import { quarterLabel, quarterStart } from './calendar';
import { DEPARTMENTS, PersonSeed } from './org';
import { Rng } from './random';
import type { ResponseSeed } from './responses';
import type { SegmentSeed } from './segments';

export type Metric = 'NPS' | 'PROMOTER_SHARE' | 'DETRACTOR_SHARE' | 'RESPONSE_COUNT' | 'FOLLOW_UP_RATE' | 'CLOSED_WITHIN_SLA_RATE';

export interface KpiTargetSeed {
  name: string;
  ownerKey: string;
  metric: Metric;
  target: number;
  tolerance: number | null;
  periodStart: number;
  periodEnd: number;
  departmentCode: string | null;
  segmentName: string | null;
}

/** The codes of a department and everything below it. */
export function subtreeCodes(code: string): Set<string> {
  const out = new Set([code]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const d of DEPARTMENTS) if (d.parentCode && out.has(d.parentCode) && !out.has(d.code)) (out.add(d.code), (grew = true));
  }
  return out;
}

interface Scope {
  departmentCode: string | null;
  segment?: SegmentSeed;
}

/** What a target's baseline needs of a response. */
interface Tallied {
  team: string;
  agentKey: string | null;
  plan: string;
  region: string;
}

function inScope(r: Tallied, scope: Scope, codes: Set<string> | null): boolean {
  if (codes && !codes.has(r.team)) return false;
  const f = scope.segment?.filter;
  if (!f) return true;
  if (scope.segment?.agentKey) return r.agentKey === scope.segment.agentKey;
  if (Array.isArray(f.plans) && !f.plans.includes(r.plan)) return false;
  if (Array.isArray(f.regions) && !f.regions.includes(r.region)) return false;
  return true;
}

interface Cell extends Tallied {
  /** Which baseline quarter: 0 for the quarter before the anchor's, 1 for the one before that. */
  window: number;
  n: number;
  promoters: number;
  detractors: number;
}

/**
 * Counts of the responses the targets' baselines look at (the two quarters before the anchor's),
 * by team, agent, plan, region and category: fed chunk by chunk as responses stream, it holds a
 * few thousand cells whatever the number of responses.
 */
export class ResponseTally {
  readonly cells = new Map<string, Cell>();
  private readonly bounds: number[];

  constructor(anchor: number) {
    const a = new Date(anchor);
    this.bounds = [quarterStart(a, -2).getTime(), quarterStart(a, -1).getTime(), quarterStart(a, 0).getTime()];
  }

  add(responses: readonly ResponseSeed[]): this {
    const [b0, b1, b2] = this.bounds;
    for (const r of responses) {
      if (r.respondedAt < b0 || r.respondedAt >= b2) continue;
      const window = r.respondedAt < b1 ? 1 : 0;
      const key = `${window}\t${r.team}\t${r.agentKey}\t${r.customer.plan}\t${r.customer.region}`;
      let c = this.cells.get(key);
      if (!c) this.cells.set(key, (c = { window, team: r.team, agentKey: r.agentKey, plan: r.customer.plan, region: r.customer.region, n: 0, promoters: 0, detractors: 0 }));
      c.n++;
      if (r.category === 'PROMOTER') c.promoters++;
      else if (r.category === 'DETRACTOR') c.detractors++;
    }
    return this;
  }
}

/**
 * Targets from the CEO down to agents, for the quarter of the anchor and the one before. Each
 * target was set at the start of its quarter from the quarter before plus a stretch, so teams
 * that improved are on track, those that slipped are not, and the current quarter is in progress.
 * Leadership (the CEO and the VPs) has also set the next quarter's, from the last full quarter:
 * not begun at the anchor, so NO_DATA.
 */
export function buildKpiTargets(
  rng: Rng,
  people: readonly PersonSeed[],
  responses: readonly ResponseSeed[] | ResponseTally,
  segments: readonly SegmentSeed[],
  anchor: number,
): KpiTargetSeed[] {
  const tally = responses instanceof ResponseTally ? responses : new ResponseTally(anchor).add(responses);
  const out: KpiTargetSeed[] = [];
  const anchorDate = new Date(anchor);
  const segmentByName = new Map(segments.map((s) => [s.name, s]));
  for (const offset of [-1, 0, 1]) {
    const start = quarterStart(anchorDate, offset).getTime();
    const end = quarterStart(anchorDate, offset + 1).getTime();
    const label = quarterLabel(new Date(start));
    const window = offset === -1 ? 1 : 0;
    const leadershipOnly = offset === 1;
    const baseline = (scope: Scope) => {
      const codes = scope.departmentCode ? subtreeCodes(scope.departmentCode) : null;
      let n = 0;
      let p = 0;
      let d = 0;
      for (const c of tally.cells.values()) {
        if (c.window !== window || !inScope(c, scope, codes)) continue;
        n += c.n;
        p += c.promoters;
        d += c.detractors;
      }
      return { n, nps: n ? (100 * (p - d)) / n : 0, promoterShare: n ? (100 * p) / n : 0, detractorShare: n ? (100 * d) / n : 0 };
    };
    const add = (ownerKey: string, metric: Metric, scope: Scope, what: string) => {
      const b = baseline(scope);
      const stretch = rng.pick([1, 2, 3, 5, 8]);
      const target =
        metric === 'NPS'
          ? Math.round(b.nps + stretch)
          : metric === 'PROMOTER_SHARE'
            ? Math.round(b.promoterShare + stretch / 2)
            : metric === 'DETRACTOR_SHARE'
              ? Math.max(1, Math.round(b.detractorShare - stretch / 2))
              : metric === 'RESPONSE_COUNT'
                ? Math.max(10, Math.round((b.n * 1.05) / 10) * 10)
                : metric === 'FOLLOW_UP_RATE'
                  ? 90
                  : scope.departmentCode?.startsWith('CX-SUP') ? 85 : 80;
      out.push({
        name: `${what} ${label}`,
        ownerKey,
        metric,
        target,
        tolerance: metric === 'NPS' && ownerKey === 'ceo' ? 3 : null,
        periodStart: start,
        periodEnd: end,
        departmentCode: scope.departmentCode,
        segmentName: scope.segment?.name ?? null,
      });
    };
    add('ceo', 'NPS', { departmentCode: 'CO' }, 'Company NPS');
    add('ceo', 'CLOSED_WITHIN_SLA_RATE', { departmentCode: 'CO' }, 'Follow-ups closed within SLA');
    for (const [key, code, name] of [['vp-cx', 'CX', 'Customer Experience'], ['vp-ops', 'OPS', 'Operations'], ['vp-prd', 'PRD', 'Product'], ['vp-sal', 'SAL', 'Sales & Accounts']]) {
      add(key, 'NPS', { departmentCode: code }, `${name} NPS`);
      if (code === 'PRD') add(key, 'PROMOTER_SHARE', { departmentCode: code }, 'Product promoter share');
      else add(key, 'FOLLOW_UP_RATE', { departmentCode: code }, `${name} detractor follow-up rate`);
    }
    if (leadershipOnly) continue;
    add('vp-sal', 'NPS', { departmentCode: null, segment: segmentByName.get('Enterprise EMEA') }, 'Enterprise EMEA NPS');
    add('dir-sup', 'NPS', { departmentCode: 'CX-SUP' }, 'Support NPS');
    add('dir-sup', 'CLOSED_WITHIN_SLA_RATE', { departmentCode: 'CX-SUP' }, 'Support follow-ups closed within SLA');
    for (const p of people) {
      if (p.level === 'LEAD') {
        const scope = { departmentCode: p.departmentCode };
        const team = DEPARTMENTS.find((d) => d.code === p.departmentCode)!.name;
        add(p.key, 'NPS', scope, `${team} NPS`);
        if (p.departmentCode === 'PRD-APP') {
          add(p.key, 'DETRACTOR_SHARE', scope, `${team} detractor share`);
        } else {
          add(p.key, 'RESPONSE_COUNT', scope, `${team} responses`);
          add(p.key, 'CLOSED_WITHIN_SLA_RATE', scope, `${team} follow-ups closed within SLA`);
        }
      }
      const segment = segments.find((s) => s.agentKey === p.key);
      if (segment) {
        add(p.key, 'NPS', { departmentCode: p.departmentCode, segment }, `${p.name} NPS`);
        add(p.key, 'RESPONSE_COUNT', { departmentCode: p.departmentCode, segment }, `${p.name} responses`);
      }
    }
  }
  return out;
}
