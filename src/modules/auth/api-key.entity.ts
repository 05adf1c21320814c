import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import type { Department } from '../departments/department.entity';
import { Role } from './viewer';

/**
 * An API key. The key itself is never stored: only its SHA-256 (see api-key.service.ts for why a
 * fast hash is enough) and its first characters, so people can recognise it in a list.
 */
@ObjectType('ApiKey', { description: 'An API key (its metadata; the key itself is shown once, at creation).' })
@Entity('api_keys')
@Check('api_keys_role_valid', `"role" IN ('ADMIN','EXECUTIVE','MANAGER','INTEGRATION')`)
@Check('api_keys_manager_department', `("role" = 'MANAGER') = ("department_id" IS NOT NULL)`)
@Check('api_keys_rate_limit_positive', `"rate_limit" IS NULL OR "rate_limit" > 0`)
@Index('api_keys_active_name_key', ['name'], { unique: true, where: '"revoked_at" IS NULL' })
export class ApiKey {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field({ description: 'Who or what uses the key; unique among keys not revoked.' })
  @Column('text')
  name: string;

  @Field(() => Role)
  @Column('text')
  role: Role;

  @Index('api_keys_department_id_idx')
  @Column({ type: 'uuid', nullable: true })
  departmentId: string | null;

  @ManyToOne('Department', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'department_id' })
  department?: Relation<Department>;

  /** Hex SHA-256 of the whole key; the lookup goes through this unique index. */
  @Index('api_keys_key_hash_key', { unique: true })
  @Column('text')
  keyHash: string;

  @Field({ description: 'The first characters of the key, to recognise it (e.g. "nps_Ab12Cd34").' })
  @Column('text')
  prefix: string;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /** Points per rate-limit window; null: the role's default (see src/common/rate-limit). */
  @Field(() => Int, {
    nullable: true,
    description: "The key's own rate-limit budget in points per window (README, Rate limits); null: its role's default.",
  })
  @Column({ type: 'integer', nullable: true })
  rateLimit: number | null;

  @Field(() => Date, { nullable: true, description: 'Last request made with the key (updated at most once a minute).' })
  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'Set when the key was revoked; a revoked key stops working at once.' })
  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
