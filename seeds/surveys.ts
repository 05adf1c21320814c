export type Channel = 'email' | 'in-app' | 'sms' | 'web' | 'phone';
export const CHANNELS: readonly Channel[] = ['email', 'in-app', 'sms', 'web', 'phone'];

export interface SurveySeed {
  code: string;
  name: string;
  kind: 'RELATIONSHIP' | 'TRANSACTIONAL';
  /** Default channel the survey is sent through. */
  channel: Channel;
  cadenceDays: number | null;
  autoFollowUp: boolean;
  /** Null for relationship surveys. */
  touchpoint: string | null;
  /** How answers arrive, by channel. */
  channels: Partial<Record<Channel, number>>;
  /** Share of the responses that are not onboarding (which follow new customers). */
  share: number;
}

export const SURVEYS: readonly SurveySeed[] = [
  {
    code: 'REL-QUARTERLY',
    name: 'Quarterly relationship survey',
    kind: 'RELATIONSHIP',
    channel: 'email',
    cadenceDays: 90,
    autoFollowUp: true,
    touchpoint: null,
    channels: { email: 55, 'in-app': 20, web: 15, sms: 10 },
    share: 0.27,
  },
  {
    code: 'TX-SUPPORT-CALL',
    name: 'After a support call',
    kind: 'TRANSACTIONAL',
    channel: 'phone',
    cadenceDays: null,
    autoFollowUp: true,
    touchpoint: 'support_call',
    channels: { phone: 40, sms: 30, email: 30 },
    share: 0.36,
  },
  {
    code: 'TX-DELIVERY',
    name: 'After a delivery',
    kind: 'TRANSACTIONAL',
    channel: 'sms',
    cadenceDays: null,
    autoFollowUp: true,
    touchpoint: 'delivery',
    channels: { sms: 50, email: 30, web: 20 },
    share: 0.2,
  },
  {
    code: 'TX-ONBOARDING',
    name: 'After onboarding',
    kind: 'TRANSACTIONAL',
    channel: 'email',
    cadenceDays: null,
    autoFollowUp: true,
    touchpoint: 'onboarding',
    channels: { email: 60, 'in-app': 40 },
    share: 0,
  },
  {
    code: 'TX-BILLING',
    name: 'After a billing inquiry',
    kind: 'TRANSACTIONAL',
    channel: 'email',
    cadenceDays: null,
    autoFollowUp: true,
    touchpoint: 'billing_inquiry',
    channels: { email: 60, web: 40 },
    share: 0.08,
  },
  {
    code: 'TX-APP',
    name: 'In-app feedback',
    kind: 'TRANSACTIONAL',
    channel: 'in-app',
    cadenceDays: null,
    // Product feedback is read in aggregate; no individual call-backs.
    autoFollowUp: false,
    touchpoint: 'in_app',
    channels: { 'in-app': 100 },
    share: 0.09,
  },
];

/** Scores at or below this open a follow-up (the column's default: every detractor). */
export const FOLLOW_UP_THRESHOLD = 6;

export const surveyByCode = (code: string): SurveySeed => {
  const s = SURVEYS.find((x) => x.code === code);
  if (!s) throw new Error(`no survey ${code}`);
  return s;
};
