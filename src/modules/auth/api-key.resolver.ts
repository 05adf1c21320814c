import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context';
import { loadRef } from '../../common/loader-factories';
import { parseId } from '../../common/ids';
import { Department } from '../departments/department.entity';
import { ApiKey } from './api-key.entity';
import { CreateApiKeyInput, CreatedApiKey, ViewerInfo } from './api-key.types';

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Query(() => ViewerInfo, { description: 'Who the API key of this request belongs to, its role and permissions. Any valid key may ask.' })
  viewer(@Ctx() ctx: RequestContext): Promise<ViewerInfo> {
    return ctx.services.apiKeys.viewer(ctx);
  }

  @Query(() => [ApiKey], { description: 'API keys, newest first (admin only). The keys themselves are never shown again.' })
  apiKeys(
    @Ctx() ctx: RequestContext,
    @Arg('includeRevoked', { defaultValue: false, description: 'Also list revoked keys.' }) includeRevoked: boolean,
  ): Promise<ApiKey[]> {
    return ctx.services.apiKeys.list(ctx, includeRevoked);
  }

  @Mutation(() => CreatedApiKey, { description: 'Creates an API key (admin only). The result holds the key: the only time it is shown.' })
  createApiKey(@Ctx() ctx: RequestContext, @Arg('input') input: CreateApiKeyInput): Promise<CreatedApiKey> {
    return ctx.services.apiKeys.create(ctx, input);
  }

  @Mutation(() => ApiKey, { description: 'Revokes an API key (admin only); it stops working with the next request. Idempotent.' })
  revokeApiKey(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<ApiKey> {
    return ctx.services.apiKeys.revoke(ctx, parseId(id, 'id'));
  }

  @Mutation(() => ApiKey, {
    description:
      "Gives an API key its own rate-limit budget in points per window (admin only), e.g. a larger one for an import or a benchmark, or back its role's default with null. Takes effect with the key's next request.",
  })
  setApiKeyRateLimit(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('rateLimit', () => Int, { nullable: true, description: "Points per window, 1 to 2,000,000,000; null: the role's default." }) rateLimit: number | null,
  ): Promise<ApiKey> {
    return ctx.services.apiKeys.setRateLimit(ctx, parseId(id, 'id'), rateLimit ?? null);
  }

  @FieldResolver(() => Department, { nullable: true, description: 'For MANAGER keys: the root of the subtree the key sees.' })
  department(@Ctx() ctx: RequestContext, @Root() key: ApiKey): Promise<Department | null> {
    return loadRef(ctx.loaders.department, key.departmentId);
  }
}
