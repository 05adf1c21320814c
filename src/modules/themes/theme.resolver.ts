import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context';
import { parseId } from '../../common/ids';
import { ReportCached } from '../../common/report-cache/cached.decorator';
import { Permission } from '../auth/permissions';
import { Response } from '../responses/response.entity';
import { CreateThemeInput, UpdateThemeInput } from './theme.inputs';
import { Theme, ThemeTaggingJob } from './theme.types';

const WRITERS = 'ADMIN and EXECUTIVE keys (WRITE_THEMES)';
const RETAG =
  'Stored responses are re-tagged in the background, in batches (themeTagging shows the progress); responses stored from now on are tagged with the new definitions.';

@Resolver(() => Theme)
export class ThemeResolver {
  @ReportCached()
  @Query(() => [Theme], { description: 'The themes verbatims are tagged with, by code. Needs READ_REPORTS (not INTEGRATION keys).' })
  themes(@Ctx() ctx: RequestContext, @Arg('active', () => Boolean, { nullable: true, description: 'Only active (true) or inactive (false) themes.' }) active?: boolean | null): Promise<Theme[]> {
    return ctx.services.themes.list(ctx, active);
  }

  @ReportCached()
  @Query(() => Theme, { description: 'One theme; NOT_FOUND when unknown. Needs READ_REPORTS.' })
  theme(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<Theme> {
    return ctx.services.themes.byId(ctx, parseId(id, 'id'));
  }

  @Query(() => ThemeTaggingJob, {
    nullable: true,
    description: 'The newest re-tagging of the stored responses (RUNNING while it goes on, with its progress); null before any. Needs READ_REPORTS.',
  })
  themeTagging(@Ctx() ctx: RequestContext): Promise<ThemeTaggingJob | null> {
    return ctx.services.themes.tagging(ctx);
  }

  @Mutation(() => Theme, { description: `Adds a theme (${WRITERS}). ${RETAG}` })
  createTheme(@Ctx() ctx: RequestContext, @Arg('input') input: CreateThemeInput): Promise<Theme> {
    return ctx.services.themes.create(ctx, input);
  }

  @Mutation(() => Theme, { description: `Changes a theme (${WRITERS}); NOT_FOUND when unknown. A change of its keywords, phrases, exclusions, pattern or active flag re-tags: ${RETAG}` })
  updateTheme(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string, @Arg('input') input: UpdateThemeInput): Promise<Theme> {
    return ctx.services.themes.update(ctx, parseId(id, 'id'), input);
  }

  @Mutation(() => ID, { description: `Deletes a theme (${WRITERS}) and returns its id; reports stop showing it at once, and the re-tagging removes its mentions.` })
  deleteTheme(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<string> {
    return ctx.services.themes.delete(ctx, parseId(id, 'id'));
  }

  @Mutation(() => ThemeTaggingJob, {
    description: `Re-tags every stored response with the current themes (${WRITERS}), e.g. after responses were written around the API (plain SQL). ${RETAG}`,
  })
  retagThemes(@Ctx() ctx: RequestContext, @Arg('reason', () => String, { nullable: true, description: 'Shown as the job\'s reason.' }) reason?: string | null): Promise<ThemeTaggingJob> {
    return ctx.services.themes.retag(ctx, reason);
  }
}

@Resolver(() => Response)
export class ResponseThemesResolver {
  @FieldResolver(() => [Theme], {
    description: 'The active themes its comment and follow-up answers mention, by code (derived from the verbatim: needs READ_RESPONSES).',
  })
  themes(@Ctx() ctx: RequestContext, @Root() response: Response): Promise<Theme[]> {
    ctx.services.access.require(ctx, Permission.READ_RESPONSES);
    return ctx.loaders.responseThemes.load(response.id);
  }
}
