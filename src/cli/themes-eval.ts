import { DEFAULT_THEMES, evaluateTagging, formatEvaluation, tagText } from '../text';
import evaluationSet from '../text/evaluation-set.json';

const USAGE = `Usage: npm run themes:eval [-- --errors]

Tags the hand-labelled evaluation set (src/text/evaluation-set.json) with the default themes and
prints precision and recall per theme as a markdown table (the one in docs/themes.md).
  --errors   also list every verbatim whose tags differ from its labels`;

/** The whole command; returns the exit code. */
export function runThemesEval(argv: readonly string[], print: (line: string) => void = console.log): number {
  if (argv.some((a) => a !== '--errors')) {
    print(USAGE);
    return argv.includes('--help') || argv.includes('-h') ? 0 : 2;
  }
  const codes = DEFAULT_THEMES.map((t) => t.code);
  const names = new Map(DEFAULT_THEMES.map((t) => [t.code, t.name]));
  const evaluation = evaluateTagging(evaluationSet.items, codes, (text) => tagText(text, DEFAULT_THEMES));
  print(`${evaluation.texts} verbatims, ${evaluation.micro.support} theme labels\n`);
  print(formatEvaluation(evaluation, names));
  if (argv.includes('--errors')) {
    print('');
    for (const e of evaluation.errors) {
      print(`#${e.id} ${JSON.stringify(e.text)}${e.missed.length ? ` missed: ${e.missed.join(', ')}` : ''}${e.extra.length ? ` extra: ${e.extra.join(', ')}` : ''}`);
    }
  }
  return 0;
}

if (require.main === module) process.exitCode = runThemesEval(process.argv.slice(2));
