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

function inScope(r: ResponseSeed, scope: Scope, codes: Set<string> | null): boolean {
  if (codes && !codes.has(r.team)) return false;
  const f = scope.segment?.filter;
  if (!f) return true;
  if (scope.segment?.agentKey) return r.agentKey === scope.segment.agentKey;
  if (Array.isArray(f.plans) && !f.plans.includes(r.customer.plan)) return false;
  if (Array.isArray(f.regions) && !f.regions.includes(r.customer.region)) return false;
  return true;
}

/**
 * Targets from the CEO down to agents, for the quarter of the anchor and the one before. Each
 * target was set at the start of its quarter from the quarter before plus a stretch, so teams
 * that improved are on track, those that slipped are not, and the current quarter is in progress.
 */
export function buildKpiTargets(rng: Rng, people: readonly PersonSeed[], responses: readonly ResponseSeed[], segments: readonly SegmentSeed[], anchor: number): KpiTargetSeed[] {
  const out: KpiTargetSeed[] = [];
  const anchorDate = new Date(anchor);
  const segmentByName = new Map(segments.map((s) => [s.name, s]));
  for (const offset of [-1, 0]) {
    const start = quarterStart(anchorDate, offset).getTime();
    const end = quarterStart(anchorDate, offset + 1).getTime();
    const baseStart = quarterStart(anchorDate, offset - 1).getTime();
    const label = quarterLabel(new Date(start));
    const baseline = (scope: Scope) => {
      const codes = scope.departmentCode ? subtreeCodes(scope.departmentCode) : null;
      let n = 0;
      let p = 0;
      let d = 0;
      for (const r of responses) {
        if (r.respondedAt < baseStart || r.respondedAt >= start || !inScope(r, scope, codes)) continue;
        n++;
        if (r.category === 'PROMOTER') p++;
        else if (r.category === 'DETRACTOR') d++;
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
