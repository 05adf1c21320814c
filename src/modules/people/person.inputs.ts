import { Field, InputType } from 'type-graphql';
import { IsEmail, IsOptional, Length, Matches } from 'class-validator';
import { CODE_MESSAGE, CODE_PATTERN } from '../departments/department.inputs';
import { NotBlank } from '../../common/not-blank';

@InputType({ description: 'Creates the person with this email, or updates them (idempotent).' })
export class PersonInput {
  @Field({ description: 'The key: matched case-insensitively.' })
  @IsEmail()
  email: string;

  @Field()
  @Length(1, 200)
  @NotBlank()
  name: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'Omitted: unchanged on update. null: no department.' })
  @IsOptional()
  @Matches(CODE_PATTERN, { message: `departmentCode ${CODE_MESSAGE}` })
  departmentCode?: string | null;

  @Field(() => String, { nullable: true, description: "Manager's email. Omitted: unchanged on update. null: none." })
  @IsOptional()
  @IsEmail()
  managerEmail?: string | null;
}
