import type { RequestContext } from '../../context';
import { SqlParams } from '../../common/sql-params';
import type { ResponseFilter } from '../reporting/filter/response-filter.input';
import { NpsCategory } from '../reporting/nps-category';
import { tagText } from '../../text';
import type { Response } from '../responses/response.entity';
import { responseFromRow } from '../responses/response-row';
import { themeSetVersion } from '../themes/theme-set';
import { VerbatimSample } from './drivers.types';

/** Responses sampled per theme in a drivers answer. */
export const SAMPLES_PER_THEME = 3;

export interface SampleKey {
  filter: ResponseFilter | null | undefined;
  themeId: string;
  themeCode: string;
  /** Only responses of this category; null: any. */
  category: NpsCategory | null;
}

const SCORES: Record<NpsCategory | 'ANY', [number, number]> = {
  DETRACTOR: [0, 6],
  PASSIVE: [7, 8],
  PROMOTER: [9, 10],
  ANY: [0, 10],
};

/**
 * The sample verbatims of many (theme, category) pairs: for each filter, one statement that walks
 * each theme's mentions newest first (index response_themes (theme_id, responded_at, response_id)) and keeps the
 * first SAMPLES_PER_THEME responses that match the filter (and so the caller's scope); then, for
 * each, the text that mentions the theme (sampleText).
 */
export async function sampleVerbatims(ctx: RequestContext, keys: readonly SampleKey[]): Promise<VerbatimSample[][]> {
  const responses = await sampleResponses(ctx, keys);
  const set = await ctx.services.themes.cache.at(ctx.em, await themeSetVersion(ctx.em, false));
  return responses.map((list, i) => list.map((response) => Object.assign(new VerbatimSample(), sampleText(response, (text) => tagText(text, set.compiled).includes(keys[i].themeCode)), { response })));
}

/**
 * Where a response mentions the theme: its comment, else the first follow-up answer that does
 * (`mentions` tags a text); when none does any more (the theme changed and the response is not
 * re-tagged yet) the comment, else the first answer.
 */
export function sampleText(r: Pick<Response, 'comment' | 'followUpAnswers'>, mentions: (text: string) => boolean): { text: string; question: string | null } {
  const texts = [
    ...(r.comment?.trim() ? [{ text: r.comment, question: null }] : []),
    ...(r.followUpAnswers ?? []).filter((a) => typeof a?.answer === 'string' && a.answer.trim()).map((a) => ({ text: a.answer, question: a.question })),
  ];
  return texts.find((t) => mentions(t.text)) ?? texts[0] ?? { text: '', question: null };
}

async function sampleResponses(ctx: RequestContext, keys: readonly SampleKey[]): Promise<Response[][]> {
  const byFilter = new Map<string, number[]>();
  keys.forEach((k, i) => {
    const id = JSON.stringify(k.filter ?? null);
    byFilter.set(id, [...(byFilter.get(id) ?? []), i]);
  });
  const out: Response[][] = keys.map(() => []);
  for (const indexes of byFilter.values()) {
    const params = new SqlParams();
    const plan = await ctx.services.filters.plan(ctx, keys[indexes[0]].filter, params);
    const bounds = [
      plan.from ? `rt.responded_at >= ${params.p(plan.from)}::timestamptz` : null,
      plan.to ? `rt.responded_at < ${params.p(plan.to)}::timestamptz` : null,
    ].filter(Boolean);
    const range = (i: number) => SCORES[keys[i].category ?? 'ANY'];
    const rows: Record<string, any>[] = await ctx.em.query(
      `SELECT x.i, s.* FROM unnest(${params.p(indexes)}::int[], ${params.p(indexes.map((i) => keys[i].themeId))}::uuid[],
                                 ${params.p(indexes.map((i) => range(i)[0]))}::int[], ${params.p(indexes.map((i) => range(i)[1]))}::int[]) AS x(i, theme_id, lo, hi)
       CROSS JOIN LATERAL (
         SELECT r.* FROM response_themes rt JOIN responses r ON r.id = rt.response_id
         WHERE rt.theme_id = x.theme_id AND rt.score BETWEEN x.lo AND x.hi ${bounds.map((b) => `AND ${b}`).join(' ')} AND ${plan.rawWhere('r')}
         ORDER BY rt.responded_at DESC, rt.response_id DESC
         LIMIT ${SAMPLES_PER_THEME}) s
       ORDER BY x.i, s.responded_at DESC, s.id DESC`,
      params.values,
    );
    for (const row of rows) {
      const r = responseFromRow(row);
      ctx.loaders.response.prime(r.id, r);
      out[Number(row.i)].push(r);
    }
  }
  return out;
}
