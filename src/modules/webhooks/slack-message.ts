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
