import { runThemesEval } from './themes-eval';

describe('npm run themes:eval', () => {
  it('prints the per-theme table, and the disagreements with --errors', () => {
    const lines: string[] = [];
    expect(runThemesEval([], (l) => lines.push(l))).toBe(0);
    const out = lines.join('\n');
    expect(out).toMatch(/^\d+ verbatims, \d+ theme labels/);
    expect(out).toContain('| Price (`price`) |');
    expect(out).toContain('| **all themes (micro)** |');
    expect(out).not.toMatch(/^#\d+ /m);

    const withErrors: string[] = [];
    expect(runThemesEval(['--errors'], (l) => withErrors.push(l))).toBe(0);
    expect(withErrors.join('\n')).toMatch(/^#\d+ ".*" (missed|extra): /m);
  });

  it('prints usage for anything else', () => {
    const lines: string[] = [];
    expect(runThemesEval(['--bogus'], (l) => lines.push(l))).toBe(2);
    expect(lines.join('\n')).toContain('Usage: npm run themes:eval');
    expect(runThemesEval(['--help'], () => undefined)).toBe(0);
  });
});
