# Build: compile TypeScript with the dev dependencies, then keep only the production ones.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

# Run: the compiled exporter and its production dependencies, as a non-root user.
FROM node:24-bookworm-slim
ARG REVISION=unknown
ENV NODE_ENV=production \
    BUILD_REVISION=${REVISION} \
    PORT=9877
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
# A numeric user that owns nothing in the image; works with runAsNonRoot and a read-only root filesystem.
USER 10001:10001
EXPOSE 9877
# The exporter's own probe (src/http/probe.ts): plain HTTP or TLS, whichever the port speaks,
# and with basic auth on a 401 still proves the exporter is up, so it needs no change when a
# web config turns either on.
HEALTHCHECK --interval=30s --timeout=5s CMD ["node", "dist/src/http/probe-cli.js", "/healthz"]
ENTRYPOINT ["node", "dist/src/main.js"]
