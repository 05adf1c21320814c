import type { EntityManager } from 'typeorm';
import { entityLoader, groupLoader, uniqueKeyLoader } from './common/loader-factories';
import { Department } from './modules/departments/department.entity';
import { Person } from './modules/people/person.entity';
import { Customer } from './modules/customers/customer.entity';
import { Survey } from './modules/surveys/survey.entity';
import { Response } from './modules/responses/response.entity';
import { Segment } from './modules/segments/segment.entity';
import { ActionItemEvent } from './modules/action-items/action-item-event.entity';
import { WebhookEndpoint } from './modules/webhooks/webhook-endpoint.entity';
import { WebhookDeliveryAttempt } from './modules/webhooks/webhook-delivery-attempt.entity';
import { responseThemesLoader, themeLoader } from './modules/themes/theme-loaders';
import { responseHistoryLoader } from './modules/responses/response-history';

/**
 * The one factory for per-request DataLoaders: every relation in the schema resolves through these.
 * They read through `em`: the request's manager, or a transaction's (see src/transaction.ts).
 */
export function createLoaders(em: EntityManager) {
  return {
    department: entityLoader(em, Department),
    departmentByCode: uniqueKeyLoader(em, Department, 'code'),
    departmentChildren: groupLoader(em, Department, 'parentId', { code: 'ASC' }),
    person: entityLoader(em, Person),
    personReports: groupLoader(em, Person, 'managerId', { name: 'ASC', id: 'ASC' }),
    customer: entityLoader(em, Customer),
    survey: entityLoader(em, Survey),
    response: entityLoader(em, Response),
    segment: entityLoader(em, Segment),
    actionItemEvents: groupLoader(em, ActionItemEvent, 'actionItemId', { at: 'ASC', id: 'ASC' }),
    webhookEndpoint: entityLoader(em, WebhookEndpoint),
    webhookDeliveryAttempts: groupLoader(em, WebhookDeliveryAttempt, 'deliveryId', { attempt: 'ASC', startedAt: 'ASC' }),
    theme: themeLoader(em),
    responseThemes: responseThemesLoader(em),
    responseHistory: responseHistoryLoader(em),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
