import { DataSource } from 'typeorm';
import { entityLoader, groupLoader } from './common/loader-factories';
import { Department } from './modules/departments/department.entity';
import { Person } from './modules/people/person.entity';
import { Customer } from './modules/customers/customer.entity';
import { Survey } from './modules/surveys/survey.entity';
import { Response } from './modules/responses/response.entity';
import { Segment } from './modules/segments/segment.entity';
import { ActionItemEvent } from './modules/action-items/action-item-event.entity';
import { WebhookEndpoint } from './modules/webhooks/webhook-endpoint.entity';
import { WebhookDeliveryAttempt } from './modules/webhooks/webhook-delivery-attempt.entity';

/** The one factory for per-request DataLoaders: every relation in the schema resolves through these. */
export function createLoaders(ds: DataSource) {
  return {
    department: entityLoader(ds, Department),
    departmentChildren: groupLoader(ds, Department, 'parentId', { code: 'ASC' }),
    person: entityLoader(ds, Person),
    personReports: groupLoader(ds, Person, 'managerId', { name: 'ASC', id: 'ASC' }),
    customer: entityLoader(ds, Customer),
    survey: entityLoader(ds, Survey),
    response: entityLoader(ds, Response),
    segment: entityLoader(ds, Segment),
    actionItemEvents: groupLoader(ds, ActionItemEvent, 'actionItemId', { at: 'ASC', id: 'ASC' }),
    webhookEndpoint: entityLoader(ds, WebhookEndpoint),
    webhookDeliveryAttempts: groupLoader(ds, WebhookDeliveryAttempt, 'deliveryId', { attempt: 'ASC', startedAt: 'ASC' }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
