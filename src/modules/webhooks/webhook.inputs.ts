import { Field, InputType } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize, IsOptional, MaxLength } from 'class-validator';
import { WebhookFormat } from './webhook-endpoint.entity';
import { Role } from '../auth/viewer';

const EVENT_TYPES_HELP = 'Event types to receive: response.stored, response.detractor, action_item.created, action_item.changed, customer.erased.';

@InputType({ description: 'A new webhook endpoint.' })
export class CreateWebhookEndpointInput {
  @Field({ description: 'http or https URL the events are POSTed to (no credentials in it).' })
  @MaxLength(2048)
  url: string;

  @Field(() => [String], { description: EVENT_TYPES_HELP })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  eventTypes: string[];

  @Field(() => String, {
    nullable: true,
    description: 'Signing secret: whsec_ + base64 of 24-64 bytes (the key is the decoded bytes, as Standard Webhooks libraries expect), or 24-256 characters used as their UTF-8 bytes. Omitted: one is generated and returned once.',
  })
  @IsOptional()
  @MaxLength(256)
  secret?: string | null;

  @Field(() => WebhookFormat, { nullable: true, description: 'Payload format (default STANDARD).' })
  @IsOptional()
  format?: WebhookFormat | null;

  @Field(() => Role, { nullable: true, description: 'What its events carry (see WebhookEndpoint.role): ADMIN, EXECUTIVE or INTEGRATION. Default INTEGRATION (no verbatims).' })
  @IsOptional()
  role?: Role | null;

  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  @IsOptional()
  active?: boolean | null;
}

@InputType({ description: 'Changes to a webhook endpoint; omitted fields stay as they are.' })
export class UpdateWebhookEndpointInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2048)
  url?: string | null;

  @Field(() => [String], { nullable: true, description: EVENT_TYPES_HELP })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  eventTypes?: string[] | null;

  @Field(() => String, { nullable: true, description: 'A new signing secret (rotation); same rules as at creation.' })
  @IsOptional()
  @MaxLength(256)
  secret?: string | null;

  @Field(() => WebhookFormat, { nullable: true })
  @IsOptional()
  format?: WebhookFormat | null;

  @Field(() => Role, { nullable: true, description: 'What its events carry (see WebhookEndpoint.role): ADMIN, EXECUTIVE or INTEGRATION.' })
  @IsOptional()
  role?: Role | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'false stops new deliveries (pending ones wait); true resumes with events from now on.',
  })
  @IsOptional()
  active?: boolean | null;
}
