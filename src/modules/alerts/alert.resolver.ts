import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context';
import { parseId, parseOptionalId } from '../../common/ids';
import { Department } from '../departments/department.entity';
import { Segment } from '../segments/segment.entity';
import { AlertRule } from './alert-rule.entity';
import { Alert } from './alert.entity';
import { AlertEvent } from './alert-event.entity';
import { AlertFilter, CreateAlertRuleInput, UpdateAlertRuleInput } from './alert.inputs';

const NOTE = { nullable: true, description: 'Recorded in the audit trail.' };

@Resolver(() => Alert)
export class AlertResolver {
  @Query(() => [Alert], {
    description: 'Significant-shift alerts, newest window first. A MANAGER key sees the alerts of its subtree\'s departments only. Needs READ_REPORTS.',
  })
  alerts(@Ctx() ctx: RequestContext, @Arg('filter', () => AlertFilter, { nullable: true }) filter?: AlertFilter | null): Promise<Alert[]> {
    return ctx.services.alerts.list(ctx, { ...filter, ruleId: parseOptionalId(filter?.ruleId, 'filter.ruleId'), departmentId: parseOptionalId(filter?.departmentId, 'filter.departmentId') });
  }

  @Query(() => Alert, { description: 'One alert. FORBIDDEN for a MANAGER when its department is outside their subtree (or it has none).' })
  alert(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<Alert> {
    return ctx.services.alerts.byId(ctx, parseId(id, 'id'));
  }

  @Mutation(() => Alert, { description: 'Marks an alert ACKNOWLEDGED (WRITE_ALERTS; a MANAGER within its subtree). CONFLICT once resolved.' })
  acknowledgeAlert(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string, @Arg('note', () => String, NOTE) note?: string | null): Promise<Alert> {
    return ctx.services.alerts.acknowledge(ctx, parseId(id, 'id'), note);
  }

  @Mutation(() => Alert, { description: 'Snoozes an alert until an instant in the future, after which it counts as OPEN again (WRITE_ALERTS). CONFLICT once resolved.' })
  snoozeAlert(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string, @Arg('until', () => Date) until: Date, @Arg('note', () => String, NOTE) note?: string | null): Promise<Alert> {
    return ctx.services.alerts.snooze(ctx, parseId(id, 'id'), until, note);
  }

  @Mutation(() => Alert, { description: 'Resolves an alert; final (WRITE_ALERTS). CONFLICT when already resolved.' })
  resolveAlert(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string, @Arg('note', () => String, NOTE) note?: string | null): Promise<Alert> {
    return ctx.services.alerts.resolve(ctx, parseId(id, 'id'), note);
  }

  @FieldResolver(() => AlertRule, { nullable: true, description: 'The rule that raised it.' })
  rule(@Ctx() ctx: RequestContext, @Root() alert: Alert): Promise<AlertRule | null> {
    return ctx.services.alerts.rule(ctx, alert);
  }

  @FieldResolver(() => Department, { nullable: true, description: 'Scope: this department and its subtree; null for the whole company.' })
  department(@Ctx() ctx: RequestContext, @Root() alert: Alert): Promise<Department | null> {
    return ctx.services.alerts.departmentOf(ctx, alert);
  }

  @FieldResolver(() => Segment, { nullable: true })
  segment(@Ctx() ctx: RequestContext, @Root() alert: Alert): Promise<Segment | null> {
    return ctx.services.alerts.segmentOf(ctx, alert);
  }

  @FieldResolver(() => [AlertEvent], { description: 'Audit trail, oldest first: DETECTED, then each acknowledgement, snooze and resolution.' })
  history(@Ctx() ctx: RequestContext, @Root() alert: Alert): Promise<AlertEvent[]> {
    return ctx.services.alerts.events(ctx, alert);
  }
}

@Resolver(() => AlertRule)
export class AlertRuleResolver {
  @Query(() => [AlertRule], { description: 'Significant-shift alert rules, by name. A MANAGER key sees its subtree\'s rules only. Needs READ_REPORTS.' })
  alertRules(@Ctx() ctx: RequestContext): Promise<AlertRule[]> {
    return ctx.services.alerts.rules(ctx);
  }

  @Mutation(() => AlertRule, { description: 'Creates an alert rule (WRITE_ALERTS: ADMIN, EXECUTIVE; a MANAGER for a department of its subtree).' })
  createAlertRule(@Ctx() ctx: RequestContext, @Arg('input') input: CreateAlertRuleInput): Promise<AlertRule> {
    return ctx.services.alerts.createRule(ctx, { ...input, departmentId: parseOptionalId(input.departmentId, 'departmentId'), segmentId: parseOptionalId(input.segmentId, 'segmentId') });
  }

  @Mutation(() => AlertRule, { description: 'Changes an alert rule (WRITE_ALERTS; a MANAGER within its subtree); omitted fields are unchanged.' })
  updateAlertRule(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string, @Arg('input') input: UpdateAlertRuleInput): Promise<AlertRule> {
    return ctx.services.alerts.updateRule(ctx, parseId(id, 'id'), {
      ...input,
      departmentId: input.departmentId === null ? null : parseOptionalId(input.departmentId, 'departmentId'),
      segmentId: input.segmentId === null ? null : parseOptionalId(input.segmentId, 'segmentId'),
    });
  }

  @Mutation(() => ID, { description: 'Deletes an alert rule and its alerts (WRITE_ALERTS; a MANAGER within its subtree); returns its id.' })
  deleteAlertRule(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<string> {
    return ctx.services.alerts.deleteRule(ctx, parseId(id, 'id'));
  }

  @FieldResolver(() => Department, { nullable: true, description: 'Scope: this department and its subtree.' })
  department(@Ctx() ctx: RequestContext, @Root() rule: AlertRule): Promise<Department | null> {
    return ctx.services.alerts.departmentOf(ctx, rule);
  }

  @FieldResolver(() => Segment, { nullable: true, description: "Scope: only responses matching this segment's filter." })
  segment(@Ctx() ctx: RequestContext, @Root() rule: AlertRule): Promise<Segment | null> {
    return ctx.services.alerts.segmentOf(ctx, rule);
  }
}
