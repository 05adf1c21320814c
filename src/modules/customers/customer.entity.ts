import { Field, Float, ID, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { numericTransformer } from '../../db/transformers';

@ObjectType({ description: 'A customer who answers surveys, with the attributes segmentation needs.' })
@Entity('customers')
@Check('customers_spend_nonnegative', '"spend" IS NULL OR "spend" >= 0')
export class Customer {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field({ description: 'The customer key in the source system (CRM); unique.' })
  @Index('customers_external_ref_key', { unique: true })
  @Column('text')
  externalRef: string;

  @Field(() => String, { nullable: true })
  @Index('customers_region_idx')
  @Column({ type: 'text', nullable: true })
  region: string | null;

  @Field(() => String, { nullable: true, description: 'Plan or tier.' })
  @Index('customers_plan_idx')
  @Column({ type: 'text', nullable: true })
  plan: string | null;

  @Field(() => Float, { nullable: true, description: 'Spend, e.g. annual revenue from the customer.' })
  @Column({ type: 'numeric', precision: 14, scale: 2, nullable: true, transformer: numericTransformer })
  spend: number | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  signupChannel: string | null;

  @Field(() => Date, { nullable: true, description: 'When the customer relationship began (tenure).' })
  @Column({ type: 'timestamptz', nullable: true })
  customerSince: Date | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  product: string | null;

  @Field(() => GraphQLJSONObject, { description: 'Free attributes.' })
  @Column({ type: 'jsonb', default: {} })
  attributes: Record<string, unknown>;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
