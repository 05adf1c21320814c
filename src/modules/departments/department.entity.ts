import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation, UpdateDateColumn } from 'typeorm';
import type { Person } from '../people/person.entity';

@ObjectType({ description: 'A unit of the organisation. Departments form a tree (company, division, team); a score of a department covers its whole subtree.' })
@Entity('departments')
@Check('departments_sla_hours_positive', '"sla_hours" > 0')
export class Department {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field({ description: 'Stable business key, unique.' })
  @Index('departments_code_key', { unique: true })
  @Column('text')
  code: string;

  @Field()
  @Column('text')
  name: string;

  @Index('departments_parent_id_idx')
  @Column({ type: 'uuid', nullable: true })
  parentId: string | null;

  @ManyToOne('Department', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_id' })
  parent?: Relation<Department>;

  @Column({ type: 'uuid', nullable: true })
  ownerId: string | null;

  @ManyToOne('Person', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'owner_id' })
  owner?: Relation<Person>;

  @Field(() => Int, { description: 'Hours within which a follow-up of a detractor is due.' })
  @Column({ type: 'int', default: 48 })
  slaHours: number;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
