/**
 * AWS's public on-demand prices the viral-post bench turns its counts into money with: US East
 * (N. Virginia), USD, list prices of the first tier, every free tier and discount left out (a
 * viral month is past them). Change them here, in one place, when AWS changes them.
 */
export const AWS_PRICES = {
  region: 'us-east-1',
  /** When these were read from the pages below. */
  checked: '2026-11-29',
  lambda: {
    /** Arm (Graviton), per GB-second of duration (aws.amazon.com/lambda/pricing). */
    armPerGbSecond: 0.0000133334,
    /** Per request (invocation): $0.20 per million. */
    perRequest: 0.2 / 1_000_000,
  },
  /** HTTP API, first 300 million requests a month: $1.00 per million (aws.amazon.com/api-gateway/pricing). */
  httpApiPerRequest: 1.0 / 1_000_000,
  dynamodb: {
    /** On-demand, per read request unit: $0.125 per million (aws.amazon.com/dynamodb/pricing/on-demand). */
    perReadUnit: 0.125 / 1_000_000,
    /** On-demand, per write request unit: $0.625 per million. */
    perWriteUnit: 0.625 / 1_000_000,
  },
  cloudfront: {
    /** HTTPS requests, United States and Europe: $0.0100 per 10,000 (aws.amazon.com/cloudfront/pricing). */
    perHttpsRequest: 0.01 / 10_000,
    /** Data transfer out to the internet, United States and Europe, first 10 TB: per GB. */
    perGbOut: 0.085,
  },
  /** Data transfer out of the region to the internet (API Gateway's answers), first 10 TB: per GB. */
  dataOutPerGb: 0.09,
} as const;

/** Lambda memory of the API functions (lib/constructs/lambda-function.ts default), in GB. */
export const LAMBDA_MEMORY_GB = 512 / 1024;
