# Baton in a container: build with Swift, run on slim Debian with libpq.
FROM swift:6.2-bookworm AS build
RUN apt-get update -qq && apt-get install -y -qq libpq-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product baton --static-swift-stdlib \
 && mkdir -p /out && cp "$(swift build -c release --show-bin-path)/baton" /out/ \
 && cp -R "$(swift build -c release --show-bin-path)"/*.resources /out/ 2>/dev/null || true

FROM debian:bookworm-slim
RUN apt-get update -qq && apt-get install -y -qq libpq5 ca-certificates tzdata poppler-utils && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /app baton
WORKDIR /app
COPY --from=build /out/ /usr/local/bin/
COPY sql ./sql
COPY workflows ./workflows
ENV BATON_HOME=/app
USER baton
EXPOSE 8080
CMD ["baton", "serve", "--host", "0.0.0.0", "--port", "8080"]
