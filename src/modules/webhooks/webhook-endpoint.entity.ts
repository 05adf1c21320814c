import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Role } from '../auth/viewer';
import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export enum WebhookFormat {
  STANDARD = 'STANDARD',
  SLACK = 'SLACK',
}
registerEnumType(WebhookFormat, {
  name: 'WebhookFormat',
  description:
    'STANDARD: JSON {type, timestamp, data} signed in the Standard Webhooks style (webhook-id, webhook-timestamp, webhook-signature headers). ' +
    'SLACK: a readable Slack incoming-webhook message ({text}); only response.detractor events are sent.',
});

@ObjectType({ description: 'A URL that receives domain events. Its secret is shown only once, when it is created.' })
@Entity('webhook_endpoints')
@Check('webhook_endpoints_format_valid', `"format" IN ('STANDARD', 'SLACK')`)
@Check('webhook_endpoints_role_valid', `"role" IN ('ADMIN', 'EXECUTIVE', 'INTEGRATION')`)
export class WebhookEndpoint {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field({ description: 'http or https URL the events are POSTed to.' })
  @Column('text')
  url: string;

  @Field(() => [String], { description: 'Event types this endpoint receives (see webhookEventTypes).' })
  @Column('text', { array: true })
  eventTypes: string[];

  /** The shared signing secret; needed in clear to sign, never returned after creation. */
  @Column('text')
  secret: string;

  @Field(() => WebhookFormat)
  @Column({ type: 'text', default: WebhookFormat.STANDARD })
  format: WebhookFormat;

  @Field(() => Role, {
    description:
      "Decides what its events carry, as an API key of that role could read: every event carries the response's customer externalRef, agent, channel, touchpoint and survey code; verbatims (comment, follow-up answers) and customer details only for a role with READ_RESPONSES (ADMIN, EXECUTIVE). INTEGRATION by default; MANAGER is not available (an endpoint has no department subtree).",
  })
  @Column({ type: 'text', default: Role.INTEGRATION })
  role: Role;

  @Field({ description: 'An inactive endpoint gets no new deliveries; events that happen while it is inactive are not sent later.' })
  @Column({ type: 'boolean', default: true })
  active: boolean;

  /**
   * Fan-out position: the database snapshot (pg_snapshot as text) whose visible outbox events
   * were already turned into deliveries. Set to the current snapshot at creation and on resume.
   */
  @Column('text')
  fanoutSnapshot: string;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
