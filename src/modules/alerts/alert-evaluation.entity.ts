import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * One evaluated family: the active rules sharing a window unit, time zone and window start. Its
 * row is inserted (ON CONFLICT DO NOTHING) in the transaction that evaluates the family, so each
 * window is tested once: a concurrent worker waits on the unique key and then finds it taken; a
 * worker that crashes mid-way rolls it back and the window is evaluated again.
 */
@Entity('alert_evaluations')
@Unique('alert_evaluations_window_key', ['windowUnit', 'timeZone', 'windowStart'])
export class AlertEvaluation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  windowUnit: string;

  @Column('text')
  timeZone: string;

  @Column('timestamptz')
  windowStart: Date;

  @Column('timestamptz')
  windowEnd: Date;

  /** Rules in the family, tested among them (enough sample, comparable windows), alerts raised. */
  @Column('int')
  rules: number;

  @Column('int')
  tests: number;

  @Column('int')
  discoveries: number;

  @Column('timestamptz')
  evaluatedAt: Date;

  @Column('int')
  durationMs: number;
}
