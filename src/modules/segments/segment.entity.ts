import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** The stored form of a segment's filter: ResponseFilter's fields, ids as strings, dates as ISO strings. */
export type StoredFilter = Record<string, unknown>;

@ObjectType({ description: 'A saved, named filter over responses (micro-segmentation).' })
@Entity('segments')
export class Segment {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field({ description: 'Unique, case-insensitively.' })
  @Index('segments_name_key', { unique: true })
  @Column('text')
  name: string;

  @Field(() => String, { nullable: true, description: 'Free text shown to dashboard users.' })
  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'jsonb' })
  filter: StoredFilter;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
