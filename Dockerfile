# s3-evidence: a small, non-root image that runs with a read-only root file system.
# Only the output folder (/data) must be writable:
#   docker build -t s3-evidence .
#   docker run --rm --read-only -v "$PWD/config:/config:ro" -v "$PWD/output:/data/output" \
#     -e AWS_REGION -e AWS_ACCESS_KEY_ID -e AWS_SECRET_ACCESS_KEY -e AWS_SESSION_TOKEN \
#     s3-evidence run --config /config/tenants.yaml --out /data/output
# NOTE: written without a Docker engine at hand; not built here. See docs/operations.md.
# The test suite needs no image of its own: README "Tests" runs it in a bare node:22-alpine container.

FROM node:22-alpine AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
# tsconfig.json also includes bench/**, which is not copied: tsc compiles src/ alone.
RUN npx tsc -p tsconfig.json
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:22-alpine
# tini as PID 1: forwards SIGTERM from cron / ECS to node, so a stopped run releases its lock.
RUN apk add --no-cache tini
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
# Read at run time, found from the folder that holds package.json:
COPY package.json ./
COPY templates ./templates
COPY frameworks ./frameworks
COPY iam ./iam
# `init` writes this file as the starter configuration.
COPY config/tenants.example.yaml ./config/tenants.example.yaml
COPY src/analyze/controls ./src/analyze/controls
USER node
WORKDIR /data
VOLUME ["/data"]
ENTRYPOINT ["/sbin/tini", "--", "node", "/app/dist/src/cli/main.js"]
CMD ["--help"]
