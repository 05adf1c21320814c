import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType } from '../../common/pagination';
import { UserError } from '../../common/user-error';
import { ActionItem } from './action-item.entity';

export const ActionItemConnection = ConnectionType(ActionItem, 'ActionItem');
export type ActionItemConnection = InstanceType<typeof ActionItemConnection>;

/** The most updates one bulkUpdateActionItems call takes. */
export const MAX_BULK_UPDATES = 500;

export enum ActionItemUpdateStatus {
  UPDATED = 'UPDATED',
  UNCHANGED = 'UNCHANGED',
  REJECTED = 'REJECTED',
}
registerEnumType(ActionItemUpdateStatus, {
  name: 'ActionItemUpdateStatus',
  description: 'UPDATED: changed (version increased). UNCHANGED: already as asked, nothing written (a harmless retry). REJECTED: see error; nothing changed.',
});

@ObjectType({ description: 'The outcome of one update of a bulk call.' })
export class ActionItemUpdateResult {
  @Field(() => Int, { description: 'Position of the update in the input list (0-based).' })
  index: number;

  @Field(() => ActionItemUpdateStatus)
  status: ActionItemUpdateStatus;

  @Field(() => ActionItem, { nullable: true, description:
      'The item as this update left it (version, status, fields); null when rejected. Its nested lists (events) are read once the whole call is done, so with several updates of one item they include the later ones too.' })
  item: ActionItem | null;

  @Field(() => UserError, { nullable: true, description: 'Why the update was rejected.' })
  error: UserError | null;
}

@ObjectType({ description: 'Per-item results of bulkUpdateActionItems, in input order. Each update is applied on its own: a rejected one changes nothing and does not affect the others.' })
export class BulkUpdateActionItemsPayload {
  @Field(() => Int)
  updated: number;

  @Field(() => Int)
  unchanged: number;

  @Field(() => Int)
  rejected: number;

  @Field(() => [ActionItemUpdateResult])
  results: ActionItemUpdateResult[];
}
