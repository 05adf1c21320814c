import type { RequestContext, ServiceDeps } from '../../../context';
import { badInput } from '../../../common/errors';
import { KindCounts, moverList, MoverFamilyInput, MoverGroupInput, NpsCounts, SurveyMixFigures, sumCounts } from '../../../scoring';
import type { Services } from '../../../services';
import { Permission } from '../../auth/permissions';
import type { Segment } from '../../segments/segment.entity';
import { SurveyKind } from '../../surveys/survey.entity';
import { comparisonRange, periodFields } from '../comparison-range';
import type { ResponseFilter } from '../filter/response-filter.input';
import { NpsScore, ScoreChange, ScoreScope } from '../nps-score.type';
import { BreakdownDimension, CompareTo, NpsComparison } from '../reporting.types';
import { itemFilter } from '../reporting.service';
import { countMovers, CURRENT, MoverCountRow, PREVIOUS } from './mover-counts';
import { isMoverDimension, Mover, MoverDimension, MoverKind, Movers, MOVER_DIMENSIONS, SurveyMix } from './movers.types';

export const DEFAULT_MOVERS_LIMIT = 20;
export const MAX_MOVERS_LIMIT = 500;

export interface MoversArgs {
  filter: ResponseFilter;
  compareTo?: CompareTo | null;
  timeZone?: string | null;
  kinds?: MoverKind[] | null;
  dimensions?: BreakdownDimension[] | null;
  significantOnly?: boolean | null;
  limit?: number | null;
  /** Screen the segments whose conditions read raw-only fields too (default false: they are listed in skippedSegments). */
  rawSegments?: boolean | null;
}

/** What a group without a value is called, per dimension. */
const NO_VALUE: Record<MoverDimension, string> = {
  CHANNEL: '(no channel)',
  TOUCHPOINT: '(no touchpoint)',
  REGION: '(no region)',
  PLAN: '(no plan)',
  SURVEY: '(no survey)',
  SURVEY_KIND: '(no survey kind)',
  AGENT: '(no agent)',
};

/** A group's id in the scoring module (ids are strings; null groups get one no value can take). */
const NONE = '\u0000none';

interface Group {
  group: string | null;
  hasChildren: boolean;
  previous: NpsCounts;
  current: NpsCounts;
  byKind: Map<string, KindCounts>;
}

const ZERO: NpsCounts = { promoters: 0, passives: 0, detractors: 0 };

/**
 * movers: which departments, segments and breakdown values moved the total NPS between two periods.
 * Counts come from one statement (mover-counts.ts); contributions, tests, Benjamini-Hochberg and the
 * survey mix from the scoring module (moverList); labels through the request's loaders.
 */
