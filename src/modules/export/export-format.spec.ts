import { csvCell, csvLine, exportColumns, jsonLine, neutralizeFormula } from './export-format';

describe('export cells', () => {
  it('neutralizes text a spreadsheet would run as a formula, and only that', () => {
    for (const t of ['=1+1', '+33 6 12', '-2 stars', '@SUM(A1)', '\t=1', '\r=1']) expect(neutralizeFormula(t)).toBe(`'${t}`);
    for (const t of ['fine', ' =not first', '1=1', '', "'quoted"]) expect(neutralizeFormula(t)).toBe(t);
  });

  it('quotes cells with quotes, commas and line breaks; numbers and null as they are', () => {
    expect(csvCell('say "hi", ok')).toBe('"say ""hi"", ok"');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
    expect(csvLine(['a', 1, null])).toBe('a,1,\r\n');
  });

  it('has the verbatim columns only for the roles that may read them', () => {
    expect(exportColumns(false)).not.toContain('comment');
    expect(exportColumns(false)).not.toContain('followUpAnswers');
    expect(exportColumns(true).slice(-2)).toEqual(['comment', 'followUpAnswers']);
    expect(jsonLine(['a', 'followUpAnswers'], { a: '=x', followUpAnswers: '[{"q":1}]' })).toBe('{"a":"=x","followUpAnswers":[{"q":1}]}\n');
  });
});
