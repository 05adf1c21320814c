export { afterCommit, perRequest } from '../../common/request-cache';
