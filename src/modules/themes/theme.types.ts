import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

@ObjectType({
  description:
    'A theme customers talk about in verbatims (price, delivery...). A comment or follow-up answer mentions it when it holds one of its keywords (with inflections and, from five letters on, one-letter typos), one of its phrases (words in order, one extra word allowed between two of them) or a match of its pattern, outside its exclusions (docs/themes.md). A theme is a topic, praise or complaint alike.',
})
export class Theme {
  @Field(() => ID)
  id: string;

  @Field({ description: 'Stable key: lower case letters, digits and underscores, starting with a letter (at most 40 characters); unique.' })
  code: string;

  @Field({ description: 'What people read (at most 80 characters).' })
  name: string;

  @Field(() => [String], { description: 'Single words (at most 300, 80 characters each).' })
  keywords: string[];

  @Field(() => [String], { description: 'Two to six words each (at most 300).' })
  phrases: string[];

  @Field(() => [String], { description: "Phrases in which the theme's words mean something else (\"can't wait\" for waiting); their words are not mentions of this theme." })
  exclusions: string[];

  @Field(() => String, {
    nullable: true,
    description:
      'A JavaScript regular expression tried on each sentence in normal form (lower case, no accents, every run of non-letters a single space), guarded against runaway cost: no backreferences, lookarounds or named groups, at most 1,000 characters, and a bound on backtracking (docs/themes.md).',
  })
  pattern: string | null;

  @Field({ description: 'Inactive themes tag nothing; their mentions are removed by the re-tagging a deactivation starts.' })
  active: boolean;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;
}

export enum ThemeTaggingStatus {
  PENDING = 'PENDING',
  RUNNING = 'RUNNING',
  DONE = 'DONE',
  SUPERSEDED = 'SUPERSEDED',
}
registerEnumType(ThemeTaggingStatus, {
  name: 'ThemeTaggingStatus',
  description: 'PENDING: queued. RUNNING: batches are being re-tagged. DONE: every stored response was re-tagged. SUPERSEDED: the themes changed again before it finished; a newer job starts over.',
});

@ObjectType({
  description:
    'Re-tagging of the stored responses after the themes changed, run in the background in batches (one short transaction each, in order of response id). Each batch compares what the themes now find in each response with the mentions stored and writes only the difference, so a batch run twice, or a whole re-tagging run again, changes nothing and counts nothing twice. Responses stored meanwhile are tagged with the new themes when stored. While one is RUNNING, driver figures mix responses tagged before and after the change.',
})
export class ThemeTaggingJob {
  @Field(() => ID)
  id: string;

  @Field(() => ThemeTaggingStatus)
  status: ThemeTaggingStatus;

  @Field({ description: 'Why it was started (a theme created, changed or deleted; a re-tagging asked for).' })
  reason: string;

  @Field(() => Int, { nullable: true, description: 'Responses stored when it started (null while PENDING, and for a MANAGER key: an organisation-wide count).' })
  total: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Responses re-tagged so far (responses stored while it runs may take it past total); null for a MANAGER key (an organisation-wide count).',
  })
  processed: number | null;

  @Field(() => Int, { nullable: true, description: 'Mentions added or removed so far (0 when the themes find what was stored already); null for a MANAGER key.' })
  changed: number | null;

  @Field(() => Float, { nullable: true, description: 'Percent done: 100 x processed / total, at most 100 (100 when DONE; null while PENDING).' })
  progress: number | null;

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  startedAt: Date | null;

  @Field(() => Date, { nullable: true })
  finishedAt: Date | null;
}
