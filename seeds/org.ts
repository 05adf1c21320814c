import { Rng } from './random';

/** Brightline: a B2B workplace-supplies subscription (ordering app, deliveries, support, billing). */
export const COMPANY = 'Brightline';
export const EMAIL_DOMAIN = 'brightline.example';

export interface DepartmentSeed {
  code: string;
  name: string;
  parentCode: string | null;
  slaHours: number;
}

/** Company -> divisions -> (support group ->) teams: four levels, fourteen departments. */
export const DEPARTMENTS: readonly DepartmentSeed[] = [
  { code: 'CO', name: 'Brightline', parentCode: null, slaHours: 48 },
  { code: 'CX', name: 'Customer Experience', parentCode: 'CO', slaHours: 48 },
  { code: 'CX-SUP', name: 'Customer Support', parentCode: 'CX', slaHours: 24 },
  { code: 'CX-SUP-EMEA', name: 'Support EMEA', parentCode: 'CX-SUP', slaHours: 24 },
  { code: 'CX-SUP-AMER', name: 'Support Americas', parentCode: 'CX-SUP', slaHours: 24 },
  { code: 'CX-SUP-APAC', name: 'Support APAC', parentCode: 'CX-SUP', slaHours: 24 },
  { code: 'CX-ONB', name: 'Onboarding', parentCode: 'CX', slaHours: 48 },
  { code: 'OPS', name: 'Operations', parentCode: 'CO', slaHours: 48 },
  { code: 'OPS-DEL', name: 'Delivery', parentCode: 'OPS', slaHours: 48 },
  { code: 'OPS-BILL', name: 'Billing', parentCode: 'OPS', slaHours: 72 },
  { code: 'PRD', name: 'Product', parentCode: 'CO', slaHours: 120 },
  { code: 'PRD-APP', name: 'Ordering App', parentCode: 'PRD', slaHours: 120 },
  { code: 'SAL', name: 'Sales & Accounts', parentCode: 'CO', slaHours: 72 },
  { code: 'SAL-AM', name: 'Account Management', parentCode: 'SAL', slaHours: 72 },
];

export type PersonLevel = 'CEO' | 'VP' | 'DIRECTOR' | 'LEAD' | 'AGENT';

export interface PersonSeed {
  key: string;
  name: string;
  email: string;
  title: string;
  level: PersonLevel;
  departmentCode: string;
  /** The manager's key; null for the CEO. */
  managerKey: string | null;
}

interface Leader {
  key: string;
  name: string;
  title: string;
  level: PersonLevel;
  dept: string;
  manager: string | null;
  /** Owns this department (the leader's own department unless given). */
  owns?: string[];
}

const LEADERS: readonly Leader[] = [
  { key: 'ceo', name: 'Amara Okafor', title: 'Chief Executive Officer', level: 'CEO', dept: 'CO', manager: null },
  { key: 'vp-cx', name: 'Daniel Reyes', title: 'VP Customer Experience', level: 'VP', dept: 'CX', manager: 'ceo' },
  { key: 'vp-ops', name: 'Ingrid Halvorsen', title: 'VP Operations', level: 'VP', dept: 'OPS', manager: 'ceo' },
  { key: 'vp-prd', name: 'Kenji Watanabe', title: 'VP Product', level: 'VP', dept: 'PRD', manager: 'ceo' },
  { key: 'vp-sal', name: 'Priya Raman', title: 'VP Sales & Accounts', level: 'VP', dept: 'SAL', manager: 'ceo' },
  { key: 'dir-sup', name: 'Marcus Bell', title: 'Director of Customer Support', level: 'DIRECTOR', dept: 'CX-SUP', manager: 'vp-cx' },
  { key: 'lead-emea', name: 'Sofia Marchetti', title: 'Team Lead, Support EMEA', level: 'LEAD', dept: 'CX-SUP-EMEA', manager: 'dir-sup' },
  { key: 'lead-amer', name: 'Jordan Ellis', title: 'Team Lead, Support Americas', level: 'LEAD', dept: 'CX-SUP-AMER', manager: 'dir-sup' },
  { key: 'lead-apac', name: 'Mei Lin Tan', title: 'Team Lead, Support APAC', level: 'LEAD', dept: 'CX-SUP-APAC', manager: 'dir-sup' },
  { key: 'lead-onb', name: 'Lucas Ferreira', title: 'Onboarding Lead', level: 'LEAD', dept: 'CX-ONB', manager: 'vp-cx' },
  { key: 'lead-del', name: 'Hannah Schmidt', title: 'Delivery Operations Lead', level: 'LEAD', dept: 'OPS-DEL', manager: 'vp-ops' },
  { key: 'lead-bill', name: 'Omar Haddad', title: 'Billing Team Lead', level: 'LEAD', dept: 'OPS-BILL', manager: 'vp-ops' },
  { key: 'lead-app', name: 'Chloe Martin', title: 'Product Manager, Ordering App', level: 'LEAD', dept: 'PRD-APP', manager: 'vp-prd' },
  { key: 'lead-am', name: 'Samuel Osei', title: 'Head of Account Management', level: 'LEAD', dept: 'SAL-AM', manager: 'vp-sal' },
];