export class MoversService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Services,
  ) {}

  async movers(ctx: RequestContext, args: MoversArgs): Promise<Movers> {
    this.services.access.require(ctx, Permission.READ_REPORTS);
    const range = comparisonRange(args.filter, args.compareTo, args.timeZone, { required: true })!;
    const limit = args.limit ?? DEFAULT_MOVERS_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_MOVERS_LIMIT) throw badInput(`limit must be between 1 and ${MAX_MOVERS_LIMIT}`, 'limit');
    const kinds = new Set(args.kinds?.length ? args.kinds : Object.values(MoverKind));
    const unscreened = (args.dimensions ?? []).filter((d) => !isMoverDimension(d));
    if (unscreened.length) {
      throw badInput(`dimensions: movers screens ${MOVER_DIMENSIONS.join(', ')}; not ${unscreened.join(', ')} (a response may mention several themes: see drivers)`, 'dimensions');
    }
    const dimensions = kinds.has(MoverKind.BREAKDOWN) ? [...new Set(args.dimensions?.length ? args.dimensions.filter(isMoverDimension) : MOVER_DIMENSIONS)] : [];
    // A filter naming a segment is already about that segment: the other segments are not screened within it.
    const segments: Segment[] = kinds.has(MoverKind.SEGMENT) && !args.filter.segmentId ? await this.services.segments.list(ctx) : [];

    const counted = await countMovers(ctx, {
      filter: args.filter,
      range,
      departments: kinds.has(MoverKind.DEPARTMENT),
      dimensions,
      segments,
      rawSegments: args.rawSegments ?? false,
    });
    const byFamily = groupRows(counted.rows);
    const total = byFamily.get('TOTAL')?.get(NONE) ?? emptyGroup(null);
    const families: (MoverFamilyInput & { kind: MoverKind; dimension: BreakdownDimension | null })[] = [];
    const familyOf = (kind: MoverKind, id: string, dimension: BreakdownDimension | null, partition: boolean) => {
      // In a stable order (ties in contribution keep it): by id or value, no value last.
      const groups = [...(byFamily.get(id)?.values() ?? [])].sort(byGroup).map(toInput);
      families.push({ id, kind, dimension, partition, groups });
    };
    if (kinds.has(MoverKind.DEPARTMENT)) familyOf(MoverKind.DEPARTMENT, 'DEPARTMENT', null, true);
    for (const by of dimensions) familyOf(MoverKind.BREAKDOWN, by, by, true);
    if (segments.length > counted.segmentsSkipped.length) familyOf(MoverKind.SEGMENT, 'SEGMENT', null, false);

    const threshold = this.deps.config.lowSampleThreshold;
    const figures = moverList({ total: toInput(total), families }, { lowSampleThreshold: threshold });
    const partialPeriod = range.to.getTime() > ctx.now().getTime() || counted.totalCut;
    const listed = figures.groups.filter((g) => g.discovery || args.significantOnly === false).slice(0, limit);

    const score = (counts: NpsCounts, scope?: ScoreScope) => NpsScore.from(counts, threshold, scope);
    const familyById = new Map(families.map((f) => [f.id, f]));
    const groupsById = new Map(families.map((f) => [f.id, byFamily.get(f.id)]));
    const segmentNames = new Map(segments.map((s) => [s.id, s.name]));
    const movers = await Promise.all(
      listed.map(async (fig, i): Promise<Mover> => {
        const family = familyById.get(fig.family)!;
        const group = groupsById.get(fig.family)!.get(fig.id)!;
        const id = group.group;
        const scope = scopeOf(args.filter, family.kind, family.dimension, group);
        const current = score(group.current, scope);
        return Object.assign(new Mover(), {
          kind: family.kind,
          dimension: family.dimension,
          value: family.kind === MoverKind.BREAKDOWN ? id : null,
          id: family.kind !== MoverKind.BREAKDOWN || family.dimension === BreakdownDimension.SURVEY || family.dimension === BreakdownDimension.AGENT ? id : null,
          label: await this.label(ctx, family.kind, family.dimension, id, segmentNames),
          ownResponsesOnly: family.kind === MoverKind.DEPARTMENT && group.hasChildren,
          current,
          change: ScoreChange.between(score(group.previous, scope), current),
          previousResponseShare: fig.previousResponseShare,
          currentResponseShare: fig.currentResponseShare,
          contribution: fig.contribution,
          rank: i + 1,
          adjustedPValue: fig.adjustedPValue,
          discovery: fig.discovery,
          lowSample: fig.lowSample,
          partial: partialPeriod || (family.kind === MoverKind.SEGMENT && counted.segmentsCut.has(id!)),
          mixShifted: fig.mix?.mixShifted ?? false,
          surveyMix: surveyMixOf(fig.mix),
        });
      }),
    );

    const totalScope: ScoreScope = { filter: args.filter };
    const current = score(total.current, totalScope);
    const previous = score(total.previous, totalScope);
    return Object.assign(new Movers(), {
      total: Object.assign(new NpsComparison(), periodFields(range), { current, previous, change: ScoreChange.between(previous, current) }),
      totalSurveyMix: surveyMixOf(figures.total.mix),
      partialPeriod,
      falseDiscoveryRate: figures.q,
      tests: figures.tests,
      discoveries: figures.discoveries,
      movers,
      skippedSegments: counted.segmentsSkipped,
    });
  }

  /** What to show for a group: names through the request's loaders (batched: one statement per kind of record). */
  private async label(ctx: RequestContext, kind: MoverKind, dimension: BreakdownDimension | null, id: string | null, segments: Map<string, string>): Promise<string> {
    if (kind === MoverKind.SEGMENT) return segments.get(id!) ?? id!;
    if (kind === MoverKind.DEPARTMENT) return id ? ((await ctx.loaders.department.load(id))?.name ?? id) : '(no department)';
    if (id === null) return NO_VALUE[dimension as MoverDimension];
    if (dimension === BreakdownDimension.SURVEY) return (await ctx.loaders.survey.load(id))?.name ?? id;
    if (dimension === BreakdownDimension.AGENT) return (await ctx.loaders.person.load(id))?.name ?? id;
    return id;
  }
}

