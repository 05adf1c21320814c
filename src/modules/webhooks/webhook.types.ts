import { Field, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../common/pagination';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookDelivery } from './webhook-delivery.entity';

@ObjectType({ description: 'A created endpoint and its signing secret, which is shown only here.' })
export class CreateWebhookEndpointPayload {
  @Field(() => WebhookEndpoint)
  endpoint: WebhookEndpoint;

  @Field({ description: 'Keep it: it verifies the webhook-signature header and is never shown again.' })
  secret: string;
}

export const WebhookDeliveryConnection = ConnectionType(WebhookDelivery, 'WebhookDelivery');
export type WebhookDeliveryConnection = InstanceType<typeof WebhookDeliveryConnection>;
