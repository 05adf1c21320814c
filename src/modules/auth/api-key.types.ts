import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { IsEnum, IsInt, IsOptional, Length, Matches, Max, Min } from 'class-validator';
import { MAX_RATE_LIMIT } from '../../common/config';
import { CODE_MESSAGE, CODE_PATTERN } from '../departments/department.inputs';
import { Department } from '../departments/department.entity';
import { ApiKey } from './api-key.entity';
import { Permission } from './permissions';
import { Role } from './viewer';

registerEnumType(Permission, {
  name: 'Permission',
  description: 'What a role allows. A MANAGER holds its permissions within its department subtree only.',
});

/** Printable, no control characters: names show up in lists, logs and action-item histories. */
export const KEY_NAME_PATTERN = /^[^\p{C}]+$/u;

@InputType({ description: 'A new API key. The key is returned once, in the result, and never again.' })
export class CreateApiKeyInput {
  @Field({ description: 'Who or what will use the key (e.g. "crm-sync", "Jane Doe"); unique among keys not revoked.' })
  @Length(1, 100)
  @Matches(KEY_NAME_PATTERN, { message: 'name must not contain control characters' })
  name: string;

  @Field(() => Role)
  @IsEnum(Role)
  role: Role;

  @Field(() => String, { nullable: true, description: 'Required for MANAGER (the root of the subtree the key may see); not allowed otherwise.' })
  @IsOptional()
  @Matches(CODE_PATTERN, { message: `departmentCode ${CODE_MESSAGE}` })
  departmentCode?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: "The key's own rate-limit budget in points per window (README, Rate limits), e.g. larger for an import; null or left out: its role's default.",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_RATE_LIMIT)
  rateLimit?: number | null;
}

@ObjectType({ description: 'A key just created. Store `key` now: only its hash is kept, so it cannot be shown again.' })
export class CreatedApiKey {
  @Field(() => ApiKey)
  apiKey: ApiKey;

  @Field({ description: 'The key itself, shown this once. Send it as `Authorization: Bearer <key>`.' })
  key: string;
}

@ObjectType({ description: 'Who the current API key belongs to and what it may do, so a dashboard can adapt its screens.' })
export class ViewerInfo {
  @Field(() => ID, { nullable: true, description: "The key's id; null for the server's own system identity." })
  keyId: string | null;

  @Field()
  name: string;

  @Field(() => Role)
  role: Role;

  @Field(() => Department, { nullable: true, description: 'For MANAGER: the root of the department subtree the key sees. Null means the whole organisation.' })
  department: Department | null;

  @Field(() => [Permission], { description: 'Everything the key may do (a MANAGER within its department subtree).' })
  permissions: Permission[];
}
