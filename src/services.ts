import type { AppDeps } from './context';
import { AccessService } from './modules/auth/access.service';
import { DepartmentService } from './modules/departments/department.service';
import { PersonService } from './modules/people/person.service';
import { OutboxService } from './modules/webhooks/outbox.service';
import { FollowUpService } from './modules/action-items/follow-up.service';
import { ActionItemService } from './modules/action-items/action-item.service';
import { ClosedLoopService } from './modules/closed-loop/closed-loop.service';
import { FilterCompiler } from './modules/reporting/filter/filter-compiler';
import { ApiKeyService } from './modules/auth/api-key.service';
import { KpiTargetService } from './modules/kpi-targets/kpi-target.service';
import { SurveyService } from './modules/surveys/survey.service';
import { CustomerService } from './modules/customers/customer.service';
import { ResponseService } from './modules/responses/response.service';
import { IngestService } from './modules/responses/ingest.service';
import { CorrectionService } from './modules/responses/correction.service';
import { ReportingService } from './modules/reporting/reporting.service';
import { MoversService } from './modules/reporting/movers/movers.service';
import { SegmentService } from './modules/segments/segment.service';
import { WebhookService } from './modules/webhooks/webhook.service';
import { BenchmarkService } from './modules/benchmarks/benchmark.service';
import { NpsStandardService } from './modules/benchmarks/nps-standard.service';
import { ThemeService } from './modules/themes/theme.service';
import { DriversService } from './modules/drivers/drivers.service';
import { ExecutiveSummaryService } from './modules/executive-summary/executive-summary.service';

/** One instance of each feature service per process; each call takes the request context first. */
export class Services {
  readonly access = new AccessService();
  readonly outbox = new OutboxService();
  readonly departments: DepartmentService;
  readonly people: PersonService;
  readonly filters: FilterCompiler;
  readonly followUps: FollowUpService;
  readonly apiKeys: ApiKeyService;
  readonly actionItems: ActionItemService;
  readonly closedLoop: ClosedLoopService;
  readonly kpiTargets: KpiTargetService;
  readonly surveys: SurveyService;
  readonly customers: CustomerService;
  readonly responses: ResponseService;
  readonly ingest: IngestService;
  readonly corrections: CorrectionService;
  readonly reporting: ReportingService;
  readonly movers: MoversService;
  readonly segments: SegmentService;
  readonly webhooks: WebhookService;
  readonly benchmarks: BenchmarkService;
  readonly standards: NpsStandardService;
  readonly themes: ThemeService;
  readonly drivers: DriversService;
  readonly executiveSummary: ExecutiveSummaryService;

  constructor(readonly deps: AppDeps) {
    this.departments = new DepartmentService(deps, this);
    this.people = new PersonService(deps, this);
    this.filters = new FilterCompiler(deps, this);
    this.followUps = new FollowUpService(deps, this);
    this.apiKeys = new ApiKeyService(deps, this);
    this.actionItems = new ActionItemService(deps, this);
    this.closedLoop = new ClosedLoopService(deps, this);
    this.kpiTargets = new KpiTargetService(deps, this);
    this.surveys = new SurveyService(deps, this);
    this.customers = new CustomerService(deps, this);
    this.responses = new ResponseService(deps, this);
    this.ingest = new IngestService(deps, this);
    this.corrections = new CorrectionService(deps, this);
    this.reporting = new ReportingService(deps, this);
    this.movers = new MoversService(deps, this);
    this.segments = new SegmentService(deps, this);
    this.webhooks = new WebhookService(deps, this);
    this.benchmarks = new BenchmarkService(deps, this);
    this.standards = new NpsStandardService(deps, this);
    this.themes = new ThemeService(deps, this);
    this.drivers = new DriversService(deps, this);
    this.executiveSummary = new ExecutiveSummaryService(deps, this);
  }
}
