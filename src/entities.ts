import { Department } from './modules/departments/department.entity';
import { Person } from './modules/people/person.entity';
import { Customer } from './modules/customers/customer.entity';
import { Survey } from './modules/surveys/survey.entity';
import { Response } from './modules/responses/response.entity';
import { Segment } from './modules/segments/segment.entity';
import { KpiTarget } from './modules/kpi-targets/kpi-target.entity';
import { ActionItem } from './modules/action-items/action-item.entity';
import { ActionItemEvent } from './modules/action-items/action-item-event.entity';
import { OutboxEvent } from './modules/webhooks/outbox-event.entity';
import { ApiKey } from './modules/auth/api-key.entity';
import { WebhookEndpoint } from './modules/webhooks/webhook-endpoint.entity';
import { WebhookDelivery } from './modules/webhooks/webhook-delivery.entity';
import { WebhookDeliveryAttempt } from './modules/webhooks/webhook-delivery-attempt.entity';
import { Benchmark } from './modules/benchmarks/benchmark.entity';
import { NpsStandard } from './modules/benchmarks/nps-standard.entity';
import { AlertRule } from './modules/alerts/alert-rule.entity';
import { Alert } from './modules/alerts/alert.entity';
import { AlertEvent } from './modules/alerts/alert-event.entity';
import { AlertEvaluation } from './modules/alerts/alert-evaluation.entity';

/** Every TypeORM entity; the DataSource in ormconfig.ts registers exactly these. */
export const entities = [Department, Person, Customer, Survey, Response, Segment, KpiTarget, ActionItem, ActionItemEvent, OutboxEvent, WebhookEndpoint, WebhookDelivery, WebhookDeliveryAttempt, ApiKey, Benchmark, NpsStandard, AlertRule, Alert, AlertEvent, AlertEvaluation];
