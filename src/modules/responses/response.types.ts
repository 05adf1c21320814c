import { ConnectionType } from '../../common/pagination';
import { Response } from './response.entity';

/** ResponseConnection / ResponseEdge: a page of responses, newest first (respondedAt desc, id desc). */
export const ResponseConnection = ConnectionType(Response, 'Response');
export type ResponseConnection = InstanceType<typeof ResponseConnection>;
