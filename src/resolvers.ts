import { NonEmptyArray } from 'type-graphql';
import { DepartmentResolver } from './modules/departments/department.resolver';
import { PersonResolver } from './modules/people/person.resolver';
import { ApiKeyResolver } from './modules/auth/api-key.resolver';
import { ActionItemResolver } from './modules/action-items/action-item.resolver';
import { ClosedLoopResolver, DepartmentClosedLoopResolver } from './modules/closed-loop/closed-loop.resolver';
import { KpiTargetResolver } from './modules/kpi-targets/kpi-target.resolver';
import { PersonTargetsResolver } from './modules/kpi-targets/person-targets.resolver';
import { SurveyResolver } from './modules/surveys/survey.resolver';
import { CustomerResolver } from './modules/customers/customer.resolver';
import { ResponseResolver } from './modules/responses/response.resolver';
import { DepartmentScoreResolver, NpsBreakdownItemResolver, ReportingResolver } from './modules/reporting/reporting.resolver';
import { MoversResolver } from './modules/reporting/movers/movers.resolver';
import { SegmentFilterResolver, SegmentResolver } from './modules/segments/segment.resolver';
import { WebhookDeliveryResolver, WebhookEndpointResolver } from './modules/webhooks/webhook.resolver';
import { BenchmarkResolver, NpsScoreBenchmarksResolver, NpsStandardResolver } from './modules/benchmarks/benchmark.resolver';
import { ResponseThemesResolver, ThemeResolver } from './modules/themes/theme.resolver';
import { DriversResolver, ThemeDriverResolver } from './modules/drivers/drivers.resolver';
import { BenchmarkGapsResolver, ExecutiveKpisResolver, ExecutiveSummaryResolver, OffTrackTargetResolver } from './modules/executive-summary/executive-summary.resolver';
import { InvitationResolver } from './modules/invitations/invitation.resolver';
import { InitiativeResolver } from './modules/initiatives/initiative.resolver';
import { AlertResolver, AlertRuleResolver } from './modules/alerts/alert.resolver';

/** Every resolver class of the schema. */
export const resolvers: NonEmptyArray<Function> = [DepartmentResolver, PersonResolver, KpiTargetResolver, PersonTargetsResolver, WebhookEndpointResolver, WebhookDeliveryResolver, ActionItemResolver, ClosedLoopResolver, DepartmentClosedLoopResolver, ApiKeyResolver, ReportingResolver, DepartmentScoreResolver, NpsBreakdownItemResolver, MoversResolver, SegmentResolver, SegmentFilterResolver, SurveyResolver, CustomerResolver, ResponseResolver, BenchmarkResolver, NpsStandardResolver, NpsScoreBenchmarksResolver, ThemeResolver, ResponseThemesResolver, DriversResolver, ThemeDriverResolver, ExecutiveSummaryResolver, ExecutiveKpisResolver, OffTrackTargetResolver, BenchmarkGapsResolver, InvitationResolver, InitiativeResolver, AlertResolver, AlertRuleResolver];
