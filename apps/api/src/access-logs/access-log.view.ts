import { ApiProperty } from '@nestjs/swagger';
import { type AccessLogResource } from '@slipway/contracts';

export class AccessLogView implements AccessLogResource {
  @ApiProperty({ format: 'date-time', example: '2026-01-31T09:30:00.123Z', description: 'Arrival' })
  time!: string;
  @ApiProperty({ example: 'GET' }) method!: string;
  @ApiProperty({ example: '/orders/42', description: 'Without the query string' }) path!: string;
  @ApiProperty({
    example: 200,
    description: '101 for a proxied WebSocket; 499 when the client left before an answer',
  })
  status!: number;
  @ApiProperty({
    example: 12.5,
    description: 'Arrival to the end of the response (a WebSocket: of the tunnel)',
  })
  duration_ms!: number;
  @ApiProperty({ example: 0, description: 'Request body bytes (a WebSocket: bytes sent to it)' })
  bytes_in!: number;
  @ApiProperty({
    example: 1024,
    description: 'Response body bytes (a WebSocket: bytes received from it)',
  })
  bytes_out!: number;
  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' })
  client_ip!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'curl/8.5.0' })
  user_agent!: string | null;
  @ApiProperty({ example: '4f1c2a9e-6d7b-4b8e-9c1a-2f3e4d5c6b7a' }) request_id!: string;
}
