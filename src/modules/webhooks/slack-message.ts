/** What a Slack detractor alert shows. */
export interface DetractorDetails {
  score: number | null;
  departmentName: string | null;
  surveyName: string | null;
  comment: string | null;
  channel?: string | null;
  touchpoint?: string | null;
  /** The endpoint's role may not read verbatims: say so instead of quoting. */
  commentWithheld?: boolean;
}

export const COMMENT_EXCERPT_CHARS = 280;

/** Slack mrkdwn control characters; escaping them also stops `<url|label>` links and @-mentions from text. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The comment on one line, cut at a word boundary near `max` characters. */
export function excerpt(text: string, max = COMMENT_EXCERPT_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** A readable, link-free Slack message (`{ text }`, incoming-webhook format) for a detractor response. */
export function detractorSlackMessage(d: DetractorDetails): { text: string } {
  const score = d.score === null || d.score === undefined ? 'unknown score' : `score ${d.score}/10`;
  const lines = [`:rotating_light: *Detractor response* (${score})`];
  lines.push(`*Department:* ${escapeSlack(d.departmentName ?? 'none')}`);
  lines.push(`*Survey:* ${escapeSlack(d.surveyName ?? 'unknown')}`);
  const where = [d.channel, d.touchpoint].filter((x): x is string => !!x);
  if (where.length) lines.push(`*Channel / touchpoint:* ${escapeSlack(where.join(' / '))}`);
  const comment = d.comment ? excerpt(d.comment) : '';
  lines.push(d.commentWithheld ? "_Comment not shown (this endpoint's role may not read verbatims)._" : comment ? `> ${escapeSlack(comment)}` : '_No comment given._');
  return { text: lines.join('\n') };
}

/** What a Slack significant-shift alert shows (the nps.shift_detected payload's fields). */
export interface ShiftDetails {
  ruleName: string;
  metric: string;
  direction: string;
  scope: string;
  windowStart: string;
  windowEnd: string;
  comparisonStart: string;
  comparisonEnd: string;
  timeZone: string;
  previousValue: number;
  currentValue: number;
  previousSample: number;
  currentSample: number;
  pValue: number;
  adjustedPValue: number;
}

const METRIC_LABELS: Record<string, { label: string; unit: string }> = {
  NPS: { label: 'NPS', unit: '' },
  DETRACTOR_SHARE: { label: 'Detractor share', unit: '%' },
  FOLLOW_UP_RATE: { label: 'Follow-up rate', unit: '%' },
};

/** The local date of an instant in a zone, YYYY-MM-DD. */
function localDay(iso: string, zone: string): string {
  const d = new Date(iso);
  if (!Number.isFinite(d.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  } catch {
    return d.toISOString().slice(0, 10);
  }
}

/** A window [start, end) as its first and last local day. */
function windowLabel(start: string, end: string, zone: string): string {
  const last = new Date(new Date(end).getTime() - 1).toISOString();
  return `${localDay(start, zone)} to ${localDay(last, zone)}`;
}

/** A readable Slack message (`{ text }`) for a significant shift; names and scope escaped. */
export function shiftSlackMessage(d: ShiftDetails): { text: string } {
  const m = METRIC_LABELS[d.metric] ?? { label: d.metric, unit: '' };
  const fmt = (v: number) => `${v.toFixed(1)}${m.unit}`;
  const delta = d.currentValue - d.previousValue;
  const arrow = d.direction === 'UP' ? ':chart_with_upwards_trend:' : ':chart_with_downwards_trend:';
  const lines = [
    `${arrow} *Significant shift: ${escapeSlack(m.label)} ${d.direction === 'UP' ? 'up' : 'down'} ${Math.abs(delta).toFixed(1)} ${m.unit ? 'percentage points' : 'points'}* (${escapeSlack(d.ruleName)})`,
    `*Scope:* ${escapeSlack(d.scope)}`,
    `*Window:* ${windowLabel(d.windowStart, d.windowEnd, d.timeZone)} (${escapeSlack(d.timeZone)}): ${fmt(d.currentValue)} on ${d.currentSample}`,
    `*Compared with:* ${windowLabel(d.comparisonStart, d.comparisonEnd, d.timeZone)}: ${fmt(d.previousValue)} on ${d.previousSample}`,
    `_p = ${d.pValue.toPrecision(2)}, adjusted for the rules tested together (Benjamini-Hochberg): ${d.adjustedPValue.toPrecision(2)}_`,
  ];
  return { text: lines.join('\n') };
}
