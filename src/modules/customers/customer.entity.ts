import { Field, ID, ObjectType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { numericTransformer } from '../../db/transformers';

// The details (region, plan, spend, signupChannel, customerSince, product, attributes) are GraphQL
// fields of CustomerResolver, which checks READ_RESPONSES wherever a Customer is reachable.
@ObjectType({
  description:
    'A customer who answers surveys, with the attributes segmentation needs. Its details (all fields but id, externalRef, createdAt and updatedAt) need READ_RESPONSES.',
})
@Entity('customers')
@Check('customers_spend_nonnegative', '"spend" IS NULL OR "spend" >= 0')
// externalRef in the "C" collation (migration 1764002100000): customers(search) prefix and keyset order.
@Index('customers_external_ref_c_idx', { synchronize: false })
export class Customer {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field({ description: 'The customer key in the source system (CRM); unique.' })
  @Index('customers_external_ref_key', { unique: true })
  @Column('text')
  externalRef: string;

  @Index('customers_region_idx')
  @Column({ type: 'text', nullable: true })
  region: string | null;

  @Index('customers_plan_idx')
  @Column({ type: 'text', nullable: true })
  plan: string | null;

  @Column({ type: 'numeric', precision: 14, scale: 2, nullable: true, transformer: numericTransformer })
  spend: number | null;

  @Column({ type: 'text', nullable: true })
  signupChannel: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  customerSince: Date | null;

  @Column({ type: 'text', nullable: true })
  product: string | null;

  @Column({ type: 'jsonb', default: {} })
  attributes: Record<string, unknown>;

  @Field({ description: 'When this server first stored the customer.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field({ description: 'When a stored field last changed (an upsert that changes nothing leaves it).' })
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
