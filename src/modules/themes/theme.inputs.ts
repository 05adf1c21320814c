import { Field, InputType } from 'type-graphql';

const CHECKS = 'Checked as docs/themes.md says; a bad value is BAD_USER_INPUT naming the field (e.g. "keywords.2", "pattern").';

@InputType({ description: `A new theme. ${CHECKS}` })
export class CreateThemeInput {
  @Field({ description: 'Lower case letters, digits and underscores, starting with a letter; at most 40 characters; unique (CONFLICT when taken).' })
  code: string;

  @Field({ description: 'Not blank; at most 80 characters (trimmed).' })
  name: string;

  @Field(() => [String], { nullable: true, description: 'Single words; at most 300.' })
  keywords?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Two to six words each; at most 300.' })
  phrases?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Phrases in which the theme's words mean something else; at most 300." })
  exclusions?: string[] | null;

  @Field(() => String, { nullable: true, description: 'A guarded regular expression (see Theme.pattern).' })
  pattern?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  active?: boolean | null;
}

@InputType({ description: `Changes to a theme: fields left out are unchanged; pattern null removes it. ${CHECKS}` })
export class UpdateThemeInput {
  @Field(() => String, { nullable: true })
  code?: string | null;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => [String], { nullable: true, description: 'Replaces the list.' })
  keywords?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Replaces the list.' })
  phrases?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Replaces the list.' })
  exclusions?: string[] | null;

  @Field(() => String, { nullable: true })
  pattern?: string | null;

  @Field(() => Boolean, { nullable: true })
  active?: boolean | null;
}
