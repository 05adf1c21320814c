import { detractorSlackMessage, escapeSlack, excerpt, shiftSlackMessage } from './slack-message';

describe('Slack detractor message', () => {
  it('reads as a short alert with score, department, survey and the comment', () => {
    const { text } = detractorSlackMessage({
      score: 2,
      departmentName: 'Support EU',
      surveyName: 'After the call',
      comment: 'Waited   40 minutes\nand nobody called back.',
      channel: 'phone',
      touchpoint: null,
    });
    expect(text).toBe(
      [
        ':rotating_light: *Detractor response* (score 2/10)',
        '*Department:* Support EU',
        '*Survey:* After the call',
        '*Channel / touchpoint:* phone',
        '> Waited 40 minutes and nobody called back.',
      ].join('\n'),
    );
  });

  it('escapes Slack markup so a comment cannot add links or mentions', () => {
    const { text } = detractorSlackMessage({ score: 0, departmentName: 'R&D', surveyName: 'S', comment: 'see <https://evil.example|here> <!channel>' });
    expect(text).toContain('R&amp;D');
    expect(text).toContain('&lt;https://evil.example|here&gt; &lt;!channel&gt;');
    expect(text).not.toMatch(/<[^>]*>/);
    expect(escapeSlack('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
  });

  it('cuts long comments at a word with an ellipsis and says when there is none', () => {
    const long = 'word '.repeat(200);
    const cut = excerpt(long, 50);
    expect(cut.length).toBeLessThanOrEqual(51);
    expect(cut.endsWith('word…')).toBe(true);
    expect(detractorSlackMessage({ score: 5, departmentName: null, surveyName: null, comment: null }).text).toContain('_No comment given._');
  });
});

describe('shiftSlackMessage', () => {
  const base = {
    ruleName: 'Billing <all> & more', metric: 'DETRACTOR_SHARE', direction: 'UP', scope: 'Billing (OPS-BILL) and below',
    windowStart: '2026-10-31T23:00:00.000Z', windowEnd: '2026-11-30T23:00:00.000Z', comparisonStart: '2025-10-31T23:00:00.000Z', comparisonEnd: '2025-11-30T23:00:00.000Z',
    timeZone: 'Europe/Paris', previousValue: 12.5, currentValue: 25, previousSample: 120, currentSample: 124, pValue: 0.0123, adjustedPValue: 0.0369,
  };
  it('names the metric, direction and change in percentage points, the local windows, the samples and both p-values; escapes names', () => {
    expect(shiftSlackMessage(base).text.split('\n')).toEqual([
      ':chart_with_upwards_trend: *Significant shift: Detractor share up 12.5 percentage points* (Billing &lt;all&gt; &amp; more)',
      '*Scope:* Billing (OPS-BILL) and below',
      '*Window:* 2026-11-01 to 2026-11-30 (Europe/Paris): 25.0% on 124',
      '*Compared with:* 2025-11-01 to 2025-11-30: 12.5% on 120',
      '_p = 0.012, adjusted for the rules tested together (Benjamini-Hochberg): 0.037_',
    ]);
  });
});
