/** How well a tagger agrees with hand labels: per theme and overall. */

export interface LabelledText {
  id: number;
  text: string;
  /** Theme codes a person assigned; [] when the text mentions none. */
  themes: readonly string[];
}

export interface ThemeScore {
  code: string;
  /** Texts labelled with the theme. */
  support: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Share of texts tagged with the theme that were labelled with it; null when nothing was tagged. */
  precision: number | null;
  /** Share of texts labelled with the theme that were tagged with it; null when nothing was labelled. */
  recall: number | null;
  /** Harmonic mean of precision and recall; null when either is null, 0 when both are 0. */
  f1: number | null;
}

export interface TaggingEvaluation {
  texts: number;
  themes: ThemeScore[];
  /** Counts pooled over every theme (each text × theme decision weighs the same). */
  micro: ThemeScore;
  /** Unweighted mean of the themes' precision, recall and F1 (themes where they are defined). */
  macro: { precision: number | null; recall: number | null; f1: number | null };
  /** Texts whose tags differ from their labels, with what was missed and what was added. */
  errors: { id: number; text: string; missed: string[]; extra: string[] }[];
}

/**
 * Scores predicted tags against labels for the given theme codes (labels or predictions with other
 * codes are ignored). A text counts once per theme: tagged twice with the same theme is one tag.
 */
export function evaluateTagging(
  items: readonly LabelledText[],
  codes: readonly string[],
  predict: (text: string) => readonly string[],
): TaggingEvaluation {
  const known = new Set(codes);
  const counts = new Map(codes.map((c) => [c, { tp: 0, fp: 0, fn: 0 }]));
  const errors: TaggingEvaluation['errors'] = [];
  for (const item of items) {
    const expected = new Set(item.themes.filter((c) => known.has(c)));
    const got = new Set(predict(item.text).filter((c) => known.has(c)));
    const missed = codes.filter((c) => expected.has(c) && !got.has(c));
    const extra = codes.filter((c) => got.has(c) && !expected.has(c));
    for (const c of codes) {
      const n = counts.get(c)!;
      if (expected.has(c) && got.has(c)) n.tp++;
      else if (got.has(c)) n.fp++;
      else if (expected.has(c)) n.fn++;
    }
    if (missed.length > 0 || extra.length > 0) errors.push({ id: item.id, text: item.text, missed, extra });
  }
  const themes = codes.map((code) => {
    const n = counts.get(code)!;
    return score(code, n.tp, n.fp, n.fn);
  });
  const sum = (f: (s: ThemeScore) => number) => themes.reduce((a, s) => a + f(s), 0);
  const micro = score('micro', sum((s) => s.truePositives), sum((s) => s.falsePositives), sum((s) => s.falseNegatives));
  return {
    texts: items.length,
    themes,
    micro,
    macro: { precision: mean(themes.map((s) => s.precision)), recall: mean(themes.map((s) => s.recall)), f1: mean(themes.map((s) => s.f1)) },
    errors,
  };
}

function score(code: string, tp: number, fp: number, fn: number): ThemeScore {
  const precision = tp + fp === 0 ? null : tp / (tp + fp);
  const recall = tp + fn === 0 ? null : tp / (tp + fn);
  const f1 = precision === null || recall === null ? null : precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { code, support: tp + fn, truePositives: tp, falsePositives: fp, falseNegatives: fn, precision, recall, f1 };
}

function mean(values: (number | null)[]): number | null {
  const defined = values.filter((v): v is number => v !== null);
  return defined.length === 0 ? null : defined.reduce((a, v) => a + v, 0) / defined.length;
}

/** The evaluation as a markdown table (figures rounded for display only). */
export function formatEvaluation(evaluation: TaggingEvaluation, names: ReadonlyMap<string, string> = new Map()): string {
  const pct = (v: number | null) => (v === null ? '–' : (100 * v).toFixed(1));
  const row = (s: ThemeScore, label: string) =>
    `| ${label} | ${s.support} | ${s.truePositives} | ${s.falsePositives} | ${s.falseNegatives} | ${pct(s.precision)} | ${pct(s.recall)} | ${pct(s.f1)} |`;
  const lines = [
    '| theme | labelled | tagged right | tagged wrongly | missed | precision % | recall % | F1 % |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...evaluation.themes.map((s) => row(s, names.has(s.code) ? `${names.get(s.code)} (\`${s.code}\`)` : `\`${s.code}\``)),
    row(evaluation.micro, '**all themes (micro)**'),
    `| all themes (macro) | | | | | ${pct(evaluation.macro.precision)} | ${pct(evaluation.macro.recall)} | ${pct(evaluation.macro.f1)} |`,
  ];
  return lines.join('\n');
}
