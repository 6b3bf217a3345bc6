import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { type CursorListEnvelope, type DataEnvelope } from '@slipway/contracts';
import { CurrentPrincipal } from '../auth/decorators';
import { type Principal } from '../auth/principal';
import { ApiCursorListResponse, ApiDataResponse } from '../common/http/api-responses';
import { one } from '../common/http/envelope';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { ServiceRoutes } from '../services/services-enabled.guard';
import { TraceSummaryView, TraceView } from './trace.view';
import { DEFAULT_TRACE_LIMIT, TraceIdParam, TracesQuery, toTraceListRequest } from './traces.dto';
import { TracesService } from './traces.service';

@ServiceRoutes('traces')
@Controller('v1/services')
export class TracesController {
  constructor(private readonly traces: TracesService) {}

  @Get(':id/traces')
  @ApiOperation({
    summary: 'Traces the service reported, newest first',
    description:
      "A trace's time is its earliest span's start. The window is `since` (the last that many " +
      'seconds) or `start`/`end` (start inclusive, end exclusive), never both; a missing start ' +
      'is 24 hours before the end, a missing end is now. `min_duration_ms`, `status=error` and ' +
      '`name_contains` (any span of the trace, ignoring case) narrow it. Pages hold `limit` ' +
      `(default ${DEFAULT_TRACE_LIMIT}) traces; pass \`pagination.next_cursor\` back as ` +
      '`cursor`, with the same filters, for the next one.',
  })
  @ApiCursorListResponse(TraceSummaryView)
  async list(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Query() query: TracesQuery,
  ): Promise<CursorListEnvelope<TraceSummaryView>> {
    const page = await this.traces.list(
      principal.userId,
      id,
      toTraceListRequest(query, new Date()),
    );
    return { data: page.traces, pagination: { next_cursor: page.nextCursor } };
  }

  @Get(':id/traces/:trace_id')
  @ApiOperation({
    summary: 'One trace: every stored span as a tree',
    description:
      'Each span lists its children by start time. A span whose parent was not (yet) stored ' +
      'appears as a root beside the real one.',
  })
  @ApiDataResponse(TraceView)
  async get(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @TraceIdParam() traceId: string,
  ): Promise<DataEnvelope<TraceView>> {
    return one(await this.traces.get(principal.userId, id, traceId));
  }
}
