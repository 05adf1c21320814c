import { Initial1764000000000 } from './1764000000000-Initial';
import { Outbox1764000050000 } from './1764000050000-Outbox';
import { ApiKeys1764000200000 } from './1764000200000-ApiKeys';
import { Webhooks1764000250000 } from './1764000250000-Webhooks';
import { RespondedAtCoveringIndex1764000500000 } from './1764000500000-RespondedAtCoveringIndex';
import { WebhookRetentionIndexes1764000600000 } from './1764000600000-WebhookRetentionIndexes';
import { ResponseCustomerAttributes1764000700000 } from './1764000700000-ResponseCustomerAttributes';
import { NpsRollups1764000800000 } from './1764000800000-NpsRollups';
import { ClosedLoopCounters1764000900000 } from './1764000900000-ClosedLoopCounters';
import { DropLowSelectivityIndexes1764001000000 } from './1764001000000-DropLowSelectivityIndexes';
import { Benchmarks1764001100000 } from './1764001100000-Benchmarks';
import { DataChangeNotifications1764001200000 } from './1764001200000-DataChangeNotifications';
import { CopyCustomerAttributesWhenMissing1764001300000 } from './1764001300000-CopyCustomerAttributesWhenMissing';
import { Themes1764001400000 } from './1764001400000-Themes';
import { ThemeRollup1764001410000 } from './1764001410000-ThemeRollup';
import { ResponseSearch1764001420000 } from './1764001420000-ResponseSearch';
import { ClosedLoopMedianBins1764001430000 } from './1764001430000-ClosedLoopMedianBins';
import { ResponseCorrections1764002000000 } from './1764002000000-ResponseCorrections';
import { ApiKeyRateLimit1764001500000 } from './1764001500000-ApiKeyRateLimit';
import { CustomerRefPrefixIndex1764002100000 } from './1764002100000-CustomerRefPrefixIndex';
import { WebhookEndpointRole1764002110000 } from './1764002110000-WebhookEndpointRole';
import { CustomerErasures1764002120000 } from './1764002120000-CustomerErasures';
import { Alerts1764002200000 } from './1764002200000-Alerts';
import { SurveyInvitations1764002300000 } from './1764002300000-SurveyInvitations';
import { Initiatives1764002310000 } from './1764002310000-Initiatives';
import { ScheduledJobs1764002400000 } from './1764002400000-ScheduledJobs';
import { ClosedLoopAgentCounters1764002500000 } from './1764002500000-ClosedLoopAgentCounters';
import { ClosedLoopMonthItems1764002600000 } from './1764002600000-ClosedLoopMonthItems';

/** Every migration, oldest first. New migrations are appended here. */
export const migrations = [
  Initial1764000000000,
  Outbox1764000050000,
  ApiKeys1764000200000,
  Webhooks1764000250000,
  RespondedAtCoveringIndex1764000500000,
  WebhookRetentionIndexes1764000600000,
  ResponseCustomerAttributes1764000700000,
  NpsRollups1764000800000,
  ClosedLoopCounters1764000900000,
  DropLowSelectivityIndexes1764001000000,
  Benchmarks1764001100000,
  DataChangeNotifications1764001200000,
  CopyCustomerAttributesWhenMissing1764001300000,
  Themes1764001400000,
  ThemeRollup1764001410000,
  ResponseSearch1764001420000,
  ClosedLoopMedianBins1764001430000,
  ApiKeyRateLimit1764001500000,
  ResponseCorrections1764002000000,
  CustomerRefPrefixIndex1764002100000,
  WebhookEndpointRole1764002110000,
  CustomerErasures1764002120000,
  Alerts1764002200000,
  SurveyInvitations1764002300000,
  Initiatives1764002310000,
  ScheduledJobs1764002400000,
  ClosedLoopAgentCounters1764002500000,
  ClosedLoopMonthItems1764002600000,
];
