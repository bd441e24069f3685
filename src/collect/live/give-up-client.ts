import type { CallLimiter } from './limiter.js';
import type { LiveService } from './options.js';

type Handler = (args: { request?: unknown }) => Promise<unknown>;
type Middleware = (next: Handler, context: object) => Handler;

interface MiddlewareHost {
  middlewareStack: {
    add(middleware: Middleware, options: { step: 'initialize'; priority: 'high'; name: string }): void;
    addRelativeTo(middleware: Middleware, options: { name: string; relation: 'after'; toMiddleware: string }): void;
  };
}

/** The region a signed request goes to: its SigV4 credential scope (`Credential=AKID/date/region/service/aws4_request`). */
export function signedRegion(request: unknown): string | undefined {
  const headers = (request as { headers?: Record<string, string | undefined> } | undefined)?.headers ?? {};
  const auth = headers.authorization ?? headers.Authorization;
  return auth ? /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(auth)?.[1] : undefined;
}

/**
 * Makes a client that picks its regions itself (the tree reader's S3 client follows region
 * redirects) obey the run's give-up, as calls through CallLimiter.run do: an attempt to a region
 * given up on is not sent (NotAttempted), and a call whose last attempt found nothing answering gives
 * its region up for every later call of the run.
 */
export function giveUpWithLimiter<C>(client: C, limiter: CallLimiter, service: LiveService): C {
  const stack = (client as unknown as MiddlewareHost).middlewareStack;
  const lastRegion = new WeakMap<object, string>();
  // Every attempt, retries and redirects included, once signed (the region is then known).
  stack.addRelativeTo(
    (next, context) => async (args) => {
      const region = signedRegion(args.request);
      if (!region) return next(args);
      limiter.throwIfGivenUp(region);
      lastRegion.set(context, region);
      const answer = await next(args);
      // Any HTTP answer, redirects and error statuses included: the region answers.
      limiter.noteAnswer(service, region);
      return answer;
    },
    { name: 'giveUpRegionAttempt', relation: 'after', toMiddleware: 'httpSigningMiddleware' },
  );
  // The call as a whole: its final failure, after the SDK's own retries.
  stack.add(
    (next, context) => async (args) => {
      const startedAt = limiter.callStarted();
      try {
        return await next(args);
      } catch (err) {
        const region = lastRegion.get(context);
        if (region) limiter.noteFailure(service, region, startedAt, err);
        throw err;
      } finally {
        limiter.callSettled();
      }
    },
    { step: 'initialize', priority: 'high', name: 'giveUpRegionCall' },
  );
  return client;
}
