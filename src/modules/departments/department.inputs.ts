import { Field, InputType, Int } from 'type-graphql';
import { IsEmail, IsInt, IsOptional, Length, Matches, Max, Min } from 'class-validator';
import { NotBlank } from '../../common/not-blank';

export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
export const CODE_MESSAGE = 'must be 1-64 letters, digits, "_", ".", ":" or "-", starting with a letter or digit';

@InputType({ description: 'Creates the department with this code, or updates it (idempotent).' })
export class DepartmentInput {
  @Field()
  @Matches(CODE_PATTERN, { message: `code ${CODE_MESSAGE}` })
  code: string;

  @Field()
  @Length(1, 200)
  @NotBlank()
  name: string;

  @Field(() => String, {
    nullable: true,
    description: 'Code of the parent department. Omitted: a new department is a root and an existing one keeps its parent. null: becomes a root.',
  })
  @IsOptional()
  @Matches(CODE_PATTERN, { message: `parentCode ${CODE_MESSAGE}` })
  parentCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Email of the person who owns the department (receives its follow-ups).' })
  @IsOptional()
  @IsEmail()
  ownerEmail?: string | null;

  @Field(() => Int, { nullable: true, description: 'Follow-up SLA in hours (default 48).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24 * 365)
  slaHours?: number | null;
}
