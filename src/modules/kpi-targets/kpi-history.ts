import DataLoader from 'dataloader';
import { Field, Float, ObjectType } from 'type-graphql';
import type { RequestContext } from '../../context';
import { badInput } from '../../common/errors';
import { perRequest } from '../../common/request-cache';
import { BucketUnit, unitStartsBetween } from '../../calendar';
import type { NpsCounts } from '../../scoring';
import { NpsScore } from '../reporting/nps-score.type';
import { TrendInterval } from '../reporting/reporting.types';
import { MAX_TREND_BUCKETS } from '../reporting/time-buckets';
import { KpiStatus, KpiTarget } from './kpi-target.entity';
import { countTargetRanges, zeroCounts } from './kpi-counts';
import { isClosedLoopRate, KpiMeasurer } from './kpi-measurement';
import { countedUntil, periodProgress } from './kpi-target.rules';

@ObjectType({
  description:
    "A KPI target's figures at the end of one time bucket of its period: everything from periodStart up to that instant (cumulative, not the bucket alone), judged as the target's own fields are at that instant.",
})
export class KpiHistoryPoint {
  @Field({ description: "Start of the bucket: a calendar unit's start in the time zone, or the target's periodStart for the first bucket." })
  bucketStart: Date;

  @Field({ description: "End of the bucket (exclusive): the next calendar unit's start, or the target's periodEnd for the last bucket." })
  bucketEnd: Date;

  @Field({ description: 'The instant these figures stand at: bucketEnd, or for the bucket still running at the instant asked (asOf, or now), that instant.' })
  at: Date;

  @Field({ description: 'Whether the bucket had ended by the instant asked (at = bucketEnd); false for the running bucket, whose figures are to date.' })
  complete: boolean;

  @Field(() => Float, { description: 'Fraction of the target period elapsed at `at` (0..1); RESPONSE_COUNT is judged on pace with it.' })
  progress: number;

  @Field(() => NpsScore, { description: 'Counts and NPS of the responses of the scope from periodStart up to `at`.' })
  score: NpsScore;

  @Field(() => Float, { nullable: true, description: 'The metric at `at` (cumulative since periodStart), as KpiTarget.actual.' })
  actual: number | null;

  @Field(() => Float, { nullable: true, description: 'actual - target, signed so that positive is better, as KpiTarget.gap.' })
  gap: number | null;

  @Field(() => KpiStatus, { description: 'The status at `at`, as KpiTarget.status would have said then.' })
  status: KpiStatus;
}

const UNITS: Record<TrendInterval, BucketUnit> = { DAY: 'day', WEEK: 'week', MONTH: 'month', QUARTER: 'quarter' };

interface Bucket {
  start: Date;
  end: Date;
}

/**
 * KpiTarget.history: the target's period cut into calendar buckets of the time zone, and at each
 * bucket's end (or the instant asked, for the running bucket) the cumulative figures and status.
 * The buckets of every target resolved together (same interval, zone and asOf) are counted in one
 * batch through the fact planner (countTargetRanges: one range per bucket, department-scoped
 * targets of a period in one grouped pass), then summed bucket after bucket and evaluated by the
 * scoring module, like the targets themselves: the last point equals the target's own figures.
 * Null for FOLLOW_UP_RATE and CLOSED_WITHIN_SLA_RATE (see the field's description).
 */
export class KpiHistoryLoader {
  constructor(private readonly measurer: KpiMeasurer) {}

  load(ctx: RequestContext, target: KpiTarget, interval: TrendInterval, zone: string): Promise<KpiHistoryPoint[] | null> {
    if (isClosedLoopRate(target.metric)) return Promise.resolve(null);
    const asOf = target.requestedAsOf ?? null;
    return perRequest(
      ctx,
      `kpi-history:${interval}|${zone}|${asOf ? asOf.toISOString() : 'live'}`,
      () => new DataLoader<KpiTarget, KpiHistoryPoint[], string>((targets) => this.batch(ctx, targets, interval, zone, asOf), { cacheKeyFn: (t) => t.id }),
    ).load(target);
  }

  private async batch(ctx: RequestContext, targets: readonly KpiTarget[], interval: TrendInterval, zone: string, asOf: Date | null): Promise<(KpiHistoryPoint[] | Error)[]> {
    const at = asOf ?? ctx.now();
    const buckets: (Bucket[] | Error)[] = targets.map((t) => {
      try {
        return bucketsUpTo(t, UNITS[interval], zone, at);
      } catch (err) {
        return err instanceof Error ? err : new Error(String(err));
      }
    });
    const requests = targets.flatMap((target, i) => {
      const list = buckets[i];
      if (list instanceof Error || !list.length) return [];
      // Counted up to where the target's own figures are (its period end live; asOf otherwise).
      const until = countedUntil(target.periodStart, target.periodEnd, asOf);
      return [{ i, target, ranges: list.map((b, k) => ({ k, lo: b.start, hi: b.end < until ? b.end : until })) }];
    });
    const { counts, errors } = requests.length ? await countTargetRanges(ctx, requests) : { counts: new Map(), errors: new Map() };
    return targets.map((target, i) => {
      const list = buckets[i];
      if (list instanceof Error) return list;
      const error = errors.get(i);
      if (error) return error;
      const perBucket = counts.get(i);
      const sum: NpsCounts = zeroCounts();
      try {
        return list.map((b, k) => {
          const c = perBucket?.get(k);
          if (c) for (const key of ['promoters', 'passives', 'detractors'] as const) sum[key] += c[key];
          const pointAt = b.end < at ? b.end : at;
          const m = this.measurer.evaluate(target, { ...sum }, null, pointAt);
          return Object.assign(new KpiHistoryPoint(), {
            bucketStart: b.start,
            bucketEnd: b.end,
            at: pointAt,
            complete: b.end.getTime() <= at.getTime(),
            progress: periodProgress(target.periodStart, target.periodEnd, pointAt),
            score: m.score,
            actual: m.actual,
            gap: m.gap,
            status: m.status,
          });
        });
      } catch (err) {
        return err instanceof Error ? err : new Error(String(err));
      }
    });
  }
}

/** The target period's buckets that had begun by `at` (none when the period had not). */
function bucketsUpTo(target: KpiTarget, unit: BucketUnit, zone: string, at: Date): Bucket[] {
  const start = target.periodStart.getTime();
  const end = target.periodEnd.getTime();
  if (at.getTime() <= start) return [];
  let edges: number[];
  try {
    edges = unitStartsBetween(start, end, unit, zone, MAX_TREND_BUCKETS - 1);
  } catch (err) {
    if (err instanceof RangeError) {
      throw badInput(`The history would have more than ${MAX_TREND_BUCKETS} ${unit} buckets over the target's period; use a longer interval`, 'interval', {
        maxBuckets: MAX_TREND_BUCKETS,
      });
    }
    throw err;
  }
  const bounds = [start, ...edges, end];
  const out: Bucket[] = [];
  for (let n = 0; n + 1 < bounds.length && bounds[n] < at.getTime(); n++) out.push({ start: new Date(bounds[n]), end: new Date(bounds[n + 1]) });
  return out;
}
