import { Field, InputType } from 'type-graphql';
import { IsOptional, Length, ValidateNested } from 'class-validator';
import { ResponseFilter } from '../reporting/filter/response-filter.input';

@InputType({ description: 'A new saved segment.' })
export class CreateSegmentInput {
  @Field({ description: 'Unique, case-insensitively; surrounding spaces are dropped.' })
  @Length(1, 200)
  name: string;

  @Field(() => String, { nullable: true, description: 'Free text shown to dashboard users.' })
  @IsOptional()
  @Length(0, 2000)
  description?: string | null;

  @Field(() => ResponseFilter, {
    description: 'The responses the segment covers. It may not name another segment (segmentId); the departments, surveys and agents it names must exist.',
  })
  @ValidateNested()
  filter: ResponseFilter;
}

@InputType({ description: 'Changes to a segment; omitted fields are unchanged.' })
export class UpdateSegmentInput {
  @Field(() => String, { nullable: true, description: 'Unique, case-insensitively.' })
  @IsOptional()
  @Length(1, 200)
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'null clears it.' })
  @IsOptional()
  @Length(0, 2000)
  description?: string | null;

  @Field(() => ResponseFilter, { nullable: true, description: 'Replaces the whole saved filter.' })
  @IsOptional()
  @ValidateNested()
  filter?: ResponseFilter | null;
}