function emptyGroup(group: string | null): Group {
  return { group, hasChildren: false, previous: ZERO, current: ZERO, byKind: new Map() };
}

/** The rows by family, then by group (NONE for a null group), summed over kinds with the split by kind kept. */
function groupRows(rows: readonly MoverCountRow[]): Map<string, Map<string, Group>> {
  const out = new Map<string, Map<string, Group>>();
  for (const row of rows) {
    const family = out.get(row.family) ?? out.set(row.family, new Map()).get(row.family)!;
    const key = row.group ?? NONE;
    const g = family.get(key) ?? family.set(key, emptyGroup(row.group)).get(key)!;
    g.hasChildren ||= row.hasChildren;
    const kind = g.byKind.get(row.surveyKind) ?? { kind: row.surveyKind, previous: ZERO, current: ZERO };
    if (row.k === PREVIOUS) {
      g.previous = sumCounts([g.previous, row.counts]);
      kind.previous = sumCounts([kind.previous, row.counts]);
    } else if (row.k === CURRENT) {
      g.current = sumCounts([g.current, row.counts]);
      kind.current = sumCounts([kind.current, row.counts]);
    }
    g.byKind.set(row.surveyKind, kind);
  }
  return out;
}

const toInput = (g: Group): MoverGroupInput => ({
  id: g.group ?? NONE,
  previous: g.previous,
  current: g.current,
  byKind: [...g.byKind.values()].sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0)),
});

const byGroup = (a: Group, b: Group) => (a.group === b.group ? 0 : a.group === null ? 1 : b.group === null ? -1 : a.group < b.group ? -1 : 1);

/** The scope of a group's score, for the benchmarks that apply to it (none for a department's own responses or no department). */
function scopeOf(filter: ResponseFilter, kind: MoverKind, dimension: BreakdownDimension | null, group: Group): ScoreScope | undefined {
  if (kind === MoverKind.SEGMENT) return { filter: { ...filter, segmentId: group.group } };
  if (kind === MoverKind.BREAKDOWN) return { filter: itemFilter(filter, dimension!, group.group) };
  return group.group && !group.hasChildren ? { filter, departmentId: group.group } : undefined;
}

function surveyMixOf(mix: SurveyMixFigures | null): SurveyMix {
  const m = mix ?? { kinds: [], maxShift: null, mixShifted: false, rawChange: null, mixAdjustedNps: null, mixAdjustedChange: null };
  return Object.assign(new SurveyMix(), {
    kinds: m.kinds.map((k) => ({ ...k, kind: k.kind as SurveyKind })),
    maxShift: m.maxShift,
    mixShifted: m.mixShifted,
    rawChange: m.rawChange,
    mixAdjustedNps: m.mixAdjustedNps,
    mixAdjustedChange: m.mixAdjustedChange,
  });
}
