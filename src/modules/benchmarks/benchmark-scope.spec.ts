import { SurveyKind } from '../surveys/survey.entity';
import { onlyKind, pickStandard } from './benchmark-scope';

const { RELATIONSHIP: REL, TRANSACTIONAL: TX } = SurveyKind;

describe('onlyKind', () => {
  it('is null when nothing pins the kind (the scope may mix kinds)', () => {
    expect(onlyKind([])).toBeNull();
  });
  it('is the kind a filter pins, or the one kind of the surveys it names', () => {
    expect(onlyKind([[REL]])).toBe(REL);
    expect(onlyKind([[TX, TX]])).toBe(TX);
  });
  it('is null when the named surveys are of both kinds, and narrows across filter and segment', () => {
    expect(onlyKind([[REL, TX]])).toBeNull();
    expect(onlyKind([[REL, TX], [TX]])).toBe(TX); // segment pins TRANSACTIONAL, filter names surveys of both kinds
  });
  it('is null when the parts contradict each other (no response can match)', () => {
    expect(onlyKind([[REL], [TX]])).toBeNull();
    expect(onlyKind([[]])).toBeNull(); // named surveys that no longer exist
  });
});

describe('pickStandard', () => {
  const std = (name: string, surveyKind: SurveyKind | null) => ({ name, surveyKind });
  const at = (depth: number, standard: ReturnType<typeof std>) => ({ depth, standard });

  it("takes the department's own standard before an ancestor's", () => {
    const own = at(0, std('team', null));
    expect(pickStandard([at(2, std('company', null)), own], null)).toBe(own);
  });
  it('inherits from the nearest ancestor that has one', () => {
    const parent = at(1, std('division', null));
    expect(pickStandard([at(2, std('company', null)), parent], REL)).toBe(parent);
  });
  it('prefers a standard for the kind over one for any kind at the same department', () => {
    const rel = at(0, std('rel', REL));
    expect(pickStandard([at(0, std('any', null)), rel], REL)).toBe(rel);
    expect(pickStandard([rel, at(0, std('any', null))], REL)).toBe(rel);
  });
  it('ignores standards for another kind, and kind-specific ones when the scope may mix kinds', () => {
    expect(pickStandard([at(0, std('tx', TX))], REL)).toBeNull();
    expect(pickStandard([at(0, std('rel', REL))], null)).toBeNull();
    const any = at(1, std('any', null));
    expect(pickStandard([at(0, std('rel', REL)), any], null)).toBe(any);
  });
  it('the nearest applicable standard wins over a more specific one further up', () => {
    const near = at(0, std('team, any kind', null));
    expect(pickStandard([at(1, std('division, relationship', REL)), near], REL)).toBe(near);
  });
  it('is null without candidates', () => {
    expect(pickStandard([], REL)).toBeNull();
  });
});
