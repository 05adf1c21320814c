import { detractorSlackMessage, escapeSlack, excerpt } from './slack-message';

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