/** Frontline people per team: [department, how many, title, manager]. */
const TEAMS: readonly [string, number, string, string][] = [
  ['CX-SUP-EMEA', 4, 'Support Agent', 'lead-emea'],
  ['CX-SUP-AMER', 4, 'Support Agent', 'lead-amer'],
  ['CX-SUP-APAC', 3, 'Support Agent', 'lead-apac'],
  ['CX-ONB', 3, 'Onboarding Specialist', 'lead-onb'],
  ['OPS-DEL', 4, 'Delivery Coordinator', 'lead-del'],
  ['OPS-BILL', 3, 'Billing Specialist', 'lead-bill'],
  ['SAL-AM', 4, 'Account Manager', 'lead-am'],
];

const FIRST = [
  'Aisha', 'Ben', 'Carla', 'Dev', 'Elena', 'Felix', 'Grace', 'Hugo', 'Isla', 'Jamal', 'Kira', 'Liam', 'Maya', 'Noah',
  'Olivia', 'Pedro', 'Quinn', 'Rosa', 'Sven', 'Tara', 'Umar', 'Vera', 'Wei', 'Ximena', 'Yusuf', 'Zoe', 'Arjun', 'Bea',
];
const LAST = [
  'Adeyemi', 'Brooks', 'Castillo', 'Dubois', 'Eriksen', 'Fischer', 'Gupta', 'Hughes', 'Ivanova', 'Jensen', 'Kowalski',
  'Lopez', 'Moreau', 'Nakamura', 'Oliveira', 'Park', 'Quinlan', 'Rossi', 'Silva', 'Thompson', 'Usman', 'Varga', 'Wong',
];

const emailOf = (name: string) => `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@${EMAIL_DOMAIN}`;

/** The people, CEO first, each after their manager; frontline names come from the generator. */
export function buildPeople(rng: Rng): PersonSeed[] {
  const people: PersonSeed[] = LEADERS.map((l) => ({
    key: l.key,
    name: l.name,
    email: emailOf(l.name),
    title: l.title,
    level: l.level,
    departmentCode: l.dept,
    managerKey: l.manager,
  }));
  const used = new Set(people.map((p) => p.email));
  for (const [dept, count, title, manager] of TEAMS) {
    for (let i = 0; i < count; i++) {
      let name: string;
      do name = `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
      while (used.has(emailOf(name)));
      used.add(emailOf(name));
      const senior = i === 0 && title === 'Support Agent';
      people.push({
        key: `${dept}-${i + 1}`,
        name,
        email: emailOf(name),
        title: senior ? `Senior ${title}` : title,
        level: 'AGENT',
        departmentCode: dept,
        managerKey: manager,
      });
    }
  }
  return people;
}

/** Who owns each department: its leader. */
export function departmentOwners(people: readonly PersonSeed[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const p of people) if (p.level !== 'AGENT') owners.set(p.departmentCode, p.key);
  return owners;
}

/** Frontline people of a team. */
export const agentsOf = (people: readonly PersonSeed[], dept: string) => people.filter((p) => p.level === 'AGENT' && p.departmentCode === dept);
